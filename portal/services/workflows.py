"""The service-request process as a table (see `portal.core.workflow`).

    submitted ──contact──▶ contacted ──start──▶ in progress ──complete──▶ completed
        │  └───────────start───────────────────▲      │
        └──── cancel (provider, secretariat) / withdraw (the requesting unit, before work starts) ──▶ cancelled
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role, has_role
from portal.core.workflow import NEW, HasRole, Predicate, Transition, Workflow
from portal.organisations.actors import ForTheUnit, recused_from_unit

from .models import EventRegistration, ServiceRequest, ServiceRequestHistory

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


# ---------------------------------------------------------------------------------------- events
#
#     (new) ──register──▶ registered ──withdraw (the unit, before the deadline) / cancel (secretariat)──▶ withdrawn
#                          └── record_attendance (secretariat, once the event has started; state unchanged)

R = EventRegistration.Status


def registration_open(registration):
    """The event is published, registration has not closed, the unit may take part and a place is free."""
    from portal.organisations.membership import active_member_ids

    event = registration.event
    problems = []
    if not event.is_published:
        problems.append(_("This event is not open for registration."))
    elif timezone.now() > event.registration_deadline:
        problems.append(_("Registration for this event closed on %(deadline)s.") % {
            "deadline": timezone.localtime(event.registration_deadline).strftime("%Y-%m-%d %H:%M")})
    elif EventRegistration.objects.current().filter(event=event, organisation_id=registration.organisation_id).exists():
        problems.append(_("Your organisation is already registered for this event."))
    elif event.members_only and registration.organisation_id not in active_member_ids([registration.organisation_id]):
        problems.append(_("This event is open to member units only."))
    elif event.capacity is not None and event.registrations.current().count() >= event.capacity:
        problems.append(_("This event is full."))
    return problems


def before_the_deadline(registration):
    """Registration has not closed and attendance was not recorded."""
    if registration.attended or timezone.now() > registration.event.registration_deadline:
        return [_("Registration has closed; ask the secretariat to withdraw it.")]
    return []


def _registration_visible(user, registration) -> bool:
    return has_role(user, Role.SECRETARIAT) or REGISTERING_UNIT.permits(user, registration)


REGISTERING_UNIT = ForTheUnit(label=_("the registering unit"))
SECRETARIAT = HasRole(Role.SECRETARIAT)

REGISTRATIONS = Workflow(
    "services.registration",
    EventRegistration,
    label=_("event registration"),
    visible=_registration_visible,
    recused=recused_from_unit(),
    lock_related=("event",),
    transitions=[
        Transition("register", _("Register"), source=[NEW], target=R.REGISTERED, actors=[REGISTERING_UNIT],
                   guard=registration_open, style="primary"),
        Transition("withdraw", _("Withdraw the registration"), source=[R.REGISTERED], target=R.WITHDRAWN,
                   actors=[REGISTERING_UNIT], guard=before_the_deadline, style="danger",
                   wrong_state_message=_("This registration has already been withdrawn.")),
        Transition("cancel", _("Cancel the registration"), source=[R.REGISTERED], target=R.WITHDRAWN,
                   actors=[SECRETARIAT], style="danger"),
        Transition("record_attendance", _("Record attendance"), source=[R.REGISTERED], target=None,
                   actors=[SECRETARIAT]),
    ],
)
