"""Applications in the admin: list (filters, search, export) and an inspect page whose buttons are the
steps the table allows this user now (`members.workflows.APPLICATIONS`)."""

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
STEPS = ("return",)  # approval and rejection are council resolutions (`resolutions`)


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
        user = self.request.user
        actions = APPLICATIONS.actions_for(user, application, only=STEPS)
        context.update({
            "application": application,
            "organisation": application.organisation,
            "step_form": ActionForm(actions=actions) if actions else None,
            "council_may_decide": APPLICATIONS.allows(user, application, "approve"),
            "council_decision": getattr(application, "council_decision", None),
            "other_applications": application.organisation.applications.exclude(pk=application.pk)
            .exclude(status=A.DRAFT).select_related("tier"),
        })
        return context

    def post(self, request, *args, **kwargs):
        """Return the application for more material; the domain checks role, recusal and state."""
        if request.POST.get("action") != "return":
            raise Http404
        run_step(request, domain.return_application, application=self.object, user=request.user,
                 message=request.POST.get("note", ""), request=request,
                 success=_("The application was returned to the applicant."))
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
        "organisation",  # the title column: links to the application
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
