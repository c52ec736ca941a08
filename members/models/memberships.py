"""Memberships (会籍), their tiers, history and member certificates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField
from portal.core.uploads import PrivateUploadTo, private_files
from portal.organisations.models import Organisation


class MembershipTier(models.Model):
    """A dues tier (副会长单位 / 理事单位 / 会员单位): configurable data, defaults from 入会须知."""

    name = SingleLineModelField(_("name"), max_length=50, unique=True)
    name_en = SingleLineModelField(_("English name"), max_length=80, blank=True)
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
    application = models.OneToOneField(
        "MembershipApplication", on_delete=models.PROTECT, null=True, blank=True, related_name="membership",
        verbose_name=_("application"),
    )
    next_tier = models.ForeignKey(
        MembershipTier, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tier from next dues year"),
    )
    next_tier_from_year = models.PositiveSmallIntegerField(_("new tier applies from dues year"), null=True, blank=True)
    reinstated_on = models.DateField(
        _("last reinstated on"), null=True, blank=True,
        help_text=_("Dues are billed again from this dues year (not for the years spent lapsed), and the year "
                    "without activity counts from this day."),
    )
    certificate_returned_on = models.DateField(_("certificate returned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["member_number"]
        # The public directory: active members of a tier in member-number order (members.views).
        indexes = [models.Index(fields=["status", "tier", "member_number"], name="members_directory_order")]
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

    @property
    def certificate_number(self) -> str:
        """The member certificate (会员证) carries the member number."""
        return self.member_number

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.LAPSED)

    def tier_for(self, year: int) -> MembershipTier:
        """The tier a dues year is charged at (a tier change applies from its year on)."""
        if self.next_tier_id and self.next_tier_from_year and year >= self.next_tier_from_year:
            return self.next_tier
        return self.tier


def active_member_ids(organisation_ids=None) -> set[int]:
    """Ids of organisations with an active membership (one query), optionally among `organisation_ids`."""
    qs = Membership.objects.filter(status=Membership.Status.ACTIVE)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return set(qs.values_list("organisation_id", flat=True))


def is_active_member(organisation) -> bool:
    return bool(organisation) and organisation.pk in active_member_ids([organisation.pk])


class MembershipEvent(models.Model):
    """The history of a membership: every status or tier change, never deleted."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        LAPSED = "lapsed", _("Lapsed (dues unpaid for a year)")
        LAPSED_INACTIVE = "lapsed_inactive", _("Lapsed (no activity for a year)")
        REINSTATED = "reinstated", _("Reinstated")
        WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Withdrawal requested")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPELLED = "expelled", _("Expelled")
        TIER_CHANGED = "tier_changed", _("Tier change")
        CERTIFICATE_ISSUED = "certificate", _("Member certificate issued")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events", verbose_name=_("membership"))
    kind = models.CharField(_("event type"), max_length=24, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=10, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, blank=True)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.membership.member_number} {self.get_kind_display()} {self.on}"


class MemberCertificate(models.Model):
    """A member certificate (会员证) as issued: its text frozen on the row, its PDF archived.

    Issued at admission; a re-issue (an approved change of the registered name, a tier change) is a
    new version, and earlier versions stay as they were. Downloads serve the latest version's file.
    """

    class Reason(models.TextChoices):
        ADMISSION = "admission", _("Admission")
        REGISTERED_DETAILS = "registered_details", _("Change of registered name or credit code")
        TIER = "tier", _("Tier change")
        REISSUE = "reissue", _("Re-issue")

    membership = models.ForeignKey("Membership", on_delete=models.PROTECT, related_name="certificates",
                                   verbose_name=_("membership"))
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    member_number = models.CharField(_("member number"), max_length=20)
    holder_name = models.CharField(_("holder"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    tier_name = models.CharField(_("tier"), max_length=50)
    started_on = models.DateField(_("member since"))
    issued_on = models.DateField(_("issued on"))
    pdf = models.FileField(_("certificate as issued"), storage=private_files,
                           upload_to=PrivateUploadTo("members/certificates"), max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member certificate")
        verbose_name_plural = _("member certificates")
        ordering = ["membership", "-version"]
        constraints = [models.UniqueConstraint(fields=["membership", "version"], name="one_certificate_per_version")]

    def __str__(self) -> str:
        return f"{self.member_number} v{self.version}"
