"""Expert review: rounds (acceptance or re-review), assignments, score sheets and ratings."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from .applications import Application
from .standard import RatingLevel, Standard, StandardItem


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

    class Status(models.TextChoices):
        OPEN = "open", _("Under review")
        DECIDED = "decided", pgettext_lazy("showcase", "Decided")

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
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
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
        return self.status == self.Status.DECIDED


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
