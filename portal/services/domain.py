"""Workflow steps of member services: every state change is one function here.

Each function takes keyword-only arguments, checks the actor's role and access to the object,
runs in one transaction, re-reads the row with `select_for_update()` and checks its current
state (two concurrent steps yield exactly one winner), writes an audit entry and queues the
emails (sent after commit).

Errors a user can fix raise `ServiceError` (a `ValidationError` with a clear message); acting
without the right role raises `PermissionDenied`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role, is_firm_user
from portal.core.audit import record
from portal.core.mail import queue_email
from portal.organisations.membership import active_member_ids
from portal.organisations.models import organisation_for

from .models import Event, EventRegistration, ServiceItem, ServiceRequest, ServiceRequestHistory

Status = ServiceRequest.Status

# Which status may follow which. Completed and cancelled are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (Status.CONTACTED, Status.IN_PROGRESS, Status.CANCELLED),
    Status.CONTACTED: (Status.IN_PROGRESS, Status.CANCELLED),
    Status.IN_PROGRESS: (Status.COMPLETED, Status.CANCELLED),
}
# A requesting firm may withdraw its request until the provider starts work.
FIRM_CANCELLABLE = (Status.SUBMITTED, Status.CONTACTED)


class ServiceError(ValidationError):
    """A workflow step that cannot happen now (wrong state, deadline passed, full …)."""


# --- who may do what ---------------------------------------------------------------------------


def is_secretariat(user) -> bool:
    return has_role(user, Role.SECRETARIAT)


def provider_ids_for(user) -> set[int]:
    """Ids of the providers a user handles requests for (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_service_provider_ids"):
        user._service_provider_ids = set(user.service_providers.values_list("pk", flat=True))
    return user._service_provider_ids


def is_provider_user(user) -> bool:
    return bool(provider_ids_for(user))


def can_handle(user, service_request: ServiceRequest) -> bool:
    """The provider's own users and the secretariat handle a request."""
    return service_request.provider_id in provider_ids_for(user) or is_secretariat(user)


def allowed_transitions(user, service_request: ServiceRequest) -> list[str]:
    """The statuses this user may move the request to now (for showing the right buttons)."""
    following = TRANSITIONS.get(service_request.status, ())
    if can_handle(user, service_request):
        return list(following)
    organisation = organisation_for(user)
    if (
        organisation is not None
        and organisation.pk == service_request.organisation_id
        and service_request.status in FIRM_CANCELLABLE
    ):
        return [Status.CANCELLED]
    return []


def secretariat_emails() -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(groups__name=str(Role.SECRETARIAT), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def provider_emails(provider) -> list[str]:
    """The provider's active accounts; the provider's own address when it has none."""
    emails = list(provider.users.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    if not emails and provider.email:
        emails = [provider.email]
    return emails


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
        raise ServiceError(_("Your account is not linked to an organisation yet, so you cannot request services."))
    if preferred_contact == ServiceRequest.ContactMethod.PHONE and not contact_phone:
        raise ServiceError(_("Enter a phone number, or choose email as the preferred contact."))
    if preferred_contact == ServiceRequest.ContactMethod.EMAIL and not contact_email:
        raise ServiceError(_("Enter an email address, or choose phone as the preferred contact."))
    with transaction.atomic():
        item = ServiceItem.objects.select_related("provider", "category").get(pk=item.pk)
        if not (item.is_active and item.provider.is_active):
            raise ServiceError(_("This service is no longer offered."))
        service_request = ServiceRequest.objects.create(
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
        ServiceRequestHistory.objects.create(
            service_request=service_request, from_status="", to_status=Status.SUBMITTED, user=user
        )
        record(
            service_request,
            "services.request.submit",
            user=user,
            request=request,
            data={"item": item.pk, "provider": item.provider_id, "member": service_request.is_member},
        )
        context = {"service_request": service_request, "item": item, "organisation": organisation}
        recipients = provider_emails(item.provider)
        if recipients:
            queue_email(
                to=recipients,
                subject=_("New service request %(number)s: %(item)s") % {"number": service_request.number, "item": item.name},
                template="services/email/request_submitted_provider.txt",
                context=context,
            )
        staff = secretariat_emails()
        if staff:
            queue_email(
                to=staff,
                subject=_("Service request %(number)s to %(provider)s")
                % {"number": service_request.number, "provider": item.provider.name},
                template="services/email/request_submitted_secretariat.txt",
                context=context,
            )
    return service_request


def change_request_status(*, service_request: ServiceRequest, user, status: str, note: str = "", request=None):
    """Move a request along submitted → contacted → in progress → completed, or cancel it.

    The provider's users and the secretariat may take any allowed step; the requesting firm may
    only cancel before work starts. The requester is told by email; the provider too when the firm
    cancels.
    """
    with transaction.atomic():
        current = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        handler = can_handle(user, current)
        organisation = organisation_for(user)
        own_firm = organisation is not None and organisation.pk == current.organisation_id
        if not handler and not own_firm:
            raise PermissionDenied
        if status not in TRANSITIONS.get(current.status, ()):
            raise ServiceError(
                _("This request is “%(current)s” and cannot be moved to “%(target)s”.")
                % {"current": current.get_status_display(), "target": Status(status).label if status in Status.values else status}
            )
        if not handler and not (status == Status.CANCELLED and current.status in FIRM_CANCELLABLE):
            raise ServiceError(_("Work on this request has started; ask the provider or the secretariat to cancel it."))
        previous = current.status
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        ServiceRequestHistory.objects.create(
            service_request=current, from_status=previous, to_status=status, user=user, note=note.strip()
        )
        record(
            current,
            "services.request.status",
            user=user,
            request=request,
            data={"from": previous, "to": status, "note": note.strip()},
        )
        current = ServiceRequest.objects.select_related("item", "provider", "organisation", "requested_by").get(pk=current.pk)
        context = {"service_request": current, "note": note.strip(), "actor": user}
        subject = _("Service request %(number)s: %(status)s") % {
            "number": current.number,
            "status": current.get_status_display(),
        }
        template = "services/email/request_status.txt"
        if current.requested_by.email and current.requested_by != user:
            link = reverse("services:request", args=[current.pk])
            queue_email(to=current.requested_by.email, subject=subject, template=template, context={**context, "link": link})
        if not handler:
            recipients = provider_emails(current.provider)
            if recipients:
                link = reverse("services:desk_detail", args=[current.pk])
                queue_email(to=recipients, subject=subject, template=template, context={**context, "link": link})
    service_request.status = current.status
    return current


# --- association events -----------------------------------------------------------------------


def register_for_event(*, event: Event, user, participants: int = 1, note: str = "", request=None) -> EventRegistration:
    """A firm registers its organisation for an event: deadline, capacity and uniqueness enforced."""
    if not is_firm_user(user):
        raise PermissionDenied
    organisation = organisation_for(user)
    if organisation is None:
        raise ServiceError(_("Your account is not linked to an organisation yet, so you cannot register."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.is_published:
            raise ServiceError(_("This event is not open for registration."))
        if timezone.now() > event.registration_deadline:
            raise ServiceError(_("Registration for this event closed on %(deadline)s.") % {
                "deadline": timezone.localtime(event.registration_deadline).strftime("%Y-%m-%d %H:%M")
            })
        if EventRegistration.objects.filter(event=event, organisation=organisation).exists():
            raise ServiceError(_("Your organisation is already registered for this event."))
        if event.members_only and organisation.pk not in active_member_ids([organisation.pk]):
            raise ServiceError(_("This event is open to member units only."))
        if event.capacity is not None and event.registrations.count() >= event.capacity:
            raise ServiceError(_("This event is full."))
        registration = EventRegistration.objects.create(
            event=event, organisation=organisation, registered_by=user, participants=participants, note=note.strip()
        )
        record(event, "services.event.register", user=user, request=request, data={"organisation": organisation.pk})
    return registration


def cancel_registration(*, registration: EventRegistration, user, request=None) -> None:
    """A firm withdraws its registration before the deadline (attended registrations stay)."""
    organisation = organisation_for(user)
    if organisation is None or organisation.pk != registration.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = EventRegistration.objects.filter(pk=registration.pk).first()
        if current is None:
            raise ServiceError(_("This registration has already been withdrawn."))
        if current.attended or timezone.now() > event.registration_deadline:
            raise ServiceError(_("Registration has closed; ask the secretariat to withdraw it."))
        current.delete()
        record(event, "services.event.unregister", user=user, request=request, data={"organisation": organisation.pk})


def record_attendance(*, registration: EventRegistration, user, attended: bool, request=None) -> EventRegistration:
    """The secretariat records whether a registered organisation attended (the membership rules read it)."""
    if not is_secretariat(user):
        raise PermissionDenied
    with transaction.atomic():
        current = EventRegistration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        if current.attended == attended:
            return current
        if attended and current.event.starts_at > timezone.now():
            raise ServiceError(_("Attendance can be recorded once the event has started."))
        current.attended = attended
        current.attended_at = timezone.now() if attended else None
        current.save(update_fields=["attended", "attended_at"])
        record(
            current.event,
            "services.event.attendance",
            user=user,
            request=request,
            data={"organisation": current.organisation_id, "attended": attended},
        )
    return current
