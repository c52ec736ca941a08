"""Participation in the association's activities (the activity rule reads it with attended events)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField
from portal.organisations.models import Organisation

from .memberships import Membership


class ActivityRecord(models.Model):
    """A unit's participation in an association activity that the secretariat records by hand.

    Attended events (`portal.services`) count on their own; this covers meetings, forums, trainings and
    other work the association runs outside the events module. The activity rule (a year without any
    lapses the membership) reads both.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        FORUM = "forum", _("Forum or salon")
        ENTRUSTED_WORK = "work", _("Work entrusted by the association")
        OTHER = "other", _("Other activity")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="activity_records",
                                     verbose_name=_("organisation"))
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind of activity"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    title = SingleLineModelField(_("activity"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["organisation", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.organisation} {self.title}"


class InactivityReminder(models.Model):
    """A reminder that a membership will lapse for want of activity (each kind once per lapse date)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="inactivity_reminders",
                                   verbose_name=_("membership"))
    lapse_on = models.DateField(_("lapses after"))
    days_before_lapse = models.PositiveSmallIntegerField(_("days before lapse"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("inactivity reminder")
        verbose_name_plural = _("inactivity reminders")
        constraints = [
            models.UniqueConstraint(fields=["membership", "lapse_on", "days_before_lapse"],
                                    name="one_inactivity_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.membership} −{self.days_before_lapse} ({self.lapse_on})"
