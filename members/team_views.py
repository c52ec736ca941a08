"""A unit's own pages for its team and its claims: colleagues and their roles, invitations, requests to join,
disputes (the domain is `portal.organisations.team` and `portal.organisations.claims`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.roles import firm_required
from portal.core.idempotency import ALREADY_SUBMITTED, submit_once
from portal.core.workflow_views import run_step, show_form_errors
from portal.organisations import claims, team
from portal.organisations.models import (
    OrganisationClaim,
    OrganisationInvitation,
    OrganisationUser,
    organisation_for,
)
from portal.organisations.workflows import is_unit_admin

from .forms import DisputeForm, InviteForm, JoinUnitForm, LicenceForm, RoleForm


def claim_context(user, organisation) -> dict:
    """What the unit's pages say about its verification and the user's claims."""
    latest = claims.latest_claim_of(user)
    context = {"verified": claims.is_verified(organisation), "claim": latest}
    if latest is not None and latest.status in (OrganisationClaim.Status.DECLINED, OrganisationClaim.Status.WAITING_UNIT):
        context["dispute_form"] = DisputeForm()
    if organisation is not None and not context["verified"] and not claims.open_claim_of(user) and \
            is_unit_admin(user, organisation.pk):
        context["licence_form"] = LicenceForm()  # the first claim was rejected: send the licence again
    return context


def _organisation_or_register(request):
    organisation = organisation_for(request.user)
    if organisation is None:
        messages.info(request, _("Register your organisation first."))
    return organisation


@firm_required
def team_page(request):
    organisation = _organisation_or_register(request)
    if organisation is None:
        return redirect("members:organisation")
    admin = is_unit_admin(request.user, organisation.pk)
    return render(request, "members/team.html", {
        "organisation": organisation, "is_admin": admin, "links": team.team_of(organisation),
        "invitations": organisation.invitations.filter(status=OrganisationInvitation.Status.PENDING),
        "waiting": claims.waiting_for_unit(organisation) if admin else [],
        "invite_form": InviteForm(), "roles": OrganisationUser.Role.choices,
    })


def _accept_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("members:invitation", args=[token])


@firm_required
@require_POST
def team_invite(request):
    organisation = _organisation_or_register(request)
    if organisation is None:
        return redirect("members:organisation")
    form = InviteForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect("members:team")
    outcome = run_step(request, submit_once, request, lambda: team.invite(
        organisation=organisation, email=form.cleaned_data["email"], role=form.cleaned_data["role"], user=request.user,
        accept_url=_accept_url, request=request), url_of=lambda invitation: reverse("members:team"))
    if outcome is not None:
        messages.success(request, ALREADY_SUBMITTED if outcome.duplicate else
                         _("The invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("members:team")


def _own_link(request, pk) -> OrganisationUser:
    organisation = organisation_for(request.user)
    return get_object_or_404(OrganisationUser.objects.select_related("user"), pk=pk,
                             organisation_id=getattr(organisation, "pk", None))


@firm_required
@require_POST
def team_revoke(request, pk):
    organisation = organisation_for(request.user)
    invitation = get_object_or_404(OrganisationInvitation, pk=pk, organisation_id=getattr(organisation, "pk", None))
    run_step(request, team.revoke_invitation, invitation=invitation, user=request.user, request=request,
             success=_("The invitation was withdrawn."))
    return redirect("members:team")


@firm_required
@require_POST
def team_role(request, pk):
    link = _own_link(request, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        run_step(request, team.change_role, link=link, role=form.cleaned_data["role"], user=request.user,
                 request=request, success=_("The role was changed."))
    return redirect("members:team")


@firm_required
@require_POST
def team_remove(request, pk):
    link = _own_link(request, pk)
    removed = run_step(request, team.remove_colleague, link=link, user=request.user, request=request)
    if removed is None:
        return redirect("members:team")
    if removed.pk == request.user.pk:
        messages.success(request, _("You no longer act for the unit."))
        return redirect("account_home")
    messages.success(request, _("%(person)s no longer acts for the unit.") % {"person": removed})
    return redirect("members:team")


@firm_required
@require_POST
def team_claim(request, pk):
    """The unit's administrator accepts or declines a request to join."""
    organisation = organisation_for(request.user)
    claim = get_object_or_404(OrganisationClaim.objects.select_related("claimant", "organisation"), pk=pk,
                              organisation_id=getattr(organisation, "pk", None))
    if request.POST.get("action") == "accept":
        role = request.POST.get("role") if request.POST.get("role") in OrganisationUser.Role.values else \
            OrganisationUser.Role.CLERK
        run_step(request, claims.accept_claim, claim=claim, user=request.user, role=role, request=request,
                 success=_("%(person)s now acts for the unit.") % {"person": claim.claimant})
    else:
        run_step(request, claims.decline_claim, claim=claim, user=request.user, reason=request.POST.get("reason", ""),
                 request=request, success=_("The request was declined."))
    return redirect("members:team")


@firm_required
def join_unit(request):
    """A user whose unit is already registered asks its administrators (the secretariat decides disputes)."""
    if organisation_for(request.user) is not None:
        return redirect("members:team")
    form = JoinUnitForm(request.POST or None, initial={"credit_code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        outcome = run_step(request, submit_once, request, lambda: claims.request_to_join(
            credit_code=form.cleaned_data["credit_code"], user=request.user, message=form.cleaned_data["message"],
            request=request), url_of=lambda claim: reverse("members:organisation"))
        if outcome is not None:
            messages.success(request, ALREADY_SUBMITTED if outcome.duplicate else
                             _("Your request was sent to the unit's administrator."))
            return redirect(outcome.url)
    return render(request, "members/join_unit.html", {"form": form, "claim": claims.open_claim_of(request.user)})


@firm_required
@require_POST
def claim_dispute(request, pk):
    claim = get_object_or_404(OrganisationClaim, pk=pk, claimant=request.user)
    form = DisputeForm(request.POST, request.FILES)
    if form.is_valid():
        licence = form.cleaned_data["licence"]
        run_step(request, claims.dispute_claim, claim=claim, user=request.user, licence=licence,
                 licence_name=licence.name, message=form.cleaned_data["message"], request=request,
                 success=_("The secretariat will check the licence and decide."))
    else:
        show_form_errors(request, form)
    return redirect("members:organisation")


@firm_required
@require_POST
def claim_withdraw(request, pk):
    claim = get_object_or_404(OrganisationClaim, pk=pk, claimant=request.user)
    run_step(request, claims.withdraw_claim, claim=claim, user=request.user, request=request,
             success=_("Your request was withdrawn."))
    return redirect("members:organisation")


@firm_required
@require_POST
def resubmit_licence(request):
    organisation = organisation_for(request.user)
    if organisation is None:
        return redirect("members:organisation")
    form = LicenceForm(request.POST, request.FILES)
    if form.is_valid():
        licence = form.cleaned_data["licence"]
        run_step(request, claims.resubmit_licence, organisation=organisation, user=request.user, licence=licence,
                 licence_name=licence.name, request=request,
                 success=_("The secretariat will check the business licence."))
    else:
        show_form_errors(request, form)
    return redirect("members:organisation")


@login_required
def invitation(request, token):
    """The invited colleague opens the emailed link, signed in with the invited address, and accepts."""
    invitation = run_step(request, team.invitation_from_token, token)
    if invitation is None:  # expired
        return render(request, "members/invitation.html", {"invitation": None})
    if request.user.email.lower() != invitation.email.lower():
        return render(request, "members/invitation.html", {"invitation": invitation, "wrong_account": True},
                      status=403)
    if request.method == "POST":
        if run_step(request, team.accept_invitation, invitation=invitation, user=request.user, request=request,
                    success=_("You now act for %(unit)s.") % {"unit": invitation.organisation.name}):
            return redirect("members:membership")
        return redirect(request.path)
    return render(request, "members/invitation.html", {"invitation": invitation})
