"""The programme's worklists on the admin dashboard (issue #14.10): each role lands on what it can act on now.

- the agency: applications awaiting its preliminary review, and those in creation awaiting its report;
- an expert: its score sheets still to do, by deadline (with the application's number), apart from those done;
- the secretariat: review rounds awaiting experts and rounds whose scores are complete, awaiting the decision.

Rows come from the tables (`portal.core.worklists.actionable`): a row is offered only when the object's page
would offer the step.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts.roles import Role, has_role
from portal.core.worklists import WorklistPanel, WorkRow, WorkSection, actionable

from . import access
from .models import ExpertAssignment, ReviewRound, ScoreSheet
from .workflows import APPLICATIONS, ASSIGNMENTS, ROUNDS

A = ExpertAssignment.Status
NUMBER = _("Application number")
UNIT = pgettext_lazy("showcase", "Applying unit")


def _date(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d}" if isinstance(value, datetime.datetime) else (
        f"{value:%Y-%m-%d}" if value else "—")


def agency_panel(user) -> WorklistPanel:
    applications = access.staff_applications(user).select_related("campaign").order_by("submitted_at", "pk")
    today = timezone.localdate()
    preliminary = []
    for application in actionable(APPLICATIONS, user, applications, "pass_preliminary"):
        due = timezone.localtime(application.submitted_at) + datetime.timedelta(
            days=application.campaign.preliminary_review_days)
        preliminary.append(WorkRow(reverse("showcase_admin:application", args=[application.pk]), [
            application.number, application.unit_name, _date(application.submitted_at), _date(due)],
            overdue=due.date() < today))
    reports = [WorkRow(reverse("showcase_admin:application", args=[a.pk]), [a.number, a.unit_name,
                                                                            _date(a.submitted_at)])
               for a in actionable(APPLICATIONS, user, applications, "report")]
    return WorklistPanel("showcase-agency", _("Credit demonstration units: your work"), [
        WorkSection(_("Awaiting preliminary review"), [NUMBER, UNIT, _("Submitted on"), _("Review due by")],
                    preliminary, empty=_("No application is waiting for the preliminary review."),
                    more_url=reverse("showcase_applications:index") + "?status=submitted",
                    more_label=pgettext_lazy("showcase", "All applications")),
        WorkSection(_("In creation: awaiting the creation evaluation report"), [NUMBER, UNIT, _("Submitted on")],
                    reports, empty=_("No application is in the creation phase.")),
    ], order=90)


def expert_panel(user) -> WorklistPanel:
    assignments = (ExpertAssignment.objects.filter(expert=user).exclude(status__in=[A.REMOVED, A.CONFLICT])
                   .select_related("round__application", "sheet").order_by("round__scoring_deadline", "pk"))
    today = timezone.localdate()
    open_rows, done_rows = [], []
    for assignment in assignments:
        review_round, sheet = assignment.round, getattr(assignment, "sheet", None)
        application = review_round.application
        if sheet is not None and sheet.status == ScoreSheet.Status.SUBMITTED:
            done_rows.append((sheet.submitted_at, WorkRow(
                reverse("showcase_admin:score", args=[assignment.pk]),
                [application.number, application.unit_name, review_round.get_kind_display(),
                 f"{sheet.total:g}" if sheet.total is not None else "—", _date(sheet.submitted_at)])))
            continue
        if review_round.is_decided:
            continue
        if ASSIGNMENTS.allows(user, assignment, "no_conflict"):
            url, state = reverse("showcase_admin:declare", args=[assignment.pk]), _("Declare conflicts first")
        else:
            url = reverse("showcase_admin:score", args=[assignment.pk])
            state = _("Draft saved") if sheet is not None else _("Not started")
        deadline = review_round.scoring_deadline
        open_rows.append(WorkRow(url, [application.number, application.unit_name, review_round.get_kind_display(),
                                       _date(deadline), state], overdue=bool(deadline and deadline < today)))
    done_rows.sort(key=lambda pair: pair[0], reverse=True)
    return WorklistPanel("showcase-expert", _("Credit demonstration units: your scoring"), [
        WorkSection(_("Awaiting your scores"), [NUMBER, UNIT, _("Review"), _("Scoring deadline"), pgettext_lazy("showcase", "Your status")],
                    open_rows, empty=_("Nothing is waiting for your scores."),
                    more_url=reverse("showcase_admin:my_assignments"), more_label=_("My review assignments")),
        WorkSection(pgettext_lazy("showcase", "Submitted"), [NUMBER, UNIT, _("Review"), _("Total"), _("Submitted at")],
                    [row for _when, row in done_rows[:10]], empty=_("You have not submitted a score sheet yet.")),
    ], order=90)


def secretariat_panel(user) -> WorklistPanel:
    rounds = (ReviewRound.objects.filter(application__in=access.staff_applications(user))
              .select_related("application", "standard").order_by("opened_at", "pk")
              .annotate(active=Count("assignments", filter=Q(assignments__status__in=ExpertAssignment.ACTIVE_STATUSES)),
                        submitted=Count("assignments", filter=Q(
                            assignments__status__in=ExpertAssignment.ACTIVE_STATUSES,
                            assignments__sheet__status=ScoreSheet.Status.SUBMITTED))))
    to_staff, to_decide = [], []
    for review_round in actionable(ROUNDS, user, rounds, "assign", "decide"):
        application = review_round.application
        url = reverse("showcase_admin:application", args=[application.pk])
        if review_round.active == 0:
            to_staff.append(WorkRow(url, [application.number, application.unit_name, review_round.get_kind_display(),
                                          _date(review_round.opened_at)]))
        elif review_round.submitted == review_round.active and review_round.active >= review_round.standard.min_experts:
            to_decide.append(WorkRow(url, [application.number, application.unit_name, review_round.get_kind_display(),
                                           str(review_round.submitted)]))
    return WorklistPanel("showcase-secretariat", _("Credit demonstration units: awaiting the secretariat"), [
        WorkSection(_("Awaiting review experts"), [NUMBER, UNIT, _("Review"), _("Report received")], to_staff,
                    empty=_("Every open review has its experts.")),
        WorkSection(_("Scores complete: awaiting the acceptance decision"),
                    [NUMBER, UNIT, _("Review"), _("Score sheets")], to_decide,
                    empty=_("No review is waiting for a decision."),
                    more_url=reverse("showcase_admin:dashboard"), more_label=_("Programme pipeline")),
    ], order=90)


def panels_for(request) -> list[WorklistPanel]:
    user = request.user
    found = []
    if has_role(user, Role.SECRETARIAT):
        found.append(secretariat_panel(user))
    if has_role(user, Role.AGENCY):
        found.append(agency_panel(user))
    if has_role(user, Role.EXPERT):
        found.append(expert_panel(user))
    return found
