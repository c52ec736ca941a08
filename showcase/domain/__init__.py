"""The programme's steps, one module per concept; every state change goes through `showcase.workflows`.

- `applications`: the applicant (draft, form, commitment, evidence, submit, withdraw);
- `creation`: the agency (preliminary review, stage assessments, item 3.2, evaluation report);
- `panel`: the review panel (experts, conflicts of interest, score sheets, decisions);
- `reminders`: the scheduled reminder before the scoring deadline.

The titles (`showcase.awards`) build on this package and answer it through Wagtail hooks, so that nothing
here imports them: `showcase_standing_title` (may this unit apply? it holds a title, or an accepted
application awaits one), `showcase_tracking_open` (is its title due for the tracking evaluation?) and
`showcase_round_decided` (a decided re-review renews the title at once, whichever page recorded it).

Errors: `portal.core.workflow.WorkflowError` (shown to the user as is, with its problems), `NotFound`
(another unit's application, an unassigned expert) and Django's `PermissionDenied` (the wrong role).
"""

from .applications import (
    accept_commitment,
    add_evidence,
    add_tracking_evidence,
    create_application,
    remove_evidence,
    save_form,
    submit_application,
    withdraw_application,
)
from .creation import (
    enter_public_credit_record,
    open_review_round,
    pass_preliminary_review,
    record_stage_assessment,
    reject_application,
    return_for_completion,
    submit_evaluation_report,
)
from .panel import (
    assign_experts,
    declare_conflict,
    proposed_result,
    record_decision,
    remove_assignment,
    reopen_score_sheet,
    save_score_sheet,
)
from .reminders import send_scoring_reminders

__all__ = [
    "accept_commitment", "add_evidence", "add_tracking_evidence", "assign_experts", "create_application", "declare_conflict",
    "enter_public_credit_record", "open_review_round", "pass_preliminary_review", "proposed_result", "record_decision",
    "record_stage_assessment", "reject_application", "remove_assignment", "remove_evidence", "reopen_score_sheet",
    "return_for_completion", "save_form", "save_score_sheet", "send_scoring_reminders", "submit_application",
    "submit_evaluation_report", "withdraw_application",
]
