"""Documents the association issues are immutable once issued: archived at issue, served as archived.

A receipt states its figures as of the payment (frozen on the `Payment` row) and its PDF is stored in
private storage when the payment is recorded; a member certificate is a `MemberCertificate` version
whose text is frozen on the row and whose PDF is stored at issue (a re-issue is a new version). A
download never re-renders a document from data that may have changed since (a payment, a new name).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from ..models import MemberCertificate, Membership, Payment
from ..pdfs import certificate_pdf, receipt_pdf


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
        type(payment).objects.filter(pk=payment.pk, receipt_file="").update(receipt_file=payment.receipt_file.name)
    with payment.receipt_file.open("rb") as handle:
        return handle.read()


def issue_certificate(membership: Membership, *, reason: str, user=None, on=None) -> MemberCertificate:
    """A new version of the member certificate, with the unit's registered details and tier as they are now.

    Call inside the transaction of the step that issues it (admission, an approved change of the
    registered details, a tier change, a re-issue), with the membership row locked.
    """
    organisation = membership.organisation
    last = membership.certificates.order_by("-version").values_list("version", flat=True).first() or 0
    certificate = MemberCertificate(
        membership=membership, version=last + 1, reason=reason, member_number=membership.member_number,
        holder_name=organisation.name, credit_code=organisation.credit_code, tier_name=membership.tier.name,
        started_on=membership.started_on, issued_on=on or timezone.localdate(),
        issued_by=user if getattr(user, "pk", None) else None,
    )
    name = f"{membership.member_number}-v{certificate.version}.pdf"
    certificate.pdf.save(name, ContentFile(certificate_pdf(certificate)), save=False)
    certificate.save()
    return certificate


def current_certificate(membership: Membership) -> MemberCertificate:
    """The latest version (a membership admitted before certificates were archived gets its first one now)."""
    certificate = membership.certificates.order_by("-version").first()
    if certificate is None:
        from django.db import transaction

        with transaction.atomic():
            locked = Membership.objects.select_for_update().select_related("organisation", "tier").get(pk=membership.pk)
            certificate = locked.certificates.order_by("-version").first() or issue_certificate(
                locked, reason=MemberCertificate.Reason.ADMISSION, on=locked.started_on)
    return certificate


def certificate_bytes(certificate: MemberCertificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def reissue_certificate(*, membership: Membership, user, reason: str = MemberCertificate.Reason.REISSUE,
                        request=None) -> MemberCertificate:
    """A new version of the certificate (e.g. after an approved change of the registered name, or a lost one)."""
    from ..workflows import MEMBERSHIPS

    issued = {}

    def change(m):
        issued["certificate"] = issue_certificate(m, reason=reason, user=user)

    MEMBERSHIPS.transition(membership, "reissue_certificate", user=user, request=request, change=change,
                           note=str(MemberCertificate.Reason(reason).label), data={"reason": reason})
    return issued["certificate"]
