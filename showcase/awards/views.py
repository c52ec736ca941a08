"""Public pages of the titles: notices with objections, the directory, announcements, reports; firm downloads."""


from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from portal.accounts.roles import Role, has_role
from portal.core.audit import client_address, refused
from portal.core.cache import kept_query, public_memo, requested_page, skip_page_cache
from portal.core.idempotency import submit_once
from portal.core.pdf import pdf_response
from portal.core.uploads import serve_private_file
from portal.core.workflow import WorkflowError
from portal.organisations.models import organisation_for
from portal.privacy.consent import record_consent
from portal.privacy.models import Consent, DocumentKind

from . import domain, objection_limits
from .domain.titles import certificate_download
from .forms import ConfirmObjectionForm, DirectoryFilterForm, ObjectionForm
from .models import Notice, NoticeEntry, Revocation, SummaryReport, Title, TitleStatus, rules

PAGE_SIZE = 20
SESSION_ACK = "awards_objection_ack"


def _entries_prefetch():
    return Prefetch("entries", queryset=NoticeEntry.objects.order_by("sort_order", "pk"))


@require_GET
def notice_list(request):
    now = timezone.now()
    live = list(Notice.objects.published().filter(ends_at__gt=now).prefetch_related(_entries_prefetch())
                .order_by("ends_at"))
    current = [n for n in live if n.starts_at <= now]
    upcoming = [n for n in live if n.starts_at > now]
    for notice in current:
        notice.left = domain.remaining_parts(notice.remaining(now))
    past = Paginator(Notice.objects.past(now).prefetch_related(_entries_prefetch()).order_by("-ends_at"), PAGE_SIZE)
    page_obj = past.get_page(request.GET.get("page"))
    return render(request, "awards/notice_list.html", {
        "current": current, "upcoming": upcoming, "page_obj": page_obj, "now": now,
        "notice_days": rules().notice_days,
    })


def _published_notice(pk):
    return get_object_or_404(Notice.objects.published(), pk=pk)


@skip_page_cache
def notice_detail(request, pk):
    notice = _published_notice(pk)
    now = timezone.now()
    entries = list(notice.entries.select_related("title").prefetch_related("objections").order_by("sort_order", "pk"))
    is_open = notice.is_open(now)
    form = None
    if is_open:
        if request.method == "POST":
            address = client_address(request)
            try:
                # the cheap limits first: a refused objection's upload is never examined
                domain.check_objection_limits(notice=notice, client_address=address, now=now)
            except WorkflowError as exc:
                form = ObjectionForm(request.POST, entries=entries)
                form.add_error(None, exc.messages_for_user)
            else:
                form = ObjectionForm(request.POST, request.FILES, entries=entries)
            if form.is_valid():
                entry = next(e for e in entries if e.pk == form.cleaned_data["entry"])
                data = form.cleaned_data
                try:
                    # a double click or a retry files the objection once (portal.core.idempotency)
                    outcome = submit_once(request, lambda: domain.submit_objection(
                        entry=entry, name=data["name"], phone=data["phone"], email=data["email"],
                        relationship=data["relationship"], content=data["content"], evidence=data["evidence"],
                        client_address=address, request=request),
                        url_of=lambda _objection: reverse("awards:objection_received", args=[notice.pk]))
                except WorkflowError as exc:
                    form.add_error(None, exc.messages_for_user)
                else:
                    if not outcome.duplicate:
                        objection = outcome.result
                        record_consent(kinds=[DocumentKind.PRIVACY], context=Consent.Context.FORM, subject=objection,
                                       request=request)
                        request.session[SESSION_ACK] = {
                            "number": objection.number, "notice": notice.pk,
                            "email": objection_limits.masked_email(objection.email)}
                    return redirect(outcome.url)
        else:
            form = ObjectionForm(entries=entries)
    for entry in entries:
        entry.state = domain.entry_state(
            entry, has_title=hasattr(entry, "title"), objection_statuses=[o.status for o in entry.objections.all()],
            now=now)
        entry.state_label = domain.ENTRY_STATE_LABELS[entry.state]
    response = render(request, "awards/notice_detail.html", {
        "notice": notice, "entries": entries, "form": form, "is_open": is_open, "phase": notice.phase(now),
        "left": domain.remaining_parts(notice.remaining(now)), "now": now,
        "closed_post": request.method == "POST" and not is_open,
    })
    if request.method == "POST" and form is not None and form.errors:
        response.status_code = 400
    if request.method == "POST" and not is_open:
        response.status_code = 409
    return response


@skip_page_cache
def objection_received(request, pk):
    ack = request.session.get(SESSION_ACK)
    if not ack or ack.get("notice") != pk:
        return redirect("awards:notice", pk=pk)
    notice = _published_notice(pk)
    return render(request, "awards/objection_received.html", {
        "notice": notice, "number": ack["number"], "email": ack.get("email", ""),
        "form": ConfirmObjectionForm(initial={"number": ack["number"]}) if ack.get("email") else None})


@skip_page_cache
def objection_confirm(request):
    """The objector confirms an objection with the code emailed to them (no account, no session needed)."""
    confirmed = None
    if request.method == "POST":
        form = ConfirmObjectionForm(request.POST)
        if form.is_valid():
            try:
                confirmed = domain.confirm_objection(
                    number=form.cleaned_data["number"], code=form.cleaned_data["code"],
                    client_address=client_address(request), request=request)
            except WorkflowError as exc:
                form.add_error(None, exc.messages_for_user)
    else:
        form = ConfirmObjectionForm(initial={"number": request.GET.get("number", "")[:20]})
    response = render(request, "awards/objection_confirm.html", {"form": form, "confirmed": confirmed})
    if request.method == "POST" and confirmed is None:
        response.status_code = 400
    return response


class NoticeFeed(Feed):
    title = gettext_lazy("Public notices of credit demonstration member units")
    description = gettext_lazy("Units accepted as credit demonstration member units, in public notice for objections.")

    def link(self):
        return reverse("awards:notices")

    def items(self):
        return Notice.objects.published().filter(starts_at__lte=timezone.now()).prefetch_related(
            _entries_prefetch()).order_by("-starts_at")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        units = "、".join(e.unit_name for e in item.entries.all())
        start = timezone.localtime(item.starts_at).strftime("%Y-%m-%d %H:%M")
        end = timezone.localtime(item.ends_at).strftime("%Y-%m-%d %H:%M")
        return _("Units: %(units)s. Notice from %(start)s to %(end)s (Beijing time).") % {
            "units": units, "start": start, "end": end}

    def item_link(self, item):
        return reverse("awards:notice", args=[item.pk])

    def item_pubdate(self, item):
        return item.starts_at

    def item_updateddate(self, item):
        return item.published_at or item.starts_at


class NoticeAtomFeed(NoticeFeed):
    feed_type = Atom1Feed
    subtitle = NoticeFeed.description


STATUS_FILTERS = [(s.value, s.label) for s in TitleStatus]


def _region_choices():
    """Cities (prefecture level) that hold titles: [(4-digit code, name)] (one query)."""
    seen = {}
    for code, name in Title.objects.values_list("organisation__region_code", "organisation__region_name").distinct():
        if code and len(code) >= 4:
            parts = (name or "").split()
            seen.setdefault(code[:4], parts[1] if len(parts) > 1 else (parts[0] if parts else code[:4]))
    return sorted(seen.items())


class DirectoryListing:
    """The directory's form and page, computed only when its fragment is rendered (a cached fragment runs no
    query); the filter choices are remembered until the titles change (family "showcase")."""

    def __init__(self, request, today):
        self.request, self.today = request, today
        self.query = kept_query(request)
        self.page_number = requested_page(request)

    @cached_property
    def choices(self):
        def compute():
            years = sorted({d.year for d in Title.objects.dates("accepted_on", "year")}, reverse=True)
            return {"regions": _region_choices(), "years": years}

        return public_memo(self.request, "awards:directory:choices", compute, families=("showcase",))

    @cached_property
    def form(self):
        return DirectoryFilterForm(self.request.GET or None, statuses=STATUS_FILTERS,
                                   regions=self.choices["regions"], years=self.choices["years"])

    @cached_property
    def page_obj(self):
        titles = Title.objects.with_status(self.today).select_related("organisation").order_by(
            "-accepted_on", "certificate_number")
        if self.form.is_valid():
            data = self.form.cleaned_data
            if data["status"]:
                titles = titles.filter(status=data["status"])
            if data["region"]:
                titles = titles.filter(organisation__region_code__startswith=data["region"])
            if data["year"]:
                titles = titles.filter(accepted_on__year=data["year"])
            if data["q"]:
                titles = titles.filter(unit_name__icontains=data["q"].strip())
        page_obj = Paginator(titles, PAGE_SIZE).get_page(self.page_number)
        labels = dict(STATUS_FILTERS)
        for title in page_obj:
            title.status_display = labels[title.status]
        return page_obj


@require_GET
def directory(request):
    """Units holding the title, with their status today; search and filters. The listing is a fragment cached
    for every visitor until the titles change or the day turns (a title's status follows the date)."""
    listing = DirectoryListing(request, timezone.localdate())
    return render(request, "awards/directory.html", {
        "listing": listing, "page_obj": SimpleLazyObject(lambda: listing.page_obj), "query": listing.query,
        "fragment_key": [listing.query, listing.page_number, listing.today.isoformat()],
    })


@require_GET
def announcement_list(request):
    page_obj = Paginator(Revocation.objects.order_by("-revoked_on", "-pk").select_related("ban"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "awards/announcement_list.html", {"page_obj": page_obj})


@require_GET
def announcement_detail(request, pk):
    revocation = get_object_or_404(Revocation.objects.select_related("ban", "title"), pk=pk)
    return render(request, "awards/announcement_detail.html", {"revocation": revocation})


@require_GET
def report_list(request):
    reports = SummaryReport.objects.filter(published_at__isnull=False).order_by("-year")
    return render(request, "awards/report_list.html", {"reports": reports})


@require_GET
def report_pdf(request, year):
    report = get_object_or_404(SummaryReport, year=year)
    if report.published_at is None and not has_role(request.user, Role.SECRETARIAT):
        raise Http404
    return serve_private_file(report.pdf, download_name=f"信用示范会员单位{year}年度总结.pdf", inline=True)


@skip_page_cache
@require_GET
@login_required
def certificate(request, pk):
    """The honour certificate: the unit's own users and the secretariat (others: 404; visitors: login)."""
    title = get_object_or_404(Title.objects.select_related("organisation"), pk=pk)
    if not has_role(request.user, Role.SECRETARIAT):
        org = organisation_for(request.user)
        if org is None or org.pk != title.organisation_id:
            refused(request, title)
            raise Http404
    # as issued, never re-rendered; stamped with its status once expired or revoked (#14.22)
    return pdf_response(certificate_download(title), f"{title.certificate_number}.pdf")
