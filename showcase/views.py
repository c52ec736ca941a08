"""Public programme page and the applicant's pages (thin: the workflow is in `domain`)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from portal.accounts.roles import firm_required
from portal.core.idempotency import ALREADY_SUBMITTED, submit_once
from portal.core.pdf import pdf_response
from portal.core.uploads import serve_private_file
from portal.core.workflow_views import run_step, show_form_errors
from portal.organisations.models import organisation_for

from . import access, domain
from .documents import commitment_pdf
from .eligibility import completeness_problems, eligibility_problems, start_problems, submission_problems
from .forms import ApplicationForm, CommitmentForm, EvidenceForm
from .models import (
    Application,
    Campaign,
    EvidenceFile,
    ReviewRound,
    Standard,
    StandardGroup,
    StandardItem,
    SubmittedForm,
    items_of,
    rules,
)
from .results import applicant_result
from .workflows import APPLICATIONS


def _groups_with_items(standard):
    return (
        StandardGroup.objects.filter(standard=standard)
        .prefetch_related(Prefetch("items", queryset=StandardItem.objects.order_by("sort_order", "code")))
        .order_by("number")
    )


def programme(request):
    """The public page: principles, eligibility, stages, the standard and the current campaign."""
    campaign = Campaign.current()
    standard = campaign.standard if campaign else Standard.objects.order_by("-created_at").first()
    context = {
        "campaign": campaign,
        "standard": standard,
        "groups": _groups_with_items(standard) if standard else [],
        "levels": list(standard.levels.all()) if standard else [],
        "past_campaigns": Campaign.objects.exclude(pk=getattr(campaign, "pk", None)).order_by("-year")[:5],
        "ban_years": rules().ban_years,
    }
    if request.user.is_authenticated:
        context["own_open"] = access.firm_applications(request.user).filter(
            status__in=Application.OPEN_STATUSES).first()
    return render(request, "showcase/programme.html", context)


def _said_once(request, outcome, success) -> None:
    """A create form's result: the success message, or that the form had already been sent (double click)."""
    if outcome.duplicate:
        messages.info(request, ALREADY_SUBMITTED)
    else:
        messages.success(request, success)


def _actions(request, application) -> set[str]:
    """The steps the unit may take on its application now (from the table: no status checks here)."""
    return APPLICATIONS.action_names(request.user, application)


@firm_required
def apply(request):
    campaign = Campaign.current()
    organisation = organisation_for(request.user)
    if request.method == "POST" and campaign and organisation:
        outcome = run_step(request, submit_once, request,
                           lambda: domain.create_application(campaign=campaign, user=request.user, request=request),
                           url_of=lambda application: reverse("showcase:edit", args=[application.pk]))
        if outcome:
            _said_once(request, outcome, _("Your draft application was created. Complete the form and the evidence."))
            return redirect(outcome.url)
    existing = access.firm_applications(request.user).filter(status__in=Application.OPEN_STATUSES).first()
    barred, problems = [], []
    if campaign and organisation:
        probe = Application(campaign=campaign, organisation=organisation, is_independent_legal_person=True)
        today = timezone.localdate()
        barred = start_problems(probe, today)
        problems = [p for p in eligibility_problems(probe, today) if p not in barred and p.code != "legal_person"]
    return render(request, "showcase/apply.html", {
        "campaign": campaign, "organisation": organisation, "existing": existing, "barred": barred,
        "problems": problems})


@firm_required
def my_applications(request):
    qs = access.firm_applications(request.user).select_related("campaign").order_by("-created_at")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "showcase/my_applications.html", {
        "page": page, "organisation": organisation_for(request.user), "campaign": Campaign.current()})


@firm_required
def application_detail(request, pk):
    application = access.firm_application_or_404(request.user, pk)
    actions = _actions(request, application)
    events = application.events.filter(public=True)
    assessments = application.assessments.prefetch_related("findings__item")
    decided_round = (application.rounds.exclude(result="").select_related("standard").order_by("-number").first()
                     if application.status in (Application.Status.ACCEPTED, Application.Status.NOT_ACCEPTED) else None)
    return render(request, "showcase/application_detail.html", {
        "application": application,
        "events": events,
        "assessments": assessments,
        "result": applicant_result(decided_round) if decided_round else None,
        "decided_round": decided_round,
        "stages": stage_progress(application),
        "actions": actions,
        "forms": application.submitted_forms.all(),
        "problems": completeness_problems(application) if "edit" in actions else [],
    })


STAGES = [
    ("apply", pgettext_lazy("showcase", "Application")),
    ("preliminary", _("Preliminary review")),
    ("creation", _("Creation")),
    ("acceptance", _("Acceptance review")),
    ("decision", pgettext_lazy("showcase", "Decision")),
]
STAGE_OF = {
    Application.Status.DRAFT: 0, Application.Status.RETURNED: 0, Application.Status.SUBMITTED: 1,
    Application.Status.REJECTED: 1, Application.Status.CREATION: 2, Application.Status.ACCEPTANCE: 3,
    Application.Status.ACCEPTED: 4, Application.Status.NOT_ACCEPTED: 4, Application.Status.WITHDRAWN: 0,
}


def stage_progress(application):
    current = STAGE_OF.get(application.status, 0)
    finished = application.status in (Application.Status.ACCEPTED, Application.Status.NOT_ACCEPTED,
                                      Application.Status.REJECTED, Application.Status.WITHDRAWN)
    return [{"label": label, "state": "done" if i < current or (finished and i == current) else
             ("current" if i == current else "todo")} for i, (_key, label) in enumerate(STAGES)]


@firm_required
def application_edit(request, pk):
    application = access.firm_application_or_404(request.user, pk)
    actions = _actions(request, application)
    if "edit" not in actions:
        messages.info(request, _("The application form can no longer be changed."))
        return redirect("showcase:detail", pk=pk)
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=application)
    if request.method == "POST" and form.is_valid():
        saved = run_step(request, domain.save_form, application=application, user=request.user, request=request,
                         fields={name: form.cleaned_data[name] for name in ApplicationForm.Meta.fields},
                         licence=form.cleaned_data.get("licence_upload"), success=_("Saved."))
        if saved:
            return redirect("showcase:edit" if "stay" in request.POST else "showcase:evidence", pk=pk)
    commitment_form = CommitmentForm(initial={
        "signer": application.commitment_signer or application.legal_representative,
        "signer_title": application.commitment_signer_title})
    return render(request, "showcase/application_edit.html", {
        "application": application, "form": form, "commitment_form": commitment_form, "actions": actions})


@firm_required
@require_POST
def commitment(request, pk):
    application = access.firm_application_or_404(request.user, pk)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        run_step(request, domain.accept_commitment, application=application, user=request.user, request=request,
                 signer=form.cleaned_data["signer"], signer_title=form.cleaned_data["signer_title"],
                 success=_("The credit commitment is signed."))
    else:
        show_form_errors(request, form)
    return redirect("showcase:edit", pk=pk)


@firm_required
def commitment_document(request, pk):
    application = access.firm_application_or_404(request.user, pk)
    return pdf_response(commitment_pdf(application), f"信用承诺书-{application.unit_name}.pdf")


def _upload(request, form, items, step, application, url_name):
    """One evidence file through `step`, taken once however often the form is posted; a redirect, or None."""
    item = next(i for i in items if i.pk == form.cleaned_data["item"])
    outcome = run_step(request, submit_once, request, lambda: step(
        application=application, item=item, user=request.user, request=request,
        upload=form.cleaned_data["file"], note=form.cleaned_data["note"]),
        url_of=lambda _evidence: reverse(url_name, args=[application.pk]))
    if outcome is None:
        return None
    _said_once(request, outcome, _("File added to item %(code)s.") % {"code": item.code})
    return redirect(outcome.url)


@firm_required
def evidence(request, pk):
    application = access.firm_application_or_404(request.user, pk)
    items = items_of(application.campaign.standard)
    form = EvidenceForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        if added := _upload(request, form, items, domain.add_evidence, application, "showcase:evidence"):
            return added
    files = defaultdict(list)
    for f in application.evidence.all():
        files[f.item_id].append(f)
    rows = [(item, files.get(item.pk, [])) for item in items]
    return render(request, "showcase/evidence.html", {
        "application": application, "form": form, "rows": rows, "actions": _actions(request, application),
        "public_credit": application.public_credit_records.first()})


@firm_required
def tracking_evidence(request, pk):
    """Before the title's re-review the unit updates its evidence, against the standard in force."""
    from .guards import tracking_open

    application = access.firm_application_or_404(request.user, pk)
    actions = _actions(request, application)
    standard = domain.applications.tracking_standard(application)
    items = items_of(standard)
    form = EvidenceForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        if added := _upload(request, form, items, domain.add_tracking_evidence, application,
                            "showcase:tracking_evidence"):
            return added
    files = defaultdict(list)
    for f in application.evidence.filter(purpose=EvidenceFile.Purpose.TRACKING, item__group__standard=standard):
        files[f.item_id].append(f)
    return render(request, "showcase/tracking_evidence.html", {
        "application": application, "form": form, "standard": standard, "actions": actions,
        "problems": tracking_open(application) if "add_tracking_evidence" in actions else [],
        "rows": [(item, files.get(item.pk, [])) for item in items]})


@firm_required
@require_POST
def evidence_delete(request, pk, evidence_pk):
    application = access.firm_application_or_404(request.user, pk)
    evidence = get_object_or_404(EvidenceFile, pk=evidence_pk, application=application)
    run_step(request, domain.remove_evidence, evidence=evidence, user=request.user, request=request,
             success=_("The file was removed."))
    return redirect("showcase:evidence", pk=pk)


@firm_required
def submit(request, pk):
    application = access.firm_application_or_404(request.user, pk)
    actions = _actions(request, application)
    if "submit" not in actions:
        return redirect("showcase:detail", pk=pk)
    if request.method == "POST":
        if run_step(request, domain.submit_application, application=application, user=request.user, request=request,
                    success=_("Your application was submitted. The agency will review it.")):
            return redirect("showcase:detail", pk=pk)
        return redirect("showcase:submit", pk=pk)
    problems = submission_problems(application)
    counts = dict(application.evidence.values_list("item_id").annotate(n=Count("pk")))
    items = [(i, counts.get(i.pk, 0)) for i in items_of(application.campaign.standard) if not i.entered_by_agency]
    return render(request, "showcase/submit.html", {
        "application": application, "problems": problems, "items": items, "actions": actions,
        "missing_evidence": [i for i, n in items if n == 0]})


@firm_required
@require_POST
def withdraw(request, pk):
    application = access.firm_application_or_404(request.user, pk)
    run_step(request, domain.withdraw_application, application=application, user=request.user, request=request,
             success=_("The application was withdrawn."))
    return redirect("showcase:detail", pk=pk)


# ---------------------------------------------------------------- private files (firm, agency, secretariat, experts)


def _readable_application_or_404(user, application):
    if not user.is_authenticated or not access.can_read_application(user, application):
        raise Http404


@login_required
def application_file(request, pk, kind):
    application = get_object_or_404(Application.objects.select_related("campaign"), pk=pk)
    _readable_application_or_404(request.user, application)
    if kind == "licence":
        return serve_private_file(application.licence, download_name=application.licence_name or "licence")
    if kind == "form":
        form = application.latest_form
        if form is None:
            raise Http404
        return serve_private_file(form.pdf, download_name=form.download_name, inline=True)
    raise Http404


@login_required
def submitted_form(request, pk, version):
    """One archived version of the submitted 申报表 (every submission is kept)."""
    application = get_object_or_404(Application.objects.select_related("campaign"), pk=pk)
    _readable_application_or_404(request.user, application)
    form = get_object_or_404(SubmittedForm.objects.select_related("application"), application=application,
                             version=version)
    return serve_private_file(form.pdf, download_name=form.download_name, inline=True)


@login_required
def evidence_file(request, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("application__campaign"), pk=pk)
    _readable_application_or_404(request.user, evidence.application)
    return serve_private_file(evidence.file, download_name=evidence.original_name)


@login_required
def report_file(request, pk):
    review_round = get_object_or_404(ReviewRound.objects.select_related("application__campaign"), pk=pk)
    _readable_application_or_404(request.user, review_round.application)
    return serve_private_file(review_round.report, download_name=review_round.report_name, inline=True)
