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


def _lapse(membership: Membership, action: str, *, today: datetime.date, reason: str, still_due) -> bool:
    """The job's lapse step (`lapse` or `lapse_inactive`); `still_due(locked membership)` re-checks the rule
    under the lock and raises `WorkflowError` when the member put it right meanwhile. False if not lapsed."""

    def notify(m):
        email_unit(m.organisation, _("Your membership has lapsed"), "members/email/membership_lapsed.txt",
                   {"membership": m, "reason": reason})

    try:
        MEMBERSHIPS.transition(membership, action, user=None, note=reason, change=still_due, notify=notify,
                               when=moment(today), data={"reason": reason, "on": today.isoformat()})
    except WorkflowError:  # no longer active, or put right meanwhile
        return False
    return True


def lapse_membership(*, membership: Membership, today: datetime.date, reason: str,
                     dues_item: DuesItem | None = None) -> bool:
    """The job lapses an active membership whose dues are a year overdue (unless `dues_item` was paid meanwhile)."""

    def still_due(m):
        if dues_item is not None and DuesItem.objects.get(pk=dues_item.pk).is_paid:
            raise WorkflowError(_("The dues were paid meanwhile."))

    return _lapse(membership, "lapse", today=today, reason=reason, still_due=still_due)


def lapse_for_inactivity(*, membership: Membership, today: datetime.date) -> bool:
    """The job lapses an active membership without activity for a year (unless activity was recorded meanwhile)."""
    from .activity import inactivity_lapse_on, last_activity

    the_rules = rules()

    def still_due(m):
        activity = last_activity([m.organisation_id], today=today).get(m.organisation_id)
        if today <= inactivity_lapse_on(m, activity, the_rules):
            raise WorkflowError(_("Activity was recorded meanwhile."))

    reason = _("No association activity for %(days)s days.") % {"days": the_rules.inactivity_days}
    return _lapse(membership, "lapse_inactive", today=today, reason=reason, still_due=still_due)


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
