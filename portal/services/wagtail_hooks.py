from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.accounts.roles import is_firm_user
from portal.organisations.models import organisation_for

from . import domain
from .admin_views import ServicesViewSetGroup, admin_urlpatterns
from .models import EventRegistration, ServiceRequest


@hooks.register("register_admin_viewset")
def register_services_viewsets():
    return ServicesViewSetGroup()


@hooks.register("register_admin_urls")
def register_services_admin_urls():
    return admin_urlpatterns


@hooks.register("register_demo_loader", order=30)
def load_services_demo(demo):
    from .demo import load_demo

    load_demo(demo)


@hooks.register("register_account_panel")
def service_requests_panel(request):
    """A firm's latest service requests (2 queries)."""
    if not is_firm_user(request.user):
        return None
    organisation = organisation_for(request.user)
    if organisation is None:
        return None
    requests_ = list(ServiceRequest.objects.for_organisation(organisation).select_related("item", "provider")[:5])
    return {"title": _("My service requests"), "template": "services/panels/requests.html", "order": 30, "requests": requests_}


@hooks.register("register_account_panel")
def event_registrations_panel(request):
    """The organisation's event registrations and attendance (its activity participation)."""
    organisation = organisation_for(request.user)
    if organisation is None:
        return None
    registrations = list(
        EventRegistration.objects.current().filter(organisation=organisation).select_related("event").order_by("-event__starts_at")[:10]
    )
    attended = EventRegistration.objects.filter(organisation=organisation, attended=True).count()
    return {
        "title": _("Association events"),
        "template": "services/panels/events.html",
        "order": 31,
        "registrations": registrations,
        "attended_count": attended,
        "now": timezone.now(),
    }


@hooks.register("register_account_panel")
def provider_desk_panel(request):
    if not domain.is_provider_user(request.user):
        return None
    open_count = ServiceRequest.objects.filter(
        provider_id__in=domain.provider_ids_for(request.user), status__in=ServiceRequest.OPEN_STATUSES
    ).count()
    return {"title": _("Provider desk"), "template": "services/panels/desk.html", "order": 5, "open_count": open_count}


# --------------------------------------------------------------------------- personal information (portal.privacy)


@hooks.register("personal_data_sections")
def services_personal_data(user):
    """The service requests and event registrations this person made, with the contact details given."""
    sections = []
    requests_ = ServiceRequest.objects.filter(requested_by=user).select_related("item", "provider")
    if requests_:
        sections.append({"title": _("Service requests you made"), "items": [{
            _("Number"): r.number, _("Service"): r.item.name, _("Provider"): r.provider.name,
            _("Status"): r.get_status_display(), _("Contact person"): r.contact_name, _("Phone"): r.contact_phone,
            _("Email"): r.contact_email, _("Preferred contact"): r.get_preferred_contact_display(),
            _("Message"): r.message, _("Submitted at"): r.created_at,
        } for r in requests_.order_by("created_at")]})
    registrations = EventRegistration.objects.filter(registered_by=user).select_related("event")
    if registrations:
        sections.append({"title": _("Event registrations you made"), "items": [{
            _("Event"): r.event.title, _("Participants"): r.participants, _("Note"): r.note,
            _("Registered at"): r.registered_at, _("Attended"): _("yes") if r.attended else _("no"),
        } for r in registrations.order_by("registered_at")]})
    return sections


@hooks.register("cancellation_blockers")
def services_cancellation_blockers(user):
    return [
        _("Your service request %(number)s (%(service)s) is still being handled: withdraw it or wait until it is "
          "completed.") % {"number": r.number, "service": r.item.name}
        for r in ServiceRequest.objects.filter(requested_by=user, status__in=ServiceRequest.OPEN_STATUSES)
        .select_related("item")
    ]


@hooks.register("anonymise_personal_data")
def services_anonymise(user, pseudonym):
    """The requests stay with the unit and the provider; the contact details given in them go."""
    from portal.privacy.cancellation import anonymous_name

    ServiceRequest.objects.filter(requested_by=user).update(
        contact_name=anonymous_name(pseudonym)[:50], contact_phone="", contact_email="")


@hooks.register("personal_data_views")
def services_personal_data_views():
    return {"services_requests:inspect": ServiceRequest}
