"""Applications to join (入会申请)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files
from portal.organisations.models import Organisation

from .memberships import MembershipTier


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
    application_letter_name = SingleLineModelField(_("application letter file name"), max_length=200, blank=True)
    business_licence = models.FileField(
        _("business licence copy"), storage=private_files, upload_to=PrivateUploadTo("members/licence"),
        blank=True, max_length=200,
    )
    business_licence_name = SingleLineModelField(_("business licence file name"), max_length=200, blank=True)
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
