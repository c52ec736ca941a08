"""The secretariat's tools in the Wagtail admin: viewsets, request status, attendance, export."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.core.workflow import WorkflowError
from portal.core.workflow_views import ActionForm, run_step

from . import domain
from .exports import export_response
from .forms import PlainNumberInput
from .models import STANDING, Event, EventRegistration, Provider, ServiceCategory, ServiceItem, ServiceRequest
from .workflows import REQUESTS


class WorkflowOnlyPolicy(ModelPermissionPolicy):
    """Model permissions, minus the generic actions a workflow row must not take (status goes through domain)."""

    def __init__(self, model, denied=("add", "change")):
        super().__init__(model)
        self.denied = frozenset(denied)

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


# Requests change status only through `domain`; registrations are made by firms and attendance goes
# through `domain.record_attendance`, so the generic add/edit views are switched off for both.
register_permission_policy(
    ServiceRequest, WorkflowOnlyPolicy(ServiceRequest, denied=("add", "change", "delete")), exact_class=True
)
register_permission_policy(
    EventRegistration, WorkflowOnlyPolicy(EventRegistration, denied=("add", "change", "delete")), exact_class=True
)


class ServiceCategoryViewSet(ModelViewSet):
    model = ServiceCategory
    icon = "tag"
    menu_label = gettext_lazy("Service categories")
    form_fields = ["number", "code", "name", "description"]
    list_display = ["number", "name", "code"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["number"]
    copy_view_enabled = False


class ProviderViewSet(ModelViewSet):
    model = Provider
    icon = "group"
    menu_label = gettext_lazy("Providers")
    form_fields = [
        "name",
        "description",
        "contact_person",
        "phone",
        "email",
        "member_discount",
        "users",
        "is_active",
        "order",
    ]
    list_display = ["name", "contact_person", "phone", BooleanColumn("is_active", label=gettext_lazy("listed"))]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_person", "phone", "description"]
    search_backend_name = None
    copy_view_enabled = False


class ServiceItemViewSet(ModelViewSet):
    model = ServiceItem
    icon = "list-ul"
    menu_label = gettext_lazy("Service items")
    list_display = ["name", "provider", "category", Column("fee", label=gettext_lazy("Fee")),
                    BooleanColumn("is_active", label=gettext_lazy("listed"))]
    list_filter = ["category", "provider", "fee_kind", "is_active"]
    search_fields = ["name", "description", "provider__name"]
    search_backend_name = None
    copy_view_enabled = True
    panels = [
        FieldPanel("provider"),
        FieldPanel("category"),
        FieldPanel("name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("fee_kind"),
                FieldPanel("fee_amount"),
                FieldPanel("fee_amount_max"),
                FieldPanel("fee_period"),
                FieldRowPanel([FieldPanel("fee_rate", widget=PlainNumberInput(attrs={"step": "any", "min": "0"})),
                               FieldPanel("fee_rate_unit")]),
                FieldPanel("fee_base_name"),
                FieldPanel("fee_rule"),
            ],
            heading=gettext_lazy("Fee"),
            help_text=gettext_lazy(
                "Fixed: amount. Range: lower and upper bound, optional period. "
                "Minimum and rate: minimum, rate as printed with its unit, rate base and rule. Negotiable: nothing else."
            ),
        ),
        FieldPanel("order"),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return ServiceItem.objects.select_related("provider", "category")


class ServiceRequestIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        url = reverse("services_export")
        buttons.append(HeaderButton(_("Export (Excel)"), url=f"{url}?format=xlsx", icon_name="download"))
        buttons.append(HeaderButton(_("Export (CSV)"), url=f"{url}?format=csv", icon_name="download"))
        return buttons


class ServiceRequestInspectView(generic.InspectView):
    """Details, history and the status form: the secretariat moves requests through `domain`."""

    template_name = "services/admin/request_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = REQUESTS.actions_for(self.request.user, self.object)
        context["status_form"] = getattr(self, "status_form", None) or ActionForm(actions=actions) if actions else None
        context["history"] = self.object.history.select_related("user")
        return context

    def post(self, request, *args, **kwargs):
        if not domain.is_secretariat(request.user):
            raise PermissionDenied
        self.status_form = form = ActionForm(request.POST, actions=REQUESTS.actions_for(request.user, self.object))
        if form.is_valid():
            if run_step(request, domain.take_action, service_request=self.object, user=request.user,
                        action=form.cleaned_data["action"], note=form.cleaned_data["note"], request=request):
                messages.success(request, _("The request is now “%(status)s”.") % {"status": self.object.get_status_display()})
            return redirect(self.request.path)
        return self.get(request, *args, **kwargs)


class ServiceRequestViewSet(ModelViewSet):
    model = ServiceRequest
    icon = "help"
    menu_label = gettext_lazy("Service requests")
    index_view_class = ServiceRequestIndexView
    inspect_view_class = ServiceRequestInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "item",
        "provider",
        "organisation",
        "is_member",
        "requested_by",
        "created_at",
        "contact_name",
        "contact_phone",
        "contact_email",
        "preferred_contact",
        "message",
    ]
    copy_view_enabled = False
    form_fields = ["message"]  # never used: add and change are denied below
    list_display = [
        Column("number", label=gettext_lazy("Number")),
        "item",
        "provider",
        "organisation",
        BooleanColumn("is_member", label=gettext_lazy("member unit")),
        StatusTagColumn("get_status_display", label=gettext_lazy("status"), primary=lambda r: r.is_open),
        DateColumn("created_at", label=gettext_lazy("submitted at")),
    ]
    list_filter = ["status", "provider", "item__category", "is_member"]
    search_fields = ["message", "organisation__name", "item__name", "provider__name", "contact_name"]
    search_backend_name = None

    def get_queryset(self, request):
        return ServiceRequest.objects.select_related("item", "provider", "organisation")


class EventIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(_("Attendance"), url=reverse("services_attendance", args=[instance.pk]), icon_name="tasks", priority=5)
        )
        return buttons


class EventViewSet(ModelViewSet):
    model = Event
    icon = "date"
    menu_label = gettext_lazy("Association events")
    index_view_class = EventIndexView
    form_fields = [
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "description",
        "capacity",
        "registration_deadline",
        "members_only",
        "is_published",
    ]
    list_display = [
        "title",
        "kind",
        DateColumn("starts_at", label=gettext_lazy("starts at")),
        "place",
        Column("registration_count", label=gettext_lazy("registrations")),
        "capacity",
    ]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "place", "description"]
    search_backend_name = None

    def get_queryset(self, request):
        return Event.objects.annotate(registration_count=Count("registrations", filter=STANDING))


class EventRegistrationViewSet(ModelViewSet):
    """Registrations are made by firms; the secretariat reads them, withdraws them, and records attendance."""

    model = EventRegistration
    icon = "user"
    menu_label = gettext_lazy("Event registrations")
    form_fields = ["participants", "note"]
    copy_view_enabled = False
    list_display = [
        "organisation",
        "event",
        "participants",
        DateColumn("registered_at", label=gettext_lazy("registered at")),
        BooleanColumn("attended", label=gettext_lazy("attended")),
    ]
    list_filter = ["event", "status", "attended"]
    search_fields = ["organisation__name", "event__title", "note"]
    search_backend_name = None

    def get_queryset(self, request):
        return EventRegistration.objects.select_related("organisation", "event")


class ServicesViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Member services")
    menu_icon = "help"
    menu_order = 300
    items = (
        ServiceRequestViewSet("services_requests"),
        ServiceItemViewSet("services_items"),
        ProviderViewSet("services_providers"),
        ServiceCategoryViewSet("services_categories"),
        EventViewSet("services_events"),
        EventRegistrationViewSet("services_registrations"),
    )


# --- plain admin views --------------------------------------------------------------------------


def _require_secretariat(request):
    if not domain.is_secretariat(request.user):
        raise PermissionDenied


def attendance(request, pk: int):
    """One form per event: tick who attended. Each change goes through `domain.record_attendance`."""
    _require_secretariat(request)
    event = get_object_or_404(Event, pk=pk)
    registrations = list(event.registrations.current().select_related("organisation").order_by("organisation__name"))
    if request.method == "POST":
        ticked = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        changed = 0
        try:
            for registration in registrations:
                wanted = registration.pk in ticked
                if wanted != registration.attended:
                    domain.record_attendance(registration=registration, user=request.user, attended=wanted, request=request)
                    changed += 1
        except WorkflowError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved (%(count)s changed).") % {"count": changed})
        return redirect("services_attendance", pk=pk)
    return TemplateResponse(
        request,
        "services/admin/attendance.html",
        {
            "event": event,
            "registrations": registrations,
            "started": event.starts_at <= timezone.now(),
            "page_title": _("Attendance"),
            "header_title": event.title,
            "index_url": reverse("services_events:index"),
        },
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("xlsx", "xlsx"), ("csv", "csv")])


def export(request):
    """Service requests per provider and category (pandas): xlsx with summary and detail sheets, or CSV summary."""
    _require_secretariat(request)
    form = ExportForm(request.GET or {"format": "xlsx"})
    fmt = form.cleaned_data["format"] if form.is_valid() else "xlsx"
    return export_response(ServiceRequest.objects.all(), fmt=fmt)


admin_urlpatterns = [
    path("services/attendance/<int:pk>/", attendance, name="services_attendance"),
    path("services/export/", export, name="services_export"),
]
