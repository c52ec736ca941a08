"""Retention: personal information past its period (the `RetentionRules` setting) is anonymised or deleted.

`run_retention` is privacy's scheduled rule (`run_due_jobs`). It handles what privacy owns (accounts whose
email was never confirmed, the text of emails sent), asks every process to do its own through the
`retention_jobs` hook, and completes account cancellations whose open matters have ended. Every step
selects only rows not yet done and re-checks them under a row lock, so a second run (or a second server)
changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from wagtail import hooks

from portal.core.models import OutboundEmail

from .cancellation import complete_due
from .hooks import RETENTION
from .models import RetentionRules

# What a personal field says once its retention period is over (stored data, the same in every language).
ANONYMISED = "（已匿名）"


def cutoff(today: datetime.date, days: int) -> datetime.datetime:
    """The start (Beijing time) of the day `days` before `today`: what is older is past its period."""
    return timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min))


def run_retention(*, today: datetime.date, dry_run: bool = False):
    rules = RetentionRules.load()
    yield from delete_unverified_accounts(today=today, days=rules.unverified_account_days, dry_run=dry_run)
    yield from clear_sent_emails(today=today, days=rules.outbound_email_days, dry_run=dry_run)
    for fn in hooks.get_hooks(RETENTION):
        yield from fn(today=today, dry_run=dry_run, rules=rules) or []
    yield from complete_due(dry_run=dry_run)


def unverified_accounts(before: datetime.datetime):
    """Self-registered accounts that never confirmed their email (so never logged in) and hold no role.

    Accounts created by staff have no unconfirmed address and are never touched."""
    return (
        get_user_model().objects
        .filter(date_joined__lt=before, last_login__isnull=True, is_staff=False, is_superuser=False,
                groups__isnull=True, emailaddress__isnull=False)
        .exclude(emailaddress__verified=True)
        .distinct()
    )


def delete_unverified_accounts(*, today, days: int, dry_run: bool = False):
    before = cutoff(today, days)
    ids = list(unverified_accounts(before).values_list("pk", flat=True))
    if dry_run:
        if ids:
            yield f"would delete {len(ids)} account(s) whose email was never confirmed"
        return
    deleted = 0
    for pk in ids:
        with transaction.atomic():
            user = get_user_model().objects.select_for_update().filter(pk=pk).first()
            if user is None or not unverified_accounts(before).filter(pk=pk).exists():  # re-checked under the lock
                continue
            try:
                with transaction.atomic():
                    user.delete()
            except ProtectedError:  # records refer to it after all: leave it to a person
                continue
            deleted += 1
    if deleted:
        yield f"deleted {deleted} account(s) whose email was never confirmed"


def sent_emails_to_clear(before: datetime.datetime):
    """Sent before `before` (or given up on, counted from when they were queued), not cleared yet."""
    not_cleared = ~Q(body="") | ~Q(to=[])
    old = Q(sent_at__lt=before) | Q(sent_at__isnull=True, created_at__lt=before)
    return OutboundEmail.objects.filter(not_cleared, old).exclude(status=OutboundEmail.Status.PENDING)


def clear_sent_emails(*, today, days: int, dry_run: bool = False):
    """Sent (or given-up) emails keep their subject and dates; their text and recipients go."""
    before = cutoff(today, days)
    if dry_run:
        count = sent_emails_to_clear(before).count()
    else:
        with transaction.atomic():
            ids = list(sent_emails_to_clear(before).select_for_update().values_list("pk", flat=True))
            count = OutboundEmail.objects.filter(pk__in=ids).update(body="", to=[])
    if count:
        yield f"{'would clear' if dry_run else 'cleared'} the text and recipients of {count} email(s)"
