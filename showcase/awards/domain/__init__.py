"""The titles' steps (programme stages 5–8), one module per concept; state changes go through
`showcase.awards.workflows`.

- `notices`: publishing a public notice; the job that opens and closes notices and awards units;
- `objections`: objections filed by the public and the secretariat's decisions;
- `titles`: the award, the plaque, re-review and renewal, expiry reminders;
- `revocation`: revocation of a title or exclusion from the programme, with the announcement and the ban.

Errors: `portal.core.workflow.WorkflowError`, `NotFound`, Django's `PermissionDenied`. Scheduled steps
take `now`/`today` so that they can be run for any day and tested to the minute.
"""

from portal.organisations.models import organisation_for

from ..models import Title, title_status
from .notices import (
    ENTRY_STATE_LABELS,
    default_end,
    entry_state,
    noticeable_applications,
    process_notices,
    publish_notice,
    to_minute,
)
from .objections import (
    check_objection_limits,
    confirm_objection,
    decide_objection,
    objection_number,
    submit_objection,
)
from .revocation import default_announcement, revoke
from .titles import (
    acceptance_round,
    apply_re_review_outcome,
    award_entry,
    certificate_number,
    decide_re_review,
    record_plaque,
    send_expiry_reminders,
    start_re_review,
    status_of,
    term_for,
)


def firm_titles(user):
    organisation = organisation_for(user)
    if organisation is None:
        return Title.objects.none()
    return Title.objects.filter(organisation=organisation)


__all__ = [
    "ENTRY_STATE_LABELS", "acceptance_round", "apply_re_review_outcome", "award_entry",
    "certificate_number", "check_objection_limits", "confirm_objection", "decide_objection", "decide_re_review", "default_announcement", "default_end",
    "entry_state", "firm_titles", "noticeable_applications", "objection_number", "process_notices",
    "publish_notice", "record_plaque", "revoke", "send_expiry_reminders", "start_re_review", "status_of",
    "submit_objection", "term_for", "title_status", "to_minute",
]
