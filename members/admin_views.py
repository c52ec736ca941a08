"""Wagtail admin views for the council and the secretariat: applications, memberships, reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role, role_required
from portal.core.pdf import pdf_response
from portal.core.uploads import serve_private_file
from portal.core.workflow_views import run_step

from . import domain, reports
from .forms import (
    CertificateReturnForm,
    ConfirmWithdrawalForm,
    DecisionForm,
    ExpulsionForm,
    PaymentForm,
    ReinstateForm,
    TierChangeForm,
)
from .models import (
    DuesItem,
    Expulsion,
    Membership,
    MembershipApplication,
    MembershipRules,
    MembershipTier,
    Payment,
    WithdrawalRequest,
)
from .pdfs import certificate_pdf, receipt_pdf
from .workflows import APPLICATIONS

STAFF = (Role.COUNCIL, Role.SECRETARIAT)
PAGE_SIZE = 25


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return page, query.urlencode()


# --------------------------------------------------------------------------- applications


@role_required(*STAFF)
def applications_index(request):
    qs = MembershipApplication.objects.select_related("organisation", "tier").exclude(
        status=MembershipApplication.Status.DRAFT
    )
    status = request.GET.get("status", "submitted")
    if status in MembershipApplication.Status.values:
        qs = qs.filter(status=status)
    tier = request.GET.get("tier", "")
    if tier.isdigit():
        qs = qs.filter(tier_id=int(tier))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(organisation__credit_code__iexact=q))
    page, query = _page(request, qs.order_by("submitted_at", "pk"))
    statuses = [(v, label) for v, label in MembershipApplication.Status.choices if v != "draft"]
    return render(request, "members/admin/applications_index.html", {
        "page_title": _("Membership applications"), "header_icon": "form", "page_obj": page, "query": query,
        "statuses": statuses, "status": status, "tiers": MembershipTier.objects.all(), "tier": tier, "q": q,
    })


@role_required(*STAFF)
def application_detail(request, pk):
    application = get_object_or_404(
        MembershipApplication.objects.select_related("organisation", "tier", "decided_by"), pk=pk
    )
    if application.status == MembershipApplication.Status.DRAFT:
        raise Http404  # drafts belong to the firm until submitted
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        if decision == "approve":
            membership = run_step(request, domain.approve_application, application=application, user=request.user,
                                  request=request)
            if membership:
                messages.success(request, _("Approved: member number %(number)s.") % {"number": membership.member_number})
        elif decision == "reject":
            run_step(request, domain.reject_application, application=application, user=request.user, reason=note,
                     request=request, success=_("The application was rejected."))
        else:
            run_step(request, domain.return_application, application=application, user=request.user, message=note,
                     request=request, success=_("The application was returned to the applicant."))
        return redirect("members_admin:application", pk=application.pk)
    other = application.organisation.applications.exclude(pk=application.pk).select_related("tier")
    return render(request, "members/admin/application_detail.html", {
        "page_title": _("Application: %(name)s") % {"name": application.organisation.name}, "header_icon": "form",
        "application": application, "organisation": application.organisation, "form": form,
        "actions": APPLICATIONS.action_names(request.user, application), "other_applications": other,
    })


# --------------------------------------------------------------------------- memberships


@role_required(*STAFF)
def memberships_index(request):
    qs = Membership.objects.select_related("organisation", "tier")
    status = request.GET.get("status", "")
    if status in Membership.Status.values:
        qs = qs.filter(status=status)
    tier = request.GET.get("tier", "")
    if tier.isdigit():
        qs = qs.filter(tier_id=int(tier))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(member_number__iexact=q))
    page, query = _page(request, qs.order_by("member_number"))
    ids = [m.pk for m in page.object_list]
    owed = dict(
        DuesItem.objects.filter(membership_id__in=ids).values("membership_id")
        .annotate(total=Sum("amount") - Sum("paid")).values_list("membership_id", "total")
    )
    for m in page.object_list:
        m.owed = owed.get(m.pk) or 0
    return render(request, "members/admin/memberships_index.html", {
        "page_title": _("Members"), "header_icon": "group", "page_obj": page, "query": query,
        "statuses": Membership.Status.choices, "status": status, "tiers": MembershipTier.objects.all(),
        "tier": tier, "q": q,
    })


def _membership_forms(membership, *, action=None, data=None, files=None) -> dict:
    """The detail page's forms; only the posted one (`action`) is bound."""

    def bound(name):
        return {"data": data, "files": files} if action == name else {}

    return {
        "payment_form": PaymentForm(membership=membership, prefix="pay", **bound("payment")),
        "tier_form": TierChangeForm(prefix="tier", initial={"tier": membership.next_tier_id or membership.tier_id},
                                    **bound("tier")),
        "reinstate_form": ReinstateForm(prefix="re", **bound("reinstate")),
        "withdrawal_form": ConfirmWithdrawalForm(prefix="wd", **bound("confirm_withdrawal")),
        "return_form": CertificateReturnForm(prefix="cr", initial={"returned_on": timezone.localdate()},
                                             **bound("certificate_return")),
        "expulsion_form": ExpulsionForm(prefix="ex", **bound("expel")),
    }


@role_required(*STAFF)
def membership_detail(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "tier", "next_tier", "application"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _membership_forms(membership, action=action, data=request.POST, files=request.FILES)
    if action:
        done = _membership_action(request, membership, action, forms)
        if done:
            return redirect("members_admin:membership", pk=membership.pk)
        if done is None:
            messages.error(request, _("Please correct the errors below."))
    withdrawal = membership.withdrawals.filter(status=WithdrawalRequest.Status.PENDING).first()
    return render(request, "members/admin/membership_detail.html", {
        "page_title": f"{membership.member_number} {membership.organisation.name}", "header_icon": "group",
        "membership": membership, "organisation": membership.organisation,
        "dues_items": domain.dues_overview(membership), "events": membership.events.select_related("by"),
        "withdrawals": membership.withdrawals.all(), "pending_withdrawal": withdrawal,
        "expulsion": Expulsion.objects.filter(membership=membership).first(),
        "arrears": domain.arrears_of(membership, today=timezone.localdate()),
        "is_secretariat": has_role(request.user, Role.SECRETARIAT), "is_council": has_role(request.user, Role.COUNCIL),
        **forms,
    })


def _membership_action(request, membership, action, forms):
    """Run one posted action; True when done, None when the form is invalid."""
    user = request.user
    if action == "payment":
        form = forms["payment_form"]
        if not form.is_valid():
            return None
        payment = run_step(
            request, domain.record_payment,
            dues_item=form.cleaned_data["dues_item"], user=user, amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"], method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"], request=request,
        )
        if payment:
            messages.success(request, _("Payment recorded: receipt %(number)s.") % {"number": payment.receipt_number})
    elif action == "tier":
        form = forms["tier_form"]
        if not form.is_valid():
            return None
        m = run_step(request, domain.change_tier, membership=membership, tier=form.cleaned_data["tier"], user=user,
                     request=request)
        if m:
            messages.success(request, _("Tier change recorded (applies from dues year %(year)s).")
                             % {"year": m.next_tier_from_year or "—"})
    elif action == "reinstate":
        form = forms["reinstate_form"]
        if not form.is_valid():
            return None
        run_step(request, domain.reinstate_membership, membership=membership, user=user,
                 note=form.cleaned_data["note"], request=request, success=_("The membership was reinstated."))
    elif action == "confirm_withdrawal":
        form = forms["withdrawal_form"]
        withdrawal = membership.withdrawals.filter(status=WithdrawalRequest.Status.PENDING).first()
        if withdrawal is None:
            messages.error(request, _("There is no withdrawal notice to confirm."))
            return True
        if not form.is_valid():
            return None
        run_step(request, domain.confirm_withdrawal, withdrawal=withdrawal, user=user,
                 certificate_returned_on=form.cleaned_data["certificate_returned_on"], request=request,
                 success=_("The withdrawal was confirmed."))
    elif action == "certificate_return":
        form = forms["return_form"]
        if not form.is_valid():
            return None
        run_step(request, domain.record_certificate_return, membership=membership, user=user,
                 returned_on=form.cleaned_data["returned_on"], request=request,
                 success=_("The certificate's return was recorded."))
    elif action == "expel":
        form = forms["expulsion_form"]
        if not has_role(user, Role.COUNCIL):
            raise PermissionDenied
        if not form.is_valid():
            return None
        data = form.cleaned_data
        run_step(
            request, domain.expel_member,
            membership=membership, user=user, meeting_date=data["meeting_date"], votes_for=data["votes_for"],
            votes_against=data["votes_against"], votes_abstaining=data["votes_abstaining"] or 0, reason=data["reason"],
            minutes=data["minutes"], minutes_name=data["minutes"].name, request=request,
            success=_("The expulsion was recorded."),
        )
    else:
        raise Http404
    return True


@role_required(*STAFF)
def membership_certificate(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "tier"), pk=pk)
    return pdf_response(certificate_pdf(membership), f"会员证-{membership.member_number}.pdf")


@role_required(*STAFF)
def payment_receipt(request, pk):
    payment = get_object_or_404(
        Payment.objects.select_related("dues_item__tier", "dues_item__membership__organisation"), pk=pk
    )
    return pdf_response(receipt_pdf(payment), f"收据-{payment.receipt_number}.pdf")


@role_required(*STAFF)
def withdrawal_letter(request, pk):
    withdrawal = get_object_or_404(WithdrawalRequest, pk=pk)
    return serve_private_file(withdrawal.letter, download_name=withdrawal.letter_name, inline=True)


@role_required(*STAFF)
def expulsion_minutes(request, pk):
    expulsion = get_object_or_404(Expulsion, pk=pk)
    return serve_private_file(expulsion.minutes, download_name=expulsion.minutes_name, inline=True)


# --------------------------------------------------------------------------- reports


@role_required(*STAFF)
def reports_view(request):
    today = timezone.localdate()
    the_rules = MembershipRules.load()
    dues = reports.dues_frame(today=today, the_rules=the_rules)
    members = reports.members_frame(today=today)
    export = request.GET.get("export", "")
    if export:
        return _export(export, dues, members, today)
    totals = reports.dues_totals(dues)
    by_tier = reports.pivot(members, index="year", columns="tier", values="members")
    by_region = reports.pivot(members, index="year", columns="region", values="members")
    return render(request, "members/admin/reports.html", {
        "page_title": _("Membership reports"), "header_icon": "table",
        "dues_rows": dues.to_dict("records"), "totals": totals.to_dict("records"),
        "by_tier": _table(by_tier), "by_region": _table(by_region), "chart": reports.bar_chart(totals.head(6).to_dict("records")),
        "today": today,
    })


def _table(frame) -> dict:
    if frame.empty:
        return {}
    return {"columns": [str(c) for c in frame.columns],
            "rows": [(index, [int(v) for v in row]) for index, row in zip(frame.index, frame.values.tolist(), strict=True)]}


def _export(kind: str, dues, members, today) -> HttpResponse:
    from django.utils.http import content_disposition_header

    dues_table = reports.labelled(dues, reports.DUES_LABELS)
    members_table = reports.labelled(members, reports.MEMBER_LABELS)
    stamp = today.strftime("%Y%m%d")
    if kind == "dues.csv":
        data, name, ctype = reports.to_csv(dues_table), f"会费报表-{stamp}.csv", "text/csv; charset=utf-8"
    elif kind == "members.csv":
        data, name, ctype = reports.to_csv(members_table), f"会员统计-{stamp}.csv", "text/csv; charset=utf-8"
    elif kind == "xlsx":
        data = reports.to_xlsx({_("Dues"): dues_table, _("Members"): members_table})
        name = f"会员与会费报表-{stamp}.xlsx"
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@role_required(*STAFF)
def inactive_view(request):
    today = timezone.localdate()
    the_rules = MembershipRules.load()
    qs, recorded = domain.inactive_memberships(today=today, the_rules=the_rules)
    page, query = _page(request, qs)
    return render(request, "members/admin/inactive.html", {
        "page_title": _("Members without activity"), "header_icon": "warning", "page_obj": page, "query": query,
        "recorded": recorded, "days": the_rules.inactivity_days,
    })
