"""Member services (SPEC §3, 服务工作通知 L1157–L1226).

* `ServiceCategory` — the eight service contents of the notice (loaded by a data migration).
* `Provider` / `ServiceItem` — third-party providers and their items, each with a structured fee
  (see `portal.services.fees`).
* `ServiceRequest` / `ServiceRequestHistory` — a firm asks a provider for an item; status changes go
  through `portal.services.domain` only.
* `Event` / `EventRegistration` — the association's own trainings, forums and salons (free for
  members). Attendance (`EventRegistration.attended`) is the "activity participation" the
  membership rules read: keep the names `organisation`, `event`, `attended` and `Event.starts_at`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.text import SingleLineModelField

from .fees import Fee, FeeKind, FeePeriod, FeeRule, RateUnit, fraction

ZERO = Decimal("0")


class ServiceCategory(models.Model):
    """One of the eight service contents (一)–(八) of the notice."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True, help_text=_("(一) is 1, (八) is 8."))
    name = SingleLineModelField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('services:catalogue')}?category={self.code}"


class Provider(models.Model):
    """A third-party provider recommended by the association (服务机构)."""

    name = SingleLineModelField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    contact_person = SingleLineModelField(_("contact person"), max_length=50)
    phone = SingleLineModelField(_("phone"), max_length=30)
    email = models.EmailField(_("email"), blank=True)
    member_discount = SingleLineModelField(
        _("member discount"),
        max_length=255,
        blank=True,
        help_text=_("The discount offered to member units (the notice requires one below the usual rates)."),
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="service_providers",
        verbose_name=_("provider accounts"),
        help_text=_("Users who handle this provider's service requests on the provider desk."),
    )
    is_active = models.BooleanField(_("listed"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:provider", args=[self.pk])


class ServiceItemQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_active=True, provider__is_active=True)


class ServiceItem(models.Model):
    """A service a provider offers, in one category, with a structured fee."""

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="items", verbose_name=_("provider"))
    name = SingleLineModelField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("listed"), default=True)

    fee_kind = models.CharField(_("fee kind"), max_length=20, choices=FeeKind.choices, default=FeeKind.NEGOTIABLE)
    fee_amount = models.DecimalField(
        _("amount / lower bound / minimum (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    fee_amount_max = models.DecimalField(
        _("upper bound (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    fee_period = models.CharField(_("fee period"), max_length=10, choices=FeePeriod.choices, blank=True, default="")
    # The figure as the provider prints it, in `fee_rate_unit` (0.39 with ‰ is 0.39‰): typed as printed, shown as
    # printed. A fraction here invited a thousandfold mistake (0.39 typed beside ‰ read as 390‰, issue #14.4).
    fee_rate = models.DecimalField(
        _("rate"),
        max_digits=14,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("The figure as the provider publishes it, in the unit chosen beside it: for 0.39‰ enter 0.39 and "
                    "choose ‰; for 5% enter 5 and choose %."),
    )
    fee_rate_unit = models.CharField(
        _("rate unit"), max_length=10, choices=RateUnit.choices, default=RateUnit.PERCENT
    )
    fee_base_name = SingleLineModelField(
        _("rate base"), max_length=40, blank=True, help_text=_("What the rate applies to, e.g. 资产总额 or 涉案金额.")
    )
    fee_rule = models.CharField(_("fee rule"), max_length=10, choices=FeeRule.choices, default=FeeRule.GREATER)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["provider__order", "provider__name", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="services_item_unique_name_per_provider"),
            models.CheckConstraint(
                condition=models.Q(fee_amount_max__isnull=True)
                | models.Q(fee_amount__isnull=True)
                | models.Q(fee_amount_max__gte=models.F("fee_amount")),
                name="services_item_fee_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:item", args=[self.pk])

    @property
    def fee(self) -> Fee:
        return Fee(
            kind=self.fee_kind,
            amount=self.fee_amount,
            amount_max=self.fee_amount_max,
            period=self.fee_period,
            rate=fraction(self.fee_rate, self.fee_rate_unit),
            rate_unit=self.fee_rate_unit,
            base_name=self.fee_base_name,
            rule=self.fee_rule,
        )

    def clean(self):
        """Each fee kind needs its own fields, and only those."""
        errors = {}
        required = {
            FeeKind.FIXED: ["fee_amount"],
            FeeKind.RANGE: ["fee_amount", "fee_amount_max"],
            FeeKind.MINIMUM_RATE: ["fee_amount", "fee_rate", "fee_base_name"],
            FeeKind.NEGOTIABLE: [],
        }[FeeKind(self.fee_kind)]
        for name in required:
            if getattr(self, name) in (None, ""):
                errors[name] = _("Required for this fee kind.")
        if self.fee_kind == FeeKind.RANGE and not errors and self.fee_amount_max < self.fee_amount:
            errors["fee_amount_max"] = _("The upper bound must not be below the lower bound.")
        if self.fee_kind == FeeKind.MINIMUM_RATE and self.fee_rate is not None and fraction(
                self.fee_rate, self.fee_rate_unit) >= 1:
            errors["fee_rate"] = _("The rate must be below 100% (1000‰).")
        if self.fee_kind != FeeKind.RANGE and self.fee_amount_max is not None:
            errors["fee_amount_max"] = _("Only a fee range has an upper bound.")
        if self.fee_kind != FeeKind.MINIMUM_RATE and (self.fee_rate is not None or self.fee_base_name):
            errors["fee_rate"] = _("Only a minimum-and-rate fee has a rate and a base.")
        if self.fee_kind == FeeKind.NEGOTIABLE and self.fee_amount is not None:
            errors["fee_amount"] = _("A negotiable fee has no amount.")
        if errors:
            raise ValidationError(errors)


class ServiceRequestQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation) if organisation else self.none()

    def for_provider_user(self, user):
        return self.filter(provider__users=user) if user.is_authenticated else self.none()


class ServiceRequest(models.Model):
    """A firm's request for a service item. Status changes only through `services.domain`."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
        CONTACTED = "contacted", _("Contacted")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")

    OPEN_STATUSES = (Status.SUBMITTED, Status.CONTACTED, Status.IN_PROGRESS)

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("service"))
    # Copied from the item when submitted: the request stays with the provider it was sent to.
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="requests", verbose_name=_("provider"), editable=False
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("organisation"),
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("requested by"),
        editable=False,
    )
    message = models.TextField(_("message"))
    contact_name = SingleLineModelField(_("contact person"), max_length=50)
    contact_phone = SingleLineModelField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    is_member = models.BooleanField(
        _("member unit"), default=False, editable=False, help_text=_("Active member when submitted: eligible for the member discount.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True, editable=False
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("Service request %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        """A human reference: FW + year + zero-padded id."""
        return f"FW{timezone.localtime(self.created_at).year}{self.pk or 0:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def get_absolute_url(self) -> str:
        return reverse("services:request", args=[self.pk])


class ServiceRequestHistory(models.Model):
    """One status change of a service request: who, when, from what to what, with a note."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="history", verbose_name=_("service request")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ServiceRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ServiceRequest.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("service request history entry")
        verbose_name_plural = _("service request history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.service_request_id}: {self.from_status} → {self.to_status}"


class Event(models.Model):
    """An association training, forum or salon (free for member units, L1213)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        FORUM = "forum", _("Forum")
        SALON = "salon", _("Salon")
        OTHER = "other", _("Other event")

    title = SingleLineModelField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TRAINING)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = SingleLineModelField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (units)"), null=True, blank=True, help_text=_("Organisations that may register; empty: no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"))
    members_only = models.BooleanField(
        _("member units only"), default=False, help_text=_("Only active member units may register.")
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("association event")
        verbose_name_plural = _("association events")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="services_event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:event", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if self.starts_at and self.registration_deadline and self.registration_deadline > self.ends_at:
            errors["registration_deadline"] = _("Registration must close before the event ends.")
        if errors:
            raise ValidationError(errors)

    @property
    def registration_open(self) -> bool:
        return timezone.now() <= self.registration_deadline


class EventRegistrationQuerySet(models.QuerySet):
    def current(self):
        """Registrations that stand (not withdrawn)."""
        return self.filter(status=EventRegistration.Status.REGISTERED)


# For annotations on events: `Count("registrations", filter=STANDING)`.
STANDING = models.Q(registrations__status="registered")


class EventRegistration(models.Model):
    """An organisation's registration for an event, and whether it attended.

    Registering, withdrawing and recording attendance go through `portal.services.workflows.REGISTRATIONS`.
    The membership rules read attendance from `attended` (only a standing registration can be attended).
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("event registration", "Registered")
        WITHDRAWN = "withdrawn", pgettext_lazy("event registration", "Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name=_("registered by"),
    )
    participants = models.PositiveSmallIntegerField(_("participants"), default=1)
    note = SingleLineModelField(_("note"), max_length=255, blank=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    attended = models.BooleanField(_("attended"), default=False, db_index=True)
    attended_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED, db_index=True, editable=False
    )

    objects = EventRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["event", "registered_at"]
        constraints = [
            # one standing registration per unit and event; withdrawn ones stay on record
            models.UniqueConstraint(
                fields=["event", "organisation"], condition=models.Q(status="registered"),
                name="services_one_registration_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.event}"
