"""Payments (receipts) in the admin: list, filters, search, export; each row links to its receipt."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import MembershipTier, Payment


class PaymentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Payment.objects.select_related("dues_item__membership__organisation", "dues_item__tier", "recorded_by")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(MenuItem(_("Receipt (PDF)"), url=reverse("members_admin:receipt", args=[instance.pk]),
                                icon_name="doc-full", priority=5))
        return buttons


class PaymentViewSet(ModelViewSet):
    model = Payment
    icon = "doc-full"
    menu_label = gettext_lazy("Payments and receipts")
    index_view_class = PaymentIndexView
    copy_view_enabled = False
    form_fields = ["reference"]  # never used: payments are recorded on the member's page
    list_display = [
        Column("receipt_number", label=gettext_lazy("Receipt number")),
        Column("member", label=gettext_lazy("Unit"), accessor="dues_item.membership.organisation"),
        Column("year", label=gettext_lazy("Dues year"), accessor="dues_item.year"),
        Column("amount", label=gettext_lazy("Amount")),
        DateColumn("paid_on", label=gettext_lazy("Payment date")),
        Column("get_method_display", label=pgettext_lazy("payment", "Method")),
    ]
    list_filter = ["method", "dues_item__year"]
    search_fields = ["receipt_number", "reference", "dues_item__membership__organisation__name",
                     "dues_item__membership__member_number"]
    search_backend_name = None
    ordering = ["-paid_on", "-pk"]
    list_export = ["receipt_number", "dues_item.membership.member_number", "dues_item.membership.organisation",
                   "dues_item.year", "amount", "paid_on", "get_method_display", "reference", "recorded_by"]
    export_headings = {
        "receipt_number": gettext_lazy("Receipt number"),
        "dues_item.membership.member_number": gettext_lazy("Member number"),
        "dues_item.membership.organisation": gettext_lazy("Unit"), "dues_item.year": gettext_lazy("Dues year"),
        "amount": gettext_lazy("Amount"), "paid_on": gettext_lazy("Payment date"),
        "get_method_display": pgettext_lazy("payment", "Method"), "reference": gettext_lazy("Reference"),
        "recorded_by": gettext_lazy("Recorded by"),
    }
    export_filename = "membership-payments"


class MembershipTierViewSet(ModelViewSet):
    model = MembershipTier
    icon = "tag"
    menu_label = gettext_lazy("Membership tiers")
    list_display = ["name", "annual_dues", "order", "is_active"]
    form_fields = ["name", "name_en", "annual_dues", "order", "description", "is_active"]
    copy_view_enabled = False
