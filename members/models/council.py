"""Council resolutions (理事会决议): admissions and expulsions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from .applications import MembershipApplication
from .memberships import Membership, MembershipTier


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
    minutes_name = SingleLineModelField(_("minutes file name"), max_length=200, blank=True)
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
