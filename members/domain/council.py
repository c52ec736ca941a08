"""Council decisions (理事会决议): admission of members and expulsion, each a resolution of a quorate meeting.

The secretariat or a council member records the resolution as the meeting adopted it: meeting date,
members present, votes for / against / abstaining, and what it decides. `members.workflows.RESOLUTIONS`
refuses a resolution without quorum or majority (`MembershipRules`); the decided steps
(`APPLICATIONS.approve/reject`, `MEMBERSHIPS.admit/expel`) refuse to happen without one. Whoever acts
for a unit concerned is recused, so a resolution they record about it is refused as a whole.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError
from portal.organisations.details import record_approved_details

from ..models import (
    AdmissionDecision,
    CouncilResolution,
    MemberCertificate,
    Membership,
    MembershipApplication,
    PaymentAccount,
)
from ..workflows import APPLICATIONS, MEMBERSHIPS, RESOLUTIONS
from .common import email_unit, moment, rules
from .documents import issue_certificate
from .dues import ensure_dues_items
from .payment import open_notices

Decision = AdmissionDecision.Decision


def allocate_member_number(year: int) -> str:
    prefix = f"ZJXY-{year}-"
    return formatted(f"member-{year}", prefix + "{n:04d}",
                     floor=lambda: highest_suffix(Membership.objects.all(), "member_number", prefix))


def allocate_resolution_number(year: int) -> str:
    prefix = f"{year}-"
    return formatted(f"council-resolution-{year}", prefix + "{n:03d}",
                     floor=lambda: highest_suffix(CouncilResolution.objects.all(), "number", prefix))


def record_resolution(*, kind: str, user, meeting_date: datetime.date, members_present: int, votes_for: int,
                      votes_against: int, votes_abstaining: int = 0, note: str = "", minutes=None,
                      minutes_name: str = "", request=None, data: dict | None = None) -> CouncilResolution:
    """Record a resolution (inside the transaction of what it decides); refused without quorum or majority."""
    resolution = CouncilResolution(
        kind=kind, meeting_date=meeting_date, council_size=rules().current_council_size(),
        members_present=members_present, votes_for=votes_for, votes_against=votes_against,
        votes_abstaining=votes_abstaining, note=(note or "").strip(), recorded_by=user,
        minutes_name=(minutes_name or "")[:200],
    )
    if minutes:
        resolution.minutes = minutes
    RESOLUTIONS.check_actor(user, resolution, RESOLUTIONS["record"])
    resolution.number = allocate_resolution_number(meeting_date.year)
    return RESOLUTIONS.create(resolution, "record", user=user, request=request, data={
        "number": resolution.number, "kind": kind, "meeting_date": meeting_date.isoformat(),
        "present": members_present, "for": votes_for, "against": votes_against, "abstaining": votes_abstaining,
        **(data or {}),
    })


def record_admission_resolution(*, user, meeting_date: datetime.date, members_present: int, votes_for: int,
                                votes_against: int, votes_abstaining: int = 0, decisions: list[dict],
                                note: str = "", minutes=None, minutes_name: str = "",
                                request=None) -> CouncilResolution:
    """A council resolution on one or several applications, each {"application", "decision", "tier", "reason"}.

    Each admitted application becomes a membership at the tier the council decided, from the meeting
    date (member number, first dues item, admission notice); each rejected one is closed with its reason.
    All or nothing: one refused decision (wrong state, recusal) records none.
    """
    if not decisions:
        raise WorkflowError(_("Choose at least one application the resolution decides."))
    for d in decisions:
        if d["decision"] == Decision.APPROVE and d.get("tier") is None:
            raise WorkflowError(_("Choose the tier the council admits %(name)s at.")
                                % {"name": d["application"].organisation.name})
        if d["decision"] == Decision.REJECT and not (d.get("reason") or "").strip():
            raise WorkflowError(_("A reason is required to reject an application."))
    admitted, rejected = [], []
    with transaction.atomic():
        resolution = record_resolution(
            kind=CouncilResolution.Kind.ADMISSION, user=user, meeting_date=meeting_date,
            members_present=members_present, votes_for=votes_for, votes_against=votes_against,
            votes_abstaining=votes_abstaining, note=note, minutes=minutes, minutes_name=minutes_name,
            request=request, data={"applications": [d["application"].pk for d in decisions]},
        )
        for d in decisions:
            application, reason = d["application"], (d.get("reason") or "").strip()
            try:
                with transaction.atomic():
                    AdmissionDecision.objects.create(
                        resolution=resolution, application=application, decision=d["decision"], reason=reason,
                        tier=d.get("tier") if d["decision"] == Decision.APPROVE else None,
                    )
            except IntegrityError as exc:  # one decision per application (also when two are recorded at once)
                raise WorkflowError(_("The council has already decided on the application of %(name)s.")
                                    % {"name": application.organisation.name}) from exc

            def change(current, reason=reason):
                current.decided_at = timezone.now()
                current.decided_by = user
                current.decision_note = reason

            decided = APPLICATIONS.transition(
                application, d["decision"], user=user, request=request, note=reason, change=change,
                data={"resolution": resolution.number},
            )
            decided = MembershipApplication.objects.select_related("organisation", "tier").get(pk=decided.pk)
            if d["decision"] == Decision.APPROVE:
                admitted.append(admit(application=decided, tier=d["tier"], user=user, today=meeting_date,
                                      resolution=resolution, request=request))
            else:
                rejected.append(decided)
        for application in rejected:
            email_unit(application.organisation, _("Your membership application was not approved"),
                       "members/email/application_rejected.txt",
                       {"application": application, "resolution": resolution})
    return resolution


def admit(*, application, tier, user, today: datetime.date, resolution, request=None) -> Membership:
    """The membership of an admitted application: number, certificate, first dues item, admission notice.

    The unit's registered name and code go on record as approved: from now on they change only by request.
    """
    membership = Membership(organisation=application.organisation, tier=tier, started_on=today,
                            application=application, member_number=allocate_member_number(today.year))
    MEMBERSHIPS.create(membership, "admit", user=user, request=request, when=moment(today),
                       note=_("Council resolution %(number)s") % {"number": resolution.number},
                       data={"member_number": membership.member_number, "tier": tier.name,
                             "resolution": resolution.number})
    record_approved_details(organisation=membership.organisation, user=user, on=today)  # the name admitted
    issue_certificate(membership, reason=MemberCertificate.Reason.ADMISSION, user=user, on=today)
    items = ensure_dues_items(membership=membership, today=today)
    account = PaymentAccount.load()
    # The admission notice: member number, certificate, and the first dues notice (how to pay, the reference).
    email_unit(membership.organisation, _("Your membership application was approved"),
               "members/email/application_approved.txt",
               {"application": application, "membership": membership, "dues_items": items,
                "notices": open_notices(membership, items, account=account), "account": account,
                "resolution": resolution, "other_tier": tier.pk != application.tier_id})
    return membership
