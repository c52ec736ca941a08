import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.core.uploads import PrivateUploadTo, private_files
from portal.organisations.models import Organisation


class MembershipTier(models.Model):
    """A dues tier (副会长单位 / 理事单位 / 会员单位): configurable data, defaults from 入会须知."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    annual_dues = models.DecimalField(_("annual dues (yuan)"), max_digits=10, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("membership tier")
        verbose_name_plural = _("membership tiers")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An organisation's membership of the association (created on council approval).

    Status changes (lapse, withdrawal, expulsion) are recorded, never deletions.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPELLED = "expelled", _("Expelled")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    member_number = models.CharField(_("member number"), max_length=20, unique=True)
    tier = models.ForeignKey(MembershipTier, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("tier"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    application = models.OneToOneField(
        "MembershipApplication", on_delete=models.PROTECT, null=True, blank=True, related_name="membership",
        verbose_name=_("application"),
    )
    next_tier = models.ForeignKey(
        MembershipTier, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tier from next dues year"),
    )
    next_tier_from_year = models.PositiveSmallIntegerField(_("new tier applies from dues year"), null=True, blank=True)
    reinstated_on = models.DateField(
        _("last reinstated on"), null=True, blank=True,
        help_text=_("Dues are billed again from this dues year (not for the years spent lapsed), and the year "
                    "without activity counts from this day."),
    )
    certificate_returned_on = models.DateField(_("certificate returned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["member_number"]
        constraints = [
            # At most one membership per organisation that is not ended.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["active", "lapsed"]),
                name="one_current_membership_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_number} {self.organisation}"

    @property
    def certificate_number(self) -> str:
        """The member certificate (会员证) carries the member number."""
        return self.member_number

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.LAPSED)

    def tier_for(self, year: int) -> MembershipTier:
        """The tier a dues year is charged at (a tier change applies from its year on)."""
        if self.next_tier_id and self.next_tier_from_year and year >= self.next_tier_from_year:
            return self.next_tier
        return self.tier


def active_member_ids(organisation_ids=None) -> set[int]:
    """Ids of organisations with an active membership (one query), optionally among `organisation_ids`."""
    qs = Membership.objects.filter(status=Membership.Status.ACTIVE)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return set(qs.values_list("organisation_id", flat=True))


def is_active_member(organisation) -> bool:
    return bool(organisation) and organisation.pk in active_member_ids([organisation.pk])


@register_setting(icon="cog")
class MembershipRules(BaseGenericSetting):
    """Dues and lapse rules (defaults from 入会须知 and SPEC §2), editable by the secretariat."""

    dues_year_start_month = models.PositiveSmallIntegerField(
        _("dues year starts in month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 = calendar years."),
    )
    charge_joining_year_in_full = models.BooleanField(
        _("charge the joining year in full"), default=True,
        help_text=_("Otherwise the joining year is charged for the remaining months only."),
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("first reminder (days before a lapse)"), default=60,
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("second reminder (days before a lapse)"), default=30,
    )
    lapse_after_days = models.PositiveSmallIntegerField(
        _("lapse when a dues year is unpaid for (days)"), default=365,
    )
    inactivity_days = models.PositiveSmallIntegerField(
        _("lapse when a member takes part in no activity for (days)"), default=365,
        help_text=_("Activity: attended association events and what the secretariat records by hand. The same "
                    "reminders as for unpaid dues are sent before."),
    )
    # Council decisions (admission, expulsion): defaults from the civil-affairs model charter for social
    # organisations (two thirds of the council present, two thirds of those present in favour).
    council_size = models.PositiveSmallIntegerField(
        _("council members"), default=0,
        help_text=_("0 = the number of active accounts holding the council role."),
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=2,
                                                        validators=[MinValueValidator(1)])
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: denominator"), default=3, validators=[MinValueValidator(1)],
        help_text=_("A council meeting decides when at least this fraction of the council is present."),
    )
    majority_numerator = models.PositiveSmallIntegerField(_("majority: numerator"), default=2,
                                                          validators=[MinValueValidator(1)])
    majority_denominator = models.PositiveSmallIntegerField(
        _("majority: denominator"), default=3, validators=[MinValueValidator(1)],
        help_text=_("A resolution is adopted when at least this fraction of the members present vote for it."),
    )

    class Meta:
        verbose_name = _("membership rules")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.quorum_numerator > self.quorum_denominator:
            errors["quorum_numerator"] = _("A fraction of at most 1.")
        if self.majority_numerator > self.majority_denominator:
            errors["majority_numerator"] = _("A fraction of at most 1.")
        if errors:
            raise ValidationError(errors)

    def current_council_size(self) -> int:
        """The council's size: the setting, or the active accounts holding the council role."""
        if self.council_size:
            return self.council_size
        from django.contrib.auth import get_user_model

        from portal.accounts.roles import Role

        return get_user_model().objects.filter(groups__name=str(Role.COUNCIL), is_active=True).distinct().count()

    def quorum(self, council_size: int) -> int:
        """Members who must be present: ⌈numerator / denominator × council size⌉."""
        return -(-self.quorum_numerator * council_size // self.quorum_denominator)

    def majority(self, present: int) -> int:
        """Votes for a resolution needs: ⌈numerator / denominator × members present⌉."""
        return -(-self.majority_numerator * present // self.majority_denominator)

    @property
    def reminder_days(self) -> list[int]:
        return sorted({d for d in (self.first_reminder_days, self.second_reminder_days) if d}, reverse=True)

    def dues_year_of(self, day: datetime.date) -> int:
        """The dues year (named by the calendar year it starts in) that contains `day`."""
        return day.year if day.month >= self.dues_year_start_month else day.year - 1

    def dues_year_start(self, year: int) -> datetime.date:
        return datetime.date(year, self.dues_year_start_month, 1)

    def dues_year_end(self, year: int) -> datetime.date:
        return self.dues_year_start(year + 1) - datetime.timedelta(days=1)


class MemberCertificate(models.Model):
    """A member certificate (会员证) as issued: its text frozen on the row, its PDF archived.

    Issued at admission; a re-issue (an approved change of the registered name, a tier change) is a
    new version, and earlier versions stay as they were. Downloads serve the latest version's file.
    """

    class Reason(models.TextChoices):
        ADMISSION = "admission", _("Admission")
        REGISTERED_DETAILS = "registered_details", _("Change of registered name or credit code")
        TIER = "tier", _("Tier change")
        REISSUE = "reissue", _("Re-issue")

    membership = models.ForeignKey("Membership", on_delete=models.PROTECT, related_name="certificates",
                                   verbose_name=_("membership"))
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    member_number = models.CharField(_("member number"), max_length=20)
    holder_name = models.CharField(_("holder"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    tier_name = models.CharField(_("tier"), max_length=50)
    started_on = models.DateField(_("member since"))
    issued_on = models.DateField(_("issued on"))
    pdf = models.FileField(_("certificate as issued"), storage=private_files,
                           upload_to=PrivateUploadTo("members/certificates"), max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member certificate")
        verbose_name_plural = _("member certificates")
        ordering = ["membership", "-version"]
        constraints = [models.UniqueConstraint(fields=["membership", "version"], name="one_certificate_per_version")]

    def __str__(self) -> str:
        return f"{self.member_number} v{self.version}"


class MembershipApplication(models.Model):
    """An organisation's application to join (入会申请), decided by the council."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
        RETURNED = "returned", _("Returned for more material")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    tier = models.ForeignKey(
        MembershipTier, on_delete=models.PROTECT, related_name="applications", verbose_name=_("tier requested")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    accepts_charter = models.BooleanField(_("accepts the charter"), default=False)
    statement = models.TextField(_("statement"), blank=True)
    application_letter = models.FileField(
        _("signed application letter"), storage=private_files, upload_to=PrivateUploadTo("members/application"),
        blank=True, max_length=200,
    )
    application_letter_name = models.CharField(_("application letter file name"), max_length=200, blank=True)
    business_licence = models.FileField(
        _("business licence copy"), storage=private_files, upload_to=PrivateUploadTo("members/licence"),
        blank=True, max_length=200,
    )
    business_licence_name = models.CharField(_("business licence file name"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("reason or message"), blank=True)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_application_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.tier}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def missing_for_submission(self) -> list[str]:
        missing = []
        if not self.accepts_charter:
            missing.append(str(_("acceptance of the charter")))
        if not self.application_letter:
            missing.append(str(_("signed application letter")))
        if not self.business_licence:
            missing.append(str(_("business licence copy")))
        return missing


class MembershipEvent(models.Model):
    """The history of a membership: every status or tier change, never deleted."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        LAPSED = "lapsed", _("Lapsed (dues unpaid for a year)")
        LAPSED_INACTIVE = "lapsed_inactive", _("Lapsed (no activity for a year)")
        REINSTATED = "reinstated", _("Reinstated")
        WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Withdrawal requested")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPELLED = "expelled", _("Expelled")
        TIER_CHANGED = "tier_changed", _("Tier change")
        CERTIFICATE_ISSUED = "certificate", _("Member certificate issued")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events", verbose_name=_("membership"))
    kind = models.CharField(_("event type"), max_length=24, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=10, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, blank=True)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.membership.member_number} {self.get_kind_display()} {self.on}"


class DuesItem(models.Model):
    """What a membership owes for one dues year (amount fixed when the item is created).

    `status` follows the payments (`members.workflows.DUES`); a constraint keeps it in step with `paid`.
    """

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PARTIAL = "partial", _("Partly paid")
        PAID = "paid", _("Paid")

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="dues_items", verbose_name=_("membership"))
    year = models.PositiveSmallIntegerField(_("dues year"))
    tier = models.ForeignKey(MembershipTier, on_delete=models.PROTECT, related_name="+", verbose_name=_("tier"))
    amount = models.DecimalField(_("amount due (yuan)"), max_digits=10, decimal_places=2)
    paid = models.DecimalField(_("paid (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNPAID)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues item")
        verbose_name_plural = _("dues items")
        ordering = ["membership", "year"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="one_dues_item_per_membership_year"),
            models.CheckConstraint(condition=models.Q(paid__lte=models.F("amount")), name="dues_paid_not_above_amount"),
            models.CheckConstraint(
                condition=models.Q(status="unpaid", paid=0)
                | models.Q(status="partial", paid__gt=0, paid__lt=models.F("amount"))
                | models.Q(status="paid", paid=models.F("amount")),
                name="dues_status_follows_paid",
            ),
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.membership.member_number} {self.year}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def is_paid(self) -> bool:
        return self.paid >= self.amount

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
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30, unique=True)
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


class ActivityRecord(models.Model):
    """A unit's participation in an association activity that the secretariat records by hand.

    Attended events (`portal.services`) count on their own; this covers meetings, forums, trainings and
    other work the association runs outside the events module. The activity rule (a year without any
    lapses the membership) reads both.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        FORUM = "forum", _("Forum or salon")
        ENTRUSTED_WORK = "work", _("Work entrusted by the association")
        OTHER = "other", _("Other activity")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="activity_records",
                                     verbose_name=_("organisation"))
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind of activity"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("activity"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["organisation", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.organisation} {self.title}"


class InactivityReminder(models.Model):
    """A reminder that a membership will lapse for want of activity (each kind once per lapse date)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="inactivity_reminders",
                                   verbose_name=_("membership"))
    lapse_on = models.DateField(_("lapses after"))
    days_before_lapse = models.PositiveSmallIntegerField(_("days before lapse"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("inactivity reminder")
        verbose_name_plural = _("inactivity reminders")
        constraints = [
            models.UniqueConstraint(fields=["membership", "lapse_on", "days_before_lapse"],
                                    name="one_inactivity_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.membership} −{self.days_before_lapse} ({self.lapse_on})"


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
    letter_name = models.CharField(_("letter file name"), max_length=200)
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


class CouncilResolution(models.Model):
    """A resolution of a council meeting (理事会决议): admission of members (one or several applications,
    each approved at the tier the council decides, or rejected) or an expulsion.

    Recorded by the secretariat or a council member; `members.workflows.RESOLUTIONS` checks the quorum
    and the majority the rules set. The council's size is frozen on the row as it was at the meeting.
    """

    class Kind(models.TextChoices):
        ADMISSION = "admission", _("Admission of members")
        EXPULSION = "expulsion", _("Expulsion")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")

    number = models.CharField(_("resolution number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECORDED)
    meeting_date = models.DateField(_("council meeting date"))
    council_size = models.PositiveSmallIntegerField(_("council members"))
    members_present = models.PositiveSmallIntegerField(_("members present"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    votes_against = models.PositiveSmallIntegerField(_("votes against"))
    votes_abstaining = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    note = models.TextField(_("note"), blank=True)
    minutes = models.FileField(
        _("meeting minutes"), storage=private_files, upload_to=PrivateUploadTo("members/minutes"), max_length=200,
        blank=True,
    )
    minutes_name = models.CharField(_("minutes file name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("council resolution")
        verbose_name_plural = _("council resolutions")
        ordering = ["-meeting_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class AdmissionDecision(models.Model):
    """One application decided by an admission resolution."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Admit")
        REJECT = "reject", _("Reject")

    resolution = models.ForeignKey(CouncilResolution, on_delete=models.PROTECT, related_name="decisions",
                                   verbose_name=_("council resolution"))
    application = models.OneToOneField(MembershipApplication, on_delete=models.PROTECT, related_name="council_decision",
                                       verbose_name=_("application"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    tier = models.ForeignKey(MembershipTier, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("tier admitted"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("admission decision")
        verbose_name_plural = _("admission decisions")
        constraints = [
            models.CheckConstraint(condition=~models.Q(decision="approve") | models.Q(tier__isnull=False),
                                   name="admission_has_a_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.resolution.number} {self.application} {self.get_decision_display()}"


class Expulsion(models.Model):
    """A member expelled (除名) by a council resolution for a serious breach of the charter."""

    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="expulsion", verbose_name=_("membership")
    )
    resolution = models.OneToOneField(CouncilResolution, on_delete=models.PROTECT, related_name="expulsion",
                                      verbose_name=_("council resolution"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expulsion")
        verbose_name_plural = _("expulsions")

    def __str__(self) -> str:
        return f"{self.membership} {self.resolution.meeting_date}"
