"""Leaving the association: written withdrawal notice (退会), expulsion by the council (除名), the certificate's return."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role
from portal.core.workflow import WorkflowError

from ..models import CouncilResolution, Expulsion, Membership, WithdrawalRequest
from ..workflows import MEMBERSHIPS, WITHDRAWALS
from .common import email_roles, email_unit, moment
from .council import record_resolution


def request_withdrawal(*, membership: Membership, user, letter, letter_name: str, reason: str = "",
                       request=None) -> WithdrawalRequest:
    """A unit's written notice of withdrawal (signed letter); the secretariat is told."""
    notice = WithdrawalRequest(membership=membership, letter=letter, letter_name=letter_name[:200], reason=reason,
                               submitted_by=user)

    def notify(w):
        email_roles((Role.SECRETARIAT,), _("Withdrawal notice: %(name)s") % {"name": membership.organisation.name},
                    "members/email/withdrawal_requested.txt", {"withdrawal": w, "membership": membership})

    try:
        with transaction.atomic():
            Membership.objects.select_for_update().get(pk=membership.pk)  # one notice at a time
            return WITHDRAWALS.create(notice, "request", user=user, request=request, note=reason, notify=notify,
                                      data={"member_number": membership.member_number})
    except IntegrityError as exc:  # the partial unique constraint
        raise WorkflowError(_("A withdrawal notice is already waiting for the secretariat.")) from exc


def confirm_withdrawal(*, withdrawal: WithdrawalRequest, user, certificate_returned_on=None, request=None,
                       today=None) -> Membership:
    """The secretariat confirms a notice: the membership ends today (the certificate returned or not yet)."""
    today = today or timezone.localdate()
    note = (_("Certificate returned on %(date)s.") % {"date": certificate_returned_on.isoformat()}
            if certificate_returned_on else _("Certificate not yet returned."))
    ended = {}

    def end_membership(m):
        m.ended_on = today
        m.certificate_returned_on = certificate_returned_on

    def confirm(w):
        w.confirmed_by = user
        w.confirmed_at = timezone.now()
        w.certificate_returned_on = certificate_returned_on
        ended["membership"] = MEMBERSHIPS.transition(
            w.membership, "withdraw", user=user, request=request, note=note, change=end_membership,
            when=moment(today),
            data={"certificate_returned_on": certificate_returned_on.isoformat() if certificate_returned_on else None},
        )

    def notify(w):
        m = ended["membership"]
        email_unit(m.organisation, _("Your withdrawal is confirmed"), "members/email/withdrawal_confirmed.txt",
                   {"membership": m, "withdrawal": w})

    WITHDRAWALS.transition(withdrawal, "confirm", user=user, request=request, change=confirm, notify=notify)
    return ended["membership"]


def record_certificate_return(*, membership: Membership, user, returned_on: datetime.date, request=None) -> Membership:
    def change(m):
        m.certificate_returned_on = returned_on

    return MEMBERSHIPS.transition(membership, "certificate_returned", user=user, request=request, change=change,
                                  data={"on": returned_on.isoformat()})


def expel_member(*, membership: Membership, user, meeting_date: datetime.date, members_present: int, votes_for: int,
                 votes_against: int, votes_abstaining: int = 0, reason: str, minutes, minutes_name: str,
                 request=None) -> Expulsion:
    """Expulsion (除名) by a council resolution, under the same quorum and majority as admission."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("State the breach of the charter."))
    with transaction.atomic():
        resolution = record_resolution(
            kind=CouncilResolution.Kind.EXPULSION, user=user, meeting_date=meeting_date,
            members_present=members_present, votes_for=votes_for, votes_against=votes_against,
            votes_abstaining=votes_abstaining, note=reason, minutes=minutes, minutes_name=minutes_name,
            request=request, data={"member_number": membership.member_number},
        )
        expulsion = Expulsion.objects.create(membership=membership, resolution=resolution, reason=reason,
                                             recorded_by=user)

        def change(m):
            m.ended_on = meeting_date

        def notify(m):
            email_unit(m.organisation, _("Council decision on your membership"),
                       "members/email/membership_expelled.txt", {"membership": m, "expulsion": expulsion})

        MEMBERSHIPS.transition(membership, "expel", user=user, request=request, note=reason, change=change,
                               notify=notify, when=moment(meeting_date), data={"resolution": resolution.number})
    return expulsion
