"""Dues (会费): the items a membership owes per dues year, payments with receipts, tier changes."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.numbering import formatted, highest_suffix
from portal.core.workflow import WorkflowError

from ..models import DuesItem, MemberCertificate, Membership, MembershipRules, MembershipTier, Payment
from ..workflows import DUES, MEMBERSHIPS
from .common import email_unit, moment, rules
from .documents import issue_certificate, issue_receipt


def _quantize(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def dues_amount(*, tier, year: int, started_on: datetime.date, the_rules: MembershipRules) -> Decimal:
    annual = tier.annual_dues
    if year == the_rules.dues_year_of(started_on) and not the_rules.charge_joining_year_in_full:
        end = the_rules.dues_year_end(year)
        months = (end.year - started_on.year) * 12 + end.month - started_on.month + 1
        return _quantize(annual * Decimal(months) / Decimal(12))
    return annual


def ensure_dues_items(*, membership: Membership, today: datetime.date, the_rules=None) -> list[DuesItem]:
    """Bill the dues years up to the one containing `today` that have no item yet; only an active membership.

    Years are billed from the joining year, or from the last reinstatement: the years a membership
    spent lapsed are never billed. Call inside the transaction of the step that makes or keeps the
    membership active; a pending tier change applies from its year on.
    """
    if membership.status != Membership.Status.ACTIVE:
        return []
    the_rules = the_rules or rules()
    first = the_rules.dues_year_of(membership.reinstated_on or membership.started_on)
    last = the_rules.dues_year_of(today)
    existing = set(membership.dues_items.values_list("year", flat=True))
    created = []
    for year in range(first, last + 1):
        if year in existing:
            continue
        tier = membership.tier_for(year)
        due_on = max(the_rules.dues_year_start(year), membership.started_on)
        created.append(DuesItem.objects.create(
            membership=membership, year=year, tier=tier, due_on=due_on,
            amount=dues_amount(tier=tier, year=year, started_on=membership.started_on, the_rules=the_rules),
        ))
    return created


def allocate_receipt_number(year: int) -> str:
    """One receipt sequence per year for units' and individuals' payments alike."""
    from ..models import IndividualPayment

    prefix = f"SJ-{year}-"
    return formatted(f"receipt-{year}", prefix + "{n:05d}",
                     floor=lambda: max(highest_suffix(Payment.objects.all(), "receipt_number", prefix),
                                       highest_suffix(IndividualPayment.objects.all(), "receipt_number", prefix)))


def checked_payment(amount, paid_on: datetime.date) -> Decimal:
    """A payment's amount and date as the secretariat may record them (a unit's or a person's dues)."""
    amount = Decimal(amount)
    if amount <= 0:
        raise WorkflowError(_("The amount must be greater than zero."))
    if paid_on > timezone.localdate():
        raise WorkflowError(_("The payment date cannot be in the future."))
    return amount


def payment_action(item, amount: Decimal) -> str:
    """The dues table's step for this amount on the item as last read: paying it off, or a part."""
    return "pay_in_full" if amount == item.outstanding else "pay_part"


def add_payment(item, amount: Decimal, action: str) -> None:
    """Add `amount` to the locked item: never more than is owed, and only if no other payment changed the
    item since `action` was chosen."""
    if amount > item.outstanding:
        raise WorkflowError(
            _("%(amount)s yuan is more than the %(outstanding)s yuan still owed for %(year)s.")
            % {"amount": amount, "outstanding": item.outstanding, "year": item.year}
        )
    if (amount == item.outstanding) != (action == "pay_in_full"):
        raise WorkflowError(_("Another payment for this dues item was recorded meanwhile: check and try again."))
    item.paid = item.paid + amount


def record_payment(*, dues_item: DuesItem, user, amount, paid_on: datetime.date, method: str, reference: str = "",
                   request=None, bank_line=None) -> Payment:
    """The secretariat records money received; partial payments allowed, overpayment refused."""
    amount = checked_payment(amount, paid_on)
    seen = DuesItem.objects.get(pk=dues_item.pk)
    action = payment_action(seen, amount)
    made = {}

    def change(item):
        add_payment(item, amount, action)
        payment = Payment.objects.create(
            dues_item=item, amount=amount, paid_on=paid_on, method=method, reference=reference.strip()[:100],
            recorded_by=user, receipt_number=allocate_receipt_number(paid_on.year), bank_line=bank_line,
        )
        made["payment"] = issue_receipt(payment, item=item, organisation=item.membership.organisation,
                                        membership=item.membership)

    def notify(item):
        membership = Membership.objects.select_related("organisation").get(pk=item.membership_id)
        email_unit(membership.organisation, _("Dues payment received"), "members/email/payment_recorded.txt",
                   {"payment": made["payment"], "item": item, "membership": membership})

    item = DUES.transition(seen, action, user=user, request=request, change=change, notify=notify,
                           data={"year": seen.year, "amount": str(amount)})
    payment = made["payment"]
    dues_item.paid, dues_item.status = item.paid, item.status
    return payment


def arrears_of(membership: Membership, *, today: datetime.date, the_rules=None) -> Decimal:
    """What is still owed for dues years before the current one."""
    the_rules = the_rules or rules()
    current = the_rules.dues_year_of(today)
    totals = membership.dues_items.filter(year__lt=current).aggregate(amount=Sum("amount"), paid=Sum("paid"))
    return (totals["amount"] or Decimal("0")) - (totals["paid"] or Decimal("0"))


def change_tier(*, membership: Membership, tier: MembershipTier, user, request=None, today=None) -> Membership:
    """A tier change applies from the next dues year (this year's dues stay as charged)."""
    today = today or timezone.localdate()
    from_year = rules().dues_year_of(today) + 1

    def change(m):
        if tier.pk == m.tier_id:
            m.next_tier, m.next_tier_from_year = None, None
        else:
            m.next_tier, m.next_tier_from_year = tier, from_year

    note = _("%(new)s from dues year %(year)s") % {"new": tier.name, "year": from_year if tier.pk != membership.tier_id
                                                    else "—"}
    return MEMBERSHIPS.transition(membership, "change_tier", user=user, request=request, change=change, note=note,
                                  when=moment(today), data={"tier": tier.name, "from_year": from_year})


def apply_tier_change(*, membership: Membership, today: datetime.date, user=None) -> Membership:
    """The scheduled job makes a pending tier change the membership's tier once its dues year has begun; the
    certificate is re-issued with the new tier (a new version)."""
    old = membership.tier

    def change(m):
        m.tier, m.next_tier, m.next_tier_from_year = m.next_tier, None, None
        issue_certificate(m, reason=MemberCertificate.Reason.TIER, on=today)  # the certificate names the tier

    note = _("%(old)s → %(new)s from dues year %(year)s") % {
        "old": old.name, "new": membership.next_tier.name, "year": membership.next_tier_from_year}
    return MEMBERSHIPS.transition(membership, "apply_tier", user=user, change=change, note=note, when=moment(today))


def dues_overview(membership: Membership):
    """Dues items with their payments for display (2 queries)."""
    return list(membership.dues_items.select_related("tier").prefetch_related("payments").order_by("-year"))
