"""A unit's application, its evidence and timeline, and the agency's work during creation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from .campaigns import Campaign
from .standard import StandardItem


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
        EXCLUDED = "excluded", _("Excluded from the programme")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.CREATION, Status.ACCEPTANCE)

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

    def revenue_rows(self):
        year = (self.submitted_at or timezone.now()).year
        return [
            (year - 3, self.revenue_year1),
            (year - 2, self.revenue_year2),
            (year - 1, self.revenue_year3),
        ]

    @property
    def latest_form(self):
        """The form as last submitted (`SubmittedForm`), or None."""
        return self.submitted_forms.order_by("-version").first()

    def latest_round(self):
        return self.rounds.order_by("-number").first()


class SubmittedForm(models.Model):
    """The 申报表 as submitted, archived as a PDF: one per submission (a resubmission after a return adds a
    version; none is ever re-rendered or deleted). The unit and the staff can download each version."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submitted_forms",
                                    verbose_name=pgettext_lazy("showcase", "application"))
    version = models.PositiveSmallIntegerField(_("version"))
    pdf = models.FileField(_("submitted application form (PDF)"), storage=private_files,
                           upload_to=PrivateUploadTo("showcase/form"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("submitted by"))

    class Meta:
        verbose_name = _("submitted application form")
        verbose_name_plural = _("submitted application forms")
        ordering = ["application", "version"]
        constraints = [models.UniqueConstraint(fields=["application", "version"], name="showcase_form_unique_version")]

    def __str__(self) -> str:
        return f"{self.application.number} v{self.version}"

    @property
    def download_name(self) -> str:
        return f"申报表-{self.application.number}-{self.version}.pdf"


class EvidenceFile(models.Model):
    """A private file the unit provides as evidence for one standard item: with its application, or later for
    the tracking evaluation (跟踪评估) before a re-review, against the standard then in force (`round`: the
    re-review round it was examined in, set when the round opens)."""

    class Purpose(models.TextChoices):
        APPLICATION = "application", pgettext_lazy("showcase", "Application")
        TRACKING = "tracking", _("Tracking evaluation")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence", verbose_name=pgettext_lazy("showcase", "application"))
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="evidence_files", verbose_name=pgettext_lazy("showcase", "item"))
    file = models.FileField(_("file"), storage=private_files, upload_to=PrivateUploadTo("showcase/evidence"))
    original_name = SingleLineModelField(_("file name"), max_length=200)
    note = SingleLineModelField(_("note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.APPLICATION)
    round = models.ForeignKey("showcase.ReviewRound", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="evidence", verbose_name=_("re-review round"))

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
        EXCLUDED = "excluded", _("Excluded from the programme")
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
