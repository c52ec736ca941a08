"""Public pages (directory, tiers) and the firm's own pages. State changes go through `domain`."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, firm_required, has_role
from portal.core.cache import kept_query, public_memo, requested_page, skip_page_cache
from portal.core.idempotency import ALREADY_SUBMITTED, submit_once
from portal.core.pdf import pdf_response
from portal.core.uploads import serve_private_file
from portal.core.workflow import WorkflowError
from portal.core.workflow_views import run_step
from portal.organisations import details
from portal.organisations.models import organisation_for
from portal.organisations.regions import city_name

from . import content, domain
from .domain.documents import receipt_bytes
from .domain.payment import notice_pdf, open_notices
from .forms import ApplicationForm, DetailsChangeForm, DirectoryFilterForm, OrganisationForm, WithdrawalForm
from .models import (
    DuesItem,
    Membership,
    MembershipApplication,
    MembershipEvent,
    MembershipTier,
    Payment,
    PaymentAccount,
)
from .team_views import claim_context

DIRECTORY_PAGE_SIZE = 50


def organisation_required(view):
    """Firm users with a registered organisation; others are sent to register it first."""

    @wraps(view)
    @firm_required
    def wrapped(request, *args, **kwargs):
        organisation = organisation_for(request.user)
        if organisation is None:
            messages.info(request, _("Register your organisation first."))
            return redirect("members:organisation")
        return view(request, organisation, *args, **kwargs)

    return wrapped


# --------------------------------------------------------------------------- public


class TierOrderedMembers:
    """The directory's rows in its order (tier, then member number) for a Paginator, in a fixed
    number of queries whatever the number of members: one grouped count per tier (remembered
    until membership data changes), then per page one seek along the (status, tier, member
    number) index for each tier the page spans (at most the number of tiers)."""

    def __init__(self, queryset, tiers, counts):
        self.queryset, self.tiers, self.counts = queryset, tiers, counts

    def count(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, window: slice) -> list:
        offset, size, rows = window.start or 0, window.stop - (window.start or 0), []
        for tier in self.tiers:
            in_tier = self.counts.get(tier.pk, 0)
            if offset >= in_tier:
                offset -= in_tier
                continue
            wanted = size - len(rows)
            part = self.queryset.filter(tier=tier).order_by("member_number")[offset:offset + wanted]
            rows += [m for m in part if not setattr(m, "tier", tier)]  # the tier row we already have
            offset = 0
            if len(rows) >= size:
                break
        return rows


class DirectoryListing:
    """Everything the directory shows, computed when the template first asks: the page's
    content is a `{% publiccache %}` fragment, so a hit runs no query."""

    def __init__(self, request):
        self.request = request
        self.query = kept_query(request)
        self.page_number = requested_page(request)

    def _choices(self):
        active = Membership.objects.filter(status=Membership.Status.ACTIVE).order_by()
        cities = active.annotate(city=Substr("organisation__region_code", 1, 4)).values_list("city", flat=True)
        regions = sorted({(c, city_name(c)) for c in cities.distinct() if c}, key=lambda pair: pair[0])
        years = sorted({d.year for d in active.dates("started_on", "year")}, reverse=True)
        return {"regions": regions, "years": years, "tiers": list(MembershipTier.objects.order_by("order", "pk"))}

    @cached_property
    def choices(self):
        return public_memo(self.request, "members:directory:choices", self._choices, families=("members",))

    @cached_property
    def form(self):
        form = DirectoryFilterForm(self.request.GET or None, regions=self.choices["regions"],
                                   years=self.choices["years"])
        form.fields["tier"].queryset = MembershipTier.objects.filter(pk__in=[t.pk for t in self.choices["tiers"]])
        form.fields["tier"].choices = [("", form.fields["tier"].empty_label),
                                       *((t.pk, str(t)) for t in self.choices["tiers"])]
        return form

    @cached_property
    def filters(self) -> dict:
        if not self.form.is_valid():
            return {}
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}

    @property
    def filtered(self) -> bool:
        return bool(self.filters)

    @cached_property
    def page_obj(self):
        members = Membership.objects.filter(status=Membership.Status.ACTIVE).select_related("organisation")
        data = self.filters
        if data.get("q"):
            q = data["q"].strip()
            members = members.filter(Q(organisation__name__icontains=q) | Q(member_number__iexact=q))
        if data.get("tier"):
            members = members.filter(tier=data["tier"])
        if data.get("region"):
            members = members.filter(organisation__region_code__startswith=data["region"])
        if data.get("year"):
            members = members.filter(started_on__year=data["year"])
        key = "&".join(f"{k}={getattr(v, 'pk', v)}" for k, v in sorted(data.items()))

        def counts():
            return dict(members.order_by().values_list("tier").annotate(n=Count("pk")).values_list("tier", "n"))

        per_tier = public_memo(self.request, f"members:directory:counts:{key}", counts, families=("members",))
        rows = TierOrderedMembers(members, self.choices["tiers"], per_tier)
        return Paginator(rows, DIRECTORY_PAGE_SIZE).get_page(self.page_number)


def directory(request):
    """Active members with tier, region and join year; search, filters, pagination (fixed query count)."""
    listing = DirectoryListing(request)
    return render(request, "members/directory.html", {
        "listing": listing, "page_obj": SimpleLazyObject(lambda: listing.page_obj), "query": listing.query,
        "fragment_key": [listing.query, listing.page_number],
    })


def join(request):
    """Membership tiers, conditions, procedure, rights and obligations (入会须知)."""
    organisation = organisation_for(request.user)
    return render(request, "members/join.html", {
        "tiers": MembershipTier.objects.filter(is_active=True),
        "conditions": content.CONDITIONS, "procedure": content.PROCEDURE, "rights": content.RIGHTS,
        "obligations": content.OBLIGATIONS, "leaving": content.LEAVING,
        "organisation": organisation,
        "membership": domain.current_membership_for(organisation),
        "application": domain.open_application_for(organisation) if organisation else None,
        **_charter_links(),
    })


# --------------------------------------------------------------------------- firm: organisation and application


@firm_required
def organisation_edit(request):
    organisation = organisation_for(request.user)
    locked = details.is_vetted(organisation)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation,
                            registered_details_locked=locked)
    if request.method == "POST" and form.is_valid():
        if organisation is None:
            licence = form.cleaned_data["licence"]
            domain.register_organisation(organisation=form.save(commit=False), user=request.user, licence=licence,
                                         licence_name=licence.name, request=request)
            messages.success(request, _("Your organisation is registered. The secretariat checks the business licence; "
                                        "meanwhile you can prepare the membership application."))
            return redirect("members:apply")
        if run_step(request, details.update_details, organisation=form.save(commit=False), user=request.user,
                    request=request, changed=form.changed_data, success=_("Your organisation's details were saved.")):
            return redirect("members:membership")
    duplicate = form.is_bound and "credit_code" in form.errors and any(
        e.code == "unique" for e in form.errors.as_data()["credit_code"])
    return render(request, "members/organisation_form.html", {
        "form": form, "organisation": organisation, "locked": locked,
        "pending_change": details.pending_change(organisation),
        "duplicate_code": form.data.get("credit_code", "") if duplicate else "",
        **claim_context(request.user, organisation),
    })


@organisation_required
def organisation_change(request, organisation):
    """Ask the secretariat to change the registered name or credit code (with the new licence)."""
    pending = details.pending_change(organisation)
    form = DetailsChangeForm(request.POST or None, request.FILES or None,
                             initial={"new_name": organisation.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_step(
            request, submit_once, request,
            lambda: details.request_change(organisation=organisation, user=request.user, new_name=data["new_name"],
                                           new_credit_code=data["new_credit_code"], reason=data["reason"],
                                           licence=data["licence"], licence_name=data["licence"].name, request=request),
            url_of=lambda change: reverse("members:organisation"),
        )
        if outcome is not None:
            messages.success(request, ALREADY_SUBMITTED if outcome.duplicate else
                             _("Your request was sent to the secretariat, which will review it with the new licence."))
            return redirect(outcome.url)
    return render(request, "members/organisation_change.html", {
        "form": form, "organisation": organisation, "pending_change": pending,
        "history": details.name_history(organisation),
    })


@organisation_required
def apply(request, organisation):
    """Create or continue the organisation's open application: save a draft or submit."""
    if domain.current_membership_for(organisation):
        messages.info(request, _("Your organisation is already a member."))
        return redirect("members:membership")
    application = domain.open_application_for(organisation)
    if application and not application.is_editable:
        return redirect("members:application", pk=application.pk)
    if application is None:
        application = MembershipApplication(organisation=organisation)
        tier_id = request.GET.get("tier")
        if tier_id and tier_id.isdigit():
            application.tier = MembershipTier.objects.filter(pk=tier_id, is_active=True).first()
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=application,
                           initial={"tier": application.tier_id} if application.tier_id else None)
    if request.method == "POST" and form.is_valid():
        submitting, refused = "submit" in request.POST, []

        def save_and_submit():
            """Save the draft; submit it if asked (a refused submission keeps the saved draft)."""
            saved = domain.save_application_draft(application=form.save(commit=False), user=request.user,
                                                  request=request)
            if submitting:
                try:
                    with transaction.atomic():
                        domain.submit_application(application=saved, user=request.user, request=request)
                except WorkflowError as exc:
                    refused.append(exc)
            return saved

        def url_of(saved):
            submitted = submitting and not refused
            return reverse("members:application", args=[saved.pk]) if submitted else reverse("members:apply")

        outcome = run_step(request, submit_once, request, save_and_submit, url_of=url_of)
        if outcome is None:  # the draft itself was refused
            return redirect("members:apply") if application.pk else render(
                request, "members/application_form.html",
                {"form": form, "application": application, "organisation": organisation, **_charter_links()})
        for exc in refused:
            for text in exc.messages_for_user:
                messages.error(request, text)
        if outcome.duplicate:
            messages.info(request, ALREADY_SUBMITTED)
        elif not refused:
            messages.success(request, _("Your application was submitted to the council.") if submitting
                             else _("Draft saved."))
        return redirect(outcome.url)
    return render(request, "members/application_form.html", {
        "form": form, "application": application, "organisation": organisation, **_charter_links(),
    })


def _charter_links() -> dict:
    """The charter page and the letter's template the membership rules point to (issue #14.6)."""
    the_rules = domain.rules()
    page = the_rules.charter_page.specific if the_rules.charter_page and the_rules.charter_page.live else None
    return {"charter_page": page, "letter_template": the_rules.application_template}


def _own_application(request, organisation, pk) -> MembershipApplication:
    return get_object_or_404(
        MembershipApplication.objects.select_related("organisation", "tier"), pk=pk, organisation=organisation
    )


@organisation_required
def application_detail(request, organisation, pk):
    application = _own_application(request, organisation, pk)
    return render(request, "members/application_detail.html", {"application": application})


@login_required
def application_file(request, pk, kind):
    """An application's upload: its own firm, the council or the secretariat; anyone else 404."""
    field = {"letter": "application_letter", "licence": "business_licence"}.get(kind)
    if field is None:
        raise Http404
    application = get_object_or_404(MembershipApplication, pk=pk)
    own = organisation_for(request.user)
    is_owner = own is not None and own.pk == application.organisation_id
    # Reviewers see the materials once submitted; a draft stays the firm's own.
    is_reviewer = has_role(request.user, Role.COUNCIL, Role.SECRETARIAT) and application.status != "draft"
    if not (is_owner or is_reviewer):
        raise Http404
    return serve_private_file(getattr(application, field), download_name=getattr(application, f"{field}_name") or None,
                              inline=True)


# --------------------------------------------------------------------------- firm: membership, dues, leaving


@organisation_required
def membership_detail(request, organisation):
    membership = domain.current_membership_for(organisation) or (
        organisation.memberships.select_related("tier").order_by("-started_on").first()
    )
    context = {
        "organisation": organisation,
        "membership": membership,
        "application": domain.open_application_for(organisation),
        "last_application": organisation.applications.select_related("tier").order_by("-created_at").first(),
    }
    if membership:
        events = list(membership.events.all())
        lapses = [e for e in events if e.kind in (MembershipEvent.Kind.LAPSED, MembershipEvent.Kind.LAPSED_INACTIVE)]
        items = domain.dues_overview(membership)
        account = PaymentAccount.load()
        context.update({
            "dues_items": items,
            "notices": open_notices(membership, items, account=account) if membership.is_current else [],
            "account": account,
            "events": events,
            "last_lapse": lapses[-1] if lapses else None,
            "last_activity": domain.last_activity([organisation.pk], today=timezone.localdate()).get(organisation.pk),
            "pending_withdrawal": membership.withdrawals.filter(status="pending").first(),
        })
    return render(request, "members/membership_detail.html", context)


@organisation_required
def certificate(request, organisation):
    """The current member certificate as issued (the archived file of its latest version)."""
    membership = get_object_or_404(Membership, organisation=organisation, status=Membership.Status.ACTIVE)
    certificate = domain.current_certificate(membership)
    return pdf_response(domain.certificate_bytes(certificate), f"会员证-{membership.member_number}.pdf")


def _payment_for_receipt(pk):
    return get_object_or_404(Payment.objects.select_related("dues_item__membership"), pk=pk)


@organisation_required
def receipt(request, organisation, pk):
    payment = _payment_for_receipt(pk)
    if payment.dues_item.membership.organisation_id != organisation.pk:
        raise Http404
    return pdf_response(receipt_bytes(payment), f"收据-{payment.receipt_number}.pdf")


@organisation_required
def dues_notice(request, organisation, pk):
    """The 缴费通知书 of one of the unit's dues items (another unit's: 404)."""
    item = get_object_or_404(DuesItem.objects.select_related("membership__organisation", "tier"), pk=pk,
                             membership__organisation=organisation)
    return pdf_response(notice_pdf(item), f"缴费通知书-{item.membership.member_number}-{item.year}.pdf")


@organisation_required
def withdraw(request, organisation):
    membership = domain.current_membership_for(organisation)
    if membership is None:
        raise Http404
    form = WithdrawalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        letter = form.cleaned_data["letter"]
        run_step(request, domain.request_withdrawal, membership=membership, user=request.user, letter=letter,
                 letter_name=letter.name, reason=form.cleaned_data["reason"], request=request,
                 success=_("Your withdrawal notice was sent to the secretariat."))
        return redirect("members:membership")
    return render(request, "members/withdraw_form.html", {"form": form, "membership": membership})



@skip_page_cache
def unsubscribe(request, token):
    """One-click unsubscribe from non-essential mailings (the signed link in each one), and opting back in."""
    from .domain.mailings import email_from_token, is_opted_out, set_opt_out

    email = email_from_token(token)
    if email is None:
        raise Http404
    if request.method == "POST":
        # RFC 8058 one-click posts "List-Unsubscribe=One-Click"; the page's own buttons post "action".
        opt_out = request.POST.get("action", "out") != "in"
        set_opt_out(email=email, opt_out=opt_out, request=request)
        messages.success(request, _("You will receive no more news and invitations from the association.") if opt_out
                         else _("You will receive the association's news and invitations again."))
        return redirect(request.path)
    return render(request, "members/unsubscribe.html", {"email": email, "opted_out": is_opted_out(email)})
