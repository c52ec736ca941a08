"""The membership rules the secretariat configures (dues year, reminders, lapses, council quorum and majority)."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="cog")
class MembershipRules(BaseGenericSetting):
    """Dues and lapse rules (defaults from 入会须知 and SPEC §2), editable by the secretariat."""

    dues_year_start_month = models.PositiveSmallIntegerField(
        _("dues year starts in month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 = calendar years."),
    )
    charge_joining_year_in_full = models.BooleanField(
        _("charge the joining year in full"), default=True,
        help_text=_("Otherwise the joining year is charged for the remaining months only."),
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("first reminder (days before a lapse)"), default=60,
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("second reminder (days before a lapse)"), default=30,
    )
    lapse_after_days = models.PositiveSmallIntegerField(
        _("lapse when a dues year is unpaid for (days)"), default=365,
    )
    inactivity_days = models.PositiveSmallIntegerField(
        _("lapse when a member takes part in no activity for (days)"), default=365,
        help_text=_("Activity: attended association events and what the secretariat records by hand. The same "
                    "reminders as for unpaid dues are sent before."),
    )
    # Council decisions (admission, expulsion): defaults from the civil-affairs model charter for social
    # organisations (two thirds of the council present, two thirds of those present in favour).
    council_size = models.PositiveSmallIntegerField(
        _("council members"), default=0,
        help_text=_("0 = the number of active accounts holding the council role."),
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=2,
                                                        validators=[MinValueValidator(1)])
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: denominator"), default=3, validators=[MinValueValidator(1)],
        help_text=_("A council meeting decides when at least this fraction of the council is present."),
    )
    majority_numerator = models.PositiveSmallIntegerField(_("majority: numerator"), default=2,
                                                          validators=[MinValueValidator(1)])
    majority_denominator = models.PositiveSmallIntegerField(
        _("majority: denominator"), default=3, validators=[MinValueValidator(1)],
        help_text=_("A resolution is adopted when at least this fraction of the members present vote for it."),
    )

    # What the application form shows (issue #14.6): the charter the unit accepts and the letter's template.
    charter_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("charter page"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("The page with the association's charter (章程), linked from the application form."),
    )
    application_template = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("application letter template"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The 入会申请书 template units download, sign, stamp and upload."),
    )

    class Meta:
        verbose_name = _("membership rules")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.quorum_numerator > self.quorum_denominator:
            errors["quorum_numerator"] = _("A fraction of at most 1.")
        if self.majority_numerator > self.majority_denominator:
            errors["majority_numerator"] = _("A fraction of at most 1.")
        if errors:
            raise ValidationError(errors)

    def current_council_size(self) -> int:
        """The council's size: the setting, or the active accounts holding the council role."""
        if self.council_size:
            return self.council_size
        from django.contrib.auth import get_user_model

        from portal.accounts.roles import Role

        return get_user_model().objects.filter(groups__name=str(Role.COUNCIL), is_active=True).distinct().count()

    def quorum(self, council_size: int) -> int:
        """Members who must be present: ⌈numerator / denominator × council size⌉."""
        return -(-self.quorum_numerator * council_size // self.quorum_denominator)

    def majority(self, present: int) -> int:
        """Votes for a resolution needs: ⌈numerator / denominator × members present⌉."""
        return -(-self.majority_numerator * present // self.majority_denominator)

    @property
    def reminder_days(self) -> list[int]:
        return sorted({d for d in (self.first_reminder_days, self.second_reminder_days) if d}, reverse=True)

    def dues_year_of(self, day: datetime.date) -> int:
        """The dues year (named by the calendar year it starts in) that contains `day`."""
        return day.year if day.month >= self.dues_year_start_month else day.year - 1

    def dues_year_start(self, year: int) -> datetime.date:
        return datetime.date(year, self.dues_year_start_month, 1)

    def dues_year_end(self, year: int) -> datetime.date:
        return self.dues_year_start(year + 1) - datetime.timedelta(days=1)
