"""Every membership step, one function each, by concept (pretalx's `domain/` layout).

Each function takes keyword-only arguments and takes its step through the process tables in
`members.workflows` (permission, recusal, row lock, state, guard, history, audit, emails after
commit). Errors a user can fix raise `portal.core.workflow.WorkflowError`; the wrong role raises
`PermissionDenied`; another unit's record is `NotFound`.

- `applications`: the unit drafts and submits; reviewers return it;
- `council`: council resolutions (quorum, majority): admission (membership, number, first dues), expulsion;
- `dues`: dues items, payments and receipts, tier changes;
- `lapse`: lapse (dues unpaid, no activity for a year) and reinstatement;
- `activity`: recorded participation (attended events, activities recorded by hand);
- `leaving`: withdrawal notices, expulsion, the certificate's return;
- `jobs`: the daily job (tier changes, billing, reminders, lapses);
- `documents`: receipts and member certificates, archived at issue;
- `organisation`: a firm user registers its unit.
"""

from .activity import activity_watch, last_activity
from .applications import return_application, save_application_draft, submit_application
from .common import current_membership_for, open_application_for, rules
from .council import (
    admit,
    allocate_member_number,
    allocate_resolution_number,
    record_admission_resolution,
    record_resolution,
)
from .documents import certificate_bytes, current_certificate, receipt_bytes, reissue_certificate
from .dues import (
    allocate_receipt_number,
    apply_tier_change,
    arrears_of,
    change_tier,
    dues_amount,
    dues_overview,
    ensure_dues_items,
    record_payment,
)
from .jobs import run_membership_jobs
from .lapse import lapse_for_inactivity, lapse_membership, reinstate_membership
from .leaving import confirm_withdrawal, expel_member, record_certificate_return, request_withdrawal
from .organisation import register_organisation

__all__ = [
    "certificate_bytes", "current_certificate", "receipt_bytes", "reissue_certificate",
    "activity_watch", "admit", "allocate_member_number", "allocate_receipt_number", "allocate_resolution_number",
    "apply_tier_change", "arrears_of", "change_tier", "confirm_withdrawal", "current_membership_for", "dues_amount",
    "dues_overview", "ensure_dues_items", "expel_member", "lapse_for_inactivity", "lapse_membership", "last_activity",
    "open_application_for", "record_admission_resolution", "record_certificate_return", "record_payment",
    "record_resolution", "register_organisation", "reinstate_membership", "request_withdrawal",
    "return_application", "rules", "run_membership_jobs",
    "save_application_draft", "submit_application",
]
