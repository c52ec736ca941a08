"""Individual members (个人会员, L1426): registered and managed by the secretariat, not through the online form.

Personal data are limited to what membership needs: a name, how to reach the person, where they work;
no identity number, address or date of birth. Their tiers and dues are data: the association's texts
give no amount for individuals, so a tier's dues stay empty (and no dues are billed) until the
association sets one.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from ..references import PERSON_PREFIX
from .dues import DuesStatus, PayableDues, paid_constraints


class IndividualTier(models.Model):
    """A tier of individual membership, with its annual dues (none until the association sets an amount)."""

    name = SingleLineModelField(_("name"), max_length=50, unique=True)
    annual_dues = models.DecimalField(_("annual dues (yuan)"), max_digits=10, decimal_places=2, null=True,
                                      blank=True, help_text=_("Leave empty while the association charges none."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("individual membership tier")
        verbose_name_plural = _("individual membership tiers")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class IndividualMember(models.Model):
    """A person who is a member in their own right (`members.workflows.INDIVIDUALS`)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    member_number = models.CharField(_("member number"), max_length=20, unique=True, editable=False)
    name = SingleLineModelField(_("full name"), max_length=50)
    phone = SingleLineModelField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    work_unit = SingleLineModelField(_("work unit"), max_length=200, blank=True)
    position = SingleLineModelField(_("position"), max_length=50, blank=True)
    tier = models.ForeignKey(IndividualTier, on_delete=models.PROTECT, related_name="members", verbose_name=_("tier"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              editable=False)
    joined_on = models.DateField(_("member since"))
    ended_on = models.DateField(_("end date"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", editable=False, verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("individual member")
        verbose_name_plural = _("individual members")
        ordering = ["member_number"]

    def __str__(self) -> str:
        return f"{self.member_number} {self.name}"


class IndividualDuesItem(PayableDues, models.Model):
    """What an individual member owes for one dues year (only billed when the tier has an amount)."""

    Status = DuesStatus
    reference_prefix = PERSON_PREFIX

    member = models.ForeignKey(IndividualMember, on_delete=models.PROTECT, related_name="dues_items",
                               verbose_name=_("individual member"))
    year = models.PositiveSmallIntegerField(_("dues year"))
    tier = models.ForeignKey(IndividualTier, on_delete=models.PROTECT, related_name="+", verbose_name=_("tier"))
    amount = models.DecimalField(_("amount due (yuan)"), max_digits=10, decimal_places=2)
    paid = models.DecimalField(_("paid (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNPAID)
    due_on = models.DateField(_("due on"))
    payment_reference = models.CharField(_("payment reference"), max_length=24, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("individual dues item")
        verbose_name_plural = _("individual dues items")
        ordering = ["member", "year"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_dues_item_per_individual_year"),
            *paid_constraints("individual_dues"),
        ]

    def payer_number(self) -> str:
        return self.member.member_number


class IndividualPayment(models.Model):
    """A payment of an individual member's dues, with its receipt (收据) as issued (see `Payment`)."""

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    item = models.ForeignKey(IndividualDuesItem, on_delete=models.PROTECT, related_name="payments",
                             verbose_name=_("dues item"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("payment date"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.BANK)
    reference = SingleLineModelField(_("reference"), max_length=100, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30, unique=True)
    bank_line = models.ForeignKey("StatementLine", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="individual_payments", verbose_name=_("bank statement line"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    member_number = models.CharField(_("member number"), max_length=20, blank=True)
    dues_year = models.PositiveSmallIntegerField(_("dues year"), null=True, blank=True)
    tier_name = models.CharField(_("tier"), max_length=50, blank=True)
    amount_due = models.DecimalField(_("amount due (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    paid_to_date = models.DecimalField(_("paid to date (yuan)"), max_digits=10, decimal_places=2, null=True,
                                       blank=True)
    outstanding_after = models.DecimalField(_("still owed after this payment (yuan)"), max_digits=10,
                                            decimal_places=2, null=True, blank=True)
    receipt_file = models.FileField(_("receipt as issued"), storage=private_files,
                                    upload_to=PrivateUploadTo("members/receipts"), blank=True, max_length=200)

    class Meta:
        verbose_name = _("individual member payment")
        verbose_name_plural = _("individual member payments")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0),
                                              name="individual_payment_amount_positive")]

    def __str__(self) -> str:
        return self.receipt_number
