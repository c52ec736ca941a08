"""The membership processes as tables (see `portal.core.workflow`); `members.domain` takes every step.

Application (入会申请)::

    (new) ─create─▶ draft ─submit─▶ submitted ─approve─▶ approved   (by a council resolution)
                      ▲   save        │   └────reject──▶ rejected
                      └── returned ◀──┘ return (for more material)

Council resolution (理事会决议): (new) ─record─▶ recorded, when the meeting was quorate and the
resolution adopted by the majority the rules set; it admits or rejects applications, or expels a member.

Membership (会员资格)::

    (new) ─admit─▶ active ─lapse (dues unpaid a year) / lapse_inactive (no activity a year); job─▶ lapsed
    lapsed ─reinstate─▶ active
    active, lapsed ─withdraw (notice confirmed)─▶ withdrawn
    active, lapsed ─expel (council vote)─▶ expelled

Withdrawal notice (退会申请): (new) ─request─▶ pending ─confirm─▶ confirmed

Dues item (会费): unpaid, partly paid ─pay_part─▶ partly paid; ─pay_in_full─▶ paid (each payment gets a receipt)

Bank statement (银行对账单): (new) ─import─▶ imported (its new lines with their proposals, in one transaction).
Bank line (银行流水)::

    proposed ─confirm─▶ confirmed (payments with receipts)      proposed, unmatched ─assign─▶ confirmed
    proposed, unmatched ─ignore (not dues)─▶ ignored ─reopen─▶ unmatched

Individual member (个人会员): (new) ─register─▶ active ─withdraw─▶ withdrawn ─readmit─▶ active;
their dues items are paid like a unit's.

Mailing (会员通讯): (new) ─draft─▶ draft ─send─▶ sending ─finish (job, once every batch is queued)─▶ sent

A person acting for the unit concerned (a council member who works for the applicant, say) is
recused from every decision about it (`recused_from_unit`).
"""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role, has_role
from portal.core.workflow import NEW, SYSTEM, HasRole, Transition, Workflow
from portal.organisations.actors import ForTheUnit, recused_from_unit

from .models import (
    AdmissionDecision,
    BankStatement,
    CouncilResolution,
    DuesItem,
    Expulsion,
    IndividualDuesItem,
    IndividualMember,
    Mailing,
    Membership,
    MembershipApplication,
    MembershipEvent,
    StatementLine,
    WithdrawalRequest,
)

A = MembershipApplication.Status
M = Membership.Status
W = WithdrawalRequest.Status
D = DuesItem.Status

SECRETARIAT = HasRole(Role.SECRETARIAT)
REVIEWERS = HasRole(Role.COUNCIL, Role.SECRETARIAT)


def _membership_unit(obj) -> int | None:
    return obj.membership.organisation_id


APPLICANT = ForTheUnit(label=_("the applying unit"))
MEMBER = ForTheUnit(label=_("the member unit"))
MEMBER_OF_NOTICE = ForTheUnit(_membership_unit, label=_("the member unit"))
MEMBER_OF_ITEM = ForTheUnit(_membership_unit, label=_("the member unit"))


def _reviewer(user) -> bool:
    return has_role(user, Role.COUNCIL, Role.SECRETARIAT)


# ------------------------------------------------------------------------------------ applications


def _application_visible(user, application) -> bool:
    """The unit sees its own; reviewers see an application once it is submitted (a draft is the unit's)."""
    if APPLICANT.permits(user, application):
        return True
    return _reviewer(user) and application.status != A.DRAFT


def may_open_application(application):
    """The unit is not a member already and has no other open application."""
    from .domain.common import current_membership_for, open_application_for

    if current_membership_for(application.organisation):
        return [gettext("Your organisation is already a member.")]
    if open_application_for(application.organisation):
        return [gettext("Your organisation already has an open application.")]
    return []


def materials_complete(application):
    """The unit is verified; the charter accepted, the signed letter and the licence copy uploaded."""
    from portal.organisations.claims import is_verified
    from portal.organisations.models import Organisation

    problems = []
    if not is_verified(Organisation.objects.get(pk=application.organisation_id)):
        problems.append(gettext("The secretariat has not yet verified your unit against its business licence: "
                                "you can submit once it has."))
    missing = application.missing_for_submission()
    if missing:
        problems.append(gettext("Still missing before you can submit: %(items)s.") % {"items": "、".join(missing)})
    return problems


def _council_decided(application, decision: str):
    return AdmissionDecision.objects.filter(application_id=application.pk, decision=decision,
                                            resolution__status=CouncilResolution.Status.RECORDED).exists()


def admitted_by_council(application):
    """A council resolution admits the applicant."""
    if not _council_decided(application, AdmissionDecision.Decision.APPROVE):
        return [gettext("No council resolution admits this applicant: record the council's resolution.")]
    return []


def rejected_by_council(application):
    """A council resolution rejects the application."""
    if not _council_decided(application, AdmissionDecision.Decision.REJECT):
        return [gettext("No council resolution rejects this application: record the council's resolution.")]
    return []


APPLICATIONS = Workflow(
    "members.application",
    MembershipApplication,
    label=_("membership application"),
    visible=_application_visible,
    recused=recused_from_unit(),
    transitions=[
        Transition("create", _("Start an application"), source=[NEW], target=A.DRAFT, actors=[APPLICANT],
                   guard=may_open_application),
        Transition("save", _("Save the draft"), source=[A.DRAFT, A.RETURNED], target=None, actors=[APPLICANT],
                   wrong_state_message=_("This application can no longer be changed.")),
        Transition("submit", _("Submit to the council"), source=[A.DRAFT, A.RETURNED], target=A.SUBMITTED,
                   actors=[APPLICANT], guard=materials_complete, style="primary",
                   wrong_state_message=_("This application has already been submitted.")),
        Transition("return", _("Return for more material"), source=[A.SUBMITTED], target=A.RETURNED,
                   actors=[REVIEWERS]),
        Transition("approve", _("Approve"), source=[A.SUBMITTED], target=A.APPROVED, actors=[REVIEWERS],
                   guard=admitted_by_council, style="primary",
                   wrong_state_message=_("This application is not waiting for the council's decision.")),
        Transition("reject", _("Reject"), source=[A.SUBMITTED], target=A.REJECTED, actors=[REVIEWERS],
                   guard=rejected_by_council, style="danger",
                   wrong_state_message=_("This application is not waiting for the council's decision.")),
    ],
)


# ------------------------------------------------------------------------------------- memberships


def _membership_visible(user, membership) -> bool:
    return MEMBER.permits(user, membership) or _reviewer(user)


_KINDS = {
    "admit": MembershipEvent.Kind.JOINED,
    "change_tier": MembershipEvent.Kind.TIER_CHANGED,
    "apply_tier": MembershipEvent.Kind.TIER_CHANGED,
    "lapse": MembershipEvent.Kind.LAPSED,
    "lapse_inactive": MembershipEvent.Kind.LAPSED_INACTIVE,
    "reinstate": MembershipEvent.Kind.REINSTATED,
    "withdraw": MembershipEvent.Kind.WITHDRAWN,
    "expel": MembershipEvent.Kind.EXPELLED,
    "reissue_certificate": MembershipEvent.Kind.CERTIFICATE_ISSUED,
}


def _membership_history(membership, *, transition, previous, user, note, when):
    MembershipEvent.objects.create(
        membership=membership, kind=_KINDS[transition.action], on=timezone.localdate(when),
        by=user if getattr(user, "pk", None) else None, note=note,
        from_status="" if transition.target is None else previous,
        to_status="" if transition.target is None else membership.status,
    )


def admission(membership):
    """The council admitted the application and the unit has no current membership."""
    problems = []
    if membership.application is None or membership.application.status != A.APPROVED:
        problems.append(gettext("No council resolution admits this applicant: record the council's resolution."))
    current = Membership.objects.filter(organisation_id=membership.organisation_id, status__in=[M.ACTIVE, M.LAPSED])
    if current.exclude(pk=membership.pk).exists():
        problems.append(gettext("This organisation already has a current membership."))
    return problems


def expelled_by_council(membership):
    """A council resolution expels the member."""
    if not Expulsion.objects.filter(membership_id=membership.pk,
                                    resolution__kind=CouncilResolution.Kind.EXPULSION).exists():
        return [gettext("No council resolution expels this member: record the council's resolution.")]
    return []


def no_arrears(membership):
    """Dues of earlier years are paid."""
    from .domain.dues import arrears_of

    owed = arrears_of(membership, today=timezone.localdate())
    if owed > 0:
        return [gettext("%(amount)s yuan of arrears are still unpaid: record the payment first.") % {"amount": owed}]
    return []


MEMBERSHIPS = Workflow(
    "members.membership",
    Membership,
    label=_("membership"),
    visible=_membership_visible,
    recused=recused_from_unit(),
    history=_membership_history,
    lock_related=("organisation",),
    transitions=[
        Transition("admit", _("Admit"), source=[NEW], target=M.ACTIVE, actors=[REVIEWERS], guard=admission),
        Transition("change_tier", _("Change tier"), source=[M.ACTIVE], target=None, actors=[SECRETARIAT],
                   wrong_state_message=_("Only an active membership can change tier.")),
        Transition("apply_tier", _("Apply the tier change"), source=[M.ACTIVE, M.LAPSED], target=None,
                   actors=[SYSTEM]),
        Transition("lapse", _("Lapse (dues unpaid for a year)"), source=[M.ACTIVE], target=M.LAPSED,
                   actors=[SYSTEM]),
        Transition("lapse_inactive", _("Lapse (no activity for a year)"), source=[M.ACTIVE], target=M.LAPSED,
                   actors=[SYSTEM]),
        Transition("reinstate", _("Reinstate"), source=[M.LAPSED], target=M.ACTIVE, actors=[SECRETARIAT],
                   guard=no_arrears, style="primary",
                   wrong_state_message=_("Only a lapsed membership can be reinstated.")),
        Transition("withdraw", _("Confirm the withdrawal"), source=[M.ACTIVE, M.LAPSED], target=M.WITHDRAWN,
                   actors=[SECRETARIAT], style="danger",
                   wrong_state_message=_("This membership has already ended.")),
        Transition("expel", _("Expel"), source=[M.ACTIVE, M.LAPSED], target=M.EXPELLED, actors=[REVIEWERS],
                   guard=expelled_by_council, style="danger",
                   wrong_state_message=_("This membership has already ended.")),
        Transition("reissue_certificate", _("Re-issue the member certificate"), source=[M.ACTIVE, M.LAPSED],
                   target=None, actors=[SECRETARIAT, SYSTEM],
                   wrong_state_message=_("This membership has ended: its certificate is no longer re-issued.")),
        Transition("certificate_returned", _("Record the certificate's return"), source=[M.WITHDRAWN, M.EXPELLED],
                   target=None, actors=[SECRETARIAT], history=False,
                   wrong_state_message=_("The certificate is returned only when a membership ends.")),
    ],
)


# ------------------------------------------------------------------------------------- withdrawals


def _notice_visible(user, notice) -> bool:
    return MEMBER_OF_NOTICE.permits(user, notice) or _reviewer(user)


def membership_current(notice):
    """The membership has not ended and no other notice is waiting."""
    membership = Membership.objects.get(pk=notice.membership_id)
    if not membership.is_current:
        return [gettext("This membership has already ended.")]
    pending = membership.withdrawals.filter(status=W.PENDING)
    if notice.pk:
        pending = pending.exclude(pk=notice.pk)
    if pending.exists():
        return [gettext("A withdrawal notice is already waiting for the secretariat.")]
    return []


def _notice_history(notice, *, transition, previous, user, note, when):
    if transition.action == "request":
        MembershipEvent.objects.create(
            membership_id=notice.membership_id, kind=MembershipEvent.Kind.WITHDRAWAL_REQUESTED,
            on=timezone.localdate(when), by=user if getattr(user, "pk", None) else None, note=note,
        )


WITHDRAWALS = Workflow(
    "members.withdrawal",
    WithdrawalRequest,
    label=_("withdrawal notice"),
    visible=_notice_visible,
    recused=recused_from_unit(_membership_unit),
    history=_notice_history,
    lock_related=("membership",),
    transitions=[
        Transition("request", _("Give notice of withdrawal"), source=[NEW], target=W.PENDING,
                   actors=[MEMBER_OF_NOTICE], guard=membership_current),
        Transition("confirm", _("Confirm the withdrawal"), source=[W.PENDING], target=W.CONFIRMED,
                   actors=[SECRETARIAT], style="danger",
                   wrong_state_message=_("This withdrawal has already been confirmed.")),
    ],
)


# ------------------------------------------------------------------------------------------- dues


def _item_visible(user, item) -> bool:
    return MEMBER_OF_ITEM.permits(user, item) or _reviewer(user)


DUES = Workflow(
    "members.dues",
    DuesItem,
    label=_("dues item"),
    visible=_item_visible,
    recused=recused_from_unit(_membership_unit),
    lock_related=("membership",),
    transitions=[
        Transition("pay_part", _("Record a part payment"), source=[D.UNPAID, D.PARTIAL], target=D.PARTIAL,
                   actors=[SECRETARIAT], history=False,
                   wrong_state_message=_("This year's dues are already paid in full.")),
        Transition("pay_in_full", _("Record the payment"), source=[D.UNPAID, D.PARTIAL], target=D.PAID,
                   actors=[SECRETARIAT], history=False,
                   wrong_state_message=_("This year's dues are already paid in full.")),
    ],
)


# ------------------------------------------------------------------------------ council resolutions


def adopted_by_a_quorate_meeting(resolution):
    """The meeting was quorate and the resolution won the majority the rules set."""
    from .domain.common import rules

    the_rules = rules()
    size, present = resolution.council_size, resolution.members_present
    votes = resolution.votes_for + resolution.votes_against + resolution.votes_abstaining
    problems = []
    if resolution.meeting_date > timezone.localdate():
        problems.append(gettext("The meeting date cannot be in the future."))
    if present > size:
        problems.append(gettext("%(present)s members present, but the council has %(size)s members.")
                        % {"present": present, "size": size})
    if votes > present:
        problems.append(gettext("%(votes)s votes cast: more than the %(present)s members present.")
                        % {"votes": votes, "present": present})
    needed = the_rules.quorum(size)
    if present < max(needed, 1):
        problems.append(gettext("No quorum: %(present)s of the %(size)s council members were present; at least "
                                "%(needed)s are needed.") % {"present": present, "size": size, "needed": needed})
    elif resolution.votes_for < the_rules.majority(present):
        problems.append(gettext("Not adopted: %(votes)s of the %(present)s members present voted for it; at least "
                                "%(needed)s votes for are needed.")
                        % {"votes": resolution.votes_for, "present": present, "needed": the_rules.majority(present)})
    if resolution.kind == CouncilResolution.Kind.EXPULSION and not resolution.minutes:
        problems.append(gettext("An expulsion needs the meeting minutes."))
    return problems


RESOLUTIONS = Workflow(
    "members.resolution",
    CouncilResolution,
    label=_("council resolution"),
    transitions=[
        Transition("record", _("Record the council's resolution"), source=[NEW], target=CouncilResolution.Status.RECORDED,
                   actors=[REVIEWERS], guard=adopted_by_a_quorate_meeting),
    ],
)


# ------------------------------------------------------------------------------ bank reconciliation


def _line_unit(line) -> int | None:
    return line.membership.organisation_id if line.membership_id else None


def _reviewer_sees(user, obj) -> bool:
    return _reviewer(user)


def has_a_proposal(line):
    """The line has a proposed allocation to dues items."""
    if not line.allocations:
        return [gettext("Nothing is proposed for this line: record it against a member, or mark it as not dues.")]
    return []


STATEMENTS = Workflow(
    "members.statement",
    BankStatement,
    label=_("bank statement"),
    visible=_reviewer_sees,
    transitions=[
        Transition("import", _("Import a bank statement"), source=[NEW], target=BankStatement.Status.IMPORTED,
                   actors=[SECRETARIAT]),
    ],
)

L = StatementLine.Status
BANK_LINES = Workflow(
    "members.bank_line",
    StatementLine,
    label=_("bank statement line"),
    visible=_reviewer_sees,
    recused=recused_from_unit(_line_unit),
    transitions=[
        Transition("confirm", _("Confirm the proposal"), source=[L.PROPOSED], target=L.CONFIRMED,
                   actors=[SECRETARIAT], guard=has_a_proposal, style="primary",
                   wrong_state_message=_("This bank line has already been dealt with.")),
        Transition("assign", _("Record against a member"), source=[L.PROPOSED, L.UNMATCHED], target=L.CONFIRMED,
                   actors=[SECRETARIAT], wrong_state_message=_("This bank line has already been dealt with.")),
        Transition("ignore", _("Mark as not dues"), source=[L.PROPOSED, L.UNMATCHED], target=L.IGNORED,
                   actors=[SECRETARIAT], wrong_state_message=_("This bank line has already been dealt with.")),
        Transition("reopen", _("Resolve it again"), source=[L.IGNORED], target=L.UNMATCHED, actors=[SECRETARIAT],
                   wrong_state_message=_("Only a line marked as not dues can be resolved again.")),
    ],
)


# ------------------------------------------------------------------------------ individual members

IM = IndividualMember.Status
ID = IndividualDuesItem.Status

INDIVIDUALS = Workflow(
    "members.individual",
    IndividualMember,
    label=_("individual member"),
    visible=_reviewer_sees,
    transitions=[
        Transition("register", _("Register an individual member"), source=[NEW], target=IM.ACTIVE,
                   actors=[SECRETARIAT]),
        Transition("withdraw", _("End the membership"), source=[IM.ACTIVE], target=IM.WITHDRAWN, actors=[SECRETARIAT],
                   style="danger", wrong_state_message=_("This membership has already ended.")),
        Transition("readmit", _("Admit again"), source=[IM.WITHDRAWN], target=IM.ACTIVE, actors=[SECRETARIAT],
                   wrong_state_message=_("This person is a member already.")),
    ],
)

INDIVIDUAL_DUES = Workflow(
    "members.individual_dues",
    IndividualDuesItem,
    label=_("individual dues item"),
    visible=_reviewer_sees,
    transitions=[
        Transition("pay_part", _("Record a part payment"), source=[ID.UNPAID, ID.PARTIAL], target=ID.PARTIAL,
                   actors=[SECRETARIAT], history=False,
                   wrong_state_message=_("This year's dues are already paid in full.")),
        Transition("pay_in_full", _("Record the payment"), source=[ID.UNPAID, ID.PARTIAL], target=ID.PAID,
                   actors=[SECRETARIAT], history=False,
                   wrong_state_message=_("This year's dues are already paid in full.")),
    ],
)


# ------------------------------------------------------------------------------------------ mailings

MS = Mailing.Status


def ready_to_send(mailing):
    """A subject, a message and at least one recipient."""
    from .domain.mailings import recipients_for

    problems = []
    if not mailing.subject.strip() or not mailing.body.strip():
        problems.append(gettext("Write the subject and the message first."))
    if not recipients_for(mailing):
        problems.append(gettext("Nobody is in this segment now: nothing to send."))
    return problems


MAILINGS = Workflow(
    "members.mailing",
    Mailing,
    label=_("mailing"),
    visible=_reviewer_sees,
    transitions=[
        Transition("draft", _("Write a mailing"), source=[NEW], target=MS.DRAFT, actors=[SECRETARIAT]),
        Transition("send", _("Send the mailing"), source=[MS.DRAFT], target=MS.SENDING, actors=[SECRETARIAT],
                   guard=ready_to_send, style="primary",
                   wrong_state_message=_("This mailing has already been sent.")),
        Transition("finish", _("Every email queued"), source=[MS.SENDING], target=MS.SENT, actors=[SYSTEM]),
    ],
)
