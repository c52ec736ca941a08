"""自动退会: a member that pays no dues, or takes part in no activity, for a year is treated as having left
(SPEC §2, L1458).

The lapse is a recorded status change by the scheduled job (after two reminders), reversible by the
secretariat's reinstatement once the arrears are paid; nothing is deleted.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.workflow import WorkflowError

from ..models import DuesItem, Membership
from ..workflows import MEMBERSHIPS
from .common import email_unit, moment, rules
from .dues import ensure_dues_items


def lapse_membership(*, membership: Membership, today: datetime.date, reason: str,
                     dues_item: DuesItem | None = None) -> bool:
    """The job lapses an active membership; False if it is no longer active or `dues_item` was paid meanwhile."""

    def change(m):
        if dues_item is not None and DuesItem.objects.get(pk=dues_item.pk).is_paid:
            raise WorkflowError(_("The dues were paid meanwhile."))

    def notify(m):
        email_unit(m.organisation, _("Your membership has lapsed"), "members/email/membership_lapsed.txt",
                   {"membership": m, "reason": reason})

    try:
        MEMBERSHIPS.transition(membership, "lapse", user=None, note=reason, change=change, notify=notify,
                               when=moment(today), data={"reason": reason, "on": today.isoformat()})
    except WorkflowError:
        return False
    return True


def lapse_for_inactivity(*, membership: Membership, today: datetime.date) -> bool:
    """The job lapses an active membership without activity for a year; False if activity was recorded meanwhile."""
    from .activity import inactivity_lapse_on, last_activity

    the_rules = rules()
    reason = _("No association activity for %(days)s days.") % {"days": the_rules.inactivity_days}

    def change(m):
        activity = last_activity([m.organisation_id], today=today).get(m.organisation_id)
        if today <= inactivity_lapse_on(m, activity, the_rules):
            raise WorkflowError(_("Activity was recorded meanwhile."))

    def notify(m):
        email_unit(m.organisation, _("Your membership has lapsed"), "members/email/membership_lapsed.txt",
                   {"membership": m, "reason": reason})

    try:
        MEMBERSHIPS.transition(membership, "lapse_inactive", user=None, note=reason, change=change, notify=notify,
                               when=moment(today), data={"reason": reason, "on": today.isoformat()})
    except WorkflowError:
        return False
    return True


def reinstate_membership(*, membership: Membership, user, note: str = "", request=None, today=None) -> Membership:
    """The secretariat reverses a lapse once the arrears are paid; dues are billed again from this dues year."""
    today = today or timezone.localdate()
    the_rules = rules()

    def change(m):
        m.reinstated_on = today  # billed again from this dues year; not for the years spent lapsed

    def notify(m):
        email_unit(m.organisation, _("Your membership has been reinstated"),
                   "members/email/membership_reinstated.txt", {"membership": m})

    with transaction.atomic():
        m = MEMBERSHIPS.transition(membership, "reinstate", user=user, request=request, note=note, change=change,
                                   notify=notify, when=moment(today), data={"note": note})
        ensure_dues_items(membership=m, today=today, the_rules=the_rules)
    return m
