"""Bank-statement reconciliation (对账): the bank's column names, the uploaded statements and their lines.

The secretariat uploads the statement its bank exports (xlsx or csv); every incoming line becomes one
`StatementLine`, once however often it is uploaded (its `fingerprint`), with the portal's proposal
(which dues items it pays, how sure, what is odd about it). Confirming a line records the payments
with their receipts (`members.domain.reconciliation`, `members.workflows.BANK_LINES`).
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from .individuals import IndividualMember
from .memberships import Membership

_ALIAS_SPLIT = re.compile(r"[,，、;；\n]+")


class BankProfile(models.Model):
    """How one bank's statement export names its columns; remembered per bank, editable by the secretariat.

    Each field lists the names the column goes by (one per line or separated by commas); the first name
    found in the file's header row wins. Names are compared without spaces and without a bracketed
    suffix, so "贷方发生额（收入）" is found as 贷方发生额.
    """

    name = SingleLineModelField(_("bank"), max_length=60, unique=True)
    date_columns = models.TextField(_("date column"))
    payer_name_columns = models.TextField(_("payer name column"))
    payer_account_columns = models.TextField(_("payer account column"), blank=True)
    amount_columns = models.TextField(_("incoming amount column"))
    signed_amount = models.BooleanField(
        _("the amount column is signed"), default=False,
        help_text=_("Tick when the bank exports one amount column for both directions: only positive amounts "
                    "are incoming."),
    )
    note_columns = models.TextField(_("note columns"), help_text=_("All of them are read (摘要, 附言, 用途 …)."))
    serial_columns = models.TextField(_("bank serial number column"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bank statement format")
        verbose_name_plural = _("bank statement formats")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def aliases(text: str) -> list[str]:
        return [a.strip() for a in _ALIAS_SPLIT.split(text or "") if a.strip()]

    def column_map(self):
        from ..statements.parse import ColumnMap

        return ColumnMap(
            date=self.aliases(self.date_columns), payer_name=self.aliases(self.payer_name_columns),
            payer_account=self.aliases(self.payer_account_columns), amount=self.aliases(self.amount_columns),
            note=self.aliases(self.note_columns), serial=self.aliases(self.serial_columns),
            signed_amount=self.signed_amount,
        )


class BankStatement(models.Model):
    """One upload of a bank statement: the file as received and what the import found in it."""

    class Status(models.TextChoices):
        IMPORTED = "imported", _("Imported")

    profile = models.ForeignKey(BankProfile, on_delete=models.PROTECT, related_name="statements",
                                verbose_name=_("bank statement format"))
    account_number = models.CharField(_("our account number"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IMPORTED)
    file = models.FileField(_("statement file"), storage=private_files, upload_to=PrivateUploadTo("members/bank"),
                            max_length=200)
    file_name = SingleLineModelField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    first_date = models.DateField(_("first booking date"), null=True, blank=True)
    last_date = models.DateField(_("last booking date"), null=True, blank=True)
    incoming_lines = models.PositiveIntegerField(_("incoming lines"), default=0)
    new_lines = models.PositiveIntegerField(_("new lines"), default=0)
    known_lines = models.PositiveIntegerField(_("lines imported before"), default=0)
    other_rows = models.PositiveIntegerField(_("other rows (outgoing, totals)"), default=0)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})" if self.uploaded_at else self.file_name


class StatementLine(models.Model):
    """An incoming bank line, imported once, with the portal's proposal and what the secretariat decided."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNMATCHED = "unmatched", _("To resolve")
        CONFIRMED = "confirmed", _("Recorded")
        IGNORED = "ignored", _("Not dues")

    class Match(models.TextChoices):
        EXACT = "exact", _("Exact (payment reference)")
        PROBABLE = "probable", _("Probable (payer and amount)")
        NONE = "", _("None")

    class Flag(models.TextChoices):
        SPLIT = "split", _("Split over several dues years")
        PARTIAL = "partial", _("Part payment")
        OVER = "over", _("Overpayment")
        DUPLICATE = "duplicate", _("Duplicate payment")
        BAD_REFERENCE = "bad_reference", _("Unknown or mistyped reference")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines",
                                  verbose_name=_("bank statement"))
    row_number = models.PositiveIntegerField(_("row in the file"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True, editable=False)
    booked_on = models.DateField(_("booking date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    payer_account = models.CharField(_("payer account"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    serial = models.CharField(_("bank serial number"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    match = models.CharField(_("match"), max_length=10, choices=Match.choices, blank=True)
    flags = models.CharField(_("flags"), max_length=100, blank=True)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("member unit"))
    individual = models.ForeignKey(IndividualMember, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("individual member"))
    # [{"kind": "unit" | "person", "item": pk, "year": 2026, "amount": "2000.00"}]
    allocations = models.JSONField(_("proposed allocation"), default=list, blank=True)
    remainder = models.DecimalField(_("not allocated (yuan)"), max_digits=12, decimal_places=2, default=0)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["booked_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="bank_line_amount_positive")]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.payer_name} {self.amount}"

    @property
    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(",") if f]

    @property
    def flag_labels(self) -> list[str]:
        labels = dict(self.Flag.choices)
        return [str(labels.get(f, f)) for f in self.flag_list]

    @property
    def payer(self):
        """The member unit or individual member the line is proposed for (or recorded against)."""
        return self.membership or self.individual
