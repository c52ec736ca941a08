"""Documents for reviewers: certificates, receipts, withdrawal letters, council minutes (council and secretariat)."""

from django.shortcuts import get_object_or_404

from portal.accounts.roles import Role, role_required
from portal.core.pdf import pdf_response
from portal.core.uploads import serve_private_file

from ..domain.documents import certificate_bytes, current_certificate, receipt_bytes
from ..domain.payment import notice_pdf
from ..models import CouncilResolution, DuesItem, Membership, Payment, WithdrawalRequest

REVIEWERS = (Role.COUNCIL, Role.SECRETARIAT)


@role_required(*REVIEWERS)
def membership_certificate(request, pk):
    """The latest version of the certificate as issued, or `?version=N`."""
    membership = get_object_or_404(Membership, pk=pk)
    version = request.GET.get("version", "")
    if version.isdigit():
        certificate = get_object_or_404(membership.certificates, version=int(version))
    else:
        certificate = current_certificate(membership)
    return pdf_response(certificate_bytes(certificate), f"会员证-{membership.member_number}-v{certificate.version}.pdf")


@role_required(*REVIEWERS)
def payment_receipt(request, pk):
    payment = get_object_or_404(Payment, pk=pk)
    return pdf_response(receipt_bytes(payment), f"收据-{payment.receipt_number}.pdf")


@role_required(*REVIEWERS)
def dues_notice(request, pk):
    """A dues item's 缴费通知书, as the firm downloads it (e.g. to send it by post)."""
    item = get_object_or_404(DuesItem.objects.select_related("membership__organisation", "tier"), pk=pk)
    return pdf_response(notice_pdf(item), f"缴费通知书-{item.membership.member_number}-{item.year}.pdf")


@role_required(*REVIEWERS)
def withdrawal_letter(request, pk):
    withdrawal = get_object_or_404(WithdrawalRequest, pk=pk)
    return serve_private_file(withdrawal.letter, download_name=withdrawal.letter_name, inline=True)


@role_required(*REVIEWERS)
def resolution_minutes(request, pk):
    resolution = get_object_or_404(CouncilResolution, pk=pk)
    return serve_private_file(resolution.minutes, download_name=resolution.minutes_name, inline=True)
