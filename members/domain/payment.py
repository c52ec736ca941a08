"""How to pay (缴费): the account, the amount and the reference of each dues item still owed.

The same `DuesNotice` feeds the 缴费通知书 PDF, the firm's account page and the admission notice, so
the three never disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ..models import DuesItem, PaymentAccount


@dataclass
class DuesNotice:
    item_id: int
    payer_name: str
    member_number: str
    tier_name: str
    year: int
    amount: Decimal
    paid: Decimal
    reference: str
    account: PaymentAccount
    issued_on: datetime.date

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def outstanding_text(self) -> str:
        """The amount as money (7,000.00), for emails and copy buttons' labels."""
        return f"{self.outstanding:,.2f}"


def notice_for(item: DuesItem, *, account: PaymentAccount | None = None, today=None) -> DuesNotice:
    """The notice of one dues item (its membership, organisation and tier loaded)."""
    membership = item.membership
    return DuesNotice(
        item_id=item.pk, payer_name=membership.organisation.name, member_number=membership.member_number,
        tier_name=item.tier.name, year=item.year, amount=item.amount, paid=item.paid,
        reference=item.payment_reference, account=account or PaymentAccount.load(),
        issued_on=today or timezone.localdate(),
    )


def open_notices(membership, items, *, account: PaymentAccount | None = None) -> list[DuesNotice]:
    """Notices of `membership`'s items still owed, oldest dues year first (items as `dues_overview` returns them)."""
    account = account or PaymentAccount.load()
    notices = []
    for item in sorted(items, key=lambda i: i.year):
        if item.outstanding > 0:
            item.membership = membership  # loaded once, with its organisation
            notices.append(notice_for(item, account=account))
    return notices


def notice_pdf(item: DuesItem) -> bytes:
    from ..pdfs import dues_notice_pdf

    return dues_notice_pdf(notice_for(item))
