"""The council's decision on an application: admission (membership, number, first dues) or rejection."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError

from ..models import Membership, MembershipApplication
from ..workflows import APPLICATIONS, MEMBERSHIPS
from .common import email_unit, moment
from .dues import ensure_dues_items


def allocate_member_number(year: int) -> str:
    prefix = f"ZJXY-{year}-"
    return formatted(f"member-{year}", prefix + "{n:04d}",
                     floor=lambda: highest_suffix(Membership.objects.all(), "member_number", prefix))


def approve_application(*, application: MembershipApplication, user, request=None, today=None) -> Membership:
    """Admission: the application is approved, the membership created with its number and first dues item."""
    today = today or timezone.localdate()
    with transaction.atomic():
        def change(current):
            current.decided_at = timezone.now()
            current.decided_by = user

        app = APPLICATIONS.transition(application, "approve", user=user, request=request, change=change)
        app = MembershipApplication.objects.select_related("organisation", "tier").get(pk=app.pk)
        membership = admit(application=app, tier=app.tier, user=user, request=request, today=today)
    return membership


def admit(*, application, tier, user, today, request=None) -> Membership:
    """Create the membership of an approved application (inside the decision's transaction)."""
    membership = Membership(organisation=application.organisation, tier=tier, started_on=today,
                            application=application, member_number=allocate_member_number(today.year))
    MEMBERSHIPS.create(membership, "admit", user=user, request=request, when=moment(today),
                       data={"member_number": membership.member_number, "tier": tier.name,
                             "application": application.pk})
    items = ensure_dues_items(membership=membership, today=today)
    email_unit(membership.organisation, _("Your membership application was approved"),
               "members/email/application_approved.txt",
               {"application": application, "membership": membership, "dues_items": items})
    return membership


def reject_application(*, application: MembershipApplication, user, reason: str, request=None) -> MembershipApplication:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("A reason is required to reject an application."))

    def change(current):
        current.decided_at = timezone.now()
        current.decided_by = user
        current.decision_note = reason

    def notify(current):
        current = MembershipApplication.objects.select_related("organisation", "tier").get(pk=current.pk)
        email_unit(current.organisation, _("Your membership application was not approved"),
                   "members/email/application_rejected.txt", {"application": current})

    return APPLICATIONS.transition(application, "reject", user=user, request=request, note=reason, change=change,
                                   notify=notify, data={"reason": reason})
