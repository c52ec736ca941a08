"""Steps of member services: service requests go through their table in `portal.services.workflows`.

Each function takes keyword-only arguments; state changes run through the workflow core
(permission, row lock, state check, history, audit, emails after commit). Errors a user can fix raise
`WorkflowError` (shown as is); acting without the right role raises `PermissionDenied`; another
unit's record is `NotFound`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role, is_firm_user
from portal.core import recipients
from portal.core.mail import queue_email
from portal.core.workflow import WorkflowError
from portal.organisations.membership import active_member_ids
from portal.organisations.models import organisation_for

from .models import Event, EventRegistration, ServiceItem, ServiceRequest
from .workflows import REGISTRATIONS, REQUESTS, handles, provider_ids_for

Status = ServiceRequest.Status


def is_secretariat(user) -> bool:
    return has_role(user, Role.SECRETARIAT)


def is_provider_user(user) -> bool:
    return bool(provider_ids_for(user))


def provider_emails(provider) -> list[str]:
    """The provider's active accounts; the provider's own address when it has none."""
    return recipients.of_users(provider.users.all()) or recipients.unique([provider.email])


# --- service requests --------------------------------------------------------------------------


def submit_request(
    *,
    item: ServiceItem,
    user,
    message: str,
    contact_name: str,
    preferred_contact: str,
    contact_phone: str = "",
    contact_email: str = "",
    request=None,
) -> ServiceRequest:
    """A firm user asks for a service item; the provider and the secretariat are told by email."""
    if not is_firm_user(user):
        raise PermissionDenied
    organisation = organisation_for(user)
    if organisation is None:
        raise WorkflowError(_("Your account is not linked to an organisation yet, so you cannot request services."))
    if preferred_contact == ServiceRequest.ContactMethod.PHONE and not contact_phone:
        raise WorkflowError(_("Enter a phone number, or choose email as the preferred contact."))
    if preferred_contact == ServiceRequest.ContactMethod.EMAIL and not contact_email:
        raise WorkflowError(_("Enter an email address, or choose phone as the preferred contact."))
    with transaction.atomic():
        item = ServiceItem.objects.select_related("provider", "category").get(pk=item.pk)
        if not (item.is_active and item.provider.is_active):
            raise WorkflowError(_("This service is no longer offered."))
        service_request = ServiceRequest(
            item=item,
            provider=item.provider,
            organisation=organisation,
            requested_by=user,
            message=message.strip(),
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip(),
            preferred_contact=preferred_contact,
            is_member=organisation.pk in active_member_ids([organisation.pk]),
        )

        def notify(service_request):
            context = {"service_request": service_request, "item": item, "organisation": organisation}
            to = provider_emails(item.provider)
            if to:
                queue_email(
                    to=to,
                    subject=_("New service request %(number)s: %(item)s")
                    % {"number": service_request.number, "item": item.name},
                    template="services/email/request_submitted_provider.txt",
                    context=context,
                )
            staff = recipients.with_roles(Role.SECRETARIAT)
            if staff:
                queue_email(
                    to=staff,
                    subject=_("Service request %(number)s to %(provider)s")
                    % {"number": service_request.number, "provider": item.provider.name},
                    template="services/email/request_submitted_secretariat.txt",
                    context=context,
                )

        REQUESTS.create(
            service_request, "submit", user=user, request=request, notify=notify,
            data={"item": item.pk, "provider": item.provider_id, "member": service_request.is_member},
        )
    return service_request


def take_action(*, service_request: ServiceRequest, user, action: str, note: str = "", request=None) -> ServiceRequest:
    """Move a request by one step of its table (`REQUESTS`): contact, start, complete, cancel, withdraw.

    The requester is told by email (unless they took the step); the provider too when the unit
    withdraws the request.
    """
    note = note.strip()

    def notify(current):
        current = ServiceRequest.objects.select_related("item", "provider", "organisation", "requested_by").get(pk=current.pk)
        context = {"service_request": current, "note": note, "actor": user}
        subject = _("Service request %(number)s: %(status)s") % {
            "number": current.number,
            "status": current.get_status_display(),
        }
        template = "services/email/request_status.txt"
        if current.requested_by.email and current.requested_by != user:
            link = reverse("services:request", args=[current.pk])
            queue_email(to=current.requested_by.email, subject=subject, template=template, context={**context, "link": link})
        if not handles(user, current):
            to = provider_emails(current.provider)
            if to:
                link = reverse("services:desk_detail", args=[current.pk])
                queue_email(to=to, subject=subject, template=template, context={**context, "link": link})

    current = REQUESTS.transition(service_request, action, user=user, request=request, note=note, notify=notify)
    service_request.status = current.status
    return current


# --- association events -----------------------------------------------------------------------


def register_for_event(*, event: Event, user, participants: int = 1, note: str = "", request=None) -> EventRegistration:
    """A unit registers for an event: published, before the deadline, members only if so, within capacity."""
    organisation = organisation_for(user)
    if organisation is None:
        raise WorkflowError(_("Your account is not linked to an organisation yet, so you cannot register."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)  # serialises the capacity count
        registration = EventRegistration(
            event=event, organisation=organisation, registered_by=user, participants=participants, note=note.strip()
        )
        REGISTRATIONS.create(registration, "register", user=user, request=request,
                             data={"event": event.pk, "organisation": organisation.pk})
    return registration


def cancel_registration(*, registration: EventRegistration, user, request=None) -> EventRegistration:
    """The unit withdraws its registration before the deadline; the secretariat may cancel one at any time."""
    action = "withdraw" if REGISTRATIONS["withdraw"].permits(user, registration) else "cancel"
    return REGISTRATIONS.transition(registration, action, user=user, request=request,
                                    data={"event": registration.event_id, "organisation": registration.organisation_id})


def record_attendance(*, registration: EventRegistration, user, attended: bool, request=None) -> EventRegistration:
    """The secretariat records whether a registered unit attended (the membership rules read it)."""

    def change(current):
        if attended and current.event.starts_at > timezone.now():
            raise WorkflowError(_("Attendance can be recorded once the event has started."))
        current.attended = attended
        current.attended_at = timezone.now() if attended else None

    return REGISTRATIONS.transition(registration, "record_attendance", user=user, request=request, change=change,
                                    data={"organisation": registration.organisation_id, "attended": attended})
