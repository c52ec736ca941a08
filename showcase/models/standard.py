"""The acceptance standard (验收标准): versioned data, frozen as soon as a score uses a version."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.core.text import SingleLineModelField


class StandardFrozen(ValidationError):
    """A change to a standard version that expert scores already use (decided totals would change)."""


class Standard(ClusterableModel):
    """One version of the acceptance standard (验收标准), e.g. “2019版”, with its scoring rule."""

    version = SingleLineModelField(_("version"), max_length=50, unique=True, help_text=_("For example “2019版”."))
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=200)
    pass_threshold = models.DecimalField(
        _("pass threshold"), max_digits=5, decimal_places=2, default=Decimal("80"),
        help_text=_("An application passes when the experts' mean total reaches this many points."),
    )
    min_experts = models.PositiveSmallIntegerField(
        _("minimum number of experts"), default=3, validators=[MinValueValidator(1)]
    )
    divergence_levels = models.PositiveSmallIntegerField(
        _("divergence flag at"), default=2, validators=[MinValueValidator(1)],
        help_text=_("An item is flagged for the panel when two experts' ratings are this many levels apart."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )

    class Meta:
        verbose_name = _("acceptance standard")
        verbose_name_plural = _("acceptance standards")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"

    @property
    def is_frozen(self) -> bool:
        """A version is frozen once any score uses it: changes are then made on a copy."""
        if not self.pk:
            return False
        from .review import Rating

        return Rating.objects.filter(item__group__standard_id=self.pk).exists()

    def check_editable(self) -> None:
        if self.is_frozen:
            raise StandardFrozen(
                _("The standard %(version)s is already used by expert scores and cannot be changed; "
                  "make a copy for a new version.") % {"version": self.version},
                code="frozen",
            )

    def check_parts_editable(self) -> None:
        if self.is_frozen:
            raise StandardFrozen(
                _("A frozen standard cannot take new items or changes to its items: %(version)s is already used by "
                  "expert scores. Make a copy for a new version.") % {"version": self.version},
                code="frozen",
            )

    RULE_FIELDS = ("pass_threshold", "min_experts", "divergence_levels")

    def _rule_changed(self) -> bool:
        old = Standard.objects.filter(pk=self.pk).values(*self.RULE_FIELDS).first() if self.pk else None
        return bool(old) and any(getattr(self, k) != v for k, v in old.items())

    def clean(self):
        if self._rule_changed():
            self.check_editable()

    def save(self, *args, **kwargs):
        """The decision rule of a frozen version never changes, whichever form or script saves it."""
        if self._rule_changed():
            self.check_editable()
        return super().save(*args, **kwargs)

    @classmethod
    def in_force(cls, on_date=None):
        """The version in force: the standard of the latest campaign that has opened (a re-review is made
        against it), else the newest version."""
        from django.utils import timezone

        from .campaigns import Campaign

        on_date = on_date or timezone.localdate()
        campaign = (Campaign.objects.exclude(status=Campaign.Status.PLANNED).filter(opens_on__lte=on_date)
                    .select_related("standard").order_by("-year").first())
        return campaign.standard if campaign else cls.objects.order_by("-created_at").first()

    def total_weight(self) -> Decimal:
        return sum((i.weight for i in StandardItem.objects.filter(group__standard=self)), Decimal(0))

    def full_level(self):
        return self.levels.order_by("-fraction").first()


class _StandardPart(models.Model):
    """Parts of a standard (groups, items, rating levels) refuse to be added, changed or deleted once the
    standard is frozen: checked on the model itself, so no admin form, direct POST or script gets around it."""

    class Meta:
        abstract = True

    def _standard(self):
        raise NotImplementedError

    def _standards(self) -> list:
        """The standard this part belongs to, and the one it belonged to before (if it is being moved)."""
        standards = [self._standard()]
        if self.pk:
            previous = type(self)._default_manager.filter(pk=self.pk).first()
            standards.append(previous._standard() if previous else None)
        return [s for s in standards if s is not None and s.pk]

    def check_editable(self) -> None:
        for standard in self._standards():
            standard.check_parts_editable()

    def clean(self):
        self.check_editable()

    def save(self, *args, **kwargs):
        self.check_editable()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_editable()
        return super().delete(*args, **kwargs)


class RatingLevel(_StandardPart):
    """A rating an expert may give an item: 符合 (1), 基本符合 (0.5), 不符合 (0)."""

    standard = ParentalKey(Standard, on_delete=models.CASCADE, related_name="levels", verbose_name=_("standard"))
    name = SingleLineModelField(_("name"), max_length=20)
    fraction = models.DecimalField(
        _("share of the item's weight"), max_digits=4, decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    comment_required = models.BooleanField(_("comment required"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        ordering = ["sort_order", "-fraction"]
        constraints = [models.UniqueConstraint(fields=["standard", "name"], name="showcase_level_unique_name")]

    def __str__(self) -> str:
        return self.name

    def _standard(self):
        return self.standard if self.standard_id else None

    @property
    def is_full(self) -> bool:
        return self.fraction >= 1


class StandardGroup(_StandardPart):
    """A group of items (创建项目), e.g. “1 企业诚信文化建设与社会责任”."""

    standard = ParentalKey(Standard, on_delete=models.CASCADE, related_name="groups", verbose_name=_("standard"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=100)

    class Meta:
        verbose_name = _("standard group")
        verbose_name_plural = _("standard groups")
        ordering = ["standard", "number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="showcase_group_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def _standard(self):
        return self.standard if self.standard_id else None


class StandardItem(_StandardPart):
    """An item the experts rate (验收标准), with the evidence it requires and its weight."""

    group = models.ForeignKey(StandardGroup, on_delete=models.CASCADE, related_name="items", verbose_name=_("group"))
    code = models.CharField(pgettext_lazy("showcase", "code"), max_length=10, help_text=_("For example 1.1 or 2.3a."))
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=200)
    evidence = models.TextField(_("evidence required"))
    weight = models.DecimalField(_("weight (points)"), max_digits=5, decimal_places=2)
    is_veto = models.BooleanField(
        _("veto item"), default=False,
        help_text=_("Must be rated at full marks by a majority of the scoring experts."),
    )
    entered_by_agency = models.BooleanField(
        _("entered by the agency"), default=False,
        help_text=_("The agency looks this record up and enters it; the unit uploads no evidence for it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["group__number", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="showcase_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def _standard(self):
        return self.group.standard if self.group_id else None


def items_of(standard) -> list[StandardItem]:
    """The items of a standard in order (one query)."""
    return list(
        StandardItem.objects.filter(group__standard=standard).select_related("group").order_by(
            "group__number", "sort_order", "code"
        )
    )
