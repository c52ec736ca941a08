"""Guards of the titles' tables (`showcase.awards.workflows`): the rules a step must meet, as problems."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Objection, Revocation, Title, TitleStatus, rules

# Why an entry of a notice is not (yet) awarded: code → message for the secretariat.
HOLDUPS = {
    "already awarded": gettext_lazy("This unit has already been awarded."),
    "not awarded (objection upheld)": gettext_lazy("An objection against this unit was upheld: it is not awarded."),
    "held": gettext_lazy("An objection against this unit is still under investigation."),
    "excluded": gettext_lazy("This unit was excluded from the programme."),
    "notice not ended": gettext_lazy("The public notice has not ended yet."),
}


def award_holdup(entry, now) -> str | None:
    """What keeps a notice entry from its title at `now` (a key of HOLDUPS), or None."""
    if Title.objects.filter(Q(entry=entry) | Q(application_id=entry.application_id)).exists():
        return "already awarded"
    statuses = set(entry.objections.values_list("status", flat=True))
    if Objection.Status.UPHELD in statuses:
        return "not awarded (objection upheld)"
    if Objection.Status.OPEN in statuses:
        return "held"
    if Revocation.objects.filter(application_id=entry.application_id).exists():
        return "excluded"
    if entry.notice.ends_at > now:
        return "notice not ended"
    return None


def notice_publishable(notice) -> list:
    """The notice runs at least the configured number of days (L1353: 7)."""
    if notice.ends_at <= notice.starts_at:
        return [_("The notice must end after it starts.")]
    days = rules().notice_days
    if notice.ends_at - notice.starts_at < datetime.timedelta(days=days):
        return [_("The public notice must run for at least %(days)s days.") % {"days": days}]
    return []


def may_be_awarded(title) -> list:
    """The notice has ended; no objection is open or upheld; the unit is not excluded."""
    holdup = award_holdup(title.entry, title.awarded_at)
    return [HOLDUPS[holdup]] if holdup else []


def plaque_not_issued(title) -> list:
    """The plaque is recorded once."""
    if title.plaque_issued_on:
        return [_("The plaque has already been recorded as issued.")]
    return []


def due_for_re_review(title) -> list:
    """The title is expiring or expired, and no re-review is open."""
    status = title.status_on(timezone.localdate())
    if status == TitleStatus.RE_REVIEW:
        return [_("A re-review of this title is already open.")]
    if status == TitleStatus.VALID:
        return [_("The tracking evaluation is made when the title is about to expire (from %(days)s days before "
                  "%(end)s).") % {"days": rules().expiring_days(), "end": title.valid_until.isoformat()}]
    return []
