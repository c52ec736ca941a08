"""Bank-statement reconciliation (对账): import a statement, propose, confirm, resolve what is left.

- `import_statement`: reads the file (`members.statements.parse`), refuses it whole on the first bad
  row, skips the lines imported before (their fingerprints: a re-upload or an overlapping statement
  imports each bank line once), proposes what each new line pays (`members.statements.matching`) and
  stores the statement and its new lines in one transaction.
- `confirm_line`: the secretariat confirms a proposal: each allocation becomes a payment with its
  receipt (`record_payment`, which emails the unit), all or nothing per line.
- `assign_line`, `ignore_line`, `reopen_line`: what the secretariat does with the lines left to resolve.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.workflow import WorkflowError
from portal.organisations.models import RegisteredName

from ..models import (
    BankProfile,
    BankStatement,
    DuesItem,
    IndividualDuesItem,
    IndividualMember,
    Membership,
    Payment,
    PaymentAccount,
    StatementLine,
)
from ..statements.matching import Payable, PayableIndex, Proposal, propose
from ..statements.parse import ParsedStatement, parse_statement
from ..workflows import BANK_LINES, STATEMENTS
from .dues import record_payment
from .individuals import record_individual_payment

CHUNK = 500
CURRENT = (Membership.Status.ACTIVE, Membership.Status.LAPSED)


def _account_key(number: str) -> str:
    return "".join(ch for ch in number or "" if ch.isalnum())


# ------------------------------------------------------------------------------------------- matching


def reserved_by_open_proposals() -> dict[tuple[str, int], Decimal]:
    """What the proposals waiting for confirmation already pay, per dues item."""
    reserved: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for allocations in StatementLine.objects.filter(status=StatementLine.Status.PROPOSED).values_list(
            "allocations", flat=True):
        for a in allocations:
            reserved[(a["kind"], a["item"])] += Decimal(a["amount"])
    return reserved


def build_index(*, exclude_line: StatementLine | None = None) -> PayableIndex:
    """Every dues item (units' and individuals') with what it still owes, and every payer's names and codes.

    Five queries, whatever the number of members and lines.
    """
    index = PayableIndex()
    reserved = reserved_by_open_proposals()
    if exclude_line is not None and exclude_line.status == StatementLine.Status.PROPOSED:
        for a in exclude_line.allocations:
            reserved[(a["kind"], a["item"])] -= Decimal(a["amount"])
    for pk, membership_id, year, reference, amount, paid in DuesItem.objects.values_list(
            "pk", "membership_id", "year", "payment_reference", "amount", "paid"):
        index.add(Payable("unit", pk, ("unit", membership_id), year, reference,
                          amount - paid - reserved.get(("unit", pk), 0)))
    for pk, member_id, year, reference, amount, paid in IndividualDuesItem.objects.values_list(
            "pk", "member_id", "year", "payment_reference", "amount", "paid"):
        index.add(Payable("person", pk, ("person", member_id), year, reference,
                          amount - paid - reserved.get(("person", pk), 0)))
    # A unit pays as its current membership (an ended one only when there is no current one).
    membership_of: dict[int, int] = {}
    names: dict[int, list[str]] = defaultdict(list)
    codes: dict[int, str] = {}
    for pk, organisation_id, status, name, code in Membership.objects.order_by("started_on", "pk").values_list(
            "pk", "organisation_id", "status", "organisation__name", "organisation__credit_code"):
        if organisation_id not in membership_of or status in CURRENT:
            membership_of[organisation_id] = pk
        names[organisation_id] = [name]
        codes[organisation_id] = code
    for organisation_id, name in RegisteredName.objects.filter(
            organisation_id__in=list(membership_of)).values_list("organisation_id", "name"):
        names[organisation_id].append(name)
    for organisation_id, membership_id in membership_of.items():
        index.add_owner(("unit", membership_id), names=names[organisation_id], credit_code=codes[organisation_id])
    for pk, name in IndividualMember.objects.values_list("pk", "name"):
        index.add_owner(("person", pk), names=[name])
    return index.finish()


def _line_fields(proposal: Proposal) -> dict:
    owner_kind, owner_pk = proposal.owner or ("", None)
    return {
        "status": proposal.status, "match": proposal.match, "flags": ",".join(proposal.flags),
        "membership_id": owner_pk if owner_kind == "unit" else None,
        "individual_id": owner_pk if owner_kind == "person" else None,
        "allocations": [{"kind": p.kind, "item": p.pk, "year": p.year, "amount": str(amount)}
                        for p, amount in proposal.allocations],
        "remainder": proposal.remainder,
    }


# ------------------------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    statement: BankStatement
    new: int
    known: int


def read_statement(*, profile: BankProfile, data: bytes, file_name: str) -> ParsedStatement:
    """The file's incoming lines (a `StatementError`, a WorkflowError, for a file that cannot be imported)."""
    account = _account_key(PaymentAccount.load().account_number)
    return parse_statement(data, file_name, profile.column_map(), account=account)


def known_fingerprints(fingerprints: list[str]) -> set[str]:
    found = set()
    for start in range(0, len(fingerprints), CHUNK):
        found.update(StatementLine.objects.filter(fingerprint__in=fingerprints[start:start + CHUNK])
                     .values_list("fingerprint", flat=True))
    return found


def import_statement(*, profile: BankProfile, upload, user, request=None) -> ImportResult:
    """Import one uploaded statement: each bank line once, with its proposal; all or nothing."""
    from django.core.files.base import ContentFile

    upload.seek(0)
    data = upload.read()
    file_name = upload.name.rsplit("/", 1)[-1][:200]
    statement = BankStatement(profile=profile, account_number=PaymentAccount.load().account_number,
                              file_name=file_name, uploaded_by=user)
    STATEMENTS.check_actor(user, statement, STATEMENTS["import"])  # 403 before the file is read
    parsed = read_statement(profile=profile, data=data, file_name=file_name)
    with transaction.atomic():
        # One import at a time: two uploads of the same file must not both find its lines new.
        PaymentAccount.objects.select_for_update().filter(pk=PaymentAccount.load().pk).first()
        known = known_fingerprints([line.fingerprint for line in parsed.lines])
        seen_now: set[str] = set()
        new_lines = []
        for line in parsed.lines:
            if line.fingerprint in known or line.fingerprint in seen_now:
                continue
            seen_now.add(line.fingerprint)
            new_lines.append(line)
        statement.first_date, statement.last_date = parsed.first_date, parsed.last_date
        statement.incoming_lines, statement.other_rows = len(parsed.lines), parsed.other_rows
        statement.new_lines, statement.known_lines = len(new_lines), len(parsed.lines) - len(new_lines)
        statement.file.save(file_name, ContentFile(data), save=False)
        STATEMENTS.create(statement, "import", user=user, request=request, data={
            "file": file_name, "bank": profile.name, "incoming": statement.incoming_lines,
            "new": statement.new_lines, "known": statement.known_lines})
        index = build_index()
        StatementLine.objects.bulk_create([
            StatementLine(
                statement=statement, row_number=line.row, fingerprint=line.fingerprint, booked_on=line.booked_on,
                amount=line.amount, payer_name=line.payer_name, payer_account=line.payer_account, note=line.note,
                serial=line.serial,
                **_line_fields(propose(amount=line.amount, payer_name=line.payer_name, note=line.note, index=index)),
            )
            for line in new_lines
        ], batch_size=1000)
        BankProfile.objects.filter(pk=profile.pk).update(last_used_at=timezone.now())
    return ImportResult(statement=statement, new=statement.new_lines, known=statement.known_lines)


# ------------------------------------------------------------------------------------------- decisions


def _pay(line: StatementLine, allocations: list[dict], *, user, request) -> list:
    """Record each allocation of a locked line as a payment with its receipt (the unit is emailed)."""
    payments = []
    reference = (line.serial or line.note)[:100]
    for a in allocations:
        amount = Decimal(a["amount"])
        if a["kind"] == "unit":
            item = DuesItem.objects.get(pk=a["item"])
            payments.append(record_payment(dues_item=item, user=user, amount=amount, paid_on=line.booked_on,
                                           method=Payment.Method.BANK, reference=reference, request=request,
                                           bank_line=line))
        else:
            item = IndividualDuesItem.objects.get(pk=a["item"])
            payments.append(record_individual_payment(item=item, user=user, amount=amount, paid_on=line.booked_on,
                                                      method="bank", reference=reference, request=request,
                                                      bank_line=line))
    return payments


def confirm_line(*, line: StatementLine, user, request=None) -> list:
    """The secretariat confirms the proposal: the payments and their receipts; returns the payments."""
    made = {}

    def change(current):
        made["payments"] = _pay(current, current.allocations, user=user, request=request)
        current.decided_by, current.decided_at = user, timezone.now()

    BANK_LINES.transition(line, "confirm", user=user, request=request, change=change,
                          data={"amount": str(line.amount), "allocations": line.allocations})
    return made["payments"]


def confirm_lines(*, lines, user, request=None) -> tuple[list, list[tuple[StatementLine, WorkflowError]]]:
    """Confirm several proposals, each on its own (one refused line does not hold up the others)."""
    confirmed, refused = [], []
    for line in lines:
        try:
            with transaction.atomic():
                confirmed.append((line, confirm_line(line=line, user=user, request=request)))
        except WorkflowError as exc:
            refused.append((line, exc))
    return confirmed, refused


def find_payer(number: str):
    """A member unit's current membership or an individual member, by member number (or a unit's credit code)."""
    number = (number or "").strip().upper()
    membership = (Membership.objects.filter(member_number__iexact=number).first()
                  or Membership.objects.filter(organisation__credit_code=number, status__in=CURRENT).first())
    if membership is not None:
        return membership
    return IndividualMember.objects.filter(member_number__iexact=number).first()


def allocation_for(line: StatementLine, payer) -> Proposal:
    """What the line pays of what `payer` owes now, oldest dues year first (other proposals' reservations count)."""
    index = build_index(exclude_line=line)
    owner = ("unit", payer.pk) if isinstance(payer, Membership) else ("person", payer.pk)
    proposal = Proposal(match=line.match)
    left = line.amount
    for payable in index.owed_by(owner):
        if left <= 0:
            break
        part = min(payable.remaining, left)
        payable.remaining -= part
        left -= part
        proposal.allocations.append((payable, part))
    proposal.owner = owner
    if len(proposal.allocations) > 1:
        proposal.flag("split")
    if proposal.allocations and proposal.allocations[-1][0].remaining > 0:
        proposal.flag("partial")
    if left > 0:
        proposal.remainder = left
        proposal.flag("over" if proposal.allocations else "duplicate")
    return proposal


def assign_line(*, line: StatementLine, user, member_number: str, note: str = "", request=None) -> list:
    """Record a line against a member the secretariat names (what it owes, oldest year first); an overpayment's
    rest stays noted on the line for a refund."""
    payer = find_payer(member_number)
    if payer is None:
        raise WorkflowError(_("No member has the number “%(number)s”.") % {"number": member_number})
    proposal = allocation_for(line, payer)
    if not proposal.allocations:
        raise WorkflowError(_("%(payer)s owes no dues at the moment: mark the line as not dues (e.g. for a "
                              "refund) instead.") % {"payer": payer})
    fields = _line_fields(proposal)
    made = {}

    def change(current):
        for name, value in fields.items():
            if name != "status":
                setattr(current, name, value)
        made["payments"] = _pay(current, current.allocations, user=user, request=request)
        current.decided_by, current.decided_at, current.decision_note = user, timezone.now(), (note or "").strip()

    BANK_LINES.transition(line, "assign", user=user, request=request, change=change, note=note,
                          data={"payer": str(payer), "allocations": fields["allocations"]})
    return made["payments"]


def ignore_line(*, line: StatementLine, user, note: str, request=None) -> StatementLine:
    """Not dues (another income, a payment to refund): kept with the reason, out of the list to resolve."""
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Say what the money is (e.g. a training fee, or a payment to refund)."))

    def change(current):
        current.decided_by, current.decided_at, current.decision_note = user, timezone.now(), note

    return BANK_LINES.transition(line, "ignore", user=user, request=request, note=note, change=change)


def reopen_line(*, line: StatementLine, user, request=None) -> StatementLine:
    def change(current):
        current.allocations, current.remainder, current.match, current.flags = [], Decimal("0"), "", ""
        current.membership, current.individual = None, None

    return BANK_LINES.transition(line, "reopen", user=user, request=request, change=change)


def preselected(line: StatementLine) -> bool:
    """Ticked on the confirmation screen: a clean proposal (a reference, or payer and amount with nothing odd)."""
    flags = set(line.flag_list)
    if line.match == StatementLine.Match.EXACT:
        return flags <= {"split", "partial"}
    return line.match == StatementLine.Match.PROBABLE and not flags
