"""Memberships in the admin: list (filters, search, export) and an inspect page with the steps the tables
allow this user now: record a payment, change tier, reinstate, confirm a withdrawal, the certificate's
return. Every step is a `members.domain` call; nothing here checks a status."""

from django.contrib import messages
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.idempotency import ALREADY_SUBMITTED, submit_once
from portal.core.workflow_views import run_step

from .. import domain
from ..forms import (
    CertificateReturnForm,
    ConfirmWithdrawalForm,
    ExpulsionForm,
    PaymentForm,
    ReinstateForm,
    ReissueForm,
    TierChangeForm,
)
from ..models import DuesItem, Expulsion, Membership, WithdrawalRequest
from ..workflows import DUES, MEMBERSHIPS, WITHDRAWALS

M = Membership.Status
ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))


def with_owed(queryset):
    """Annotate what each membership still owes (all dues years), in the same query."""
    owed = (
        DuesItem.objects.filter(membership=OuterRef("pk")).values("membership")
        .annotate(total=Sum("amount") - Sum("paid")).values("total")
    )
    return queryset.annotate(owed=Coalesce(Subquery(owed, output_field=DecimalField(max_digits=12, decimal_places=2)),
                                           ZERO))


class MembershipIndexView(generic.IndexView):
    def get_base_queryset(self):
        return with_owed(Membership.objects.select_related("organisation", "tier"))


class MembershipInspectView(generic.InspectView):
    template_name = "members/admin/membership_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Membership.objects.select_related("organisation", "tier", "next_tier", "application"), pk=self.pk
        )

    def get_page_subtitle(self):
        return f"{self.object.member_number} {self.object.organisation.name}"

    # --------------------------------------------------------------------------- what this user may do

    def payable_items(self):
        user = self.request.user
        return [i for i in self.object.dues_items.order_by("year") if DUES.actions_for(user, i)]

    def pending_withdrawal(self):
        return self.object.withdrawals.filter(status=WithdrawalRequest.Status.PENDING).first()

    def bound_form(self, action):
        """The posted step's form, bound (any dues item of this membership: the domain decides)."""
        membership, data, files = self.object, self.request.POST, self.request.FILES
        if action == "payment":
            return PaymentForm(data, items=membership.dues_items.order_by("year"), prefix="pay")
        if action == "tier":
            return TierChangeForm(data, prefix="tier")
        if action == "reinstate":
            return ReinstateForm(data, prefix="re")
        if action == "confirm_withdrawal":
            return ConfirmWithdrawalForm(data, files, prefix="wd")
        if action == "certificate_return":
            return CertificateReturnForm(data, prefix="cr")
        if action == "expel":
            return ExpulsionForm(data, files, prefix="ex")
        if action == "reissue":
            return ReissueForm(data, prefix="ri")
        raise Http404

    def offered_forms(self):
        """The forms of the steps this user may take now (from the tables)."""
        user, membership = self.request.user, self.object
        allowed = MEMBERSHIPS.action_names(user, membership)
        forms = {}
        items = self.payable_items()
        if items:
            forms["payment"] = PaymentForm(items=items, prefix="pay")
        if "change_tier" in allowed:
            forms["tier"] = TierChangeForm(prefix="tier", initial={"tier": membership.next_tier_id or membership.tier_id})
        if "reinstate" in allowed:
            forms["reinstate"] = ReinstateForm(prefix="re")
        notice = self.pending_withdrawal()
        if notice is not None and WITHDRAWALS.allows(user, notice, "confirm"):
            forms["confirm_withdrawal"] = ConfirmWithdrawalForm(prefix="wd")
        if "certificate_returned" in allowed:
            forms["certificate_return"] = CertificateReturnForm(
                prefix="cr", initial={"returned_on": membership.certificate_returned_on or timezone.localdate()})
        if "expel" in allowed:
            forms["expel"] = ExpulsionForm(prefix="ex")
        if "reissue_certificate" in allowed:
            forms["reissue"] = ReissueForm(prefix="ri")
        return forms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.object
        forms = self.offered_forms()
        forms.update(getattr(self, "invalid_form", {}))
        context.update({
            "membership": membership,
            "organisation": membership.organisation,
            "dues_items": domain.dues_overview(membership),
            "events": membership.events.select_related("by"),
            "certificates": membership.certificates.order_by("-version"),
            "withdrawals": membership.withdrawals.all(),
            "expulsion": Expulsion.objects.filter(membership=membership).select_related("resolution").first(),
            "arrears": domain.arrears_of(membership, today=timezone.localdate()),
            "step_forms": forms,
        })
        return context

    # --------------------------------------------------------------------------------- taking a step

    def check_actor(self, action):
        """Who may take the posted step is the table's answer (403 before the form is read)."""
        user, membership = self.request.user, self.object
        if action == "payment":
            item = membership.dues_items.first()
            if item is not None:
                DUES.check_actor(user, item, DUES["pay_part"])
            return
        transition = {"tier": "change_tier", "reinstate": "reinstate", "confirm_withdrawal": "withdraw",
                      "certificate_return": "certificate_returned", "expel": "expel",
                      "reissue": "reissue_certificate"}.get(action)
        if transition is None:
            raise Http404
        MEMBERSHIPS.check_actor(user, membership, MEMBERSHIPS[transition])

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        self.check_actor(action)
        form = self.bound_form(action)
        if not form.is_valid():
            self.invalid_form = {action: form}
            messages.error(request, _("Please correct the errors below."))
            return self.get(request, *args, **kwargs)
        self.take(action, form.cleaned_data)
        return redirect(request.path)

    def take(self, action, data):
        """Call the domain for the step (it checks role, recusal and state)."""
        request, user, membership = self.request, self.request.user, self.object
        if action == "payment":  # taken once however often the form is posted (a receipt each time otherwise)
            outcome = run_step(request, submit_once, request, lambda: domain.record_payment(
                dues_item=data["dues_item"], user=user, amount=data["amount"], paid_on=data["paid_on"],
                method=data["method"], reference=data["reference"], request=request), url_of=lambda p: request.path)
            if outcome is not None and outcome.duplicate:
                messages.info(request, ALREADY_SUBMITTED)
            elif outcome is not None:
                messages.success(request, _("Payment recorded: receipt %(number)s.")
                                 % {"number": outcome.result.receipt_number})
        elif action == "tier":
            m = run_step(request, domain.change_tier, membership=membership, tier=data["tier"], user=user,
                         request=request)
            if m:
                messages.success(request, _("Tier change recorded (applies from dues year %(year)s).")
                                 % {"year": m.next_tier_from_year or "—"})
        elif action == "reinstate":
            run_step(request, domain.reinstate_membership, membership=membership, user=user, note=data["note"],
                     request=request, success=_("The membership was reinstated."))
        elif action == "confirm_withdrawal":
            notice = self.pending_withdrawal()
            if notice is None:
                messages.error(request, _("There is no withdrawal notice to confirm."))
                return
            run_step(request, domain.confirm_withdrawal, withdrawal=notice, user=user,
                     certificate_returned_on=data["certificate_returned_on"], request=request,
                     success=_("The withdrawal was confirmed."))
        elif action == "certificate_return":
            run_step(request, domain.record_certificate_return, membership=membership, user=user,
                     returned_on=data["returned_on"], request=request,
                     success=_("The certificate's return was recorded."))
        elif action == "reissue":
            certificate = run_step(request, domain.reissue_certificate, membership=membership, user=user,
                                   request=request)
            if certificate:
                messages.success(request, _("The member certificate was re-issued (version %(version)s).")
                                 % {"version": certificate.version})
        elif action == "expel":
            run_step(request, domain.expel_member, membership=membership, user=user, meeting_date=data["meeting_date"],
                     members_present=data["members_present"], votes_for=data["votes_for"],
                     votes_against=data["votes_against"],
                     votes_abstaining=data["votes_abstaining"] or 0, reason=data["reason"], minutes=data["minutes"],
                     minutes_name=data["minutes"].name, request=request, success=_("The expulsion was recorded."))


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = gettext_lazy("Members")
    index_view_class = MembershipIndexView
    inspect_view_class = MembershipInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["tier"]  # never used: no role may add or change (see policies)
    list_display = [
        "member_number",  # the title column: links to the member's page
        Column("organisation", label=gettext_lazy("Unit"), accessor="organisation"),
        Column("tier", label=gettext_lazy("Tier"), accessor="tier"),
        StatusTagColumn("get_status_display", label=gettext_lazy("Status"), primary=lambda m: m.status == M.ACTIVE),
        DateColumn("started_on", label=gettext_lazy("Since")),
        Column("owed", label=gettext_lazy("Owed")),
    ]
    list_filter = ["status", "tier"]
    search_fields = ["member_number", "organisation__name", "organisation__credit_code"]
    search_backend_name = None
    ordering = ["member_number"]
    list_export = ["member_number", "organisation", "organisation.credit_code", "organisation.region_name", "tier",
                   "get_status_display", "started_on", "ended_on", "owed"]
    export_headings = {
        "member_number": gettext_lazy("Member number"), "organisation": gettext_lazy("Unit"),
        "organisation.credit_code": gettext_lazy("Credit code"), "organisation.region_name": gettext_lazy("Region"),
        "tier": gettext_lazy("Tier"), "get_status_display": gettext_lazy("Status"),
        "started_on": gettext_lazy("Since"), "ended_on": gettext_lazy("Ended on"), "owed": gettext_lazy("Owed"),
    }
    export_filename = "members"
