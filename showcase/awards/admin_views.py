"""Staff views in the Wagtail admin: notices, objections, titles (plaque, re-review, revocation), summary."""

import csv

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.roles import Role, has_role
from portal.accounts.roles import role_required as roles
from portal.core.admin_pages import render_admin_page
from portal.core.exports import safe_cell
from portal.core.uploads import serve_private_file
from portal.core.workflow_views import run_step, show_form_errors
from showcase import access as showcase_access
from showcase.domain import proposed_result
from showcase.guards import scoring_complete
from showcase.models import ExpertAssignment, ReviewRound, ScoreSheet
from showcase.workflows import APPLICATIONS, ROUNDS

from . import domain, summary
from .forms import DecideObjectionForm, NoticeForm, PlaqueForm, ReReviewDecisionForm, ReReviewForm, RevocationForm
from .guards import due_for_re_review
from .models import Notice, NoticeEntry, Objection, Revocation, SummaryReport, Title, TitleStatus, rules
from .workflows import OBJECTIONS, TITLES


def page(request, template, title, context, crumbs=()):
    return render_admin_page(request, template, title, context, crumbs=crumbs,
                             section=(reverse("awards_titles:index"), _("Demonstration unit titles")))


# ---------------------------------------------------------------- notices


@roles(Role.SECRETARIAT)
def notice_create(request):
    applications = domain.noticeable_applications().order_by("number")
    form = NoticeForm(request.POST or None, applications=applications)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            notice = run_step(request, domain.publish_notice, user=request.user, request=request, success=_("The notice is published."),
                         applications=data["applications"], title=data["title"], body=data["body"],
                         starts_at=data["starts_at"], ends_at=data["ends_at"])
            if notice:
                return redirect("awards_admin:notice", pk=notice.pk)
        else:
            show_form_errors(request, form)
    year = timezone.localdate().year
    if not form.is_bound:
        form.fields["title"].initial = _("Public notice of the %(year)s credit demonstration member units") % {
            "year": year}
    return page(request, "awards/admin/notice_form.html", _("Publish a notice"), {
        "form": form, "notice_days": rules().notice_days, "has_candidates": applications.exists()},
        [(reverse("awards_notices:index"), _("Public notices"))])


@roles(Role.SECRETARIAT)
def notice_detail(request, pk):
    notice = get_object_or_404(Notice, pk=pk)
    now = timezone.now()
    entries = list(notice.entries.select_related("title", "application").prefetch_related("objections"))
    for entry in entries:
        entry.state = domain.entry_state(entry, has_title=hasattr(entry, "title"),
                                         objection_statuses=[o.status for o in entry.objections.all()], now=now)
        entry.state_label = domain.ENTRY_STATE_LABELS[entry.state]
    return page(request, "awards/admin/notice_detail.html", notice.title, {
        "notice": notice, "entries": entries, "phase": notice.phase(now)},
        [(reverse("awards_notices:index"), _("Public notices"))])


@roles(Role.SECRETARIAT)
@require_POST
def award(request, pk):
    entry = get_object_or_404(NoticeEntry, pk=pk)
    run_step(request, domain.award_entry, user=request.user, request=request, success=_("The title is awarded."), entry=entry)
    return redirect("awards_admin:notice", pk=entry.notice_id)


# ---------------------------------------------------------------- objections


@roles(Role.SECRETARIAT)
def objection_detail(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("entry__notice", "decided_by"), pk=pk)
    form = DecideObjectionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            success = (_("The decision is recorded and the objector informed.") if objection.email else
                       _("The decision is recorded. The objector left only a phone number: call them."))
            if run_step(request, domain.decide_objection, user=request.user, request=request, success=success,
                   objection=objection, outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"]):
                return redirect("awards_admin:objection", pk=objection.pk)
        else:
            show_form_errors(request, form)
    allowed = OBJECTIONS.action_names(request.user, objection)
    return page(request, "awards/admin/objection_detail.html", objection.number, {
        "objection": objection, "form": form if allowed else None},
        [(reverse("awards_objections:index"), _("Objections"))])


@roles(Role.SECRETARIAT)
def objection_evidence(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    return serve_private_file(objection.evidence, download_name=objection.evidence_name)


# ---------------------------------------------------------------- titles


def staff_titles(user):
    qs = Title.objects.all()
    if has_role(user, Role.SECRETARIAT):
        return qs
    if has_role(user, Role.AGENCY):
        org_id = showcase_access.agency_organisation_id(user)
        return qs.filter(Q(application__campaign__agency__isnull=True) | Q(application__campaign__agency_id=org_id))
    return qs.none()


def _title_or_404(user, pk):
    try:
        return staff_titles(user).with_status().select_related("organisation", "application__campaign").get(pk=pk)
    except Title.DoesNotExist as exc:
        raise Http404 from exc


@roles(Role.SECRETARIAT, Role.AGENCY)
def title_detail(request, pk):
    title = _title_or_404(request.user, pk)
    is_secretariat = has_role(request.user, Role.SECRETARIAT)
    rounds = list(ReviewRound.objects.filter(application_id=title.application_id, kind=ReviewRound.Kind.RE_REVIEW)
                  .prefetch_related(Prefetch("assignments", queryset=ExpertAssignment.objects.filter(
                      status__in=ExpertAssignment.ACTIVE_STATUSES).select_related("sheet"))).order_by("number"))
    open_round = next((r for r in rounds if ROUNDS.allows(request.user, r, "decide")), None)
    if open_round:
        active = list(open_round.assignments.all())
        open_round.n_active = len(active)
        open_round.n_submitted = sum(1 for a in active if getattr(a, "sheet", None)
                                     and a.sheet.status == ScoreSheet.Status.SUBMITTED)
    actions = TITLES.action_names(request.user, title)
    can_re_review = "re_review" in actions and not due_for_re_review(title)
    revocation = Revocation.objects.filter(title=title).select_related("ban", "recorded_by").first()
    return page(request, "awards/admin/title_detail.html", f"{title.certificate_number} {title.unit_name}", {
        "title": title, "status_label": TitleStatus(title.status).label, "is_secretariat": is_secretariat,
        "rounds": rounds, "open_round": open_round, "outcomes": title.re_reviews.select_related("review_round"),
        "reminders": title.reminders.all(), "revocation": revocation,
        "plaque_form": PlaqueForm(initial={"issued_on": timezone.localdate()})
        if "plaque" in actions and not title.plaque_issued_on else None,
        "re_review_form": ReReviewForm() if can_re_review else None,
        "decision_form": ReReviewDecisionForm(initial={"decided_on": timezone.localdate()},
                                              proposed=proposed_result(open_round))
        if open_round and not scoring_complete(open_round) else None,
        "revocation_form": RevocationForm(initial={"revoked_on": timezone.localdate()})
        if "revoke" in actions else None,
    }, [(reverse("awards_titles:index"), _("Demonstration unit titles"))])


@roles(Role.SECRETARIAT)
@require_POST
def plaque(request, pk):
    title = _title_or_404(request.user, pk)
    form = PlaqueForm(request.POST)
    if form.is_valid():
        run_step(request, domain.record_plaque, user=request.user, request=request, success=_("The plaque is recorded as issued."), title=title,
            issued_on=form.cleaned_data["issued_on"], note=form.cleaned_data["note"])
    else:
        show_form_errors(request, form)
    return redirect("awards_admin:title", pk=title.pk)


@roles(Role.SECRETARIAT, Role.AGENCY)
@require_POST
def re_review(request, pk):
    title = _title_or_404(request.user, pk)
    form = ReReviewForm(request.POST, request.FILES)
    if form.is_valid():
        report = form.cleaned_data["report"]
        run_step(request, domain.start_re_review, user=request.user, request=request, success=_("The re-review is opened; the secretariat assigns the experts."),
            title=title, report=report, report_name=report.name, summary=form.cleaned_data["summary"])
    else:
        show_form_errors(request, form)
    return redirect("awards_admin:title", pk=title.pk)


@roles(Role.SECRETARIAT)
@require_POST
def re_review_decide(request, pk, round_pk):
    title = _title_or_404(request.user, pk)
    review_round = get_object_or_404(ReviewRound, pk=round_pk, application_id=title.application_id,
                                     kind=ReviewRound.Kind.RE_REVIEW)
    form = ReReviewDecisionForm(request.POST, proposed=proposed_result(review_round))
    if form.is_valid():
        run_step(request, domain.decide_re_review, user=request.user, request=request, success=_("The re-review decision is recorded."), review_round=review_round,
            result=form.cleaned_data["result"], decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["note"])
    else:
        show_form_errors(request, form)
    return redirect("awards_admin:title", pk=title.pk)


@roles(Role.SECRETARIAT)
@require_POST
def revoke(request, pk):
    title = _title_or_404(request.user, pk)
    form = RevocationForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        run_step(request, domain.revoke, user=request.user, request=request, success=_("The title is revoked, the announcement published and the ban recorded."),
            application=title.application, ground=data["ground"], facts=data["facts"],
            revoked_on=data["revoked_on"], evidence=data["evidence"], announcement=data["announcement"])
    else:
        show_form_errors(request, form)
    return redirect("awards_admin:title", pk=title.pk)


def _exclusion(request, application, *, back_url, back_label):
    """Exclusion of a unit without a title (责令退出): same grounds, announcement and ban; the application ends."""
    if Title.objects.filter(application_id=application.pk).exists():
        return redirect("awards_admin:title", pk=application.title.pk)
    form = RevocationForm(request.POST or None, request.FILES or None, initial={"revoked_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if run_step(request, domain.revoke, user=request.user, request=request, application=application,
                        ground=data["ground"], facts=data["facts"], revoked_on=data["revoked_on"],
                        evidence=data["evidence"], announcement=data["announcement"],
                        success=_("The unit is excluded, the announcement published and the ban recorded.")):
                return redirect(back_url)
        else:
            show_form_errors(request, form)
    unit = application.unit_name
    return page(request, "awards/admin/exclude.html", _("Exclude %(unit)s") % {"unit": unit}, {
        "unit": unit, "form": form, "already": Revocation.objects.filter(application_id=application.pk).first(),
        "can_exclude": APPLICATIONS.allows(request.user, application, "exclude"), "ban_years": rules().ban_years},
        [(back_url, back_label)])


@roles(Role.SECRETARIAT)
def exclude(request, pk):
    """Exclusion of a unit in a notice (e.g. after an upheld objection)."""
    entry = get_object_or_404(NoticeEntry.objects.select_related("application", "notice"), pk=pk)
    return _exclusion(request, entry.application, back_url=reverse("awards_admin:notice", args=[entry.notice_id]),
                      back_label=entry.notice.title)


@roles(Role.SECRETARIAT)
def exclude_application(request, pk):
    """Exclusion of a unit whose application is still in progress (e.g. fraud found during creation)."""
    application = showcase_access.staff_application_or_404(request.user, pk)
    return _exclusion(request, application, back_url=reverse("showcase_admin:application", args=[pk]),
                      back_label=f"{application.number or ''} {application.unit_name}")


@roles(Role.SECRETARIAT)
def certificate(request, pk):
    return redirect("awards:certificate", pk=_title_or_404(request.user, pk).pk)


# ---------------------------------------------------------------- revocations and the dishonesty export


@roles(Role.SECRETARIAT)
def revocation_list(request):
    page_obj = Paginator(Revocation.objects.select_related("ban", "title").order_by("-revoked_on"), 25).get_page(
        request.GET.get("page"))
    return page(request, "awards/admin/revocation_list.html", _("Revocations"), {"page_obj": page_obj})


@roles(Role.SECRETARIAT)
def revocation_evidence(request, pk):
    revocation = get_object_or_404(Revocation, pk=pk)
    return serve_private_file(revocation.evidence, download_name=revocation.evidence_name)


DISHONESTY_HEADER = ["单位名称", "统一社会信用代码", "取消认定情形", "认定日期", "禁入截止日期", "证书编号", "事实"]


def dishonesty_rows():
    """Rows for the provincial platform, always in Chinese whatever the staff member's language."""
    with translation.override("zh-hans"):
        for r in Revocation.objects.select_related("ban", "title").order_by("revoked_on", "pk"):
            yield [r.unit_name, r.credit_code, str(r.get_ground_display()), r.revoked_on.isoformat(),
                   r.ban.ends_on.isoformat(), r.title.certificate_number if r.title else "", r.facts]


@roles(Role.SECRETARIAT)
def dishonesty_csv(request):
    """Dishonesty records for reporting to the provincial public credit platform (UTF-8 with BOM for Excel)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dishonesty-records.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(DISHONESTY_HEADER)
    for row in dishonesty_rows():
        writer.writerow([safe_cell(c) for c in row])
    return response


# ---------------------------------------------------------------- annual summary


def _year(request):
    years = summary.years()
    raw = request.GET.get("year") or request.POST.get("year") or ""
    year = int(raw) if raw.isdigit() else (years[0] if years else timezone.localdate().year)
    return year, years


@roles(Role.SECRETARIAT)
def summary_view(request):
    year, years = _year(request)
    data = summary.compute(year)
    report = SummaryReport.objects.filter(year=year).first()
    return page(request, "awards/admin/summary.html", _("Annual summary %(year)s") % {"year": year}, {
        "year": year, "years": years, "s": data, "report": report,
        "charts": summary.charts(data)})


@roles(Role.SECRETARIAT)
def summary_xlsx(request):
    year, _years = _year(request)
    response = HttpResponse(summary.to_xlsx(summary.compute(year)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="showcase-summary-{year}.xlsx"'
    return response


@roles(Role.SECRETARIAT)
@require_POST
def summary_pdf(request):
    year, _years = _year(request)
    publish = request.POST.get("publish") == "1"
    run_step(request, summary.save_report, user=request.user, request=request, success=_("The report is published.") if publish else _("The report is generated."),
        year=year, publish=publish)
    return redirect(reverse("awards_admin:summary") + f"?year={year}")
