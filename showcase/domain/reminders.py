"""The scheduled reminder to experts before their scoring deadline (a due job)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.workflow import WorkflowError

from ..models import ExpertAssignment, ScoreSheet
from ..workflows import ASSIGNMENTS
from . import notify


class _AlreadyReminded(WorkflowError):
    pass


def send_scoring_reminders(*, today: datetime.date, dry_run: bool = False):
    """Remind experts whose sheet is not submitted `campaign.reminder_days` before the scoring deadline (once)."""
    candidates = (
        ExpertAssignment.objects.filter(
            status__in=ExpertAssignment.ACTIVE_STATUSES, reminded_at__isnull=True,
            round__result="", round__scoring_deadline__gte=today,
        )
        .exclude(sheet__status=ScoreSheet.Status.SUBMITTED)
        .select_related("round__application__campaign", "expert")
    )
    due = [a for a in candidates
           if a.round.scoring_deadline - datetime.timedelta(days=a.round.application.campaign.reminder_days) <= today]
    for candidate in due:
        if dry_run:
            yield f"would remind {candidate.expert.email} ({candidate.round})"
            continue

        def change(current):
            if current.reminded_at is not None:  # another server sent it
                raise _AlreadyReminded("")
            current.reminded_at = timezone.now()

        def email(current, candidate=candidate):
            notify.send(notify.users(candidate.expert), _("Reminder: scoring deadline %(date)s") % {
                "date": candidate.round.scoring_deadline.isoformat()}, "showcase/email/reminder.txt",
                assignment=candidate, review_round=candidate.round)

        try:
            ASSIGNMENTS.transition(candidate, "remind", user=None, change=change, notify=email)
        except _AlreadyReminded:
            continue
        yield f"reminded {candidate.expert.email} ({candidate.round})"
