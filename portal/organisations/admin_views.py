"""The secretariat reviews changes of registered details in the admin (list, inspect with approve / reject)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.accounts.roles import Role, role_required
from portal.core.uploads import serve_private_file
from portal.core.workflow_views import run_step

from . import claims, details
from .models import Organisation, OrganisationClaim, OrganisationUser, RegisteredDetailsChange
from .workflows import CLAIMS, DETAILS_CHANGES

S = RegisteredDetailsChange.Status


class ChangeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return RegisteredDetailsChange.objects.select_related("organisation", "requested_by")


class ChangeInspectView(generic.InspectView):
    template_name = "core/organisations/change_inspect.html"

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.object
        context.update({
            "change": change,
            "actions": DETAILS_CHANGES.action_names(self.request.user, change),
            "history": details.name_history(change.organisation),
        })
        return context

    def post(self, request, *args, **kwargs):
        """Approve or reject; the domain checks role, recusal and state."""
        action, note = request.POST.get("action"), request.POST.get("note", "")
        if action == "approve":
            run_step(request, details.approve_change, change=self.object, user=request.user, note=note,
                     request=request, success=_("The change was approved: the unit's registered details are updated."))
        elif action == "reject":
            run_step(request, details.reject_change, change=self.object, user=request.user, reason=note,
                     request=request, success=_("The change was rejected."))
        else:
            raise Http404
        return redirect(request.path)


class ChangeViewSet(ModelViewSet):
    model = RegisteredDetailsChange
    icon = "edit"
    menu_label = gettext_lazy("Registered details changes")
    index_view_class = ChangeIndexView
    inspect_view_class = ChangeInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["reason"]  # never used: requests are made by the units, decided on the inspect page
    list_display = [
        "organisation",  # the title column: links to the request
        Column("name_after", label=gettext_lazy("New registered name")),
        Column("credit_code_after", label=gettext_lazy("New credit code")),
        DateColumn("requested_at", label=gettext_lazy("Requested at")),
        StatusTagColumn("get_status_display", label=gettext_lazy("Status"), primary=lambda c: c.status == S.SUBMITTED),
    ]
    list_filter = ["status"]
    search_fields = ["old_name", "new_name", "old_credit_code", "new_credit_code"]
    search_backend_name = None
    ordering = ["-requested_at"]


class OrganisationEditView(generic.EditView):
    """The secretariat edits a unit's contact details; its registered name and code change only by request."""

    def get_form_class(self):
        form_class = super().get_form_class()
        if not details.is_vetted(self.object):
            return form_class
        from django.forms import modelform_factory

        fields = [f for f in form_class._meta.fields if f not in details.REVIEWED_FIELDS]
        return modelform_factory(Organisation, form=form_class, fields=fields)


@role_required(Role.SECRETARIAT, Role.COUNCIL)
def change_licence(request, pk):
    change = get_object_or_404(RegisteredDetailsChange, pk=pk)
    return serve_private_file(change.licence, download_name=change.licence_name, inline=True)


admin_urlpatterns = [
    path("organisations/changes/<int:pk>/licence/", change_licence, name="organisations_change_licence"),
]



# ------------------------------------------------------------------------------------------ claims


class ClaimIndexView(generic.IndexView):
    def get_base_queryset(self):
        return OrganisationClaim.objects.select_related("organisation", "claimant")


class ClaimInspectView(generic.InspectView):
    """The secretariat checks the licence and verifies or rejects (first claims and disputes)."""

    template_name = "core/organisations/claim_inspect.html"

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        context.update({
            "claim": claim, "organisation": claim.organisation,
            "actions": CLAIMS.action_names(self.request.user, claim),
            "team": claim.organisation.user_links.select_related("user"),
            "roles": OrganisationUser.Role.choices,
            "other_claims": claim.organisation.claims.exclude(pk=claim.pk).select_related("claimant"),
        })
        return context

    def post(self, request, *args, **kwargs):
        action, note = request.POST.get("action"), request.POST.get("note", "")
        if action == "verify":
            role = request.POST.get("role") or OrganisationUser.Role.ADMIN
            run_step(request, claims.verify_claim, claim=self.object, user=request.user, note=note, role=role,
                     request=request, success=_("Verified."))
        elif action == "reject":
            run_step(request, claims.reject_claim, claim=self.object, user=request.user, reason=note, request=request,
                     success=_("The claim was rejected."))
        else:
            raise Http404
        return redirect(request.path)


class ClaimViewSet(ModelViewSet):
    model = OrganisationClaim
    icon = "user"
    menu_label = gettext_lazy("Unit claims")
    index_view_class = ClaimIndexView
    inspect_view_class = ClaimInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["message"]  # never used: claims change only through `portal.organisations.claims`
    list_display = [
        "organisation",
        Column("claimant", label=gettext_lazy("Claimant"), accessor="claimant"),
        Column("get_kind_display", label=gettext_lazy("Kind")),
        DateColumn("created_at", label=gettext_lazy("Made at")),
        StatusTagColumn("get_status_display", label=gettext_lazy("Status"),
                        primary=lambda c: c.status == OrganisationClaim.Status.WAITING_SECRETARIAT),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["organisation__name", "organisation__credit_code", "claimant__email"]
    search_backend_name = None
    ordering = ["-created_at"]


@role_required(Role.SECRETARIAT, Role.COUNCIL)
def claim_licence(request, pk):
    claim = get_object_or_404(OrganisationClaim, pk=pk)
    return serve_private_file(claim.licence, download_name=claim.licence_name, inline=True)


class OrganisationCreateView(generic.CreateView):
    """A unit the secretariat registers itself is verified (it has the licence in hand)."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.verified_on = timezone.localdate()
        instance.save()
        return instance


admin_urlpatterns.append(path("organisations/claims/<int:pk>/licence/", claim_licence, name="organisations_claim_licence"))
