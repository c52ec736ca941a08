"""A firm user registers its unit (the organisation record lives in `portal.organisations`)."""

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


def update_organisation(*, organisation: Organisation, user, request=None, changed=()) -> Organisation:
    from django.core.exceptions import PermissionDenied

    own = organisation_for(user)
    if own is None or own.pk != organisation.pk:
        raise PermissionDenied
    with transaction.atomic():
        organisation.save()
        record(organisation, "members.organisation.edit", user=user, request=request, data={"fields": list(changed)})
    return organisation
