"""The service-request process as a table (see `portal.core.workflow`).

    submitted ──contact──▶ contacted ──start──▶ in progress ──complete──▶ completed
        │  └───────────start───────────────────▲      │
        └──── cancel (provider, secretariat) / withdraw (the requesting unit, before work starts) ──▶ cancelled
"""

from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role, has_role
from portal.core.workflow import NEW, Predicate, Transition, Workflow
from portal.organisations.actors import ForTheUnit, recused_from_unit

from .models import ServiceRequest, ServiceRequestHistory

S = ServiceRequest.Status


def provider_ids_for(user) -> set[int]:
    """Ids of the providers a user handles requests for (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_service_provider_ids"):
        user._service_provider_ids = set(user.service_providers.values_list("pk", flat=True))
    return user._service_provider_ids


def handles(user, service_request) -> bool:
    """The provider's own users and the secretariat handle a request."""
    return service_request.provider_id in provider_ids_for(user) or has_role(user, Role.SECRETARIAT)


def _visible(user, service_request) -> bool:
    return handles(user, service_request) or REQUESTING_UNIT.permits(user, service_request)


def _history(service_request, *, transition, previous, user, note, when):
    ServiceRequestHistory.objects.create(
        service_request=service_request, from_status=previous, to_status=service_request.status, user=user,
        note=note, at=when,
    )


HANDLER = Predicate(handles, _("the provider or the secretariat"))
REQUESTING_UNIT = ForTheUnit(label=_("the requesting unit"))

REQUESTS = Workflow(
    "services.request",
    ServiceRequest,
    label=_("service request"),
    visible=_visible,
    # a provider's user who works for the requesting unit does not handle its own request
    recused=recused_from_unit(),
    history=_history,
    transitions=[
        Transition("submit", _("Request the service"), source=[NEW], target=S.SUBMITTED, actors=[REQUESTING_UNIT]),
        Transition("contact", _("Mark as contacted"), source=[S.SUBMITTED], target=S.CONTACTED, actors=[HANDLER],
                   style="primary"),
        Transition("start", _("Start work"), source=[S.SUBMITTED, S.CONTACTED], target=S.IN_PROGRESS,
                   actors=[HANDLER], style="primary"),
        Transition("complete", _("Mark as completed"), source=[S.IN_PROGRESS], target=S.COMPLETED, actors=[HANDLER],
                   style="primary"),
        Transition("cancel", _("Cancel the request"), source=[S.SUBMITTED, S.CONTACTED, S.IN_PROGRESS],
                   target=S.CANCELLED, actors=[HANDLER], style="danger"),
        Transition("withdraw", _("Cancel the request"), source=[S.SUBMITTED, S.CONTACTED], target=S.CANCELLED,
                   actors=[REQUESTING_UNIT], style="danger",
                   wrong_state_message=_("Work on this request has started; ask the provider or the secretariat to "
                                         "cancel it.")),
    ],
)
