"""Leaving the association: written withdrawal notices (退会申请)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from .memberships import Membership


class WithdrawalRequest(models.Model):
    """A written withdrawal notice (退会申请) and the secretariat's confirmation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="withdrawals", verbose_name=_("membership")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    letter = models.FileField(
        _("signed withdrawal letter"), storage=private_files, upload_to=PrivateUploadTo("members/withdrawal"),
        max_length=200,
    )
    letter_name = SingleLineModelField(_("letter file name"), max_length=200)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    certificate_returned_on = models.DateField(_("certificate returned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(status="pending"), name="one_pending_withdrawal_per_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} ({self.get_status_display()})"
