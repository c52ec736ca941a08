"""Individual members (个人会员) in the admin: the secretariat registers, edits and ends them, and records their
dues payments; their tiers (with dues as data) are the secretariat's to set."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.accounts.roles import Role, role_required
from portal.core.idempotency import ALREADY_SUBMITTED, submit_once
from portal.core.pdf import pdf_response
from portal.core.workflow_views import run_step

from ..domain import individuals
from ..domain.documents import receipt_bytes
from ..forms import DateInput
from ..models import IndividualDuesItem, IndividualMember, IndividualPayment, IndividualTier
from ..workflows import INDIVIDUAL_DUES, INDIVIDUALS

FIELDS = ["name", "phone", "email", "work_unit", "position", "tier", "joined_on", "note"]


class IndividualPaymentForm(forms.Form):
    item = forms.ModelChoiceField(queryset=IndividualDuesItem.objects.none(), label=gettext_lazy("Dues year"),
                                  empty_label=None)
    amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), min_value=0.01, max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label=gettext_lazy("Payment date"), widget=DateInput())
    method = forms.ChoiceField(label=pgettext_lazy("payment", "Method"), choices=IndividualPayment.Method.choices)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=100, required=False)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else IndividualDuesItem.objects.none()
        self.fields["item"].label_from_instance = lambda i: f"{i.year}（应缴 {i.amount:,.2f}，尚欠 {i.outstanding:,.2f}）"
        self.fields["paid_on"].initial = timezone.localdate()


class EndForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class IndividualCreateView(generic.CreateView):
    """Registering goes through the domain: member number, history, this year's dues if the tier has an amount."""

    def get_initial(self):
        return {**super().get_initial(), "joined_on": timezone.localdate()}

    def save_instance(self):
        return individuals.register_individual(member=self.form.save(commit=False), user=self.request.user,
                                               request=self.request)


class IndividualInspectView(generic.InspectView):
    template_name = "members/admin/individual_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(IndividualMember.objects.select_related("tier", "registered_by"), pk=self.pk)

    def get_page_subtitle(self):
        return str(self.object)

    def payable(self):
        return [i for i in self.object.dues_items.order_by("year") if INDIVIDUAL_DUES.actions_for(self.request.user, i)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member, user = self.object, self.request.user
        items = self.payable()
        invalid = getattr(self, "invalid", {})
        context.update({
            "member": member,
            "dues_items": member.dues_items.prefetch_related("payments").order_by("-year"),
            "payment_form": invalid.get("payment") or (
                IndividualPaymentForm(items=IndividualDuesItem.objects.filter(pk__in=[i.pk for i in items]))
                if items else None),
            "end_form": invalid.get("withdraw") or EndForm(),
            "actions": INDIVIDUALS.action_names(user, member),
        })
        return context

    def post(self, request, *args, **kwargs):
        member, action = self.object, request.POST.get("action", "")
        if action == "payment":
            item = member.dues_items.first()
            if item is None:
                raise Http404
            INDIVIDUAL_DUES.check_actor(request.user, item, INDIVIDUAL_DUES["pay_part"])
            form = IndividualPaymentForm(request.POST, items=member.dues_items.all())
            if not form.is_valid():
                self.invalid = {"payment": form}
                return self.get(request, *args, **kwargs)
            data = form.cleaned_data
            outcome = run_step(request, submit_once, request, lambda: individuals.record_individual_payment(
                item=data["item"], user=request.user, amount=data["amount"], paid_on=data["paid_on"],
                method=data["method"], reference=data["reference"], request=request), url_of=lambda p: request.path)
            if outcome is not None:
                messages.info(request, ALREADY_SUBMITTED) if outcome.duplicate else messages.success(
                    request, _("Payment recorded: receipt %(number)s.") % {"number": outcome.result.receipt_number})
        elif action in ("withdraw", "readmit"):
            INDIVIDUALS.check_actor(request.user, member, INDIVIDUALS[action])
            form = EndForm(request.POST)
            form.is_valid()
            step = individuals.withdraw_individual if action == "withdraw" else individuals.readmit_individual
            run_step(request, step, member=member, user=request.user, note=form.cleaned_data.get("note", ""),
                     request=request, success=_("Saved."))
        else:
            raise Http404
        return redirect(request.path)


class IndividualMemberViewSet(ModelViewSet):
    model = IndividualMember
    icon = "user"
    menu_label = gettext_lazy("Individual members")
    add_view_class = IndividualCreateView
    inspect_view_class = IndividualInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = FIELDS
    list_display = [
        "member_number", "name",
        Column("tier", label=gettext_lazy("Tier"), accessor="tier"),
        Column("work_unit", label=gettext_lazy("Work unit")),
        Column("phone", label=gettext_lazy("Phone")),
        StatusTagColumn("get_status_display", label=gettext_lazy("Status"), primary=lambda m: m.status == "active"),
        DateColumn("joined_on", label=gettext_lazy("Since")),
    ]
    list_filter = ["status", "tier"]
    search_fields = ["name", "member_number", "work_unit", "email"]
    search_backend_name = None
    ordering = ["member_number"]
    list_export = ["member_number", "name", "tier", "work_unit", "position", "phone", "email", "get_status_display",
                   "joined_on", "ended_on"]
    export_filename = "individual-members"

    def get_queryset(self, request):
        return IndividualMember.objects.select_related("tier")


class IndividualTierViewSet(ModelViewSet):
    model = IndividualTier
    icon = "tag"
    menu_label = gettext_lazy("Individual membership tiers")
    copy_view_enabled = False
    list_display = ["name", "annual_dues", "order", "is_active"]
    form_fields = ["name", "annual_dues", "order", "is_active"]


@role_required(Role.COUNCIL, Role.SECRETARIAT)
def individual_receipt(request, pk):
    payment = get_object_or_404(IndividualPayment, pk=pk)
    return pdf_response(receipt_bytes(payment), f"收据-{payment.receipt_number}.pdf")
