"""Workflow actors and recusal that depend on firm identity (see `portal.core.workflow`).

A person may hold several roles (SPEC): a council member who works for a member firm acts for that
firm with the same account, and is recused from every decision about it; the same holds for
experts and agency staff.
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from portal.core.workflow import Actor

from .models import organisation_for


def unit_id(obj) -> int | None:
    """The id of the unit a workflow object concerns (its `organisation_id`)."""
    return getattr(obj, "organisation_id", None)


class ForTheUnit(Actor):
    """A user registered with the unit concerned, acting for it (whatever other roles they hold)."""

    acts_for_unit = True

    def __init__(self, unit_of: Callable = unit_id, label=None):
        self.unit_of = unit_of
        self.label = label or _("the unit itself")

    def permits(self, user, obj) -> bool:
        organisation = organisation_for(user)
        return organisation is not None and organisation.pk == self.unit_of(obj)


def recused_from_unit(unit_of: Callable = unit_id) -> Callable:
    """`Workflow.recused`: the user is registered with the unit the object concerns."""

    def recused(user, obj) -> bool:
        organisation = organisation_for(user)
        return organisation is not None and organisation.pk == unit_of(obj)

    return recused


def sees_own_unit(unit_of: Callable = unit_id) -> Callable:
    """`Workflow.visible` helper for firm-facing objects: staff see all, a firm user only its own."""
    from portal.accounts.roles import is_staff_member

    def visible(user, obj) -> bool:
        if is_staff_member(user):
            return True
        organisation = organisation_for(user)
        return organisation is not None and organisation.pk == unit_of(obj)

    return visible
