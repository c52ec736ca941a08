"""The units' processes as tables (see `portal.core.workflow`).

Registered details change::

    (new) ─request (the unit, with the new licence)─▶ submitted ─approve─▶ approved (name / code changed)
                                                          ├──reject──▶ rejected
                                                          └──withdraw (the unit)──▶ withdrawn

Invitation (a unit's administrator invites a colleague by email)::

    (new) ─invite─▶ pending ─accept (the colleague, signed link)─▶ accepted
                            └─revoke (the administrator)──▶ revoked

Claim (someone acts for a unit)::

    (new) ─register (first claim of the credit code, with the licence)─▶ waiting for the secretariat
    (new) ─request (a later claimant)─▶ waiting for the unit ─accept / decline (its administrator)
    waiting for the unit, declined ─dispute (with the licence)─▶ waiting for the secretariat
    waiting for the secretariat ─verify─▶ accepted (the unit is verified / the claimant joins) │ ─reject─▶ rejected
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role, has_role
from portal.core.workflow import NEW, HasRole, Predicate, Transition, Workflow

from .actors import ForTheUnit, recused_from_unit
from .models import (
    Organisation,
    OrganisationClaim,
    OrganisationInvitation,
    OrganisationUser,
    RegisteredDetailsChange,
)

S = RegisteredDetailsChange.Status
UNIT = ForTheUnit(label=_("the unit itself"))
SECRETARIAT = HasRole(Role.SECRETARIAT)


def _visible(user, change) -> bool:
    return UNIT.permits(user, change) or has_role(user, Role.SECRETARIAT, Role.COUNCIL)


def something_changes(change):
    """The new name or credit code differs from the registered one, the licence is attached, none is pending."""
    problems = []
    if not change.new_name and not change.new_credit_code:
        problems.append(gettext("Enter the new registered name or the new credit code."))
    elif change.name_after == change.old_name and change.credit_code_after == change.old_credit_code:
        problems.append(gettext("The new details are the same as the registered ones."))
    if not change.licence:
        problems.append(gettext("Attach the new business licence."))
    if change.new_credit_code and Organisation.objects.filter(credit_code=change.new_credit_code).exclude(
            pk=change.organisation_id).exists():
        problems.append(gettext("Another unit is registered with this credit code."))
    if RegisteredDetailsChange.objects.filter(organisation_id=change.organisation_id, status=S.SUBMITTED).exclude(
            pk=change.pk).exists():
        problems.append(gettext("A change of registered details is already waiting for review."))
    return problems


DETAILS_CHANGES = Workflow(
    "organisations.details_change",
    RegisteredDetailsChange,
    label=_("registered details change"),
    visible=_visible,
    recused=recused_from_unit(),
    transitions=[
        Transition("request", _("Request a change of registered details"), source=[NEW], target=S.SUBMITTED,
                   actors=[UNIT], guard=something_changes),
        Transition("approve", _("Approve the change"), source=[S.SUBMITTED], target=S.APPROVED, actors=[SECRETARIAT],
                   style="primary", wrong_state_message=_("This request has already been decided.")),
        Transition("reject", _("Reject the change"), source=[S.SUBMITTED], target=S.REJECTED, actors=[SECRETARIAT],
                   style="danger", wrong_state_message=_("This request has already been decided.")),
        Transition("withdraw", _("Withdraw the request"), source=[S.SUBMITTED], target=S.WITHDRAWN, actors=[UNIT],
                   wrong_state_message=_("This request has already been decided.")),
    ],
)


# ------------------------------------------------------------------------------ teams and claims



def is_unit_admin(user, organisation_id) -> bool:
    """The user is an administrator (管理员) of the unit."""
    return bool(getattr(user, "is_authenticated", False)) and OrganisationUser.objects.filter(
        user=user, organisation_id=organisation_id, role=OrganisationUser.Role.ADMIN).exists()


UNIT_ADMIN = Predicate(lambda user, obj: is_unit_admin(user, obj.organisation_id), _("the unit's administrator"),
                       acts_for_unit=True)
INVITEE = Predicate(
    lambda user, invitation: bool(getattr(user, "is_authenticated", False))
    and user.email.lower() == invitation.email.lower(), _("the colleague invited"), acts_for_unit=True)
CLAIMANT = Predicate(lambda user, claim: getattr(user, "pk", None) == claim.claimant_id, _("the claimant"),
                     acts_for_unit=True)
IV = OrganisationInvitation.Status
C = OrganisationClaim.Status


def _invitation_visible(user, invitation) -> bool:
    return UNIT.permits(user, invitation) or INVITEE.permits(user, invitation) or has_role(user, Role.SECRETARIAT)


def invitation_open(invitation):
    """The invitation has not expired, and the colleague acts for no unit yet."""
    from django.utils import timezone

    from .models import organisation_for

    problems = []
    if invitation.expires_at <= timezone.now():
        problems.append(gettext("This invitation has expired: ask the unit's administrator for a new one."))
    if invitation.accepted_by_id is not None:
        own = organisation_for(invitation.accepted_by)
        if own is not None:
            problems.append(gettext("Your account already acts for %(unit)s; an account acts for one unit only.")
                            % {"unit": own.name})
    return problems


INVITATIONS = Workflow(
    "organisations.invitation",
    OrganisationInvitation,
    label=_("invitation"),
    visible=_invitation_visible,
    transitions=[
        Transition("invite", _("Invite a colleague"), source=[NEW], target=IV.PENDING, actors=[UNIT_ADMIN]),
        Transition("accept", _("Accept the invitation"), source=[IV.PENDING], target=IV.ACCEPTED, actors=[INVITEE],
                   guard=invitation_open, style="primary",
                   wrong_state_message=_("This invitation is no longer open.")),
        Transition("revoke", _("Withdraw the invitation"), source=[IV.PENDING], target=IV.REVOKED,
                   actors=[UNIT_ADMIN], wrong_state_message=_("This invitation is no longer open.")),
    ],
)


def _claim_visible(user, claim) -> bool:
    return CLAIMANT.permits(user, claim) or UNIT.permits(user, claim) or has_role(
        user, Role.SECRETARIAT, Role.COUNCIL)


def licence_attached(claim):
    """The business licence is attached."""
    return [] if claim.licence else [gettext("Attach the business licence.")]


CLAIMS = Workflow(
    "organisations.claim",
    OrganisationClaim,
    label=_("unit claim"),
    visible=_claim_visible,
    recused=recused_from_unit(),
    transitions=[
        Transition("register", _("Register the unit"), source=[NEW], target=C.WAITING_SECRETARIAT,
                   actors=[CLAIMANT], guard=licence_attached),
        Transition("request", _("Ask to join the unit"), source=[NEW], target=C.WAITING_UNIT, actors=[CLAIMANT]),
        Transition("accept", _("Accept the colleague"), source=[C.WAITING_UNIT], target=C.ACCEPTED,
                   actors=[UNIT_ADMIN], style="primary",
                   wrong_state_message=_("This request has already been decided.")),
        Transition("decline", _("Decline"), source=[C.WAITING_UNIT], target=C.DECLINED, actors=[UNIT_ADMIN],
                   style="danger", wrong_state_message=_("This request has already been decided.")),
        Transition("dispute", _("Ask the secretariat to decide"), source=[C.WAITING_UNIT, C.DECLINED],
                   target=C.WAITING_SECRETARIAT, actors=[CLAIMANT],
                   wrong_state_message=_("This request is no longer open.")),
        Transition("verify", _("Verify against the licence"), source=[C.WAITING_SECRETARIAT], target=C.ACCEPTED,
                   actors=[SECRETARIAT], style="primary",
                   wrong_state_message=_("This claim has already been decided.")),
        Transition("reject", _("Reject"), source=[C.WAITING_SECRETARIAT], target=C.REJECTED, actors=[SECRETARIAT],
                   style="danger", wrong_state_message=_("This claim has already been decided.")),
        Transition("withdraw", _("Withdraw"), source=[C.WAITING_UNIT, C.WAITING_SECRETARIAT], target=C.WITHDRAWN,
                   actors=[CLAIMANT], wrong_state_message=_("This request is no longer open.")),
    ],
)
