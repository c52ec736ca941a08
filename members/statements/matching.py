"""What each incoming bank line pays: the matching rules, over data loaded once (`PayableIndex`).

Rules, in order (each line, in the statement's order):
1. **Payment reference** (`members.references`) in the note → *exact*: the line pays that dues item.
   Several references pay several items, in the order written.
2. Otherwise the **payer**: a unified social credit code in the note or the payer's name, or the payer's
   name equal to a member unit's registered name (now or formerly approved) or an individual member's
   name → *probable*, when the amount fits what that payer owes.
3. Otherwise no proposal: the line waits in the list to resolve.

What is owed is paid oldest dues year first, and whatever the line does not cover stays owed:
- **split**: the line covers more than one dues item (two years at once);
- **partial**: it covers less than an item still owes;
- **over**: it is more than the payer owes; the rest is left unallocated (`remainder`) for a refund;
- **duplicate**: the payer owes nothing any more (the item was paid, or an earlier line already pays it);
- **bad_reference**: the note holds something like a reference that is mistyped or unknown.
Lines earlier in the same upload, and proposals of earlier uploads not yet confirmed, reserve what they
pay, so the second of two equal transfers for the same dues is a duplicate, never a second payment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.cn import uscc

from ..references import find_references

ZERO = Decimal("0.00")
_NAME_NOISE = re.compile(r"[\s·.,，、]+")
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


def normalise_name(name: str) -> str:
    """A unit's or person's name as compared: full-width folded, brackets unified, no spaces."""
    text = unicodedata.normalize("NFKC", name or "").replace("（", "(").replace("）", ")")
    return _NAME_NOISE.sub("", text).upper()


@dataclass
class Payable:
    """A dues item as the matcher sees it: whose it is, its year and reference, and what it still owes."""

    kind: str  # "unit" | "person"
    pk: int
    owner: tuple[str, int]  # ("unit", membership id) | ("person", individual member id)
    year: int
    reference: str
    remaining: Decimal


@dataclass
class Proposal:
    match: str = ""  # "exact" | "probable" | ""
    flags: list[str] = field(default_factory=list)
    owner: tuple[str, int] | None = None
    allocations: list[tuple[Payable, Decimal]] = field(default_factory=list)
    remainder: Decimal = ZERO

    @property
    def status(self) -> str:
        return "proposed" if self.allocations else "unmatched"

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)


@dataclass
class PayableIndex:
    """Every dues item with its reference, and every payer's names and credit code (loaded once)."""

    by_reference: dict[str, Payable] = field(default_factory=dict)
    by_owner: dict[tuple[str, int], list[Payable]] = field(default_factory=dict)
    owners_by_name: dict[str, set] = field(default_factory=dict)
    owners_by_code: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, payable: Payable) -> None:
        self.by_reference[payable.reference] = payable
        self.by_owner.setdefault(payable.owner, []).append(payable)

    def add_owner(self, owner: tuple[str, int], *, names=(), credit_code: str = "") -> None:
        for name in names:
            if name:
                self.owners_by_name.setdefault(normalise_name(name), set()).add(owner)
        if credit_code:
            self.owners_by_code[credit_code.upper()] = owner

    def finish(self) -> PayableIndex:
        for payables in self.by_owner.values():
            payables.sort(key=lambda p: (p.year, p.pk))
        return self

    def owed_by(self, owner) -> list[Payable]:
        return [p for p in self.by_owner.get(owner, ()) if p.remaining > 0]


def _allocate(proposal: Proposal, payables: list[Payable], amount: Decimal) -> Decimal:
    """Pay `payables` in order with `amount`; returns what is left. Reserves what it allocates."""
    for payable in payables:
        if amount <= 0:
            break
        if payable.remaining <= 0:
            continue
        part = min(payable.remaining, amount)
        payable.remaining -= part
        amount -= part
        proposal.allocations.append((payable, part))
    return amount


def _finish(proposal: Proposal, left: Decimal, owner) -> Proposal:
    proposal.owner = owner
    if len(proposal.allocations) > 1:
        proposal.flag("split")
    if proposal.allocations and proposal.allocations[-1][0].remaining > 0:
        proposal.flag("partial")
    if left > 0:
        proposal.remainder = left
        proposal.flag("over" if proposal.allocations else "duplicate")
    return proposal


def _payers(note: str, payer_name: str, index: PayableIndex) -> set:
    found = set()
    for text in (note, payer_name):
        for code in _CREDIT_CODE.findall(unicodedata.normalize("NFKC", text or "").upper()):
            if code in index.owners_by_code and uscc.is_valid(code):
                found.add(index.owners_by_code[code])
    if not found and payer_name:
        found = set(index.owners_by_name.get(normalise_name(payer_name), ()))
    return found


def propose(*, amount: Decimal, payer_name: str, note: str, index: PayableIndex) -> Proposal:
    """The proposal for one incoming line (reserves what it allocates in `index`)."""
    proposal = Proposal()
    valid, broken = find_references(note)
    known = [index.by_reference[r] for r in valid if r in index.by_reference]
    if broken or len(known) < len(valid):
        proposal.flag("bad_reference")
    if known:
        proposal.match = "exact"
        owner = known[0].owner
        if any(p.owner != owner for p in known):  # references of two payers: the secretariat decides
            proposal.flag("bad_reference")
            proposal.match = ""
            return proposal
        left = _allocate(proposal, known, amount)
        if proposal.allocations and left > 0:
            left = _allocate(proposal, index.owed_by(owner), left)  # the rest pays what else is owed
        return _finish(proposal, left, owner)  # nothing allocated: the items were paid, a duplicate
    payers = _payers(note, payer_name, index)
    if len(payers) != 1:
        return proposal  # nobody, or a name several payers share: the secretariat decides
    owner = payers.pop()
    owed = index.owed_by(owner)
    proposal.match = "probable"
    if not owed:
        return _finish(proposal, amount, owner)  # owes nothing: a duplicate payment
    exact = next((p for p in owed if p.remaining == amount), None)
    left = _allocate(proposal, [exact] if exact else owed, amount)
    return _finish(proposal, left, owner)
