"""Staff views (Wagtail admin, the secretariat): find a person, see what the portal holds about them, export
it for a request made by letter or phone; pending account cancellations. Each view of a person's details and
each export writes an audit entry."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.accounts.roles import Role, role_required
from portal.core.admin_pages import render_admin_page
from portal.core.audit import record

from . import data
from .middleware import EXPORTED, VIEWED
from .models import CancellationRequest
from .views import _attachment

PAGE_SIZE = 25


def page(request, template, title, context, crumbs=()):
    return render_admin_page(request, template, title, context, crumbs=crumbs, icon="lock",
                             section=(reverse("privacy_admin:index"), _("Personal information")))


@require_GET
@role_required(Role.SECRETARIAT)
def index(request):
    """Find a person by email or name; the cancellation requests still waiting."""
    query = (request.GET.get("q") or "").strip()[:100]
    people = None
    if query:
        people = Paginator(
            get_user_model().objects.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
            .order_by("email"), PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = CancellationRequest.objects.filter(status=CancellationRequest.Status.PENDING).select_related("user")
    return page(request, "privacy/admin/index.html", _("Personal information"),
                {"query": query, "people": people, "waiting": waiting[:100]})


@require_GET
@role_required(Role.SECRETARIAT)
def person(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    record(person, VIEWED, request=request, data={"view": "privacy_admin:person"})
    return page(request, "privacy/admin/person.html", str(person),
                {"person": person, "sections": data.collect(person)})


@require_GET
@role_required(Role.SECRETARIAT)
def person_export(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    record(person, EXPORTED, request=request, data={"format": "json"})
    return _attachment(data.export_json(person), "application/json; charset=utf-8",
                       f"个人信息-{person.pk}-{timezone.localdate().isoformat()}.json")
