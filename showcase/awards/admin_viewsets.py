"""Staff lists of the titles in the Wagtail admin: generic viewsets (filters, search, export) whose rows open the
title's or the objection's page, where the steps the tables allow are taken through the domain."""

import django_filters
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from portal.accounts.roles import Role
from portal.core.permissions import RolePermissionPolicy
from showcase.admin_viewsets import OpensItsPage

from .models import Notice, Objection, Title, TitleStatus

# Read-only lists: every change is a step of the titles' tables, taken on the object's page.
register_permission_policy(Title, RolePermissionPolicy(Title, view=[Role.SECRETARIAT, Role.AGENCY]), exact_class=True)
register_permission_policy(Objection, RolePermissionPolicy(Objection, view=[Role.SECRETARIAT]), exact_class=True)
register_permission_policy(Notice, RolePermissionPolicy(Notice, view=[Role.SECRETARIAT]), exact_class=True)


class TitleFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TitleStatus.choices, method="by_status",
                                         empty_label=_("All"))

    class Meta:
        model = Title
        fields = ["organisation__region_code"]

    def by_status(self, queryset, name, value):
        return queryset.filter(status=value)  # the derived status (`Title.objects.with_status`)


class TitleIndexView(OpensItsPage):
    page_url_name = "awards_admin:title"

    def get_base_queryset(self):
        from .admin_views import staff_titles

        return staff_titles(self.request.user).with_status(timezone.localdate()).select_related("organisation")


class TitleViewSet(ModelViewSet):
    model = Title
    icon = "pick"
    menu_label = _("Titles")
    add_to_admin_menu = False
    url_prefix = "showcase-titles"
    url_namespace = "awards_titles"
    index_view_class = TitleIndexView
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["plaque_note"]  # never used: nobody may add or edit (the permission policy above)
    list_display = [
        "certificate_number",
        "unit_name",
        DateColumn("valid_from", label=_("valid from")),
        DateColumn("valid_until", label=_("valid until")),
        StatusTagColumn("status_label", label=_("Status"), primary=lambda t: t.status in ("valid", "expiring")),
        DateColumn("plaque_issued_on", label=_("plaque issued on")),
    ]
    filterset_class = TitleFilterSet
    search_fields = ["unit_name", "certificate_number"]
    search_backend_name = None
    list_export = ["certificate_number", "unit_name", "accepted_on", "valid_from", "valid_until", "status",
                   "plaque_issued_on"]
    export_filename = "showcase-titles"
    ordering = ["valid_until"]


class ObjectionIndexView(OpensItsPage):
    page_url_name = "awards_admin:objection"

    def get_base_queryset(self):
        return Objection.objects.select_related("entry__notice")


class ObjectionViewSet(ModelViewSet):
    model = Objection
    icon = "warning"
    menu_label = _("Objections")
    add_to_admin_menu = False
    url_prefix = "showcase-titles/objections"
    url_namespace = "awards_objections"
    index_view_class = ObjectionIndexView
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["reason"]  # never used: nobody may add or edit (the permission policy above)
    list_display = [
        "number",
        Column("unit", label=_("Unit"), accessor="entry.unit_name"),
        "name",
        DateColumn("submitted_at", label=_("Submitted at")),
        Column("confirmation", label=_("Confirmation"), accessor="get_confirmation_state_display"),
        StatusTagColumn("get_status_display", label=_("Status"), primary=lambda o: o.status == "open"),
    ]
    list_filter = ["status", "relationship", "entry__notice"]
    search_fields = ["number", "name", "content", "entry__unit_name"]
    search_backend_name = None
    list_export = ["number", "submitted_at", "name", "phone", "email", "relationship", "status", "decided_at"]
    export_filename = "showcase-objections"
    ordering = ["-submitted_at"]


class NoticeIndexView(OpensItsPage):
    page_url_name = "awards_admin:notice"

    def get_base_queryset(self):
        return Notice.objects.annotate(
            units=Count("entries", distinct=True),
            open_objections=Count("entries__objections", filter=Q(entries__objections__status=Objection.Status.OPEN),
                                  distinct=True),
        )

    @cached_property
    def header_buttons(self):
        """Publishing is a step of the notices' table, on its own form (`awards_admin:notice_create`)."""
        from .workflows import NOTICES

        if not NOTICES["publish"].permits(self.request.user, Notice()):
            return []
        return [HeaderButton(_("Publish a notice"), url=reverse("awards_admin:notice_create"), icon_name="plus")]


class NoticeViewSet(ModelViewSet):
    model = Notice
    icon = "info-circle"
    menu_label = _("Public notices")
    add_to_admin_menu = False
    url_prefix = "showcase-titles/notices"
    url_namespace = "awards_notices"
    index_view_class = NoticeIndexView
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["title"]  # never used: nobody may add or edit (the permission policy above)
    list_display = [
        "title",
        DateColumn("starts_at", label=_("Starts at")),
        DateColumn("ends_at", label=_("Ends at")),
        Column("units", label=_("Units")),
        Column("open_objections", label=_("Open objections")),
        StatusTagColumn("phase_label", label=_("Phase"), primary=lambda n: n.phase() == Notice.Phase.OPEN),
    ]
    search_fields = ["title", "entries__unit_name"]
    search_backend_name = None
    list_export = ["title", "starts_at", "ends_at", "units", "open_objections", "phase_label"]
    export_filename = "showcase-notices"
    ordering = ["-starts_at"]
