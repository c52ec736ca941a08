"""Units in the admin, and the answer to "does this user act for a unit" (`portal.accounts.roles`)."""

from wagtail import hooks

from portal.accounts.roles import ACTS_FOR_A_UNIT_HOOK

from .models import organisation_for


@hooks.register(ACTS_FOR_A_UNIT_HOOK)
def acts_for_a_unit(user) -> bool:
    return organisation_for(user) is not None
