"""Public catalogue, fee estimator, service requests, provider desk and association events.

Views stay thin: they pick the rows the user may see (others answer 404), bind a form and call
`portal.services.domain`.

Provider users work on a front-end **provider desk** (`/services/desk/`), not in the Wagtail
admin: they are outside staff of another company, not association staff. Giving them admin
access would show them the admin shell, menus and reports of the association
(`AdminAccessMiddleware` keeps non-staff out of `/admin/` on purpose), and every admin view would
need per-provider row filtering. The desk shows exactly their providers' requests with the same
domain functions the secretariat's admin uses.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.roles import is_firm_user
from portal.core.cache import kept_query
from portal.core.idempotency import ALREADY_SUBMITTED, submit_once
from portal.core.workflow import WorkflowError
from portal.core.workflow_views import ActionForm, run_step
from portal.organisations.membership import active_member_ids
from portal.organisations.models import organisation_for

from . import domain
from .forms import (
    CatalogueFilterForm,
    EstimateForm,
    EventRegistrationForm,
    ServiceRequestForm,
)
from .models import (
    STANDING,
    Event,
    EventRegistration,
    Provider,
    ServiceCategory,
    ServiceItem,
    ServiceRequest,
    ServiceRequestHistory,
)
from .workflows import REQUESTS

ITEMS_PER_PAGE = 20
PROVIDERS_PER_PAGE = 20
REQUESTS_PER_PAGE = 20
EVENTS_PER_PAGE = 10


def _listed_items_filter(prefix: str = "items__") -> Q:
    return Q(**{f"{prefix}is_active": True, f"{prefix}provider__is_active": True})


# --- catalogue ---------------------------------------------------------------------------------


def catalogue(request):
    """All listed service items: by category, by provider, by fee kind, with a keyword search."""
    categories = list(ServiceCategory.objects.annotate(item_count=Count("items", filter=_listed_items_filter())))
    providers = list(Provider.objects.filter(is_active=True).only("pk", "name"))
    form = CatalogueFilterForm(request.GET, categories=categories, providers=providers)
    items = ServiceItem.objects.listed().select_related("category", "provider")
    current_category = None
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            items = items.filter(
                Q(name__icontains=q)
                | Q(description__icontains=q)
                | Q(provider__name__icontains=q)
                | Q(category__name__icontains=q)
            )
        if data["category"]:
            items = items.filter(category__code=data["category"])
            current_category = next(c for c in categories if c.code == data["category"])
        if data["provider"]:
            items = items.filter(provider_id=data["provider"])
        if data["fee"]:
            items = items.filter(fee_kind=data["fee"])
    else:
        items = items.none()
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    filtered = form.is_valid() and any(form.cleaned_data[k] for k in ("q", "category", "provider", "fee"))
    return render(
        request,
        "services/catalogue.html",
        {
            "form": form,
            "categories": categories,
            "current_category": current_category,
            "page": page,
            "query": kept_query(request),
            "filtered": filtered,
        },
    )


def provider_list(request):
    providers = (
        Provider.objects.filter(is_active=True)
        .annotate(item_count=Count("items", filter=Q(items__is_active=True)))
        .order_by("order", "name")
    )
    page = Paginator(providers, PROVIDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services/provider_list.html", {"page": page})


def provider_detail(request, pk: int):
    provider = get_object_or_404(Provider, pk=pk, is_active=True)
    items = provider.items.filter(is_active=True).select_related("category").order_by("category__number", "order", "pk")
    return render(request, "services/provider_detail.html", {"provider": provider, "items": items})


def item_detail(request, pk: int):
    """A service item with its fee; rate-based fees carry the estimator (a GET form, no JS needed)."""
    item = get_object_or_404(ServiceItem.objects.listed().select_related("category", "provider"), pk=pk)
    fee = item.fee
    estimate_form = estimate = None
    if fee.is_estimable:
        estimate_form = EstimateForm(request.GET if "base" in request.GET else None, base_name=fee.base_name)
        if estimate_form.is_bound and estimate_form.is_valid():
            estimate = fee.estimate(estimate_form.base_yuan)
    return render(
        request,
        "services/item_detail.html",
        {
            "item": item,
            "provider": item.provider,
            "fee": fee,
            "estimate_form": estimate_form,
            "estimate": estimate,
            "can_request": is_firm_user(request.user),
        },
    )


# --- service requests (firm side) --------------------------------------------------------------


def _firm_organisation(request):
    """The requesting user's organisation; 403 for staff (wrong role)."""
    if not is_firm_user(request.user):
        raise PermissionDenied
    return organisation_for(request.user)


@login_required
def request_create(request, pk: int):
    item = get_object_or_404(ServiceItem.objects.listed().select_related("category", "provider"), pk=pk)
    organisation = _firm_organisation(request)
    if organisation is None:
        return render(request, "services/no_organisation.html", status=200)
    initial = {
        "contact_name": request.user.display_name or organisation.contact_person,
        "contact_phone": organisation.phone,
        "contact_email": request.user.email,
    }
    form = ServiceRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = submit_once(
                request,
                lambda: domain.submit_request(item=item, user=request.user, request=request, **form.cleaned_data),
                url_of=lambda service_request: service_request.get_absolute_url(),
            )
        except WorkflowError as exc:
            form.add_error(None, exc)
        else:
            if outcome.duplicate:
                messages.info(request, ALREADY_SUBMITTED)
            else:
                messages.success(request, _("Your request has been sent to %(provider)s.") % {"provider": item.provider.name})
            return redirect(outcome.url)
    is_member = organisation.pk in active_member_ids([organisation.pk])
    return render(
        request,
        "services/request_form.html",
        {"item": item, "form": form, "organisation": organisation, "is_member": is_member},
    )


@login_required
def request_list(request):
    organisation = _firm_organisation(request)
    requests_ = ServiceRequest.objects.for_organisation(organisation).select_related("item", "provider")
    page = Paginator(requests_, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services/request_list.html", {"page": page, "organisation": organisation})


def _request_with_history(queryset, pk):
    return get_object_or_404(
        queryset.select_related("item__category", "provider", "organisation", "requested_by").prefetch_related(
            Prefetch("history", queryset=ServiceRequestHistory.objects.select_related("user"))
        ),
        pk=pk,
    )


@login_required
def request_detail(request, pk: int):
    organisation = _firm_organisation(request)
    service_request = _request_with_history(ServiceRequest.objects.for_organisation(organisation), pk)
    return render(
        request,
        "services/request_detail.html",
        {"service_request": service_request, "can_cancel": REQUESTS.allows(request.user, service_request, "withdraw")},
    )


@login_required
@require_POST
def request_cancel(request, pk: int):
    organisation = _firm_organisation(request)
    service_request = get_object_or_404(ServiceRequest.objects.for_organisation(organisation), pk=pk)
    note = request.POST.get("note", "")[:1000]
    run_step(request, domain.take_action, service_request=service_request, user=request.user, action="withdraw",
             note=note, request=request, success=_("Your request has been cancelled."))
    return redirect(service_request)


# --- provider desk -----------------------------------------------------------------------------


def _desk_queryset(request):
    if not request.user.is_authenticated:
        raise Http404
    if not domain.is_provider_user(request.user):
        raise PermissionDenied
    return ServiceRequest.objects.filter(provider_id__in=domain.provider_ids_for(request.user))


@login_required
def desk(request):
    """The provider's incoming requests, open ones first; member units are marked for the discount."""
    queryset = _desk_queryset(request).select_related("item", "provider", "organisation")
    status = request.GET.get("status", "open")
    if status == "open":
        queryset = queryset.filter(status__in=ServiceRequest.OPEN_STATUSES)
    elif status in ServiceRequest.Status.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    page = Paginator(queryset, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    providers = Provider.objects.filter(pk__in=domain.provider_ids_for(request.user))
    return render(
        request,
        "services/desk.html",
        {"page": page, "query": kept_query(request), "status": status, "statuses": ServiceRequest.Status.choices,
         "providers": providers},
    )


@login_required
def desk_detail(request, pk: int):
    service_request = _request_with_history(_desk_queryset(request), pk)
    actions = REQUESTS.actions_for(request.user, service_request)
    form = ActionForm(request.POST or None, actions=actions)
    if request.method == "POST" and form.is_valid():
        if run_step(request, domain.take_action, service_request=service_request, user=request.user,
                    action=form.cleaned_data["action"], note=form.cleaned_data["note"], request=request):
            messages.success(request, _("The request is now “%(status)s”.") % {"status": service_request.get_status_display()})
        return redirect("services:desk_detail", pk=pk)
    return render(request, "services/desk_detail.html", {"service_request": service_request, "form": form if actions else None})


# --- association events ------------------------------------------------------------------------


def event_list(request):
    """Upcoming events first (soonest first), then past ones."""
    now = timezone.now()
    base = Event.objects.filter(is_published=True).annotate(registration_count=Count("registrations", filter=STANDING))
    show_past = request.GET.get("when") == "past"
    events = base.filter(ends_at__lt=now).order_by("-starts_at") if show_past else base.filter(ends_at__gte=now).order_by("starts_at")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    organisation = organisation_for(request.user)
    registered = set()
    if organisation is not None:
        registered = set(
            EventRegistration.objects.current().filter(organisation=organisation, event__in=[e.pk for e in page]).values_list(
                "event_id", flat=True
            )
        )
    return render(
        request,
        "services/event_list.html",
        {"page": page, "query": kept_query(request), "show_past": show_past, "registered": registered, "now": now},
    )


def event_detail(request, pk: int):
    event = get_object_or_404(
        Event.objects.filter(is_published=True).annotate(registration_count=Count("registrations", filter=STANDING)), pk=pk
    )
    organisation = organisation_for(request.user)
    registration = (
        EventRegistration.objects.current().filter(event=event, organisation=organisation).first() if organisation else None
    )
    form = None
    if registration is None and is_firm_user(request.user) and organisation is not None and event.registration_open:
        form = EventRegistrationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                domain.register_for_event(event=event, user=request.user, request=request, **form.cleaned_data)
            except WorkflowError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(organisation)s is registered for this event.") % {"organisation": organisation})
                return redirect(event)
    elif request.method == "POST":
        messages.error(request, _("Registration is not possible for your account or has closed."))
        return redirect(event)
    is_full = event.capacity is not None and event.registration_count >= event.capacity
    return render(
        request,
        "services/event_detail.html",
        {
            "event": event,
            "organisation": organisation,
            "registration": registration,
            "form": form,
            "is_full": is_full,
            "is_firm": is_firm_user(request.user),
        },
    )


@login_required
@require_POST
def event_unregister(request, pk: int):
    organisation = _firm_organisation(request)
    registration = get_object_or_404(EventRegistration.objects.current(), event_id=pk, organisation=organisation)
    run_step(request, domain.cancel_registration, registration=registration, user=request.user, request=request,
             success=_("Your registration has been withdrawn."))
    return redirect("services:event", pk=pk)
