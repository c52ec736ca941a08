"""Units in the admin, and the answer to "does this user act for a unit" (`portal.accounts.roles`)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from portal.accounts.roles import ACTS_FOR_A_UNIT_HOOK, Role
from portal.core.audit import register_actions
from portal.core.permissions import RolePermissionPolicy

from .admin_views import ChangeViewSet, ClaimViewSet, OrganisationCreateView, OrganisationEditView, admin_urlpatterns
from .models import (
    Organisation,
    OrganisationClaim,
    OrganisationInvitation,
    OrganisationUser,
    RegisteredDetailsChange,
    organisation_for,
)

REVIEWERS = (Role.COUNCIL, Role.SECRETARIAT)
SECRETARIAT = (Role.SECRETARIAT,)


@hooks.register(ACTS_FOR_A_UNIT_HOOK)
def acts_for_a_unit(user) -> bool:
    return organisation_for(user) is not None


# The council reads the units; the secretariat also registers units and attaches their users.
register_permission_policy(
    Organisation, RolePermissionPolicy(Organisation, view=REVIEWERS, add=SECRETARIAT, change=SECRETARIAT),
    exact_class=True,
)
register_permission_policy(RegisteredDetailsChange, RolePermissionPolicy(RegisteredDetailsChange, view=REVIEWERS),
                           exact_class=True)
register_permission_policy(OrganisationClaim, RolePermissionPolicy(OrganisationClaim, view=REVIEWERS), exact_class=True)
register_permission_policy(OrganisationInvitation, RolePermissionPolicy(OrganisationInvitation, view=SECRETARIAT),
                           exact_class=True)
register_permission_policy(
    OrganisationUser,
    RolePermissionPolicy(OrganisationUser, view=SECRETARIAT, add=SECRETARIAT, change=SECRETARIAT, delete=SECRETARIAT),
    exact_class=True,
)


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "home"
    menu_label = _("Organisations")
    edit_view_class = OrganisationEditView
    add_view_class = OrganisationCreateView
    list_display = ["name", "credit_code", "region_name", "unit_type", "verified_on", "created_at"]
    list_filter = ["unit_type", "verified_on"]
    search_fields = ["name", "credit_code"]
    search_backend_name = None
    form_fields = [
        "name", "credit_code", "unit_type", "legal_representative", "established_on", "registered_address",
        "contact_person", "phone", "email", "website",
    ]
    list_export = ["name", "credit_code", "region_name", "unit_type", "legal_representative", "contact_person",
                   "phone", "email", "created_at"]
    export_filename = "organisations"
    inspect_view_enabled = True
    copy_view_enabled = False


class OrganisationUserViewSet(ModelViewSet):
    """The secretariat attaches further users to an organisation."""

    model = OrganisationUser
    icon = "user"
    menu_label = _("Organisation users")
    list_display = ["user", "organisation", "role", "added_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name", "organisation__name"]
    search_backend_name = None
    form_fields = ["user", "organisation", "role", "position", "phone"]
    copy_view_enabled = False


organisation_viewset = OrganisationViewSet("organisations")
organisation_user_viewset = OrganisationUserViewSet("organisation_users")
change_viewset = ChangeViewSet("organisation_changes")
claim_viewset = ClaimViewSet("organisation_claims")


class OrganisationViewSetGroup(ModelViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "home"
    menu_order = 260
    items = (organisation_viewset, claim_viewset, change_viewset, organisation_user_viewset)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return OrganisationViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return admin_urlpatterns


@hooks.register("register_log_actions")
def register_log_actions(actions):
    register_actions(actions, {
        "organisations.organisation.edit": (_("Edit organisation"), _("Organisation details changed")),
        "organisations.team.role": (_("Change a role in the unit"), _("Role in the unit changed")),
        "organisations.team.remove": (_("Remove a colleague"), _("Colleague removed from the unit")),
    })



# --------------------------------------------------------------------------- personal information (portal.privacy)


@hooks.register("personal_data_sections")
def organisation_personal_data(user):
    """The person's link to their unit, and the unit's contact details as registered."""
    link = OrganisationUser.objects.filter(user=user).select_related("organisation").first()
    if link is None:
        return []
    org = link.organisation
    return [{"title": gettext("Your unit"), "items": [{
        gettext("Unit name"): org.name, gettext("Unified social credit code"): org.credit_code, gettext("Linked since"): link.added_at,
        gettext("Role in the unit"): link.get_role_display(), gettext("Your position"): link.position,
        gettext("Your phone"): link.phone,
        gettext("Contact person"): org.contact_person, gettext("Phone"): org.phone, gettext("Email"): org.email,
    }]}]


@hooks.register("anonymise_personal_data")
def organisation_anonymise(user, pseudonym):
    """The unit and its records stay; the person no longer acts for it."""
    OrganisationUser.objects.filter(user=user).delete()


@hooks.register("construct_homepage_panels")
def add_worklist(request, panels):
    from portal.accounts.roles import has_role

    from .dashboard import secretariat_panel

    if has_role(request.user, Role.SECRETARIAT):
        panels.append(secretariat_panel(request.user))
