"""信用示范会员单位 titles (programme stages 5–8): public notice, objections, award, validity, revocation.

- `Notice` (公示) lists one or several accepted applications (`NoticeEntry`) for a window of
  `ShowcaseRules.notice_days` days (to the minute); the public may file an `Objection` (异议) meanwhile.
- When the notice has ended and a unit has no open or upheld objection, it is awarded a `Title`
  (certificate number, honour certificate, plaque).
- Validity: the acceptance date starts a term of `validity_years` years; the last valid day is the
  corresponding calendar day (`showcase.models.add_years`: Civil Code art. 201–202, so an acceptance on
  2024-02-29 is valid up to and including 2026-02-28). A passed re-review (复核) starts a new term from
  its decision date (`ReReviewOutcome`).
- The title's status (valid / expiring / under re-review / expired / revoked) is **derived** from those
  dates and records — `title_status()` for one title, `Title.objects.with_status(today)` in SQL — never stored.
- `Revocation` (取消认定) records the ground, the evidence and the announcement (公告), and creates the
  three-year `showcase.ParticipationBan`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files
from showcase.models import ReviewRound, ShowcaseRules, rules  # noqa: F401 - the programme's rules, read here

# ---------------------------------------------------------------- public notice


class NoticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def current(self, now=None):
        now = now or timezone.now()
        return self.published().filter(starts_at__lte=now, ends_at__gt=now)

    def upcoming(self, now=None):
        return self.published().filter(starts_at__gt=now or timezone.now())

    def past(self, now=None):
        return self.published().filter(ends_at__lte=now or timezone.now())


class Notice(models.Model):
    """A public notice (公示) of accepted units, open to objections from `starts_at` until `ends_at`."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UPCOMING = "upcoming", _("Not started yet")
        OPEN = "open", _("In public notice")
        ENDED = "ended", _("Ended")

    class Status(models.TextChoices):
        """What has been processed (the workflow state); the phase shown to visitors follows the times."""

        PUBLISHED = "published", _("Awaiting its start")
        OPEN = "open", _("Open for objections")
        CLOSED = "closed", _("Closed")

    title = SingleLineModelField(_("title"), max_length=200)
    body = models.TextField(pgettext_lazy("awards", "introduction"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED,
                              db_index=True, editable=False)
    opened_at = models.DateTimeField(_("opening processed at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closing processed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="awards_notice_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The notice must end after it starts.")})

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if self.published_at is None:
            return self.Phase.DRAFT
        if now < self.starts_at:
            return self.Phase.UPCOMING
        if now < self.ends_at:
            return self.Phase.OPEN
        return self.Phase.ENDED

    def is_open(self, now=None) -> bool:
        return self.phase(now) == self.Phase.OPEN

    def phase_label(self, now=None) -> str:
        return self.Phase(self.phase(now)).label

    @property
    def length_days(self) -> int:
        """Whole days between start and end (what the public pages say)."""
        return (self.ends_at - self.starts_at).days

    def remaining(self, now=None) -> datetime.timedelta:
        now = now or timezone.now()
        return max(self.ends_at - now, datetime.timedelta(0))


class NoticeEntry(models.Model):
    """One accepted unit in a notice (an application appears in one notice only)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="entries", verbose_name=_("notice"))
    application = models.OneToOneField(
        "showcase.Application", on_delete=models.PROTECT, related_name="notice_entry", verbose_name=pgettext_lazy("awards", "application")
    )
    unit_name = SingleLineModelField(_("unit name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    region_name = SingleLineModelField(_("region"), max_length=60, blank=True)
    accepted_on = models.DateField(_("acceptance date"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("notice entry")
        verbose_name_plural = _("notice entries")
        ordering = ["notice", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.unit_name


# ---------------------------------------------------------------- objections


class Objection(models.Model):
    """An objection (异议) filed by the public against one unit during its notice."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under investigation")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    class Relationship(models.TextChoices):
        CUSTOMER = "customer", _("Customer or consumer")
        SUPPLIER = "supplier", _("Supplier or business partner")
        EMPLOYEE = "employee", _("Employee or former employee")
        COMPETITOR = "competitor", _("Competitor")
        AUTHORITY = "authority", _("Government department or public body")
        OTHER = "other", _("Other member of the public")

    entry = models.ForeignKey(NoticeEntry, on_delete=models.PROTECT, related_name="objections", verbose_name=_("unit"))
    number = models.CharField(_("acknowledgement number"), max_length=20, unique=True)
    name = SingleLineModelField(_("objector's name"), max_length=50)
    phone = SingleLineModelField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    relationship = models.CharField(_("relationship to the unit"), max_length=20, choices=Relationship.choices)
    content = models.TextField(_("objection"))
    evidence = models.FileField(
        _("evidence"), storage=private_files, upload_to=PrivateUploadTo("awards/objection"), blank=True
    )
    evidence_name = SingleLineModelField(_("evidence file name"), max_length=200, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # Confirmation by a code emailed to the objector (showcase/awards/objection_limits.py).
    confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    confirmation_digest = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    decided_at = models.DateTimeField(pgettext_lazy("awards", "decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=pgettext_lazy("awards", "decided by"),
    )
    reason = models.TextField(_("findings and reasons"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.entry}"

    CONFIRMATION_LABELS = {
        "confirmed": _("Confirmed by email"),
        "awaiting": _("Awaiting the emailed code"),
        "locked": _("Not confirmed: too many wrong codes"),
        "phone_only": _("Phone only: not confirmed online"),
    }

    @property
    def confirmation_state(self) -> str:
        if self.confirmed_at:
            return "confirmed"
        if not self.email:
            return "phone_only"
        from .objection_limits import CODE_ATTEMPTS

        return "locked" if self.confirmation_attempts >= CODE_ATTEMPTS else "awaiting"

    def get_confirmation_state_display(self) -> str:
        return str(self.CONFIRMATION_LABELS[self.confirmation_state])


# ---------------------------------------------------------------- titles and their status


class TitleStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    RE_REVIEW = "re_review", _("Under re-review")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def title_status(*, valid_until: datetime.date, revoked: bool, re_review_open: bool, today: datetime.date,
                 expiring_days: int) -> str:
    """The status of a title on `today` (the one rule; `TitleQuerySet.with_status` is its SQL twin).

    Revoked wins; an open re-review round (the tracking evaluation has been issued and the panel has not
    decided) shows as “under re-review” even past the end of the term; otherwise dates decide: expired
    after `valid_until`, expiring when at most `expiring_days` days remain.
    """
    if revoked:
        return TitleStatus.REVOKED
    if re_review_open:
        return TitleStatus.RE_REVIEW
    if today > valid_until:
        return TitleStatus.EXPIRED
    if (valid_until - today).days <= expiring_days:
        return TitleStatus.EXPIRING
    return TitleStatus.VALID


def open_re_review_rounds():
    return ReviewRound.objects.filter(kind=ReviewRound.Kind.RE_REVIEW, status=ReviewRound.Status.OPEN)


class TitleQuerySet(models.QuerySet):
    def with_status(self, today: datetime.date | None = None, expiring_days: int | None = None):
        """Annotate `status` (see `title_status`), `is_revoked` and `re_review_open` (no extra query per row)."""
        today = today or timezone.localdate()
        if expiring_days is None:
            expiring_days = rules().expiring_days()
        revoked = ExpressionWrapper(Q(standing=Title.Standing.REVOKED), output_field=models.BooleanField())
        re_review = Exists(open_re_review_rounds().filter(application=OuterRef("application")))
        return self.annotate(
            is_revoked=revoked,
            re_review_open=re_review,
            status=Case(
                When(standing=Title.Standing.REVOKED, then=Value(TitleStatus.REVOKED.value)),
                When(re_review_open=True, then=Value(TitleStatus.RE_REVIEW.value)),
                When(valid_until__lt=today, then=Value(TitleStatus.EXPIRED.value)),
                When(valid_until__lte=today + datetime.timedelta(days=expiring_days),
                     then=Value(TitleStatus.EXPIRING.value)),
                default=Value(TitleStatus.VALID.value),
                output_field=models.CharField(),
            ),
        )


class Title(models.Model):
    """The 信用示范会员单位 title awarded to a unit after its notice (荣誉证书 and plaque).

    `standing` is the workflow state (awarded, or revoked); validity (valid / expiring / under re-review /
    expired) is derived from the dates and the re-review rounds.
    """

    class Standing(models.TextChoices):
        AWARDED = "awarded", _("Awarded")
        REVOKED = "revoked", _("Revoked")

    application = models.OneToOneField(
        "showcase.Application", on_delete=models.PROTECT, related_name="title", verbose_name=pgettext_lazy("awards", "application")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="showcase_titles", verbose_name=_("organisation")
    )
    entry = models.OneToOneField(
        NoticeEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="title", verbose_name=_("notice entry")
    )
    certificate_number = models.CharField(_("certificate number"), max_length=20, unique=True)
    standing = models.CharField(_("standing"), max_length=10, choices=Standing.choices, default=Standing.AWARDED,
                                db_index=True, editable=False)
    unit_name = SingleLineModelField(_("unit name"), max_length=200)
    accepted_on = models.DateField(_("acceptance date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), help_text=_("The last day of validity (inclusive)."), db_index=True)
    awarded_at = models.DateTimeField(_("awarded at"), default=timezone.now)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("awarded by"), help_text=_("Empty when awarded by the scheduled job."),
    )
    plaque_issued_on = models.DateField(_("plaque issued on"), null=True, blank=True)
    plaque_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("plaque issued by"),
    )
    plaque_note = SingleLineModelField(_("plaque note"), max_length=200, blank=True)

    objects = TitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("demonstration unit title")
        verbose_name_plural = _("demonstration unit titles")
        ordering = ["-accepted_on", "certificate_number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                   name="awards_title_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_number} {self.unit_name}"

    def status_on(self, today: datetime.date | None = None) -> str:
        """Status of this title (uses the `with_status` annotation when present)."""
        if today is None and hasattr(self, "status"):
            return self.status
        return title_status(
            valid_until=self.valid_until,
            revoked=self.standing == self.Standing.REVOKED,
            re_review_open=open_re_review_rounds().filter(application_id=self.application_id).exists(),
            today=today or timezone.localdate(),
            expiring_days=rules().expiring_days(),
        )

    def status_label(self) -> str:
        return TitleStatus(self.status_on()).label


class Certificate(models.Model):
    """An honour certificate (荣誉证书) as issued: rendered once, archived, and served as it was issued — never
    re-rendered from data changed since. A renewal after a re-review issues a new one (the old stays on file)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("title"))
    pdf = models.FileField(_("certificate (PDF)"), storage=private_files, upload_to=PrivateUploadTo("awards/certificate"))
    unit_name = SingleLineModelField(_("unit name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("honour certificate")
        verbose_name_plural = _("honour certificates")
        ordering = ["title", "-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title.certificate_number} {self.issued_at:%Y-%m-%d}"


class ReReviewOutcome(models.Model):
    """What a decided re-review (复核) round did to the title: a renewal from the decision date, or none."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="re_reviews", verbose_name=_("title"))
    review_round = models.OneToOneField(
        ReviewRound, on_delete=models.PROTECT, related_name="title_outcome", verbose_name=_("review round")
    )
    renewed = models.BooleanField(_("renewed"))
    previous_valid_from = models.DateField(_("previous valid from"))
    previous_valid_until = models.DateField(_("previous valid until"))
    valid_from = models.DateField(_("new valid from"), null=True, blank=True)
    valid_until = models.DateField(_("new valid until"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("re-review outcome")
        verbose_name_plural = _("re-review outcomes")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.title} {self.review_round}"


class ExpiryReminder(models.Model):
    """A reminder sent once per title, term and offset (90 and 30 days before the end of the term)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("title"))
    term_until = models.DateField(_("term ends"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["title", "term_until", "days_before"], name="awards_reminder_once")
        ]


# ---------------------------------------------------------------- revocation


class Revocation(models.Model):
    """Revocation of a title, or exclusion of a unit from the programme (L1361–L1366), with its announcement."""

    class Ground(models.TextChoices):
        LICENCE = "licence", _("Business licence revoked or cancelled")
        DISHONESTY = "dishonesty", _("Major dishonesty with serious social impact")
        FRAUD = "fraud", _("Fraud or other deception during the programme")
        VIOLATION = "violation", _("Other serious violations of laws, regulations or government rules")

    number = models.CharField(_("announcement number"), max_length=20, unique=True, null=True, blank=True,
                              help_text=_("QX-<year>-<nnn>, from the year of the revocation."))
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="showcase_revocations",
        verbose_name=_("organisation"),
    )
    application = models.ForeignKey(
        "showcase.Application", on_delete=models.PROTECT, related_name="revocations", verbose_name=pgettext_lazy("awards", "application")
    )
    title = models.OneToOneField(
        Title, on_delete=models.PROTECT, null=True, blank=True, related_name="revocation", verbose_name=_("title")
    )
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    facts = models.TextField(_("facts"))
    evidence = models.FileField(
        _("evidence"), storage=private_files, upload_to=PrivateUploadTo("awards/revocation"), blank=True
    )
    evidence_name = SingleLineModelField(_("evidence file name"), max_length=200, blank=True)
    revoked_on = models.DateField(_("revocation date"))
    unit_name = SingleLineModelField(_("unit name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    announcement = models.TextField(_("announcement"), help_text=_("Published on the announcements page."))
    ban = models.OneToOneField(
        "showcase.ParticipationBan", on_delete=models.PROTECT, related_name="revocation", verbose_name=_("ban")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        ordering = ["-revoked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.revoked_on}"


# ---------------------------------------------------------------- annual summary


class SummaryReport(models.Model):
    """The annual summary (年度总结) of a campaign year as a PDF the secretariat may publish."""

    year = models.PositiveSmallIntegerField(pgettext_lazy("awards", "year"), unique=True)
    pdf = models.FileField(_("report (PDF)"), storage=private_files, upload_to=PrivateUploadTo("awards/summary"))
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("generated by")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual summary report")
        verbose_name_plural = _("annual summary reports")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
