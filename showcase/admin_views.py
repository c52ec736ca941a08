"""Staff views in the Wagtail admin: pipeline, application detail with actions, experts, scoring."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from portal.accounts.roles import Role
from portal.accounts.roles import role_required as roles
from portal.core.admin_pages import render_admin_page
from portal.core.workflow import NEW
from portal.core.workflow_views import run_step, show_form_errors
from portal.organisations.membership import active_member_ids

from . import access, domain
from .forms import (
    AssignExpertsForm,
    ConflictForm,
    DecisionForm,
    PreliminaryReviewForm,
    PublicCreditForm,
    ReasonForm,
    ReportForm,
    ScoreSheetForm,
    StageAssessmentForm,
)
from .guards import scoring_complete
from .models import (
    Application,
    Campaign,
    EvidenceFile,
    ExpertAssignment,
    RatingLevel,
    ReviewRound,
    ScoreSheet,
    Standard,
    StandardGroup,
    StandardItem,
    items_of,
)
from .results import panel_result
from .workflows import APPLICATIONS, ASSIGNMENTS, ROUNDS, SHEETS

S = Application.Status
A = ExpertAssignment.Status


def page(request, template, title, context, crumbs=()):
    return render_admin_page(request, template, title, context, crumbs=crumbs,
                             section=(reverse("showcase_admin:dashboard"), _("Credit demonstration units")))


# ---------------------------------------------------------------- dashboard and lists


@roles(Role.SECRETARIAT, Role.AGENCY)
def dashboard(request):
    apps = access.staff_applications(request.user)
    campaigns = list(Campaign.objects.order_by("-year"))
    counts = defaultdict(dict)
    for row in apps.values("campaign_id", "status").annotate(n=Count("pk")):
        counts[row["campaign_id"]][row["status"]] = row["n"]
    statuses = [s for s in S if s != S.DRAFT]
    drafts = dict(Application.objects.filter(status=S.DRAFT).values_list("campaign_id").annotate(n=Count("pk")))
    table = [{"campaign": c, "drafts": drafts.get(c.pk, 0),
              "cells": [(s, counts[c.pk].get(s, 0)) for s in statuses],
              "total": sum(counts[c.pk].values())} for c in campaigns]
    now = timezone.now()
    today = timezone.localdate()
    overdue_review = [a for a in apps.filter(status=S.SUBMITTED).select_related("campaign").order_by("submitted_at")
                      if a.submitted_at + datetime.timedelta(days=a.campaign.preliminary_review_days) < now]
    open_rounds = ReviewRound.objects.filter(result="", application__in=apps).select_related("application").annotate(
        active=Count("assignments", filter=Q(assignments__status__in=ExpertAssignment.ACTIVE_STATUSES)),
        submitted=Count("assignments", filter=Q(assignments__status__in=ExpertAssignment.ACTIVE_STATUSES,
                                                assignments__sheet__status=ScoreSheet.Status.SUBMITTED)),
    ).order_by("opened_at")
    rounds = list(open_rounds)
    return page(request, "showcase/admin/dashboard.html", _("Programme pipeline"), {
        "table": table, "statuses": statuses, "overdue_review": overdue_review,
        "awaiting_experts": [r for r in rounds if r.active == 0],
        "overdue_scoring": [r for r in rounds if r.active and r.scoring_deadline and r.scoring_deadline < today
                            and r.submitted < r.active],
        "awaiting_decision": [r for r in rounds if r.active and r.submitted == r.active],
        "is_secretariat": access.is_secretariat(request.user),
    })


@roles(Role.SECRETARIAT, Role.AGENCY)
def application_detail(request, pk):
    """The application with the steps the tables allow this user now (buttons and forms come from them)."""
    application = access.staff_application_or_404(request.user, pk)
    user = request.user
    is_secretariat = access.is_secretariat(user)
    actions = APPLICATIONS.action_names(user, application)
    items = items_of(application.campaign.standard)
    files = defaultdict(list)
    for f in application.evidence.all():  # both purposes: tracking files belong to the newer standard's items
        files[f.item_id].append(f)
    rounds = list(application.rounds.select_related("standard").prefetch_related(
        Prefetch("assignments", queryset=ExpertAssignment.objects.select_related("expert", "sheet"))))
    round_views = []
    for r in rounds:
        allowed = ROUNDS.action_names(user, r)
        for a in r.assignments.all():
            sheet = getattr(a, "sheet", None)
            a.can_reopen = "assign" in allowed and sheet is not None and SHEETS.allows(user, sheet, "reopen")
            a.can_remove = ASSIGNMENTS.allows(user, a, "remove") and not a.can_reopen
        round_views.append({
            "round": r, "result": panel_result(r, with_experts=is_secretariat),
            "evidence": list(r.evidence.select_related("item")) if r.kind == ReviewRound.Kind.RE_REVIEW else [],
            "assign_form": AssignExpertsForm(review_round=r) if "assign" in allowed else None,
            "decision_form": DecisionForm(proposed=domain.proposed_result(r))
            if "decide" in allowed and not scoring_complete(r) else None,
        })
    context = {
        "application": application, "items": items,
        "evidence_rows": [(i, files.get(i.pk, [])) for i in items],
        "events": application.events.select_related("actor"),
        "assessments": application.assessments.prefetch_related("findings__item").select_related("created_by"),
        "public_credit": application.public_credit_records.select_related("entered_by"),
        "rounds": round_views, "is_secretariat": is_secretariat,
        "is_member_now": application.organisation_id in active_member_ids([application.organisation_id]),
    }
    outcomes = [o for o, action in PreliminaryReviewForm.ACTIONS.items() if action in actions]
    if outcomes:
        context["preliminary_form"] = PreliminaryReviewForm(outcomes=outcomes)
        context["preliminary_outcomes"] = outcomes
    if "assess" in actions:
        context["assessment_url"] = reverse("showcase_admin:assessment", args=[application.pk])
    if "enter_public_credit" in actions:
        context["public_credit_form"] = PublicCreditForm()
    if "report" in actions:
        context["report_form"] = ReportForm()
    context["can_exclude"] = "exclude" in actions
    return page(request, "showcase/admin/application_detail.html",
                f"{application.number or ''} {application.unit_name}", context,
                [(reverse("showcase_applications:index"), pgettext("showcase", "Applications"))])


# ---------------------------------------------------------------- agency actions

PRELIMINARY_STEPS = {
    "pass": (domain.pass_preliminary_review, "message",
             gettext_lazy("Preliminary review passed: the creation phase starts.")),
    "return": (domain.return_for_completion, "missing", gettext_lazy("Returned to the unit for completion.")),
    "reject": (domain.reject_application, "reason", pgettext_lazy("showcase", "The application was rejected.")),
}


@roles(Role.AGENCY)
@require_POST
def preliminary_review(request, pk):
    application = access.staff_application_or_404(request.user, pk)
    form = PreliminaryReviewForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        outcome = form.cleaned_data["outcome"]
        step, text_argument, success = PRELIMINARY_STEPS[outcome]
        extra = {"not_credit_agency": form.cleaned_data["not_credit_agency"]} if outcome == "pass" else {}
        run_step(request, step, user=request.user, request=request, success=success, application=application,
                 **{text_argument: form.cleaned_data["text"]}, **extra)
    return redirect("showcase_admin:application", pk=pk)


@roles(Role.AGENCY)
def stage_assessment(request, pk):
    application = access.staff_application_or_404(request.user, pk)
    if not access.is_agency_for(request.user, application.campaign):
        raise Http404
    items = items_of(application.campaign.standard)
    form = StageAssessmentForm(request.POST or None, items=items)
    if request.method == "POST":
        if form.is_valid():
            if run_step(request, domain.record_stage_assessment, user=request.user, request=request, success=_("Stage assessment recorded."), application=application,
                   assessed_on=form.cleaned_data["assessed_on"], advice=form.cleaned_data["advice"],
                   findings=form.findings()):
                return redirect("showcase_admin:application", pk=pk)
    files = defaultdict(list)
    for f in application.evidence.all():
        files[f.item_id].append(f)
    return page(request, "showcase/admin/assessment.html", _("Stage assessment"), {
        "application": application, "form": form, "can_assess": APPLICATIONS.allows(request.user, application, "assess"),
        "rows": [(field, item, files.get(item.pk, [])) for field, item in zip(form.finding_fields(), items, strict=True)],
    }, [(reverse("showcase_applications:index"), pgettext("showcase", "Applications")),
        (reverse("showcase_admin:application", args=[pk]), application.unit_name)])


@roles(Role.AGENCY)
@require_POST
def public_credit(request, pk):
    application = access.staff_application_or_404(request.user, pk)
    form = PublicCreditForm(request.POST)
    if form.is_valid():
        run_step(request, domain.enter_public_credit_record, user=request.user, request=request, success=_("Public credit record entered."), application=application,
            result=form.cleaned_data["result"], looked_up_on=form.cleaned_data["looked_up_on"])
    else:
        show_form_errors(request, form)
    return redirect("showcase_admin:application", pk=pk)


@roles(Role.AGENCY)
@require_POST
def evaluation_report(request, pk):
    application = access.staff_application_or_404(request.user, pk)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["report"]
        run_step(request, domain.submit_evaluation_report, user=request.user, request=request, success=_("Report uploaded: the application moves to the acceptance review."),
            application=application, report=upload, report_name=upload.name, summary=form.cleaned_data["summary"])
    else:
        show_form_errors(request, form)
    return redirect("showcase_admin:application", pk=pk)


# ---------------------------------------------------------------- secretariat actions


def _round_or_404(user, pk):
    review_round = get_object_or_404(ReviewRound.objects.select_related("application"), pk=pk)
    access.staff_application_or_404(user, review_round.application_id)
    return review_round


@roles(Role.SECRETARIAT)
@require_POST
def assign(request, pk):
    review_round = _round_or_404(request.user, pk)
    form = AssignExpertsForm(request.POST, review_round=review_round)
    if form.is_valid():
        run_step(request, domain.assign_experts, user=request.user, request=request, success=_("Experts assigned; they have been notified by email."),
            review_round=review_round, experts=form.cleaned_data["experts"],
            scoring_deadline=form.cleaned_data["scoring_deadline"])
    else:
        show_form_errors(request, form)
    return redirect("showcase_admin:application", pk=review_round.application_id)


@roles(Role.SECRETARIAT)
@require_POST
def remove_assignment(request, pk):
    assignment = get_object_or_404(ExpertAssignment.objects.select_related("round"), pk=pk)
    _round_or_404(request.user, assignment.round_id)
    run_step(request, domain.remove_assignment, user=request.user, request=request, success=_("The expert was removed from this review."), assignment=assignment)
    return redirect("showcase_admin:application", pk=assignment.round.application_id)


@roles(Role.SECRETARIAT)
@require_POST
def reopen_sheet(request, pk):
    sheet = get_object_or_404(ScoreSheet.objects.select_related("assignment__round"), pk=pk)
    _round_or_404(request.user, sheet.assignment.round_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        run_step(request, domain.reopen_score_sheet, user=request.user, request=request, success=_("The score sheet was reopened."), sheet=sheet,
            reason=form.cleaned_data["reason"])
    else:
        show_form_errors(request, form)
    return redirect("showcase_admin:application", pk=sheet.assignment.round.application_id)


@roles(Role.SECRETARIAT)
@require_POST
def decide(request, pk):
    review_round = _round_or_404(request.user, pk)
    form = DecisionForm(request.POST, proposed=domain.proposed_result(review_round))
    if form.is_valid():
        run_step(request, domain.record_decision, user=request.user, request=request, success=_("Decision recorded."), review_round=review_round,
            result=form.cleaned_data["result"], decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["note"])
    else:
        show_form_errors(request, form)
    return redirect("showcase_admin:application", pk=review_round.application_id)


@roles(Role.SECRETARIAT)
def workload(request):
    User = get_user_model()
    today = timezone.localdate()
    active = Q(showcase_assignments__status__in=ExpertAssignment.ACTIVE_STATUSES,
               showcase_assignments__round__result="")
    submitted = Q(showcase_assignments__sheet__status=ScoreSheet.Status.SUBMITTED)
    experts = (
        User.objects.filter(groups__name=str(Role.EXPERT)).distinct()
        .annotate(
            open_count=Count("showcase_assignments", filter=active & ~submitted, distinct=True),
            overdue_count=Count("showcase_assignments", filter=active & ~submitted
                                & Q(showcase_assignments__round__scoring_deadline__lt=today), distinct=True),
            submitted_count=Count("showcase_assignments", filter=submitted, distinct=True),
            conflict_count=Count("showcase_assignments", filter=Q(showcase_assignments__status=A.CONFLICT), distinct=True),
        )
        .order_by("-open_count", "display_name")
    )
    page_obj = Paginator(experts, 50).get_page(request.GET.get("page"))
    return page(request, "showcase/admin/workload.html", _("Expert workload"), {"page_obj": page_obj})


@roles(Role.SECRETARIAT)
@require_POST
def copy_standard(request, pk):
    standard = get_object_or_404(Standard, pk=pk)
    with transaction.atomic():
        copy = copy_standard_version(standard)
    messages.success(request, _("Copied to the new version “%(version)s”: edit it, then use it for a campaign.") % {
        "version": copy.version})
    return redirect("showcase_standard:edit", copy.pk)


def copy_standard_version(standard: Standard) -> Standard:
    """A deep, editable copy of a standard version (levels, groups, items)."""
    base = f"{standard.version}-副本"
    version, n = base, 1
    while Standard.objects.filter(version=version).exists():
        n += 1
        version = f"{base}{n}"
    copy = Standard.objects.create(version=version, title=standard.title, pass_threshold=standard.pass_threshold,
                                   min_experts=standard.min_experts, divergence_levels=standard.divergence_levels,
                                   notes=standard.notes, copied_from=standard)
    for level in standard.levels.all():
        RatingLevel.objects.create(standard=copy, name=level.name, fraction=level.fraction,
                                   comment_required=level.comment_required, sort_order=level.sort_order)
    for group in standard.groups.prefetch_related("items"):
        new_group = StandardGroup.objects.create(standard=copy, number=group.number, title=group.title)
        for item in group.items.all():
            StandardItem.objects.create(group=new_group, code=item.code, title=item.title, evidence=item.evidence, weight=item.weight,
                                   is_veto=item.is_veto, entered_by_agency=item.entered_by_agency,
                                   sort_order=item.sort_order)
    return copy


# ---------------------------------------------------------------- experts


def _own_assignment_or_404(user, pk):
    try:
        return ExpertAssignment.objects.select_related(
            "round__application__campaign", "round__application__organisation", "round__standard", "sheet"
        ).get(pk=pk, expert=user)
    except ExpertAssignment.DoesNotExist as exc:
        raise Http404 from exc


@roles(Role.EXPERT)
def my_assignments(request):
    qs = (ExpertAssignment.objects.filter(expert=request.user).exclude(status=A.REMOVED)
          .select_related("round__application", "sheet").order_by("round__result", "round__scoring_deadline", "pk"))
    page_obj = Paginator(qs, 25).get_page(request.GET.get("page"))
    return page(request, "showcase/admin/my_assignments.html", _("My review assignments"), {
        "page_obj": page_obj, "today": timezone.localdate()})


def _may_score(user, assignment) -> bool:
    """The score sheet is open to this expert (declared without conflict): asked of the sheets' table."""
    sheet = getattr(assignment, "sheet", None) or ScoreSheet(assignment_id=assignment.pk)
    return SHEETS.visible(user, sheet)


@roles(Role.EXPERT)
def declare(request, pk):
    assignment = _own_assignment_or_404(request.user, pk)
    if not ASSIGNMENTS.allows(request.user, assignment, "no_conflict"):
        if _may_score(request.user, assignment):
            return redirect("showcase_admin:score", pk=pk)
        raise Http404
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        has_conflict = form.cleaned_data["answer"] == "yes"
        done = run_step(request, domain.declare_conflict, user=request.user, request=request, assignment=assignment,
                        has_conflict=has_conflict, note=form.cleaned_data["note"])
        if done and has_conflict:
            messages.info(request, _("Thank you. You have been unassigned from this application; the secretariat is informed."))
            return redirect("showcase_admin:my_assignments")
        if done:
            return redirect("showcase_admin:score", pk=pk)
    return page(request, "showcase/admin/declare.html", _("Conflict of interest declaration"), {
        "assignment": assignment, "application": assignment.round.application, "form": form},
        [(reverse("showcase_admin:my_assignments"), _("My review assignments"))])


def _next_assignment(user, after):
    """The next assignment still to score (declared or not), after the given one."""
    qs = (ExpertAssignment.objects.filter(expert=user, status__in=ExpertAssignment.ACTIVE_STATUSES, round__result="")
          .exclude(pk=after.pk).exclude(sheet__status=ScoreSheet.Status.SUBMITTED)
          .order_by("round__scoring_deadline", "pk"))
    return qs.first()


@roles(Role.EXPERT)
def score(request, pk):
    assignment = _own_assignment_or_404(request.user, pk)
    if ASSIGNMENTS.allows(request.user, assignment, "no_conflict"):
        return redirect("showcase_admin:declare", pk=pk)
    if not _may_score(request.user, assignment):
        raise Http404
    review_round = assignment.round
    application = review_round.application
    standard = review_round.standard
    items = items_of(standard)
    levels = list(standard.levels.all())
    sheet = getattr(assignment, "sheet", None)
    ratings = {r.item_id: r for r in sheet.ratings.all()} if sheet else {}
    can_save = SHEETS.allows(request.user, sheet, "save") if sheet else SHEETS.allows(
        request.user, ScoreSheet(assignment_id=assignment.pk, status=NEW), "start")
    locked = not can_save or review_round.is_decided
    form = ScoreSheetForm(request.POST or None, items=items, levels=levels, ratings=ratings, disabled=locked,
                          initial={"overall_comment": sheet.overall_comment if sheet else ""})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        submit = action in ("submit", "submit_next")
        saved = run_step(request, domain.save_score_sheet, user=request.user, request=request,
                         success=_("Score sheet submitted.") if submit else _("Draft saved."),
                         assignment=assignment, ratings=form.ratings(),
                         overall_comment=form.cleaned_data["overall_comment"], submit=submit)
        if saved and action == "submit_next":
            following = _next_assignment(request.user, assignment)
            if following:
                return redirect("showcase_admin:score", pk=following.pk)
            messages.info(request, _("No more applications are waiting for your scores."))
            return redirect("showcase_admin:my_assignments")
        return redirect("showcase_admin:score", pk=pk)
    files = defaultdict(list)
    # an acceptance review examines the application's evidence; a re-review the evidence updated for it
    evidence = (EvidenceFile.objects.filter(round=review_round) if review_round.kind == ReviewRound.Kind.RE_REVIEW
                else EvidenceFile.objects.filter(application=application, purpose=EvidenceFile.Purpose.APPLICATION))
    for f in evidence.only("pk", "item_id", "original_name", "note", "uploaded_at"):
        files[f.item_id].append(f)
    rows = [(item, level_field, comment_field, files.get(item.pk, []))
            for item, level_field, comment_field in form.rows()]
    context = {
        "assignment": assignment, "application": application, "review_round": review_round, "form": form,
        "rows": rows, "locked": locked, "sheet": sheet, "levels": levels, "standard": standard,
        "public_credit": application.public_credit_records.first(),
        "assessments": application.assessments.all(),
    }
    if sheet is not None and sheet.submitted_at:
        # Only after submitting their own sheet does an expert see the panel's (anonymous) aggregate.
        context["panel"] = panel_result(review_round, with_experts=False)
    return page(request, "showcase/admin/score.html",
                _("Scoring: %(unit)s") % {"unit": application.unit_name}, context,
                [(reverse("showcase_admin:my_assignments"), _("My review assignments"))])
