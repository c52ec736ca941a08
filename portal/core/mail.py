"""Emails that are sent only after the surrounding transaction commits."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail
from .text import single_line

logger = logging.getLogger("portal.mail")
MAX_ATTEMPTS = 8


def queue_email(*, to, subject: str, template: str | None = None, context: dict | None = None, body: str = ""):
    """Record an email and send it once the current transaction commits.

    `template` is rendered with `context` (plain text) unless `body` is given; it starts with
    core/email/greeting.txt, which greets `recipient` (the one person the email goes to, found here) or the
    `greeting_name` the template gives, and ends with core/email/signature.txt. The subject is
    put on one line (names in it may come from data entered before they were normalised: a
    line break would make the email unsendable). Returns the OutboundEmail row.
    """
    subject = single_line(str(subject))[: OutboundEmail._meta.get_field("subject").max_length]
    recipients = [to] if isinstance(to, str) else [r for r in to if r]
    if template:
        context = {"site_url": settings.SITE_URL, **(context or {})}
        context.setdefault("recipient", _only_person(recipients))
        body = render_to_string(template, context)
    email = OutboundEmail.objects.create(to=recipients, subject=subject, body=body)
    transaction.on_commit(lambda: deliver(email.pk))
    return email


def _only_person(recipients: list[str]):
    """The account of the one person an email goes to (its greeting names them), or None."""
    if len(recipients) != 1:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=recipients[0], is_active=True).first()


def deliver(pk: int) -> bool:
    """Try to send one queued email; leave it pending on failure (retried later)."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=pk, status=OutboundEmail.Status.PENDING).first()
        if email is None:
            return False
        email.attempts += 1
        try:
            send_mail(email.subject, email.body, None, email.to, fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any transport error keeps it queued
            logger.warning("email %s failed (attempt %s): %s", pk, email.attempts, exc)
            email.last_error = str(exc)[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            return False
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def retry_pending(*, dry_run: bool = False) -> int:
    """Resend pending emails (a scheduled job). Returns how many were sent."""
    ids = list(OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    return sum(1 for pk in ids if deliver(pk))
