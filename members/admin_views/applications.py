"""Applications in the admin: list (filters, search, export) and an inspect page whose buttons are the
steps the table allows this user now (`members.workflows.APPLICATIONS`)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.workflow_views import ActionForm, run_step

from .. import domain
from ..models import MembershipApplication
from ..workflows import APPLICATIONS

A = MembershipApplication.Status
DECISIONS = ("approve", "reject", "return")


def _reviewed():
    """What reviewers see: a draft is the unit's own until it is submitted."""
    return MembershipApplication.objects.exclude(status=A.DRAFT).select_related("organisation", "tier", "decided_by")


class ApplicationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return _reviewed()


class ApplicationInspectView(generic.InspectView):
    template_name = "members/admin/application_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(_reviewed(), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.organisation.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        actions = APPLICATIONS.actions_for(self.request.user, application, only=DECISIONS)
        context.update({
            "application": application,
            "organisation": application.organisation,
            "decision_form": ActionForm(actions=actions) if actions else None,
            "other_applications": application.organisation.applications.exclude(pk=application.pk)
            .exclude(status=A.DRAFT).select_related("tier"),
        })
        return context

    def post(self, request, *args, **kwargs):
        """One decision step; the domain checks role, recusal and state (nothing is checked here)."""
        action, note = request.POST.get("action", ""), request.POST.get("note", "")
        user, application = request.user, self.object
        if action == "approve":
            membership = run_step(request, domain.approve_application, application=application, user=user,
                                  request=request)
            if membership:
                messages.success(request, _("Approved: member number %(number)s.") % {"number": membership.member_number})
        elif action == "reject":
            run_step(request, domain.reject_application, application=application, user=user, reason=note,
                     request=request, success=_("The application was rejected."))
        elif action == "return":
            run_step(request, domain.return_application, application=application, user=user, message=note,
                     request=request, success=_("The application was returned to the applicant."))
        else:
            raise Http404
        return redirect(request.path)


class ApplicationViewSet(ModelViewSet):
    model = MembershipApplication
    icon = "form"
    menu_label = gettext_lazy("Applications")
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["statement"]  # never used: no role may add or change (see policies)
    list_display = [
        Column("organisation", label=gettext_lazy("Applicant"), accessor="organisation"),
        Column("tier", label=gettext_lazy("Tier requested"), accessor="tier"),
        Column("region", label=gettext_lazy("Region"), accessor="organisation.region_name"),
        DateColumn("submitted_at", label=gettext_lazy("Submitted on")),
        StatusTagColumn("get_status_display", label=gettext_lazy("Status"), primary=lambda a: a.status == A.SUBMITTED),
    ]
    list_filter = ["status", "tier"]
    search_fields = ["organisation__name", "organisation__credit_code"]
    search_backend_name = None
    ordering = ["-submitted_at", "pk"]
    list_export = ["organisation", "organisation.credit_code", "organisation.region_name", "tier",
                   "get_status_display", "submitted_at", "decided_at", "decision_note"]
    export_headings = {
        "organisation": gettext_lazy("Applicant"), "organisation.credit_code": gettext_lazy("Credit code"),
        "organisation.region_name": gettext_lazy("Region"), "tier": gettext_lazy("Tier requested"),
        "get_status_display": gettext_lazy("Status"), "submitted_at": gettext_lazy("Submitted on"),
        "decided_at": gettext_lazy("Decided"), "decision_note": gettext_lazy("Reason or message"),
    }
    export_filename = "membership-applications"
