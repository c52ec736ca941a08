"""Documents the association issues are immutable once issued: archived at issue, served as archived.

A receipt states its figures as of the payment (frozen on the `Payment` row) and its PDF is stored in
private storage when the payment is recorded; a download never re-renders it from data that may have
changed since (a second payment, a new name).
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from ..models import Payment
from ..pdfs import receipt_pdf


def issue_receipt(payment: Payment, *, item, organisation, membership) -> Payment:
    """Freeze the receipt's figures on `payment` (the dues item as it is after this payment) and archive its PDF."""
    payment.payer_name = organisation.name
    payment.member_number = membership.member_number
    payment.dues_year = item.year
    payment.tier_name = item.tier.name
    payment.amount_due = item.amount
    payment.paid_to_date = item.paid
    payment.outstanding_after = item.amount - item.paid
    payment.receipt_file.save(f"{payment.receipt_number}.pdf", ContentFile(receipt_pdf(payment)), save=False)
    payment.save()
    return payment


def receipt_bytes(payment: Payment) -> bytes:
    """The receipt as issued (a receipt recorded before archiving existed is archived on first download)."""
    if not payment.receipt_file:
        payment.receipt_file.save(f"{payment.receipt_number}.pdf", ContentFile(receipt_pdf(payment)), save=False)
        Payment.objects.filter(pk=payment.pk, receipt_file="").update(receipt_file=payment.receipt_file.name)
    with payment.receipt_file.open("rb") as handle:
        return handle.read()
