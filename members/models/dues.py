"""Dues (会费): items per dues year, payments with their receipts as issued, reminders."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from ..references import UNIT_PREFIX, make_reference
from .memberships import Membership, MembershipTier


class DuesStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTIAL = "partial", _("Partly paid")
    PAID = "paid", _("Paid")


def paid_constraints(prefix: str) -> list:
    """A dues item's `paid` never exceeds its `amount`, and its status follows `paid` (named `<prefix>_…`)."""
    return [
        models.CheckConstraint(condition=models.Q(paid__lte=models.F("amount")), name=f"{prefix}_paid_not_above_amount"),
        models.CheckConstraint(
            condition=models.Q(status="unpaid", paid=0)
            | models.Q(status="partial", paid__gt=0, paid__lt=models.F("amount"))
            | models.Q(status="paid", paid=models.F("amount")),
            name=f"{prefix}_status_follows_paid",
        ),
    ]


class PayableDues:
    """What a unit's and a person's dues items share: the payment reference made on first save (from
    `reference_prefix` and the payer's member number), and what is still owed."""

    reference_prefix = ""

    def payer_number(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def __str__(self) -> str:
        return f"{self.payer_number()} {self.year}"

    def save(self, *args, **kwargs):
        if not self.payment_reference:
            self.payment_reference = make_reference(self.reference_prefix, self.payer_number(), self.year)
        super().save(*args, **kwargs)

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def is_paid(self) -> bool:
        return self.paid >= self.amount


class DuesItem(PayableDues, models.Model):
    """What a membership owes for one dues year (amount fixed when the item is created).

    `status` follows the payments (`members.workflows.DUES`); a constraint keeps it in step with `paid`.
    """

    Status = DuesStatus
    reference_prefix = UNIT_PREFIX

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="dues_items", verbose_name=_("membership"))
    year = models.PositiveSmallIntegerField(_("dues year"))
    tier = models.ForeignKey(MembershipTier, on_delete=models.PROTECT, related_name="+", verbose_name=_("tier"))
    amount = models.DecimalField(_("amount due (yuan)"), max_digits=10, decimal_places=2)
    paid = models.DecimalField(_("paid (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNPAID)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # What the firm writes in its transfer's note (附言): see `members.references`.
    payment_reference = models.CharField(_("payment reference"), max_length=24, unique=True, null=True, blank=True,
                                         editable=False)

    class Meta:
        verbose_name = _("dues item")
        verbose_name_plural = _("dues items")
        ordering = ["membership", "year"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="one_dues_item_per_membership_year"),
            *paid_constraints("dues"),
        ]
        indexes = [models.Index(fields=["year"])]

    def payer_number(self) -> str:
        return self.membership.member_number

    def status_for(self, paid: Decimal) -> str:
        if paid >= self.amount:
            return self.Status.PAID
        return self.Status.PARTIAL if paid > 0 else self.Status.UNPAID


class Payment(models.Model):
    """A payment recorded by the secretariat against one dues item; each gets a receipt (收据)."""

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    dues_item = models.ForeignKey(DuesItem, on_delete=models.PROTECT, related_name="payments", verbose_name=_("dues item"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("payment date"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.BANK)
    reference = SingleLineModelField(_("reference"), max_length=100, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30, unique=True)
    # The bank line this payment was reconciled from (members.domain.reconciliation), if any.
    bank_line = models.ForeignKey("StatementLine", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="payments", verbose_name=_("bank statement line"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The receipt as issued: its figures frozen on the row, the PDF archived (never re-rendered).
    payer_name = models.CharField(_("paying unit"), max_length=200, blank=True)
    member_number = models.CharField(_("member number"), max_length=20, blank=True)
    dues_year = models.PositiveSmallIntegerField(_("dues year"), null=True, blank=True)
    tier_name = models.CharField(_("tier"), max_length=50, blank=True)
    amount_due = models.DecimalField(_("amount due (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    paid_to_date = models.DecimalField(_("paid to date (yuan)"), max_digits=10, decimal_places=2, null=True,
                                       blank=True)
    outstanding_after = models.DecimalField(_("still owed after this payment (yuan)"), max_digits=10,
                                            decimal_places=2, null=True, blank=True)
    receipt_file = models.FileField(
        _("receipt as issued"), storage=private_files, upload_to=PrivateUploadTo("members/receipts"), blank=True,
        max_length=200,
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return self.receipt_number


class DuesReminder(models.Model):
    """A reminder sent for a dues item (each kind once)."""

    dues_item = models.ForeignKey(DuesItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("dues item"))
    days_before_lapse = models.PositiveSmallIntegerField(_("days before lapse"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("dues reminder")
        verbose_name_plural = _("dues reminders")
        constraints = [
            models.UniqueConstraint(fields=["dues_item", "days_before_lapse"], name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.dues_item} −{self.days_before_lapse}"
