"""A firm user registers its unit (the organisation record lives in `portal.organisations`, which also
keeps its details: `portal.organisations.details`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.audit import record
from portal.core.workflow import WorkflowError
from portal.organisations.models import Organisation, OrganisationUser, organisation_for


def register_organisation(*, organisation: Organisation, user, request=None) -> Organisation:
    """Create a firm user's organisation and attach the user to it."""
    if organisation_for(user) is not None:
        raise WorkflowError(_("Your account already belongs to an organisation."))
    with transaction.atomic():
        organisation.save()
        OrganisationUser.objects.create(user=user, organisation=organisation)
        record(organisation, "members.organisation.register", user=user, request=request,
               data={"credit_code": organisation.credit_code})
    user._organisation_cache = organisation
    return organisation
