"""Emails that are sent only after the surrounding transaction commits.

Every email the portal sends goes through this outbox, allauth's included (sign-up
verification, password reset: portal.accounts.adapter hands them to `queue_message`):
`queue_email()` records an OutboundEmail row in the caller's transaction, the row is sent once
that transaction commits, and `run_due_jobs` retries whatever failed. With
`PORTAL_EMAIL_IN_BACKGROUND` (production) the send after commit runs on a background thread of
the process, so a slow or unreachable mail server never slows down or fails a request.

Sending never happens inside a transaction or under a row lock. `deliver()` claims the row in
a short transaction of its own (`select_for_update(skip_locked=True)`, `claimed_until` = now +
CLAIM), commits, talks to the mail server (bounded by `EMAIL_TIMEOUT`), then records the outcome.
Another process skips a claimed row instead of waiting for it, and a claim left by a process
that died mid-send expires, so a later retry sends the email: delivery is at least once, and
twice only if a sender outlives its claim.
"""

import datetime
import logging
import os
import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connections, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from .models import OutboundEmail
from .text import single_line

logger = logging.getLogger("portal.mail")
MAX_ATTEMPTS = 8
# Longer than any send can take with EMAIL_TIMEOUT per exchange with the server.
CLAIM = datetime.timedelta(minutes=5)
# The mail server refused, dropped or did not answer: the next email would fare no better.
SERVER_UNAVAILABLE = (ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def queue_email(*, to, subject: str, template: str | None = None, context: dict | None = None, body: str = "",
                html_body: str = ""):
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
    email = OutboundEmail.objects.create(to=recipients, subject=subject, body=body, html_body=html_body)
    transaction.on_commit(lambda: send_after_commit(email.pk))
    return email


def queue_message(message: EmailMessage) -> OutboundEmail:
    """Queue an already rendered message (allauth's) instead of sending it.

    Keeps the recipients, subject, text and HTML bodies; the sender is DEFAULT_FROM_EMAIL.
    """
    body, html_body = message.body, ""
    if message.content_subtype == "html":
        body, html_body = strip_tags(message.body), message.body
    for content, mimetype in getattr(message, "alternatives", ()):
        if mimetype == "text/html":
            html_body = content
    return queue_email(to=list(message.to), subject=str(message.subject), body=body, html_body=html_body)


def send_after_commit(pk: int) -> None:
    """Send a just-committed email now (or on the background thread); failures leave it queued."""
    if getattr(settings, "PORTAL_EMAIL_IN_BACKGROUND", False):
        _background().submit(_deliver_in_background, pk)
        return
    try:
        deliver(pk)
    except Exception:
        logger.exception("email %s: send after commit failed, left for the retry", pk)


def _only_person(recipients: list[str]):
    """The account of the one person an email goes to (its greeting names them), or None."""
    if len(recipients) != 1:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=recipients[0], is_active=True).first()


def deliver(pk: int) -> bool:
    """Try to send one queued email; leave it pending on failure (retried later).

    Call it outside any transaction (after commit, from a scheduled job). Returns whether it
    was sent; False also when another process holds it or it is no longer pending.
    """
    email = _claim(OutboundEmail.objects.filter(pk=pk))
    return email is not None and _send(email) == "sent"


def retry_pending(*, dry_run: bool = False) -> int:
    """Resend pending emails (a scheduled job). Returns how many were sent.

    Rows another process is sending are skipped; the run stops at the first email the mail
    server refuses or leaves unanswered, keeping the rest for the next run.
    """
    if dry_run:
        return _due(OutboundEmail.objects.all(), timezone.now()).count()
    sent, tried = 0, []
    while (email := _claim(OutboundEmail.objects.exclude(pk__in=tried))) is not None:
        tried.append(email.pk)
        outcome = _send(email)
        if outcome == "sent":
            sent += 1
        elif outcome == "unavailable":
            logger.warning("mail server unavailable; pending emails are left for the next run")
            break
    return sent


def _due(queryset, now):
    return queryset.filter(status=OutboundEmail.Status.PENDING).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def _claim(candidates) -> OutboundEmail | None:
    """The oldest due email among `candidates`, claimed for CLAIM (committed before sending)."""
    now = timezone.now()
    with transaction.atomic():
        email = (
            _due(candidates, now).select_for_update(skip_locked=True).order_by("created_at", "pk").first()
        )
        if email is None:
            return None
        email.attempts += 1
        email.claimed_until = now + CLAIM
        email.save(update_fields=["attempts", "claimed_until"])
    return email


def _send(email: OutboundEmail) -> str:
    """Send a claimed email outside any transaction: "sent", "failed" or "unavailable"."""
    message = EmailMultiAlternatives(email.subject, email.body, None, email.to)
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    rows = OutboundEmail.objects.filter(pk=email.pk)
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport error keeps it queued
        logger.warning("email %s failed (attempt %s): %s", email.pk, email.attempts, exc)
        status = OutboundEmail.Status.FAILED if email.attempts >= MAX_ATTEMPTS else OutboundEmail.Status.PENDING
        rows.update(status=status, last_error=str(exc)[:2000] or type(exc).__name__, claimed_until=None)
        return "unavailable" if isinstance(exc, SERVER_UNAVAILABLE) else "failed"
    rows.update(status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="", claimed_until=None)
    return "sent"


# -- the background sender (one thread per process) ------------------------------------------------

_executor: ThreadPoolExecutor | None = None
_executor_pid = None
_executor_lock = threading.Lock()


def _background() -> ThreadPoolExecutor:
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():  # none yet, or inherited through fork
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-mail")
            _executor_pid = os.getpid()
        return _executor


def _deliver_in_background(pk: int) -> None:
    try:
        deliver(pk)
    except Exception:
        logger.exception("email %s: background send failed, left for the retry", pk)
    finally:
        connections.close_all()  # this thread's connections only


def wait_for_background_sends(timeout: float = 30) -> None:
    """Block until the emails handed to the background thread so far are done (tests, shutdown)."""
    if _executor is not None and _executor_pid == os.getpid():
        _executor.submit(lambda: None).result(timeout=timeout)


class OutboxAccountAdapterMixin:
    """For allauth's account adapter: its emails (verification, password reset, notices) go
    through the outbox like every other email, so a mail server that is down or hung neither
    fails sign-up nor loses the verification email (it is sent by the next retry)."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        queue_message(self.render_mail(template_prefix, email, ctx))
