"""What every membership step shares: the rules setting, the unit's current records, who is emailed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.core import recipients
from portal.core.mail import queue_email

from ..models import Membership, MembershipApplication, MembershipRules

Status = Membership.Status


def rules() -> MembershipRules:
    return MembershipRules.load()


def moment(day: datetime.date | None) -> datetime.datetime | None:
    """A step's time for a given calendar day (jobs and back-dated steps record their own day)."""
    if day is None:
        return None
    now = timezone.localtime()
    return timezone.make_aware(datetime.datetime.combine(day, now.time()))


def open_application_for(organisation) -> MembershipApplication | None:
    if organisation is None:
        return None
    return (
        MembershipApplication.objects.filter(organisation=organisation, status__in=MembershipApplication.OPEN_STATUSES)
        .select_related("tier")
        .first()
    )


def current_membership_for(organisation) -> Membership | None:
    if organisation is None:
        return None
    return (
        Membership.objects.filter(organisation=organisation, status__in=[Status.ACTIVE, Status.LAPSED])
        .select_related("tier", "next_tier")
        .first()
    )


def unit_addresses(organisation) -> list[str]:
    """The unit's own address and its users' (active accounts)."""
    return recipients.unique([organisation.email, *recipients.of_users(organisation.users.all())])


def email_unit(organisation, subject: str, template: str, context: dict) -> None:
    """Queue an email to the unit (sent after commit)."""
    to = unit_addresses(organisation)
    if to:
        queue_email(to=to, subject=subject, template=template, context={"organisation": organisation, **context})


def email_roles(roles, subject: str, template: str, context: dict) -> None:
    to = recipients.with_roles(*roles)
    if to:
        queue_email(to=to, subject=subject, template=template, context=context)
