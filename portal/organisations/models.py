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
    # The secretariat checked the first claim of this credit code against the business licence
    # (`portal.organisations.claims`); until then the unit cannot apply for membership.
    verified_on = models.DateField(_("verified on"), null=True, blank=True, editable=False)
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
    """A user's link to their organisation, with the user's role in the unit. A user belongs to at most one
    organisation. The unit's administrators (管理员) manage its team; clerks (经办人) act for it."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        CLERK = "clerk", _("Clerk")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_link", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="user_links", verbose_name=_("organisation")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    role = models.CharField(_("role in the unit"), max_length=10, choices=Role.choices, default=Role.ADMIN)
    position = SingleLineModelField(_("position"), max_length=50, blank=True)
    phone = SingleLineModelField(_("phone"), max_length=30, blank=True)

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


class OrganisationInvitation(models.Model):
    """A unit's administrator invites a colleague by email (`portal.organisations.team`, `INVITATIONS`).

    The email carries a signed link that expires; accepting it with an account of that address links the
    account to the unit with the role chosen.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the colleague")
        ACCEPTED = "accepted", _("Accepted by the colleague")
        REVOKED = "revoked", _("Withdrawn by the unit")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations",
                                     verbose_name=_("organisation"))
    email = models.EmailField(_("email"))
    role = models.CharField(_("role in the unit"), max_length=10, choices=OrganisationUser.Role.choices,
                            default=OrganisationUser.Role.CLERK)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("accepted by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class OrganisationClaim(models.Model):
    """Someone claims to act for a unit (`portal.organisations.claims`, `CLAIMS`).

    The first claim of a credit code (registering the unit) is verified by the secretariat against the
    business licence. A later claimant asks to join the unit: its administrators decide; a claimant they
    decline (or a unit without administrators) takes it to the secretariat, which decides the dispute.
    """

    class Kind(models.TextChoices):
        FIRST = "first", _("Registration of the unit")
        JOIN = "join", _("Request to join the unit")

    class Status(models.TextChoices):
        WAITING_SECRETARIAT = "secretariat", _("Waiting for the secretariat")
        WAITING_UNIT = "unit", _("Waiting for the unit's administrator")
        DECLINED = "declined", _("Declined by the unit")
        ACCEPTED = "accepted", _("Granted")
        REJECTED = "rejected", _("Rejected by the secretariat")
        WITHDRAWN = "withdrawn", _("Withdrawn by the claimant")

    OPEN = (Status.WAITING_SECRETARIAT, Status.WAITING_UNIT)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims",
                                     verbose_name=_("organisation"))
    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_claims",
                                 verbose_name=_("claimant"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    message = models.TextField(_("claimant's message"), blank=True)
    licence = models.FileField(_("business licence"), storage=private_files,
                               upload_to=PrivateUploadTo("organisations/claims"), blank=True, max_length=200)
    licence_name = SingleLineModelField(_("licence file name"), max_length=200, blank=True)
    role = models.CharField(_("role in the unit"), max_length=10, choices=OrganisationUser.Role.choices,
                            default=OrganisationUser.Role.CLERK)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("unit claim")
        verbose_name_plural = _("unit claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["claimant"], condition=models.Q(status__in=["secretariat", "unit"]),
                                    name="one_open_claim_per_claimant"),
        ]

    def __str__(self) -> str:
        return f"{self.claimant} → {self.organisation}"
