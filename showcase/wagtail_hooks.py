from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import DeleteView, EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.accounts.roles import Role, has_role
from portal.core.permissions import RolePermissionPolicy

from . import admin_urls
from .admin_viewsets import ApplicationViewSet, OpensItsPage
from .models import Campaign, ParticipationBan, Standard, StandardFrozen, StandardItem

# The secretariat maintains the standard's items (a frozen version's items refuse changes in the model).
register_permission_policy(StandardItem, RolePermissionPolicy(
    StandardItem, view=[Role.SECRETARIAT], add=[Role.SECRETARIAT], change=[Role.SECRETARIAT],
    delete=[Role.SECRETARIAT]), exact_class=True)

# ---------------------------------------------------------------- data managed with viewsets


class FrozenStandardEditView(EditView):
    """A frozen standard (used by scores) is shown read-only; changes are made on a copy."""

    def _standard(self):
        if not hasattr(self, "object"):
            self.object = self.get_object()
        obj = self.object
        return obj if isinstance(obj, Standard) else obj.group.standard

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if self._standard().is_frozen:
            for field in form.fields.values():
                field.disabled = True
            for formset in getattr(form, "formsets", {}).values():
                for sub in formset.forms:
                    for field in sub.fields.values():
                        field.disabled = True
        return form

    def get(self, request, *args, **kwargs):
        if self._standard().is_frozen:
            messages.warning(request, _("This standard version is used by expert scores and is read-only. "
                                        "Use “Copy to a new version” to make changes."))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self._standard().is_frozen:
            messages.error(request, _("This standard version is used by expert scores and cannot be changed."))
            return redirect(self.get_edit_url())
        return super().post(request, *args, **kwargs)


class FrozenStandardDeleteView(DeleteView):
    """Deleting part of a frozen standard is refused by the model (`StandardFrozen`): said, not a server error."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except StandardFrozen as exc:
            for text in exc.messages:
                messages.error(self.request, text)
            return redirect(self.get_success_url())


class CopyColumn(Column):
    cell_template_name = "showcase/admin/copy_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["copy_url"] = reverse("showcase_admin:copy_standard", args=[instance.pk])
        return context


class StandardViewSet(ModelViewSet):
    model = Standard
    icon = "list-ol"
    menu_label = _("Acceptance standards")
    add_to_admin_menu = False
    url_prefix = "showcase-standards"
    url_namespace = "showcase_standard"
    edit_view_class = FrozenStandardEditView
    list_display = ["version", "title", "pass_threshold", "min_experts", BooleanColumn("is_frozen", label=_("frozen")),
                    CopyColumn("copy", label=_("Actions"))]
    search_fields = ["version", "title"]
    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("title")]),
        MultiFieldPanel([FieldRowPanel([FieldPanel("pass_threshold"), FieldPanel("min_experts"),
                                        FieldPanel("divergence_levels")])], heading=_("Decision rule")),
        FieldPanel("notes"),
        InlinePanel("levels", label=_("Rating levels"), panels=[
            FieldPanel("name"), FieldPanel("fraction"), FieldPanel("comment_required"), FieldPanel("sort_order")]),
        InlinePanel("groups", label=pgettext_lazy("showcase", "Groups"), panels=[FieldPanel("number"), FieldPanel("title")]),
    ]


class StandardItemViewSet(ModelViewSet):
    model = StandardItem
    icon = "list-ul"
    menu_label = _("Standard items")
    add_to_admin_menu = False
    url_prefix = "showcase-items"
    url_namespace = "showcase_item"
    edit_view_class = FrozenStandardEditView
    delete_view_class = FrozenStandardDeleteView
    list_display = ["code", "title", "group", "weight", BooleanColumn("is_veto", label=_("veto item")),
                    BooleanColumn("entered_by_agency", label=_("entered by the agency"))]
    list_filter = ["group__standard", "is_veto"]
    search_fields = ["code", "title"]
    form_fields = ["group", "code", "title", "evidence", "weight", "is_veto", "entered_by_agency", "sort_order"]
    ordering = ["group__standard", "group__number", "sort_order"]


class CampaignIndexView(OpensItsPage):
    """A row opens the campaign's page (status, open / close, and the link to edit its details)."""

    page_url_name = "showcase_campaign:inspect"


class CampaignInspectView(InspectView):
    """The campaign's details, and the steps its table allows now (open, close): the status changes only here,
    through `showcase.workflows.CAMPAIGNS`; the edit form has no status field."""

    template_name = "showcase/admin/campaign_inspect.html"

    def get_context_data(self, **kwargs):
        from .workflows import CAMPAIGNS

        context = super().get_context_data(**kwargs)
        context.update(campaign=self.object, actions=CAMPAIGNS.actions_for(self.request.user, self.object),
                       edit_url=reverse("showcase_campaign:edit", args=[self.object.pk]))
        return context

    def post(self, request, *args, **kwargs):
        from portal.core.workflow_views import run_step

        from .workflows import CAMPAIGNS

        action = request.POST.get("action", "")
        if action not in {t.action for t in CAMPAIGNS.transitions}:
            raise Http404
        campaign = run_step(request, CAMPAIGNS.transition, self.object, action, user=request.user, request=request)
        if campaign is not None:
            messages.success(request, _("The campaign is now “%(status)s”.") % {
                "status": campaign.get_status_display()})
        return redirect(request.path)


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "date"
    menu_label = _("Campaigns")
    add_to_admin_menu = False
    url_prefix = "showcase-campaigns"
    url_namespace = "showcase_campaign"
    index_view_class = CampaignIndexView
    inspect_view_enabled = True
    inspect_view_class = CampaignInspectView
    inspect_view_fields_exclude = ["id", "status"]  # the status heads the page, with its steps
    list_display = ["year", "title", "opens_on", "deadline", BooleanColumn("rolling", label=_("rolling applications")),
                    Column("get_status_display", label=_("Status")), "agency"]
    list_filter = ["status", "rolling"]
    search_fields = ["title"]
    # No status: a campaign is opened and closed on its page, through its table (showcase.workflows.CAMPAIGNS).
    form_fields = ["year", "title", "opens_on", "deadline", "rolling", "standard", "agency",
                   "preliminary_review_days", "reminder_days", "introduction", "commitment_text"]


class BanViewSet(ModelViewSet):
    model = ParticipationBan
    icon = "lock"
    menu_label = _("Participation bans")
    add_to_admin_menu = False
    url_prefix = "showcase-bans"
    url_namespace = "showcase_ban"
    list_display = ["organisation", "starts_on", "ends_on", "lifted_on"]
    search_fields = ["organisation__name", "reason"]
    form_fields = ["organisation", "starts_on", "ends_on", "reason", "lifted_on"]


VIEWSETS = [CampaignViewSet(), StandardViewSet(), StandardItemViewSet(), BanViewSet(), ApplicationViewSet()]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return VIEWSETS


# ---------------------------------------------------------------- custom views and menu


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("showcase/", include(admin_urls))]


class RoleMenuItem(MenuItem):
    def __init__(self, *args, roles=(), perm=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.perm = perm

    def is_shown(self, request):
        if self.perm:
            return request.user.has_perm(self.perm)
        return has_role(request.user, *self.roles)


MENU = Menu(items=[
    RoleMenuItem(_("Pipeline"), reverse_lazy("showcase_admin:dashboard"), icon_name="tasks", order=100,
                 roles=(Role.SECRETARIAT, Role.AGENCY)),
    RoleMenuItem(pgettext_lazy("showcase", "Applications"), reverse_lazy("showcase_applications:index"), icon_name="doc-full", order=200,
                 roles=(Role.SECRETARIAT, Role.AGENCY)),
    RoleMenuItem(_("My review assignments"), reverse_lazy("showcase_admin:my_assignments"), icon_name="pick",
                 order=300, roles=(Role.EXPERT,)),
    RoleMenuItem(_("Expert workload"), reverse_lazy("showcase_admin:workload"), icon_name="group", order=400,
                 roles=(Role.SECRETARIAT,)),
    RoleMenuItem(_("Campaigns"), reverse_lazy("showcase_campaign:index"), icon_name="date", order=500,
                 perm="showcase.change_campaign"),
    RoleMenuItem(_("Acceptance standards"), reverse_lazy("showcase_standard:index"), icon_name="list-ol", order=600,
                 perm="showcase.change_standard"),
    RoleMenuItem(_("Standard items"), reverse_lazy("showcase_item:index"), icon_name="list-ul", order=650,
                 perm="showcase.change_standarditem"),
    RoleMenuItem(_("Participation bans"), reverse_lazy("showcase_ban:index"), icon_name="lock", order=700,
                 perm="showcase.change_participationban"),
])


class ShowcaseSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.SECRETARIAT, Role.AGENCY, Role.EXPERT)


@hooks.register("register_admin_menu_item")
def register_menu():
    return ShowcaseSubmenu(_("Credit demonstration units"), MENU, icon_name="pick", name="showcase", order=450)


@hooks.register("construct_homepage_panels")
def worklists(request, panels):
    """Each role lands on its worklist (the agency, the experts, the secretariat; #14.10)."""
    from .dashboard import panels_for

    panels.extend(panels_for(request))


@hooks.register("insert_global_admin_css")
def admin_css():
    from django.templatetags.static import static

    return format_html('<link rel="stylesheet" href="{}">', static("css/showcase-admin.css"))


# ---------------------------------------------------------------- jobs, account, demo (audit actions: from the tables)


@hooks.register("register_due_jobs")
def scoring_reminders(today, dry_run):
    from .domain import send_scoring_reminders

    yield from send_scoring_reminders(today=today, dry_run=dry_run)


@hooks.register("register_account_panel")
def account_panel(request):
    from .access import firm_applications

    applications = list(firm_applications(request.user).select_related("campaign").order_by("-created_at")[:3])
    if not applications:
        return None
    return {"title": _("Credit demonstration unit"), "template": "showcase/includes/account_panel.html",
            "order": 50, "applications": applications}


@hooks.register("register_demo_loader", order=50)
def load_demo(demo):
    from .demo import load

    load(demo)


# ---------------------------------------------------------------- personal information (portal.privacy)


@hooks.register("personal_data_sections")
def showcase_personal_data(user):
    """Applications this person made (with the contact details given), evidence they uploaded, their reviews."""
    from .models import Application, EvidenceFile, ExpertAssignment

    sections = []
    applications = Application.objects.filter(created_by=user).select_related("campaign")
    if applications:
        sections.append({"title": _("Credit demonstration unit applications you made"), "items": [{
            _("Application number"): a.number, _("Unit name"): a.unit_name, _("Status"): a.get_status_display(),
            _("Contact person"): a.contact_person, _("Contact phone"): a.contact_phone,
            _("Contact email"): a.contact_email, _("Signed by"): a.commitment_signer,
            _("Signer's title"): a.commitment_signer_title, _("Submitted at"): a.submitted_at,
        } for a in applications.order_by("created_at")]})
    evidence = EvidenceFile.objects.filter(uploaded_by=user).select_related("application", "item")
    if evidence:
        sections.append({"title": _("Evidence files you uploaded"), "items": [{
            _("Application number"): e.application.number, _("Item"): e.item.code, _("File name"): e.original_name,
            _("Note"): e.note, _("Uploaded at"): e.uploaded_at,
        } for e in evidence.order_by("uploaded_at")]})
    assignments = ExpertAssignment.objects.filter(expert=user).select_related("round__application", "sheet")
    if assignments:
        items = []
        for a in assignments.order_by("assigned_at"):
            sheet = getattr(a, "sheet", None)
            items.append({
                _("Application number"): a.round.application.number, _("Status"): a.get_status_display(),
                _("Declared at"): a.declared_at, _("Conflict of interest"): a.conflict_note,
                _("Score sheet"): sheet.get_status_display() if sheet else "", _("Total"): sheet.total if sheet else None,
                _("Overall comment"): sheet.overall_comment if sheet else "",
            })
        sections.append({"title": _("Reviews you were assigned"), "items": items})
    return sections


@hooks.register("cancellation_blockers")
def showcase_cancellation_blockers(user):
    from .models import Application

    under_review = [s for s in Application.OPEN_STATUSES if s != Application.Status.DRAFT]
    return [
        _("Your credit demonstration unit application %(number)s (%(unit)s) is under review.") % {
            "number": a.number or "", "unit": a.unit_name}
        for a in Application.objects.filter(created_by=user, status__in=under_review)
    ]


@hooks.register("anonymise_personal_data")
def showcase_anonymise(user, pseudonym):
    """The applications stay with the unit; the contact details this person gave (or that name them) go."""
    from django.db.models import Q

    from portal.privacy.cancellation import anonymous_name

    from .models import Application

    mine = Q(created_by=user) | (Q(contact_email__iexact=user.email) if user.email else Q(pk__in=[]))
    Application.objects.filter(mine).update(contact_person=anonymous_name(pseudonym)[:50], contact_phone="",
                                            contact_email="")


@hooks.register("retention_jobs")
def showcase_retention(today, dry_run, rules):
    """Contact details on applications rejected or not accepted longer ago than the retention period."""
    from django.db import transaction
    from django.db.models import Max, Q

    from portal.privacy.retention import ANONYMISED, cutoff

    from .models import Application, ApplicationEvent

    decided = [ApplicationEvent.Kind.REJECTED, ApplicationEvent.Kind.DECIDED]
    due = (Application.objects
           .filter(status__in=[Application.Status.REJECTED, Application.Status.NOT_ACCEPTED])
           .filter(~Q(contact_person=ANONYMISED) | ~Q(contact_phone="") | ~Q(contact_email=""))
           .annotate(decided_at=Max("events__created_at", filter=Q(events__kind__in=decided)))
           .filter(decided_at__lt=cutoff(today, rules.rejected_application_contact_days)))
    ids = list(due.values_list("pk", flat=True))
    if ids and not dry_run:
        with transaction.atomic():
            locked = list(Application.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
            Application.objects.filter(pk__in=locked).update(contact_person=ANONYMISED, contact_phone="",
                                                             contact_email="")
    if ids:
        yield (f"{'would anonymise' if dry_run else 'anonymised'} the contact details of {len(ids)} "
               f"rejected application(s)")
