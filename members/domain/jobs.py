"""The daily membership job (`run_due_jobs`): tier changes, reminders and lapses (unpaid dues, no activity),
then the new year's dues.

Idempotent: every step checks what is already done, under a row lock, so a second run (or a second
server running it at the same time) changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from portal.core.audit import record

from ..models import DuesItem, DuesReminder, InactivityReminder, Membership
from .activity import activity_watch
from .common import email_unit, rules
from .dues import apply_tier_change, ensure_dues_items
from .lapse import lapse_for_inactivity, lapse_membership

Status = Membership.Status


@dataclass
class Case:
    """A membership the lapse rule may reach: when it lapses, and its lapse and reminder steps."""

    membership_id: int
    lapse_on: datetime.date  # the last day kept; it lapses the day after
    lapse: Callable[[], bool]
    reminded: Callable[[int], bool]
    remind: Callable[[int], bool]


def _remind_then_lapse(cases, *, today, reminder_days, dry_run, lapsed_ids) -> tuple[int, int]:
    """Send each case's due reminder (each kind once) or lapse it once its day has passed; (reminded, lapsed)."""
    reminded = lapsed = 0
    for case in cases:
        if case.membership_id in lapsed_ids:
            continue
        if today > case.lapse_on:
            if dry_run or case.lapse():
                lapsed += 1
            lapsed_ids.add(case.membership_id)
            continue
        days = reminder_due(today, case.lapse_on, reminder_days)
        if days is not None and (not case.reminded(days) if dry_run else case.remind(days)):
            reminded += 1
    return reminded, lapsed


def reminder_due(today: datetime.date, lapse_on: datetime.date, reminder_days) -> int | None:
    """The reminder (days before the lapse) whose day has come, the latest one; None before the first."""
    reached = [d for d in reminder_days if today >= lapse_on - datetime.timedelta(days=d)]
    return min(reached) if reached else None


def run_membership_jobs(*, today: datetime.date, dry_run: bool = False):
    """Tier changes, reminders and lapses (dues, activity), then the new year's dues; yields report lines."""
    the_rules = rules()
    year = the_rules.dues_year_of(today)

    # 1. Tier changes whose dues year has begun.
    due_tiers = Membership.objects.filter(status__in=[Status.ACTIVE, Status.LAPSED], next_tier__isnull=False,
                                          next_tier_from_year__lte=year)
    if dry_run:
        yield f"would apply {due_tiers.count()} tier change(s)"
    else:
        changed = 0
        for membership in due_tiers.select_related("tier", "next_tier"):
            apply_tier_change(membership=membership, today=today)
            changed += 1
        if changed:
            yield f"applied {changed} tier change(s)"

    # 2.–3. Reminders, then the lapse: for a dues year unpaid for a year, then for a year without activity.
    # Lapse first (before step 4), never bill a member that is not active.
    lapse_days = datetime.timedelta(days=the_rules.lapse_after_days)
    reminder_days = the_rules.reminder_days
    horizon = max(reminder_days or [0])
    lapsed_ids: set[int] = set()
    verb = "would " if dry_run else ""

    unpaid = (
        DuesItem.objects.filter(membership__status=Status.ACTIVE, paid__lt=F("amount"),
                                due_on__lte=today - lapse_days + datetime.timedelta(days=horizon))
        .select_related("membership__organisation")
        .order_by("due_on", "pk")
    )
    dues_cases = (
        Case(
            item.membership_id, item.due_on + lapse_days,
            lapse=lambda item=item: lapse_membership(
                membership=item.membership, today=today, dues_item=item,
                reason=_("Dues for %(year)s (%(amount)s yuan) unpaid for %(days)s days.")
                % {"year": item.year, "amount": item.outstanding, "days": the_rules.lapse_after_days}),
            reminded=lambda days, item=item: item.reminders.filter(days_before_lapse__lte=days).exists(),
            remind=lambda days, item=item: _send_reminder(item=item, days=days, today=today,
                                                          lapse_on=item.due_on + lapse_days),
        )
        for item in unpaid
    )
    reminded, lapsed = _remind_then_lapse(dues_cases, today=today, reminder_days=reminder_days, dry_run=dry_run,
                                          lapsed_ids=lapsed_ids)
    yield f"{verb}{'send' if dry_run else 'sent'} {reminded} dues reminder(s)"
    yield f"{verb}{'lapse' if dry_run else 'lapsed'} {lapsed} membership(s)"

    activity_cases = (
        Case(
            m.pk, lapse_on,
            lapse=lambda m=m: lapse_for_inactivity(membership=m, today=today),
            reminded=lambda days, m=m, lapse_on=lapse_on: m.inactivity_reminders.filter(
                lapse_on=lapse_on, days_before_lapse__lte=days).exists(),
            remind=lambda days, m=m, lapse_on=lapse_on: _send_inactivity_reminder(
                membership=m, days=days, today=today, lapse_on=lapse_on),
        )
        for m, _activity, lapse_on in activity_watch(today=today, the_rules=the_rules, within_days=horizon)
    )
    reminded, lapsed = _remind_then_lapse(activity_cases, today=today, reminder_days=reminder_days, dry_run=dry_run,
                                          lapsed_ids=lapsed_ids)
    yield f"{verb}{'send' if dry_run else 'sent'} {reminded} inactivity reminder(s)"
    yield f"{verb}{'lapse' if dry_run else 'lapsed'} {lapsed} membership(s) without activity"

    # 4. Dues items for the current dues year, for the memberships still active after step 3.
    missing = [
        pk for pk in Membership.objects.filter(status=Status.ACTIVE).exclude(dues_items__year=year)
        .values_list("pk", flat=True) if pk not in lapsed_ids  # (a dry run lapsed nobody)
    ]
    created = 0
    if not dry_run:
        for pk in missing:
            with transaction.atomic():
                m = Membership.objects.select_for_update(of=("self",)).select_related("tier", "next_tier").get(pk=pk)
                created += len(ensure_dues_items(membership=m, today=today, the_rules=the_rules))
    yield (f"would create dues items for {len(missing)} membership(s) for {year}" if dry_run
           else f"created {created} dues item(s) for {year}")


def _send_reminder(*, item: DuesItem, days: int, today: datetime.date, lapse_on: datetime.date) -> bool:
    with transaction.atomic():
        locked = DuesItem.objects.select_for_update().get(pk=item.pk)
        if locked.is_paid or locked.reminders.filter(days_before_lapse__lte=days).exists():
            return False
        DuesReminder.objects.create(dues_item=locked, days_before_lapse=days, sent_on=today)
        membership = item.membership
        record(locked, "members.dues.remind", data={"days": days, "member_number": membership.member_number})
        email_unit(membership.organisation,
                   _("Reminder: membership dues for %(year)s are unpaid") % {"year": item.year},
                   "members/email/dues_reminder.txt",
                   {"item": locked, "membership": membership, "lapse_on": lapse_on, "days": days})
    return True


def _send_inactivity_reminder(*, membership: Membership, days: int, today: datetime.date,
                              lapse_on: datetime.date) -> bool:
    with transaction.atomic():
        locked = Membership.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=membership.pk)
        if locked.status != Status.ACTIVE or locked.inactivity_reminders.filter(
                lapse_on=lapse_on, days_before_lapse__lte=days).exists():
            return False
        InactivityReminder.objects.create(membership=locked, lapse_on=lapse_on, days_before_lapse=days, sent_on=today)
        record(locked, "members.activity.remind", data={"days": days, "lapse_on": lapse_on.isoformat()})
        email_unit(locked.organisation, _("Reminder: your unit has taken part in no association activity this year"),
                   "members/email/inactivity_reminder.txt",
                   {"membership": locked, "lapse_on": lapse_on, "days": days})
    return True
