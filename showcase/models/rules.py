"""The programme's configurable rules (notice, validity, reminders, ban, objection limits), one setting.

Every period the measures fix (L1353 notice 7 days, L1355 validity 2 years, L1361 ban 3 years) is
data the secretariat can change in Settings, read from here and only from here.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="pick")
class ShowcaseRules(BaseGenericSetting):
    """Notice, validity, reminder, ban and objection rules of the programme (defaults from the measures)."""

    notice_days = models.PositiveSmallIntegerField(
        _("public notice length (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A notice runs at least this many days, to the minute (L1353: 7 days); by default it ends "
                    "exactly then."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity of a title (years)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("From the acceptance date, or from the re-review decision date after a renewal (L1355)."),
    )
    expiry_reminder_days = models.CharField(
        _("expiry reminders (days before)"), max_length=50, default="90,30",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Comma-separated; the unit and the agency are told once at each. "
                    "The largest is also the “expiring” window."),
    )
    ban_years = models.PositiveSmallIntegerField(
        _("ban after a revocation (years)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    objections_per_address_hour = models.PositiveSmallIntegerField(
        _("objections per address and notice per hour"), default=3, validators=[MinValueValidator(1)],
    )
    objections_per_address_day = models.PositiveSmallIntegerField(
        _("objections per address and notice per day"), default=5, validators=[MinValueValidator(1)],
    )
    objections_per_notice_day = models.PositiveSmallIntegerField(
        _("confirmed objections per notice per day"), default=20, validators=[MinValueValidator(1)],
        help_text=_("Only objections confirmed with the code emailed to the objector count; unconfirmed ones "
                    "are still recorded."),
    )

    class Meta:
        verbose_name = _("demonstration unit rules")

    def reminder_days(self) -> list[int]:
        """Reminder offsets, largest first (e.g. [90, 30])."""
        days = {int(d) for d in str(self.expiry_reminder_days or "").split(",") if d.strip().isdigit() and int(d) > 0}
        return sorted(days, reverse=True) or [90, 30]

    def expiring_days(self) -> int:
        return self.reminder_days()[0]


def rules() -> ShowcaseRules:
    return ShowcaseRules.load()
