"""Who may act for a unit: the first claim of a credit code is verified by the secretariat against the business
licence; a later claimant asks the unit's administrators, and the secretariat decides disputes.

Until its first claim is verified a unit is not *verified* (`is_verified`): processes that need a real unit
(membership, the programme) ask this before the unit may apply. Units registered before verification
existed, and units the secretariat registers itself, are verified.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from portal.accounts.roles import Role
from portal.core import recipients
from portal.core.mail import queue_email
from portal.core.workflow import WorkflowError

from .models import Organisation, OrganisationClaim, OrganisationUser, organisation_for
from .workflows import CLAIMS

C = OrganisationClaim.Status


def is_verified(organisation) -> bool:
    """Whether the secretariat has verified the unit (its first claim, against the licence)."""
    return organisation is not None and organisation.verified_on is not None


def unit_admins(organisation):
    """The active users who administer the unit."""
    return organisation.users.filter(organisation_link__role=OrganisationUser.Role.ADMIN, is_active=True)


def open_claim_of(user) -> OrganisationClaim | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return OrganisationClaim.objects.filter(claimant=user, status__in=OrganisationClaim.OPEN).select_related(
        "organisation").first()


def latest_claim_of(user) -> OrganisationClaim | None:
    return OrganisationClaim.objects.filter(claimant=user).select_related("organisation").order_by("-pk").first()


def waiting_for_unit(organisation):
    return organisation.claims.filter(status=C.WAITING_UNIT).select_related("claimant").order_by("created_at")


def _email_secretariat(claim, subject: str) -> None:
    to = recipients.with_roles(Role.SECRETARIAT)
    if to:
        queue_email(to=to, subject=subject, template="core/organisations/claim_for_secretariat.txt",
                    context={"claim": claim, "organisation": claim.organisation})


def _email_claimant(claim) -> None:
    to = recipients.of_users([claim.claimant])
    if to:
        queue_email(to=to, subject=_("Your claim for %(unit)s: %(status)s") % {
            "unit": claim.organisation.name, "status": claim.get_status_display()},
            template="core/organisations/claim_decided.txt", context={"claim": claim, "organisation": claim.organisation})


def _create(claim, action, *, user, request, notify):
    try:
        with transaction.atomic():
            return CLAIMS.create(claim, action, user=user, request=request, notify=notify,
                                 data={"organisation": claim.organisation_id, "kind": claim.kind})
    except IntegrityError as exc:  # one open claim per person
        raise WorkflowError(_("You already have a request waiting for a decision.")) from exc


def register_claim(*, organisation: Organisation, user, licence, licence_name: str, request=None) -> OrganisationClaim:
    """The first claim of a credit code: made when a user registers the unit; the secretariat checks the licence."""
    claim = OrganisationClaim(organisation=organisation, claimant=user, kind=OrganisationClaim.Kind.FIRST,
                              licence=licence, licence_name=(licence_name or "")[:200],
                              role=OrganisationUser.Role.ADMIN)
    return _create(claim, "register", user=user, request=request,
                   notify=lambda c: _email_secretariat(c, _("A unit to verify: %(name)s") % {"name": organisation.name}))


def request_to_join(*, credit_code: str, user, message: str = "", request=None) -> OrganisationClaim:
    """A later claimant of a registered credit code asks the unit's administrators to let them act for it."""
    code = uscc.compact(credit_code or "").upper()
    organisation = Organisation.objects.filter(credit_code=code).first()
    if organisation is None:
        raise WorkflowError(_("No unit is registered with the credit code %(code)s: register it instead.")
                            % {"code": code or "—"})
    own = organisation_for(user)
    if own is not None:
        raise WorkflowError(_("Your account already acts for %(unit)s; an account acts for one unit only.")
                            % {"unit": own.name})
    claim = OrganisationClaim(organisation=organisation, claimant=user, kind=OrganisationClaim.Kind.JOIN,
                              message=(message or "").strip(), role=OrganisationUser.Role.CLERK)

    def notify(current):
        to = recipients.of_users(unit_admins(organisation))
        if to:
            queue_email(to=to, subject=_("%(person)s asks to act for %(unit)s") % {
                "person": user.display_name or user.email, "unit": organisation.name},
                template="core/organisations/claim_for_unit.txt", context={"claim": current,
                                                                            "organisation": organisation})

    return _create(claim, "request", user=user, request=request, notify=notify)


def _link(claim, role: str) -> OrganisationUser:
    if OrganisationUser.objects.filter(user_id=claim.claimant_id).exists():
        raise WorkflowError(_("The claimant's account already acts for another unit."))
    link = OrganisationUser.objects.create(user_id=claim.claimant_id, organisation_id=claim.organisation_id,
                                           role=role)
    claim.claimant._organisation_cache = claim.organisation
    return link


def accept_claim(*, claim: OrganisationClaim, user, role: str = OrganisationUser.Role.CLERK,
                 request=None) -> OrganisationClaim:
    """A unit's administrator lets the claimant act for the unit, with the role chosen."""

    def change(current):
        current.role, current.decided_by, current.decided_at = role, user, timezone.now()
        _link(current, role)

    return CLAIMS.transition(claim, "accept", user=user, request=request, change=change, notify=_email_claimant,
                             data={"role": role})


def decline_claim(*, claim: OrganisationClaim, user, reason: str = "", request=None) -> OrganisationClaim:
    """A unit's administrator declines; the claimant may take it to the secretariat."""

    def change(current):
        current.decided_by, current.decided_at, current.decision_note = user, timezone.now(), (reason or "").strip()

    return CLAIMS.transition(claim, "decline", user=user, request=request, note=reason, change=change,
                             notify=_email_claimant)


def dispute_claim(*, claim: OrganisationClaim, user, licence, licence_name: str, message: str = "",
                  request=None) -> OrganisationClaim:
    """The claimant asks the secretariat to decide, with the licence (declined, or nobody at the unit answers)."""
    if not licence:
        raise WorkflowError(_("Attach the business licence."))

    def change(current):
        current.licence, current.licence_name = licence, (licence_name or "")[:200]
        if message:
            current.message = f"{current.message}\n{message.strip()}".strip()

    return CLAIMS.transition(claim, "dispute", user=user, request=request, note=message, change=change,
                             notify=lambda c: _email_secretariat(c, _("A dispute about %(name)s") % {
                                 "name": c.organisation.name}))


def verify_claim(*, claim: OrganisationClaim, user, note: str = "", role: str = OrganisationUser.Role.ADMIN,
                 request=None) -> OrganisationClaim:
    """The secretariat checked the licence: a first claim verifies the unit; a disputed one lets the claimant in."""

    def change(current):
        current.decided_by, current.decided_at, current.decision_note = user, timezone.now(), (note or "").strip()
        if current.kind == OrganisationClaim.Kind.FIRST:
            organisation = Organisation.objects.select_for_update().get(pk=current.organisation_id)
            if organisation.verified_on is None:
                organisation.verified_on = timezone.localdate()
                organisation.save(update_fields=["verified_on"])
            current.organisation = organisation
        else:
            current.role = role
            _link(current, role)

    return CLAIMS.transition(claim, "verify", user=user, request=request, note=note, change=change,
                             notify=_email_claimant, data={"role": role})


def reject_claim(*, claim: OrganisationClaim, user, reason: str, request=None) -> OrganisationClaim:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the claimant the reason for the rejection."))

    def change(current):
        current.decided_by, current.decided_at, current.decision_note = user, timezone.now(), reason

    return CLAIMS.transition(claim, "reject", user=user, request=request, note=reason, change=change,
                             notify=_email_claimant)


def withdraw_claim(*, claim: OrganisationClaim, user, request=None) -> OrganisationClaim:
    return CLAIMS.transition(claim, "withdraw", user=user, request=request)


def resubmit_licence(*, organisation: Organisation, user, licence, licence_name: str,
                     request=None) -> OrganisationClaim:
    """A unit whose first claim was rejected sends a new licence (a new first claim)."""
    if is_verified(organisation):
        raise WorkflowError(_("The unit is verified already."))
    return register_claim(organisation=organisation, user=user, licence=licence, licence_name=licence_name,
                          request=request)
