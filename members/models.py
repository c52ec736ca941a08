from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

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

    name = models.CharField(_("unit name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices, default=UnitType.ENTERPRISE)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    established_on = models.DateField(_("establishment date"))
    registered_address = models.CharField(_("registered address"), max_length=255)
    contact_person = models.CharField(_("contact person"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"))
    website = models.URLField(_("website"), blank=True)
    region_code = models.CharField(_("region code"), max_length=6, editable=False, db_index=True)
    region_name = models.CharField(_("region"), max_length=60, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationUser", related_name="organisations", verbose_name=_("users")
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


def active_member_ids(organisation_ids=None) -> set[int]:
    """Ids of organisations with an active membership (one query), optionally among `organisation_ids`."""
    qs = Membership.objects.filter(status=Membership.Status.ACTIVE)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return set(qs.values_list("organisation_id", flat=True))


def is_active_member(organisation) -> bool:
    return bool(organisation) and organisation.pk in active_member_ids([organisation.pk])
