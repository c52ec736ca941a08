"""A unit's team: its administrators (管理员) invite colleagues by email, give each a role, and remove them.

An invitation is a signed, expiring link (`invitation_token`); accepting it with an account of the invited
address links the account to the unit. A unit always keeps at least one administrator.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit import record
from portal.core.mail import queue_email
from portal.core.workflow import NotFound, WorkflowError

from .models import OrganisationInvitation, OrganisationUser, organisation_for
from .workflows import INVITATIONS, is_unit_admin

SALT = "organisations.invitation"
VALID = datetime.timedelta(days=14)
Role = OrganisationUser.Role


def invitation_token(invitation: OrganisationInvitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_from_token(token: str) -> OrganisationInvitation:
    """The invitation a link names (NotFound for a forged, altered or expired link)."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=VALID)
    except signing.SignatureExpired as exc:
        raise WorkflowError(_("This invitation has expired: ask the unit's administrator for a new one.")) from exc
    except signing.BadSignature as exc:
        raise NotFound(_("Not found.")) from exc
    invitation = OrganisationInvitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise NotFound(_("Not found."))
    return invitation


def team_of(organisation):
    return organisation.user_links.select_related("user").order_by("-role", "added_at")


def invite(*, organisation, email: str, role: str, user, accept_url, request=None) -> OrganisationInvitation:
    """An administrator invites a colleague; `accept_url(token)` is the link the email carries."""
    email = (email or "").strip().lower()
    if organisation.user_links.filter(user__email__iexact=email).exists():
        raise WorkflowError(_("%(email)s already acts for your unit.") % {"email": email})
    if organisation.invitations.filter(email__iexact=email, status=OrganisationInvitation.Status.PENDING,
                                       expires_at__gt=timezone.now()).exists():
        raise WorkflowError(_("%(email)s has already been invited.") % {"email": email})
    invitation = OrganisationInvitation(organisation=organisation, email=email, role=role, invited_by=user,
                                        expires_at=timezone.now() + VALID)

    def notify(current):
        queue_email(to=[current.email], subject=_("%(unit)s invites you to act for it on the portal")
                    % {"unit": organisation.name}, template="core/organisations/invitation.txt",
                    context={"invitation": current, "organisation": organisation, "inviter": user,
                             "link": accept_url(invitation_token(current)), "days": VALID.days})

    return INVITATIONS.create(invitation, "invite", user=user, request=request, notify=notify,
                              data={"email": email, "role": role})


def accept_invitation(*, invitation: OrganisationInvitation, user, request=None) -> OrganisationUser:
    """The invited colleague, signed in with the invited address, joins the unit with the role given."""
    own = organisation_for(user)
    if own is not None:
        raise WorkflowError(_("Your account already acts for %(unit)s; an account acts for one unit only.")
                            % {"unit": own.name})
    made = {}

    def change(current):
        current.accepted_by, current.accepted_at = user, timezone.now()
        try:
            with transaction.atomic():
                made["link"] = OrganisationUser.objects.create(user=user, organisation_id=current.organisation_id,
                                                               role=current.role)
        except IntegrityError as exc:
            raise WorkflowError(_("Your account already acts for a unit; an account acts for one unit only.")) from exc

    INVITATIONS.transition(invitation, "accept", user=user, request=request, change=change)
    user._organisation_cache = invitation.organisation
    return made["link"]


def revoke_invitation(*, invitation: OrganisationInvitation, user, request=None) -> OrganisationInvitation:
    return INVITATIONS.transition(invitation, "revoke", user=user, request=request)


def _administer(user, link) -> None:
    """Only the unit's administrators manage its team (another unit's member: NotFound)."""
    own = organisation_for(user)
    if own is None or own.pk != link.organisation_id:
        raise NotFound(_("Not found."))
    if not is_unit_admin(user, link.organisation_id):
        raise PermissionDenied(_("Only the unit's administrators manage its team."))


def _keeps_an_admin(link, *, removing: bool) -> None:
    others = OrganisationUser.objects.select_for_update().filter(
        organisation_id=link.organisation_id, role=Role.ADMIN, user__is_active=True).exclude(pk=link.pk)
    if link.role == Role.ADMIN and not others.exists():
        raise WorkflowError(_("The unit needs at least one administrator: make someone else administrator first.")
                            if removing else _("The unit needs at least one administrator."))


def change_role(*, link: OrganisationUser, role: str, user, request=None) -> OrganisationUser:
    _administer(user, link)
    if role not in Role.values:
        raise WorkflowError(_("Choose a role."))
    with transaction.atomic():
        link = OrganisationUser.objects.select_for_update().get(pk=link.pk)
        if role != Role.ADMIN:
            _keeps_an_admin(link, removing=False)
        previous, link.role = link.role, role
        link.save(update_fields=["role"])
        record(link.organisation, "organisations.team.role", user=user, request=request,
               data={"user": link.user_id, "from": previous, "to": role})
    return link


def remove_colleague(*, link: OrganisationUser, user, request=None):
    """An administrator removes a colleague (or anyone leaves the unit themselves); the unit keeps an admin.
    Returns the person removed."""
    if link.user_id != user.pk:
        _administer(user, link)
    with transaction.atomic():
        link = OrganisationUser.objects.select_for_update().select_related("user", "organisation").get(pk=link.pk)
        _keeps_an_admin(link, removing=True)
        removed, organisation = link.user, link.organisation
        link.delete()
        record(organisation, "organisations.team.remove", user=user, request=request,
               data={"user": removed.pk, "email": removed.email})
        if removed.email and removed.pk != user.pk:
            queue_email(to=[removed.email], subject=_("You no longer act for %(unit)s") % {"unit": organisation.name},
                        template="core/organisations/team_removed.txt",
                        context={"organisation": organisation, "person": removed})
    if hasattr(removed, "_organisation_cache"):
        del removed._organisation_cache
    return removed
