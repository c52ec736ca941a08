"""Money reports for the accountant: a year's receipts (收款明细) and what each member owes (应收及欠费).

Amounts stay `Decimal` from the database to the file: the xlsx cells are numbers formatted as money
(`portal.core.exports.MONEY`), the CSV cells are written with two decimals — never "15000.0".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import DuesItem, IndividualDuesItem, IndividualMember, IndividualPayment, Membership, Payment

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def receipts_rows(year: int) -> list[dict]:
    """Every payment received in `year` (units' and individuals'), with its receipt and its bank line."""
    rows = []
    payments = (Payment.objects.filter(paid_on__year=year)
                .select_related("dues_item__membership__organisation", "dues_item__tier", "bank_line", "recorded_by"))
    people = (IndividualPayment.objects.filter(paid_on__year=year)
              .select_related("item__member", "item__tier", "bank_line", "recorded_by"))
    for p in payments:
        membership = p.dues_item.membership
        rows.append(_receipt_row(p, kind=_("Unit"), payer=membership.organisation.name,
                                 number=membership.member_number, dues_year=p.dues_item.year,
                                 tier=p.dues_item.tier.name))
    for p in people:
        rows.append(_receipt_row(p, kind=_("Individual"), payer=p.item.member.name, number=p.item.member.member_number,
                                 dues_year=p.item.year, tier=p.item.tier.name))
    rows.sort(key=lambda r: (r["paid_on"], r["receipt_number"]))
    return rows


def _receipt_row(p, *, kind, payer, number, dues_year, tier) -> dict:
    line = p.bank_line
    return {
        "receipt_number": p.receipt_number, "paid_on": p.paid_on, "kind": kind, "payer": payer,
        "member_number": number, "dues_year": dues_year, "tier": tier, "amount": money(p.amount),
        "method": p.get_method_display(),
        "bank_date": line.booked_on if line else None, "bank_payer": line.payer_name if line else "",
        "bank_account": line.payer_account if line else "", "bank_serial": line.serial if line else "",
        "bank_note": line.note if line else p.reference,
        "recorded_by": str(p.recorded_by or ""),
    }


RECEIPT_LABELS = {
    "receipt_number": gettext_lazy("Receipt number"), "paid_on": gettext_lazy("Payment date"),
    "kind": gettext_lazy("Kind of member"), "payer": gettext_lazy("Paid by"),
    "member_number": gettext_lazy("Member number"), "dues_year": gettext_lazy("Dues year"),
    "tier": gettext_lazy("Tier"), "amount": gettext_lazy("Amount (yuan)"), "method": pgettext_lazy("payment", "Method"),
    "bank_date": gettext_lazy("Bank booking date"), "bank_payer": gettext_lazy("Payer name at the bank"),
    "bank_account": gettext_lazy("Payer account"), "bank_serial": gettext_lazy("Bank serial number"),
    "bank_note": gettext_lazy("Note or reference"), "recorded_by": gettext_lazy("Recorded by"),
}


def receivable_rows(*, today: datetime.date, the_rules) -> list[dict]:
    """Per member (units, then individuals): receivable, received, this year's unpaid, arrears (earlier years)."""
    current = the_rules.dues_year_of(today)
    rows = []
    sums = defaultdict(lambda: {"receivable": ZERO, "received": ZERO, "current": ZERO, "arrears": ZERO,
                                "years": []})
    for membership_id, year, amount, paid in DuesItem.objects.values_list("membership_id", "year", "amount", "paid"):
        _add(sums[("unit", membership_id)], year, amount, paid, current)
    for member_id, year, amount, paid in IndividualDuesItem.objects.values_list("member_id", "year", "amount", "paid"):
        _add(sums[("person", member_id)], year, amount, paid, current)
    for m in Membership.objects.select_related("organisation", "tier").order_by("member_number"):
        s = sums.get(("unit", m.pk))
        if s:
            rows.append(_receivable_row(s, kind=_("Unit"), number=m.member_number, name=m.organisation.name,
                                        code=m.organisation.credit_code, tier=m.tier.name,
                                        status=m.get_status_display()))
    for m in IndividualMember.objects.select_related("tier").order_by("member_number"):
        s = sums.get(("person", m.pk))
        if s:
            rows.append(_receivable_row(s, kind=_("Individual"), number=m.member_number, name=m.name, code="",
                                        tier=m.tier.name, status=m.get_status_display()))
    return rows


def _add(s, year, amount, paid, current):
    s["receivable"] += amount
    s["received"] += paid
    owed = amount - paid
    if year < current:
        s["arrears"] += owed
        if owed > 0:
            s["years"].append(year)
    elif year == current:
        s["current"] += owed


def _receivable_row(s, **fields) -> dict:
    return {**fields, "receivable": money(s["receivable"]), "received": money(s["received"]),
            "current": money(s["current"]), "arrears": money(s["arrears"]),
            "owed": money(s["current"] + s["arrears"]), "years": "、".join(str(y) for y in sorted(s["years"]))}


RECEIVABLE_LABELS = {
    "kind": gettext_lazy("Kind of member"), "number": gettext_lazy("Member number"), "name": gettext_lazy("Name"),
    "code": gettext_lazy("Credit code"), "tier": gettext_lazy("Tier"), "status": gettext_lazy("Status"),
    "receivable": gettext_lazy("Receivable (yuan)"), "received": gettext_lazy("Received (yuan)"),
    "current": gettext_lazy("Unpaid this dues year (yuan)"), "arrears": gettext_lazy("Arrears of earlier years (yuan)"),
    "owed": gettext_lazy("Owed in all (yuan)"), "years": gettext_lazy("Years owed"),
}
MONEY_KEYS = {"amount", "receivable", "received", "current", "arrears", "owed"}


def frame(rows: list[dict], labels: dict):
    """Rows as a DataFrame with the column names of `labels` (translated now), in their order."""
    import pandas as pd

    names = {k: str(v) for k, v in labels.items()}
    return pd.DataFrame([{names[k]: r.get(k) for k in labels} for r in rows], columns=list(names.values()))


def money_formats(*label_sets) -> dict:
    """{column name: MONEY} for the money columns of these label sets (for `xlsx_bytes`)."""
    from portal.core.exports import MONEY

    return {str(labels[k]): MONEY for labels in label_sets for k in labels if k in MONEY_KEYS}
