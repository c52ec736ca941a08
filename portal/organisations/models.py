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


