"""A mail server that refuses, hangs or answers, over real SMTP (deploy/fault_test.py's servers)."""

import importlib.util
import sys
from pathlib import Path

import pytest

from bench.common import free_port
from portal.core.mail import queue_email, retry_pending
from portal.core.models import OutboundEmail

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fault_test(monkeypatch):
    spec = importlib.util.spec_from_file_location("fault_test", ROOT / "deploy" / "fault_test.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "fault_test", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "SMTP_PORT", free_port())
    return module


@pytest.fixture
def smtp(settings, fault_test):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", fault_test.SMTP_PORT
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 0.5
    return fault_test


def test_stalled_mail_server_fails_the_send_after_email_timeout(db, smtp, django_capture_on_commit_callbacks):
    hung = smtp.HungSmtp()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            queue_email(to="a@example.com", subject="异议受理", body="已收到")
        queue_email(to="b@example.com", subject="提醒", body="会费")
        assert retry_pending() == 0  # stops at the first email the server leaves unanswered
    finally:
        hung.stop()
    first, second = OutboundEmail.objects.order_by("pk")
    assert (first.status, first.attempts, first.claimed_until) == ("pending", 2, None)
    assert "timed out" in first.last_error
    assert second.attempts == 0  # not tried: the server was already known to hang
    sink = smtp.SmtpSink()
    try:
        assert retry_pending() == 2
    finally:
        sink.stop()
    assert len(sink.messages) == 2
    assert "Subject: =?utf-8?b?" in sink.messages[0]


def test_refused_mail_server_leaves_the_email_queued(db, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to="a@example.com", subject="s", body="b")  # nothing listens on the port
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1)
    assert "refused" in email.last_error.lower()
