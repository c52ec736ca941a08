"""信用示范会员单位 (credit demonstration member unit) programme: data.

- The acceptance standard is versioned data (`Standard` → `StandardGroup` → `StandardItem`, `RatingLevel`);
  a version is frozen as soon as a score uses it.
- A `Campaign` (one per year, or rolling) collects `Application`s.
- Every state change of an application is a function in `showcase.domain`; the timeline is `ApplicationEvent`.
- Expert scoring happens in a `ReviewRound` (initial acceptance, or a later re-review 复核) through
  `ExpertAssignment` → `ScoreSheet` → `Rating`; aggregation is in `showcase.scoring`.
- `ParticipationBan` records the three-year ban after a revocation (`is_banned`).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

DEFAULT_COMMITMENT = """本单位自愿申报创建浙江省信用协会“信用示范会员单位”，现郑重承诺：
一、严格遵守国家法律、法规和规章，守法经营，诚实守信，自觉维护市场交易规则；
二、所提交的申报表、营业执照及全部证明材料真实、准确、完整、有效，不存在任何虚假记载、误导性陈述或重大遗漏；
三、积极配合第三方信用服务机构的辅导、阶段性评估和评审咨询组的考核验收，如实反映本单位信用管理情况；
四、自觉接受社会监督和协会的动态管理，发生重大失信行为或其他不再符合条件的情形时主动报告；
五、如有弄虚作假或其他欺诈行为，自愿接受责令退出创建活动、取消认定并予以公告、三年内不得参与创建活动的处理，相关失信行为记入省公共信用信息服务平台。"""



def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February maps to 28 February in a common year.

    (Civil Code art. 202: a period counted in years ends on the corresponding day, or on the last day of
    that month when there is none.)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 Feb → common year
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------- acceptance standard (versioned data)


class StandardFrozen(ValidationError):
    pass


class Standard(ClusterableModel):
    """One version of the acceptance standard (验收标准), e.g. “2019版”, with its scoring rule."""

    version = SingleLineModelField(_("version"), max_length=50, unique=True, help_text=_("For example “2019版”."))
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=200)
    pass_threshold = models.DecimalField(
        _("pass threshold"), max_digits=5, decimal_places=2, default=Decimal("80"),
        help_text=_("An application passes when the experts' mean total reaches this many points."),
    )
    min_experts = models.PositiveSmallIntegerField(
        _("minimum number of experts"), default=3, validators=[MinValueValidator(1)]
    )
    divergence_levels = models.PositiveSmallIntegerField(
        _("divergence flag at"), default=2, validators=[MinValueValidator(1)],
        help_text=_("An item is flagged for the panel when two experts' ratings are this many levels apart."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )

    class Meta:
        verbose_name = _("acceptance standard")
        verbose_name_plural = _("acceptance standards")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"

    @property
    def is_frozen(self) -> bool:
        """A version is frozen once any score uses it: changes are then made on a copy."""
        if not self.pk:
            return False
        return Rating.objects.filter(item__group__standard_id=self.pk).exists()

    def check_editable(self) -> None:
        if self.is_frozen:
            raise StandardFrozen(
                _("The standard %(version)s is already used by expert scores and cannot be changed; "
                  "make a copy for a new version.") % {"version": self.version},
                code="frozen",
            )

    def clean(self):
        if self.pk:
            old = Standard.objects.filter(pk=self.pk).values("pass_threshold", "min_experts", "divergence_levels").first()
            if old and any(getattr(self, k) != v for k, v in old.items()):
                self.check_editable()

    def total_weight(self) -> Decimal:
        return sum((i.weight for i in StandardItem.objects.filter(group__standard=self)), Decimal(0))

    def full_level(self):
        return self.levels.order_by("-fraction").first()


class _StandardPart(models.Model):
    """Parts of a standard refuse changes once the standard is frozen."""

    class Meta:
        abstract = True

    def _standard(self):
        raise NotImplementedError

    def clean(self):
        standard = self._standard()
        if self.pk and standard is not None and standard.pk:
            standard.check_editable()

    def delete(self, *args, **kwargs):
        standard = self._standard()
        if standard is not None and standard.pk:
            standard.check_editable()
        return super().delete(*args, **kwargs)


class RatingLevel(_StandardPart):
    """A rating an expert may give an item: 符合 (1), 基本符合 (0.5), 不符合 (0)."""

    standard = ParentalKey(Standard, on_delete=models.CASCADE, related_name="levels", verbose_name=_("standard"))
    name = SingleLineModelField(_("name"), max_length=20)
    fraction = models.DecimalField(
        _("share of the item's weight"), max_digits=4, decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    comment_required = models.BooleanField(_("comment required"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        ordering = ["sort_order", "-fraction"]
        constraints = [models.UniqueConstraint(fields=["standard", "name"], name="showcase_level_unique_name")]

    def __str__(self) -> str:
        return self.name

    def _standard(self):
        return self.standard if self.standard_id else None

    @property
    def is_full(self) -> bool:
        return self.fraction >= 1


class StandardGroup(_StandardPart):
    """A group of items (创建项目), e.g. “1 企业诚信文化建设与社会责任”."""

    standard = ParentalKey(Standard, on_delete=models.CASCADE, related_name="groups", verbose_name=_("standard"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=100)

    class Meta:
        verbose_name = _("standard group")
        verbose_name_plural = _("standard groups")
        ordering = ["standard", "number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="showcase_group_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def _standard(self):
        return self.standard if self.standard_id else None


class StandardItem(_StandardPart):
    """An item the experts rate (验收标准), with the evidence it requires and its weight."""

    group = models.ForeignKey(StandardGroup, on_delete=models.CASCADE, related_name="items", verbose_name=_("group"))
    code = models.CharField(pgettext_lazy("showcase", "code"), max_length=10, help_text=_("For example 1.1 or 2.3a."))
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=200)
    evidence = models.TextField(_("evidence required"))
    weight = models.DecimalField(_("weight (points)"), max_digits=5, decimal_places=2)
    is_veto = models.BooleanField(
        _("veto item"), default=False,
        help_text=_("Must be rated at full marks by a majority of the scoring experts."),
    )
    entered_by_agency = models.BooleanField(
        _("entered by the agency"), default=False,
        help_text=_("The agency looks this record up and enters it; the unit uploads no evidence for it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["group__number", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="showcase_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def _standard(self):
        return self.group.standard if self.group_id else None


def items_of(standard) -> list[StandardItem]:
    """The items of a standard in order (one query)."""
    return list(
        StandardItem.objects.filter(group__standard=standard).select_related("group").order_by(
            "group__number", "sort_order", "code"
        )
    )


# ---------------------------------------------------------------- campaigns


class Campaign(models.Model):
    """A yearly call for applications (2019: deadline end of June), optionally accepting applications all year."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(pgettext_lazy("showcase", "year"), unique=True)
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=200)
    opens_on = models.DateField(_("open date"))
    deadline = models.DateField(_("application deadline"))
    rolling = models.BooleanField(
        _("rolling applications"), default=False,
        help_text=_("Applications are accepted after the deadline as well, until the campaign is closed."),
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("standard"))
    agency = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="showcase_campaigns",
        verbose_name=_("appointed agency"),
        help_text=_("The third-party credit service agency; its users with the agency role review the applications."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    preliminary_review_days = models.PositiveSmallIntegerField(
        _("preliminary review period (days)"), default=15,
        help_text=_("A submitted application not reviewed within this many days is shown as overdue."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("expert reminder (days before the scoring deadline)"), default=3
    )
    commitment_text = models.TextField(_("credit commitment text"), default=DEFAULT_COMMITMENT)
    introduction = models.TextField(pgettext_lazy("showcase", "introduction"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the open date.")})
        if self.agency_id and self.agency.unit_type != "credit_agency":
            raise ValidationError({"agency": _("The appointed agency must be a credit service agency.")})

    def accepts_applications(self, on_date: datetime.date | None = None) -> bool:
        on_date = on_date or timezone.localdate()
        if self.status != self.Status.OPEN or on_date < self.opens_on:
            return False
        return self.rolling or on_date <= self.deadline

    @classmethod
    def current(cls):
        """The open campaign accepting applications today (latest year first), else None."""
        today = timezone.localdate()
        for campaign in cls.objects.filter(status=cls.Status.OPEN).select_related("standard").order_by("-year"):
            if campaign.accepts_applications(today):
                return campaign
        return None


# ---------------------------------------------------------------- bans


class ParticipationBan(models.Model):
    """A unit barred from the programme (three years after a revocation, L1361)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="showcase_bans", verbose_name=_("organisation")
    )
    starts_on = models.DateField(pgettext_lazy("showcase", "start date"))
    ends_on = models.DateField(pgettext_lazy("showcase", "end date"), help_text=_("The first day the unit may apply again."))
    reason = models.TextField(_("reason"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation ban")
        verbose_name_plural = _("participation bans")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on}–{self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be after the start date.")})

    @classmethod
    def three_years_from(cls, starts_on: datetime.date) -> datetime.date:
        return add_years(starts_on, 3)


def is_banned(organisation, on_date: datetime.date) -> bool:
    """True if the organisation is under a participation ban on `on_date`."""
    return ParticipationBan.objects.filter(
        organisation=organisation, starts_on__lte=on_date, ends_on__gt=on_date
    ).filter(models.Q(lifted_on__isnull=True) | models.Q(lifted_on__gt=on_date)).exists()


# ---------------------------------------------------------------- applications


class Application(models.Model):
    """A unit's application (申报) and its way through preliminary review, creation and acceptance."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting preliminary review")
        RETURNED = "returned", _("Returned for completion")
        REJECTED = "rejected", pgettext_lazy("showcase", "Rejected")
        CREATION = "creation", _("Creation")
        ACCEPTANCE = "acceptance", _("Acceptance review")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        WITHDRAWN = "withdrawn", pgettext_lazy("showcase", "Withdrawn")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.CREATION, Status.ACCEPTANCE)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    EVIDENCE_STATUSES = (Status.DRAFT, Status.RETURNED, Status.CREATION)

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications", verbose_name=_("campaign"))
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="showcase_applications",
        verbose_name=_("organisation"),
    )
    number = models.CharField(_("application number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_member = models.BooleanField(_("member at submission"), null=True, blank=True)

    # 申报表 — basic data, prefilled from the organisation and frozen at submission
    unit_name = SingleLineModelField(_("unit name"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = SingleLineModelField(_("legal representative"), max_length=50, blank=True)
    established_on = models.DateField(_("establishment date"), null=True, blank=True)
    registered_address = SingleLineModelField(_("registered address"), max_length=255, blank=True)
    contact_person = SingleLineModelField(_("contact person"), max_length=50, blank=True)
    contact_phone = SingleLineModelField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_independent_legal_person = models.BooleanField(
        _("independent legal person"), default=False,
        help_text=_("The unit is registered with independent legal personality."),
    )
    main_business = models.TextField(_("main business"), blank=True)
    staff_count = models.PositiveIntegerField(_("number of staff"), null=True, blank=True)
    revenue_year1 = models.DecimalField(_("revenue, three years ago (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    revenue_year2 = models.DecimalField(_("revenue, two years ago (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    revenue_year3 = models.DecimalField(_("revenue, last year (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    credit_department = SingleLineModelField(
        _("credit-management department"), max_length=200, blank=True,
        help_text=_("Department or function responsible for credit management, with its staff."),
    )
    summary = models.TextField(_("summary of credit-management work"), blank=True)
    honours = models.TextField(_("honours"), blank=True)

    # 信用承诺书
    commitment_text = models.TextField(_("credit commitment text"), blank=True)
    commitment_signer = SingleLineModelField(_("signed by"), max_length=50, blank=True)
    commitment_signer_title = SingleLineModelField(_("signer's title"), max_length=50, blank=True)
    commitment_accepted_at = models.DateTimeField(_("commitment accepted at"), null=True, blank=True)

    licence = models.FileField(
        _("business licence"), storage=private_files, upload_to=PrivateUploadTo("showcase/licence"), blank=True
    )
    licence_name = SingleLineModelField(_("business licence file name"), max_length=200, blank=True)
    form_pdf = models.FileField(
        _("submitted application form (PDF)"), storage=private_files, upload_to=PrivateUploadTo("showcase/form"),
        blank=True, editable=False,
    )

    # preliminary review
    returned_missing = models.TextField(_("missing materials"), blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    preliminary_passed_at = models.DateTimeField(_("preliminary review passed at"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("showcase", "application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["draft", "submitted", "returned", "creation", "acceptance"]),
                name="showcase_one_open_application_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or _('draft')} {self.unit_name or self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def evidence_editable(self) -> bool:
        return self.status in self.EVIDENCE_STATUSES

    def revenue_rows(self):
        year = (self.submitted_at or timezone.now()).year
        return [
            (year - 3, self.revenue_year1),
            (year - 2, self.revenue_year2),
            (year - 1, self.revenue_year3),
        ]

    def latest_round(self):
        return self.rounds.order_by("-number").first()


class EvidenceFile(models.Model):
    """A private file the unit provides as evidence for one standard item."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence", verbose_name=pgettext_lazy("showcase", "application"))
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="evidence_files", verbose_name=pgettext_lazy("showcase", "item"))
    file = models.FileField(_("file"), storage=private_files, upload_to=PrivateUploadTo("showcase/evidence"))
    original_name = SingleLineModelField(_("file name"), max_length=200)
    note = SingleLineModelField(_("note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item__group__number", "item__sort_order", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """One line of an application's timeline (also what the applicant sees, when `public`)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Draft created")
        SUBMITTED = "submitted", pgettext_lazy("showcase", "Submitted")
        RETURNED = "returned", _("Returned for completion")
        REJECTED = "rejected", pgettext_lazy("showcase", "Rejected")
        PRELIMINARY_PASSED = "preliminary_passed", _("Preliminary review passed")
        ASSESSMENT = "assessment", _("Stage assessment")
        PUBLIC_CREDIT = "public_credit", _("Public credit record entered")
        REPORT = "report", _("Creation evaluation report issued")
        EXPERTS = "experts", _("Experts assigned")
        SCORING_DONE = "scoring_done", _("Expert scoring completed")
        DECIDED = "decided", _("Acceptance decision")
        WITHDRAWN = "withdrawn", pgettext_lazy("showcase", "Withdrawn")
        NOTE = "note", _("Note")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events", verbose_name=pgettext_lazy("showcase", "application"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    message = models.TextField(pgettext_lazy("showcase", "message"), blank=True)
    public = models.BooleanField(_("shown to the applicant"), default=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class StageAssessment(models.Model):
    """The agency's stage assessment during creation (阶段性评估): findings per item and advice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessments", verbose_name=pgettext_lazy("showcase", "application"))
    assessed_on = models.DateField(_("assessment date"))
    advice = models.TextField(_("improvement advice"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage assessment")
        verbose_name_plural = _("stage assessments")
        ordering = ["assessed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.assessed_on}"


class AssessmentFinding(models.Model):
    assessment = models.ForeignKey(StageAssessment, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("showcase", "item"))
    finding = models.TextField(_("finding"))

    class Meta:
        verbose_name = _("assessment finding")
        verbose_name_plural = _("assessment findings")
        ordering = ["item__group__number", "item__sort_order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="showcase_finding_unique_item")]


class PublicCreditRecord(models.Model):
    """Item 3.2: the unit's public credit score or grade, looked up and entered by the agency."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="public_credit_records", verbose_name=pgettext_lazy("showcase", "application")
    )
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("showcase", "item"))
    result = SingleLineModelField(_("score or grade"), max_length=50)
    looked_up_on = models.DateField(_("looked up on"))
    source = SingleLineModelField(_("source"), max_length=200, default="浙江政务服务网企业信用信息系统")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public credit record")
        verbose_name_plural = _("public credit records")
        ordering = ["-looked_up_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.result} ({self.looked_up_on})"


# ---------------------------------------------------------------- expert review


class ReviewRound(models.Model):
    """One panel examination of an application: the initial acceptance (验收) or a later re-review (复核).

    The agency's report (创建评估报告, or the tracking evaluation report for a re-review) opens the round; the
    secretariat assigns experts and a scoring deadline; the experts score; the secretariat records the decision.
    """

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Acceptance review")
        RE_REVIEW = "re_review", _("Re-review")

    class Result(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="rounds", verbose_name=pgettext_lazy("showcase", "application"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("standard"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    report = models.FileField(_("evaluation report"), storage=private_files, upload_to=PrivateUploadTo("showcase/report"))
    report_name = SingleLineModelField(_("report file name"), max_length=200)
    report_summary = models.TextField(_("report summary"), blank=True)
    scoring_deadline = models.DateField(_("scoring deadline"), null=True, blank=True)
    result = SingleLineModelField(_("result"), max_length=15, choices=Result.choices, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=pgettext_lazy("showcase", "decided by")
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="showcase_round_unique_number")]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_kind_display()} {self.number}"

    @property
    def is_decided(self) -> bool:
        return bool(self.result)


class ExpertAssignment(models.Model):
    """An expert assigned to a review round. The expert declares conflicts of interest before seeing anything."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting declaration")
        ACTIVE = "active", _("No conflict declared")
        CONFLICT = "conflict", _("Conflict of interest (unassigned)")
        REMOVED = "removed", _("Removed")

    ACTIVE_STATUSES = (Status.PENDING, Status.ACTIVE)

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("review round"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="showcase_assignments", verbose_name=_("expert"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    conflict_note = models.TextField(_("conflict of interest"), blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "expert"], name="showcase_assignment_unique_expert")]

    def __str__(self) -> str:
        return f"{self.expert} → {self.round}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class ScoreSheet(models.Model):
    """One expert's ratings for one review round; locked once submitted (the secretariat can reopen it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("showcase", "Submitted")

    assignment = models.OneToOneField(ExpertAssignment, on_delete=models.CASCADE, related_name="sheet", verbose_name=_("assignment"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, null=True, blank=True)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return f"{self.assignment}"


class Rating(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("score sheet"))
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="ratings", verbose_name=pgettext_lazy("showcase", "item"))
    level = models.ForeignKey(RatingLevel, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("rating"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="showcase_rating_unique_item")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.level}"
