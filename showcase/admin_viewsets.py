"""Staff lists of the programme in the Wagtail admin: generic viewsets (filters, search, export) whose rows open
the application's page, where the steps the tables allow are taken through the domain."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.accounts.roles import Role
from portal.core.permissions import RolePermissionPolicy

from . import access
from .models import Application

# Read-only for the secretariat and the agencies (each agency sees its campaigns' applications): every change
# of an application is a step of its table, taken on the application's page.
register_permission_policy(Application, RolePermissionPolicy(Application, view=[Role.SECRETARIAT, Role.AGENCY]),
                           exact_class=True)


class OpensItsPage(generic.IndexView):
    """Rows link to the object's own page (the steps its table allows), not to a generic edit form."""

    page_url_name = ""

    def get_edit_url(self, instance):
        return None

    def get_inspect_url(self, instance):
        return reverse(self.page_url_name, args=[instance.pk])


class ApplicationIndexView(OpensItsPage):
    page_url_name = "showcase_admin:application"

    def get_base_queryset(self):
        """The applications this user works on (drafts stay private; an agency sees its campaigns')."""
        return access.staff_applications(self.request.user).select_related("campaign", "organisation")


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "doc-full"
    menu_label = pgettext_lazy("showcase", "Applications")
    add_to_admin_menu = False
    url_prefix = "showcase/applications"
    url_namespace = "showcase_applications"
    index_view_class = ApplicationIndexView
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["unit_name"]  # never used: nobody may add or edit (the permission policy above)
    list_display = [
        "number",
        "unit_name",
        Column("campaign", label=_("Campaign"), accessor="campaign.year"),
        StatusTagColumn("get_status_display", label=_("Status"), primary=lambda a: a.is_open),
        BooleanColumn("is_member", label=_("member at submission")),
        DateColumn("submitted_at", label=pgettext_lazy("showcase", "Submitted")),
    ]
    list_filter = ["campaign", "status", "is_member"]
    search_fields = ["unit_name", "number", "credit_code"]
    search_backend_name = None
    list_export = ["number", "unit_name", "credit_code", "campaign", "status", "is_member", "submitted_at",
                   "contact_person", "contact_phone", "contact_email"]
    export_filename = "showcase-applications"
    ordering = ["-submitted_at"]
