"""Firm identity: the units (firms and institutions) that use the portal, and the users who act for them.

Every process (membership, services, the demonstration-unit programme) refers to an `Organisation`;
this app knows nothing of those processes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files

from .regions import region_for_code


def validate_uscc(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters, valid check character."""
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(code)s” is not a valid unified social credit code (18 characters with a correct check character).")
            % {"code": value},
            code="invalid_uscc",
        ) from exc


class Organisation(models.Model):
    """A unit (firm or institution) that uses the portal: a member or an applicant."""

    class UnitType(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        PUBLIC_INSTITUTION = "institution", _("Public institution")
        CREDIT_AGENCY = "credit_agency", _("Credit service agency")
        UNIVERSITY = "university", _("University")
        RESEARCH = "research", _("Research institute")
        OTHER = "other", _("Other")

    name = SingleLineModelField(_("unit name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices, default=UnitType.ENTERPRISE)
    legal_representative = SingleLineModelField(_("legal representative"), max_length=50)
    established_on = models.DateField(_("establishment date"))
    registered_address = SingleLineModelField(_("registered address"), max_length=255)
    contact_person = SingleLineModelField(_("contact person"), max_length=50)
    phone = SingleLineModelField(_("phone"), max_length=30)
    email = models.EmailField(_("email"))
    website = models.URLField(_("website"), blank=True)
    region_code = models.CharField(_("region code"), max_length=6, editable=False, db_index=True)
    region_name = models.CharField(_("region"), max_length=60, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="organisations.OrganisationUser", related_name="organisations", verbose_name=_("users")
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.credit_code:
            self.credit_code = uscc.compact(self.credit_code)

    def save(self, *args, **kwargs):
        self.credit_code = uscc.compact(self.credit_code or "")
        self.region_code, self.region_name = region_for_code(self.credit_code)
        super().save(*args, **kwargs)

    @property
    def in_zhejiang(self) -> bool:
        return self.region_code.startswith("33")


class OrganisationUser(models.Model):
    """A user's link to their organisation. A user belongs to at most one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_link", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="user_links", verbose_name=_("organisation")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation user")
        verbose_name_plural = _("organisation users")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


def organisation_for(user) -> Organisation | None:
    """The organisation a firm user acts for (None for staff or unattached users)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_organisation_cache"):
        link = OrganisationUser.objects.select_related("organisation").filter(user=user).first()
        user._organisation_cache = link.organisation if link else None
    return user._organisation_cache




class RegisteredDetailsChange(models.Model):
    """A unit asks to change its registered name or credit code (with the new business licence).

    Once a unit's registered details have been vetted (it is a member or an applicant, or has an
    approved name on record), they change only through this request, which the secretariat reviews
    (`portal.organisations.workflows.DETAILS_CHANGES`). This app knows nothing of the processes that
    vetted the details: they answer through `portal.organisations.details`' hooks.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by the unit")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="details_changes",
                                     verbose_name=_("organisation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    old_name = models.CharField(_("registered name"), max_length=200)
    old_credit_code = models.CharField(_("unified social credit code"), max_length=18)
    new_name = SingleLineModelField(_("new registered name"), max_length=200, blank=True)
    new_credit_code = models.CharField(_("new unified social credit code"), max_length=18, blank=True,
                                       validators=[validate_uscc])
    reason = models.TextField(_("reason"), blank=True)
    licence = models.FileField(_("new business licence"), storage=private_files,
                               upload_to=PrivateUploadTo("organisations/licence"), max_length=200)
    licence_name = SingleLineModelField(_("licence file name"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("registered details change")
        verbose_name_plural = _("registered details changes")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(status="submitted"),
                                    name="one_pending_details_change_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name or self.old_name}"

    @property
    def name_after(self) -> str:
        return self.new_name or self.old_name

    @property
    def credit_code_after(self) -> str:
        return self.new_credit_code or self.old_credit_code


class RegisteredName(models.Model):
    """A unit's registered name and credit code as approved, with the period they applied (its history).

    The first row is written when a process vets the unit (e.g. admission as a member); each approved
    change closes the current row and opens the next.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="registered_names",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("registered name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    valid_from = models.DateField(_("used from"), null=True, blank=True)
    valid_until = models.DateField(_("used until"), null=True, blank=True)
    change = models.OneToOneField(RegisteredDetailsChange, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="registered_name", verbose_name=_("approved change"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))

    class Meta:
        verbose_name = _("approved registered name")
        verbose_name_plural = _("approved registered names")
        ordering = ["organisation", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(valid_until__isnull=True),
                                    name="one_current_registered_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from or '…'}–{self.valid_until or ''})"
