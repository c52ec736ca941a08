"""A firm user registers its unit (the organisation record lives in `portal.organisations`, which also
keeps its details: `portal.organisations.details`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.audit import record
from portal.core.workflow import WorkflowError
from portal.organisations import claims
from portal.organisations.models import Organisation, OrganisationUser, organisation_for


def register_organisation(*, organisation: Organisation, user, licence=None, licence_name: str = "",
                          request=None) -> Organisation:
    """Create a firm user's organisation, make the user its administrator, and claim it with the licence (the
    secretariat verifies the claim before the unit can apply)."""
    if organisation_for(user) is not None:
        raise WorkflowError(_("Your account already belongs to an organisation."))
    with transaction.atomic():
        organisation.save()
        OrganisationUser.objects.create(user=user, organisation=organisation, role=OrganisationUser.Role.ADMIN)
        record(organisation, "members.organisation.register", user=user, request=request,
               data={"credit_code": organisation.credit_code})
        if licence is not None:
            claims.register_claim(organisation=organisation, user=user, licence=licence,
                                  licence_name=licence_name, request=request)
    user._organisation_cache = organisation
    return organisation
