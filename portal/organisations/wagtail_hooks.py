from django.utils.translation import gettext as _
from wagtail import hooks

from .models import OrganisationUser

# --------------------------------------------------------------------------- personal information (portal.privacy)


@hooks.register("personal_data_sections")
def organisation_personal_data(user):
    """The person's link to their unit, and the unit's contact details as registered."""
    link = OrganisationUser.objects.filter(user=user).select_related("organisation").first()
    if link is None:
        return []
    org = link.organisation
    return [{"title": _("Your unit"), "items": [{
        _("Unit name"): org.name, _("Unified social credit code"): org.credit_code, _("Linked since"): link.added_at,
        _("Contact person"): org.contact_person, _("Phone"): org.phone, _("Email"): org.email,
    }]}]


@hooks.register("anonymise_personal_data")
def organisation_anonymise(user, pseudonym):
    """The unit and its records stay; the person no longer acts for it."""
    OrganisationUser.objects.filter(user=user).delete()
