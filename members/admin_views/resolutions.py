"""Council resolutions in the admin: the list, each resolution with what it decided, and the one screen on
which the secretariat or a council member records an admission resolution over the submitted applications."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from portal.accounts.roles import Role, has_role
from portal.core.workflow_views import run_step

from .. import domain
from ..forms import AdmissionDecisionFormSet, AdmissionResolutionForm
from ..models import CouncilResolution, MembershipApplication, MembershipRules
from ..workflows import APPLICATIONS


class ResolutionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return CouncilResolution.objects.select_related("recorded_by")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if has_role(self.request.user, Role.COUNCIL, Role.SECRETARIAT):
            buttons.append(HeaderButton(_("Record an admission resolution"),
                                        url=reverse("members_resolutions:record_admission"), icon_name="plus"))
        return buttons


class ResolutionInspectView(generic.InspectView):
    template_name = "members/admin/resolution_inspect.html"

    def get_page_subtitle(self):
        return _("Council resolution %(number)s") % {"number": self.object.number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resolution = self.object
        context.update({
            "resolution": resolution,
            "decisions": resolution.decisions.select_related("application__organisation", "application__tier", "tier",
                                                             "application__membership"),
            "expulsion": getattr(resolution, "expulsion", None),
        })
        return context


class RecordAdmissionView(WagtailAdminTemplateMixin, TemplateView):
    """The meeting's figures and, for every submitted application this user may decide, the decision."""

    template_name = "members/admin/record_admission.html"
    page_title = gettext_lazy("Record an admission resolution")
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, Role.COUNCIL, Role.SECRETARIAT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(),
                {"url": reverse("members_resolutions:index"), "label": CouncilResolution._meta.verbose_name_plural},
                {"url": "", "label": self.page_title}]

    def applications(self):
        """Submitted applications; those the user acts for (recused) are not offered."""
        waiting = MembershipApplication.objects.filter(status=MembershipApplication.Status.SUBMITTED).select_related(
            "organisation", "tier").order_by("submitted_at", "pk")
        return [a for a in waiting if APPLICATIONS.allows(self.request.user, a, "approve")]

    def forms(self, data=None, files=None):
        applications = self.applications()
        # any submitted application may be posted: the domain refuses what this user may not decide (recusal)
        queryset = MembershipApplication.objects.filter(status=MembershipApplication.Status.SUBMITTED)
        meeting = AdmissionResolutionForm(data, files)
        decisions = AdmissionDecisionFormSet(
            data, prefix="decisions", form_kwargs={"applications": queryset},
            initial=[{"application": a.pk, "tier": a.tier_id} for a in applications],
        )
        return meeting, decisions, applications

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, decisions, applications = kwargs.get("forms") or self.forms()
        rules = MembershipRules.load()
        size = rules.current_council_size()
        context.update({
            "meeting_form": meeting, "decision_forms": decisions,
            "rows": list(zip(decisions.forms, applications, strict=False)),
            "council_size": size, "quorum": rules.quorum(size), "rules": rules,
        })
        return context

    def post(self, request, *args, **kwargs):
        meeting, decisions, applications = forms = self.forms(request.POST, request.FILES)
        if meeting.is_valid() and decisions.is_valid():
            chosen = [
                {"application": row["application"], "decision": row["decision"], "tier": row.get("tier"),
                 "reason": row.get("reason", "")}
                for row in decisions.cleaned_data if row.get("application") and row.get("decision")
            ]
            data = meeting.cleaned_data
            minutes = data.get("minutes")
            resolution = run_step(
                request, domain.record_admission_resolution, user=request.user, meeting_date=data["meeting_date"],
                members_present=data["members_present"], votes_for=data["votes_for"],
                votes_against=data["votes_against"], votes_abstaining=data["votes_abstaining"] or 0,
                decisions=chosen, note=data.get("note", ""), minutes=minutes,
                minutes_name=minutes.name if minutes else "", request=request,
                success=_("The council's resolution was recorded."),
            )
            if resolution is not None:
                return redirect("members_resolutions:inspect", resolution.pk)
        return self.render_to_response(self.get_context_data(forms=forms))


class ResolutionViewSet(ModelViewSet):
    model = CouncilResolution
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Council resolutions")
    index_view_class = ResolutionIndexView
    inspect_view_class = ResolutionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["note"]  # never used: resolutions are recorded on the resolution screen
    list_display = [
        "number",  # the title column: links to the resolution
        Column("get_kind_display", label=gettext_lazy("Kind")),
        DateColumn("meeting_date", label=gettext_lazy("Council meeting date")),
        Column("members_present", label=gettext_lazy("Members present")),
        Column("votes_for", label=gettext_lazy("Votes for")),
        Column("votes_against", label=gettext_lazy("Votes against")),
        Column("votes_abstaining", label=gettext_lazy("Abstentions")),
    ]
    list_filter = ["kind", "meeting_date"]
    search_fields = ["number", "note"]
    search_backend_name = None
    ordering = ["-meeting_date", "-pk"]
    list_export = ["number", "get_kind_display", "meeting_date", "council_size", "members_present", "votes_for",
                   "votes_against", "votes_abstaining", "note"]
    export_filename = "council-resolutions"

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("record/", RecordAdmissionView.as_view(), name="record_admission")]

