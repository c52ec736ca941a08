"""The review panel's steps: the secretariat assigns experts and records decisions; experts declare conflicts
of interest and score. Tables: `ROUNDS`, `ASSIGNMENTS`, `SHEETS` in `showcase.workflows`."""

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.core.workflow import WorkflowError

from ..eligibility import Problem
from ..models import (
    Application,
    ApplicationEvent,
    ExpertAssignment,
    Rating,
    RatingLevel,
    ReviewRound,
    ScoreSheet,
    items_of,
)
from ..workflows import APPLICATIONS, ASSIGNMENTS, ROUNDS, SHEETS
from . import notify

A = ExpertAssignment.Status
ROUND_DECIDED_HOOK = "showcase_round_decided"  # fn(review_round, *, user, request) after a decision, in its transaction


def assign_experts(*, review_round: ReviewRound, user, experts: Iterable, scoring_deadline: datetime.date,
                   request=None) -> list[ExpertAssignment]:
    """Assign experts (the round must end up with at least the standard's minimum) and set the deadline."""
    experts = list(experts)
    if scoring_deadline < timezone.localdate():
        raise WorkflowError(_("The scoring deadline cannot be in the past."))
    created = []

    def change(current):
        existing = {a.expert_id: a for a in current.assignments.all()}
        conflicted = [e for e in experts if e.pk in existing and existing[e.pk].status == A.CONFLICT]
        if conflicted:
            raise WorkflowError(_("%(name)s declared a conflict of interest for this application.") % {
                "name": conflicted[0]})
        active = {pk for pk, a in existing.items() if a.is_active}
        new = [e for e in experts if e.pk not in active]
        if len(active) + len(new) < current.standard.min_experts:
            raise WorkflowError(_("Assign at least %(n)s experts (the standard's minimum).") % {
                "n": current.standard.min_experts})
        for expert in new:
            if expert.pk in existing:  # previously removed: assign again
                def again(assignment):
                    assignment.assigned_by, assignment.assigned_at, assignment.declared_at = user, timezone.now(), None
                    assignment.reminded_at = None

                created.append(ASSIGNMENTS.transition(existing[expert.pk], "reassign", user=user, request=request,
                                                      change=again))
            else:
                created.append(ASSIGNMENTS.create(ExpertAssignment(round=current, expert=expert, assigned_by=user),
                                                  "assign", user=user, request=request, data={"expert": expert.pk}))
        if current.scoring_deadline != scoring_deadline:  # a new deadline earns a new reminder
            current.assignments.filter(status__in=ExpertAssignment.ACTIVE_STATUSES).update(reminded_at=None)
        current.scoring_deadline = scoring_deadline

    def emails(current):
        for assignment in created:
            notify.send(notify.users(assignment.expert), _("Assignment: acceptance review of %(unit)s") % {
                "unit": current.application.unit_name}, "showcase/email/assigned.txt", assignment=assignment,
                review_round=current, deadline=scoring_deadline)

    ROUNDS.transition(
        review_round, "assign", user=user, request=request, change=change, notify=emails,
        note=_("The review panel examines the application (scoring deadline %(date)s).") % {
            "date": scoring_deadline.isoformat()},
        data={"experts": [e.pk for e in experts], "deadline": scoring_deadline.isoformat()},
    )
    return created


def remove_assignment(*, assignment: ExpertAssignment, user, request=None) -> ExpertAssignment:
    return ASSIGNMENTS.transition(assignment, "remove", user=user, request=request,
                                  data={"expert": assignment.expert_id})


def declare_conflict(*, assignment: ExpertAssignment, user, has_conflict: bool, note: str = "",
                     request=None) -> ExpertAssignment:
    """The expert declares (before seeing anything) whether a conflict of interest exists; a conflict unassigns."""
    note = note.strip()
    if has_conflict and not note:
        raise WorkflowError(_("Describe the conflict of interest briefly."))

    def change(current):
        current.declared_at = timezone.now()
        current.conflict_note = note

    def emails(current):
        if has_conflict:
            notify.send(notify.secretariat(), _("Conflict of interest declared: %(unit)s") % {
                "unit": current.round.application.unit_name}, "showcase/email/conflict.txt", assignment=current)

    return ASSIGNMENTS.transition(assignment, "conflict" if has_conflict else "no_conflict", user=user,
                                  request=request, note=note, change=change, notify=emails)


def _checked_ratings(review_round, ratings, submit: bool):
    """{item id: (level or None, comment)} validated against the round's standard (problems when submitting)."""
    items = {i.pk: i for i in items_of(review_round.standard)}
    levels = {lv.pk: lv for lv in RatingLevel.objects.filter(standard=review_round.standard)}
    clean = {}
    for item_id, (level_id, comment) in ratings.items():
        item = items.get(int(item_id))
        if item is None:
            raise WorkflowError(_("Unknown item."))
        level = levels.get(int(level_id)) if level_id else None
        if level_id and level is None:
            raise WorkflowError(_("Unknown rating."))
        clean[item.pk] = (level, (comment or "").strip())
    if submit:
        problems = []
        for item in items.values():
            level, comment = clean.get(item.pk, (None, ""))
            if level is None:
                problems.append(Problem(f"rate_{item.pk}", _("Rate item %(code)s.") % {"code": item.code}))
            elif level.comment_required and not comment:
                problems.append(Problem(f"comment_{item.pk}", _(
                    "Item %(code)s: a comment is required when the rating is below full marks.") % {"code": item.code}))
        if problems:
            raise WorkflowError(_("The score sheet is not complete."), problems)
    return items, clean


def _write_ratings(sheet, clean) -> None:
    existing = {r.item_id: r for r in sheet.ratings.all()}
    to_create, to_update, to_delete = [], [], []
    for item_id, (level, comment) in clean.items():
        current = existing.get(item_id)
        if level is None:
            if current:
                to_delete.append(current.pk)
        elif current is None:
            to_create.append(Rating(sheet=sheet, item_id=item_id, level=level, comment=comment))
        elif current.level_id != level.pk or current.comment != comment:
            current.level, current.comment = level, comment
            to_update.append(current)
    Rating.objects.filter(pk__in=to_delete).delete()
    Rating.objects.bulk_create(to_create)
    Rating.objects.bulk_update(to_update, ["level", "comment"])


def save_score_sheet(*, assignment: ExpertAssignment, user, ratings: Mapping[int, tuple[int | None, str]],
                     overall_comment: str = "", submit: bool = False, request=None) -> ScoreSheet:
    """Save the expert's ratings ({item id: (level id or None, comment)}); with `submit`, validate and lock."""
    with transaction.atomic():
        # the assignment row serialises the first save (which creates the sheet) of concurrent requests
        assignment = ExpertAssignment.objects.select_for_update().select_related(
            "round__standard", "round__application").get(pk=assignment.pk)
        sheet = ScoreSheet.objects.filter(assignment=assignment).first()
        if sheet is None:
            sheet = SHEETS.create(ScoreSheet(assignment=assignment), "start", user=user, request=request)

        def change(current):
            items, clean = _checked_ratings(assignment.round, ratings, submit)
            _write_ratings(current, clean)
            current.overall_comment = overall_comment.strip()
            if submit:
                current.submitted_at = timezone.now()
                current.total = sum((items[i].weight * lv.fraction for i, (lv, _c) in clean.items() if lv), 0)

        def after(current):
            if submit:
                _after_sheet_submitted(assignment.round)

        return SHEETS.transition(sheet, "submit" if submit else "save", user=user, request=request, change=change,
                                 notify=after, data={"round": assignment.round_id})


def _after_sheet_submitted(review_round) -> None:
    statuses = list(review_round.assignments.filter(status__in=ExpertAssignment.ACTIVE_STATUSES)
                    .values_list("sheet__status", flat=True))
    if len(statuses) >= review_round.standard.min_experts and all(s == ScoreSheet.Status.SUBMITTED for s in statuses):
        ApplicationEvent.objects.create(application=review_round.application, kind=ApplicationEvent.Kind.SCORING_DONE)
        notify.send(notify.secretariat(), _("Scoring completed: %(unit)s") % {
            "unit": review_round.application.unit_name}, "showcase/email/scoring_done.txt", review_round=review_round)


def reopen_score_sheet(*, sheet: ScoreSheet, user, reason: str, request=None) -> ScoreSheet:
    """The secretariat reopens a submitted sheet (the panel disagrees with a score): recorded with its reason."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Give the reason for reopening the score sheet."))

    def change(current):
        current.submitted_at = None
        current.total = None
        current.reopen_count += 1

    def emails(current):
        notify.send(notify.users(current.assignment.expert), _("Your score sheet was reopened"),
                    "showcase/email/sheet_reopened.txt", sheet=current, reason=reason)

    return SHEETS.transition(sheet, "reopen", user=user, request=request, note=reason, change=change, notify=emails,
                             data={"reason": reason})


def proposed_result(review_round) -> str:
    """The result the standard's rule gives the round's submitted sheets (SPEC §4: at least `min_experts`
    scored, the mean reaches `pass_threshold`, no veto item fails)."""
    from ..scoring import aggregate_round

    aggregate = aggregate_round(review_round)
    return ReviewRound.Result.ACCEPTED if aggregate.proposed_pass else ReviewRound.Result.NOT_ACCEPTED


def record_decision(*, review_round: ReviewRound, user, decided_on: datetime.date, note: str = "",
                    result: str | None = None, request=None) -> ReviewRound:
    """The secretariat records the panel's decision and its date (the acceptance date starts the validity).

    The result follows the standard's rule; `result`, when given, must be that result. A panel that
    disagrees with a score reopens that expert's sheet (`reopen_score_sheet`, recorded with the reason);
    it never overrules the total.
    """
    from ..scoring import aggregate_round

    if result is not None and result not in ReviewRound.Result.values:
        raise WorkflowError(_("Choose accepted or not accepted."))
    if decided_on > timezone.localdate():
        raise WorkflowError(_("The decision date cannot be in the future."))
    note = note.strip()
    ruled = proposed_result(review_round)  # read before the lock for the timeline; checked again under it
    facts = {"result": ruled}

    def change(current):
        if decided_on < timezone.localtime(current.opened_at).date():
            raise WorkflowError(_("The decision date cannot be before the review opened."))
        aggregate = aggregate_round(current)
        now_ruled = ReviewRound.Result.ACCEPTED if aggregate.proposed_pass else ReviewRound.Result.NOT_ACCEPTED
        if result is not None and result != now_ruled:
            raise WorkflowError(_(
                "The decision follows the standard's rule, which gives “%(result)s”. If the panel disagrees with a "
                "score, reopen that expert's score sheet with the reason and let the expert score again.") % {
                "result": ReviewRound.Result(now_ruled).label})
        if now_ruled != ruled:  # a sheet changed meanwhile
            raise WorkflowError(_("The scores changed while you were deciding; look at them again."))
        current.result, current.decided_on, current.decided_by, current.decision_note = ruled, decided_on, user, note
        facts.update(mean=str(aggregate.mean_total), veto_failed=list(aggregate.veto_failed))
        if current.kind == ReviewRound.Kind.INITIAL:
            APPLICATIONS.transition(current.application, "accept" if ruled == ReviewRound.Result.ACCEPTED
                                    else "not_accept", user=user, request=request)

    def decided(current):
        """What follows from the decision happens now, in the same transaction, whichever page recorded it:
        the titles apply a re-review's outcome (renewal) through the hook `showcase_round_decided`."""
        for follow_up in hooks.get_hooks(ROUND_DECIDED_HOOK):
            follow_up(current, user=user, request=request)
        emails(current)

    def emails(current):
        application = Application.objects.get(pk=current.application_id)
        notify.send(notify.applicant(application), _("Application %(number)s: acceptance decision") % {
            "number": application.number}, "showcase/email/decided.txt", application=application,
            review_round=current)

    return ROUNDS.transition(
        review_round, "decide", user=user, request=request, change=change, notify=decided,
        note=_("%(result)s on %(date)s.") % {"result": ReviewRound.Result(ruled).label, "date": decided_on.isoformat()},
        data={"decided_on": decided_on.isoformat(), "rule": facts},
    )
