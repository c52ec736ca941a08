"""Guards of the programme's tables (`showcase.workflows`): the rules a step must meet, as lists of problems.

Each guard's first docstring line is shown in the README's process tables.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.accounts.roles import Role, has_role
from portal.organisations.models import organisation_for

from .eligibility import review_problems, start_problems, submission_problems
from .models import ExpertAssignment, Rating, ScoreSheet, StandardItem


def may_start(application) -> list:
    """The unit may start an application now (the start rules of the eligibility)."""
    return start_problems(application, timezone.localdate())


def still_eligible(application) -> list:
    """The unit still meets the conditions (ban, credit service agency, Zhejiang, three years, legal person)."""
    return review_problems(application, timezone.localdate())


TRACKING_HOOK = "showcase_tracking_open"  # fn(application) -> problems (the titles answer: is the title due?)


def tracking_open(application) -> list:
    """The title is due for its tracking evaluation (expiring, expired, or under re-review before scoring)."""
    answers = [list(answer(application) or ()) for answer in hooks.get_hooks(TRACKING_HOOK)]
    if not answers:
        return [_("The unit holds no title to re-review.")]
    return [problem for problems in answers for problem in problems]


def ready_to_submit(application) -> list:
    """Eligible and complete (form, commitment, licence)."""
    return submission_problems(application)


def public_credit_still_open(application) -> list:
    """Until experts start scoring."""
    if Rating.objects.filter(sheet__assignment__round__application=application).exists():
        return [_("Experts have started scoring; the public credit record can no longer change.")]
    return []


def public_credit_entered(application) -> list:
    """The public credit record (item 3.2) is entered."""
    needs = StandardItem.objects.filter(group__standard_id=application.campaign.standard_id,
                                        entered_by_agency=True).exists()
    if needs and not application.public_credit_records.exists():
        return [_("Enter the public credit record (item 3.2) before issuing the report.")]
    return []


def scoring_complete(review_round) -> list:
    """Every assigned expert has submitted, and at least the standard's minimum number."""
    active = review_round.assignments.filter(status__in=ExpertAssignment.ACTIVE_STATUSES)
    if active.exclude(sheet__status=ScoreSheet.Status.SUBMITTED).exists():
        return [_("Some assigned experts have not submitted their score sheets yet.")]
    if active.count() < review_round.standard.min_experts:
        return [_("At least %(n)s experts must have scored before a decision.") % {
            "n": review_round.standard.min_experts}]
    return []


def may_be_assigned(assignment) -> list:
    """The person is an expert of the panel who does not act for the applying unit; the round is undecided."""
    problems = round_undecided(assignment)
    expert = assignment.expert
    if not has_role(expert, Role.EXPERT):
        problems.append(_("%(name)s is not an expert of the panel.") % {"name": expert})
    organisation = organisation_for(expert)
    if organisation is not None and organisation.pk == assignment.round.application.organisation_id:
        problems.append(_("%(name)s acts for this unit and is recused from its review.") % {"name": expert})
    return problems


def may_be_removed(assignment) -> list:
    """No submitted score sheet; the round is undecided."""
    problems = round_undecided(assignment)
    if ScoreSheet.objects.filter(assignment=assignment, status=ScoreSheet.Status.SUBMITTED).exists():
        problems.append(_("The expert has submitted a score sheet; reopen it first."))
    return problems


def round_undecided(obj) -> list:
    """The review round is not decided yet."""
    review_round = obj.assignment.round if hasattr(obj, "assignment_id") else obj.round
    if review_round.is_decided:
        return [_("The decision for this round is already recorded.")]
    return []

