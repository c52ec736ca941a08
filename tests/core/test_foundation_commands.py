"""load_demo, run_due_jobs and the after-commit email queue."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from wagtail import hooks

from portal.accounts.roles import Role
from portal.core.mail import queue_email, retry_pending
from portal.core.models import HomePage, OutboundEmail


def test_load_demo_is_idempotent_and_prints_accounts(db, django_user_model):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    users = django_user_model.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert django_user_model.objects.count() == users
    assert HomePage.objects.count() == 1
    printed = out.getvalue()
    for local_part in ("editor", "chief", "secretariat", "council", "agency", "expert", "firm-a", "firm-b"):
        assert f"{local_part}@demo.zjxyxh.org" in printed
    for role in Role:
        assert django_user_model.objects.filter(groups__name=str(role)).exists()


def test_load_demo_refuses_production_settings(db, settings):
    settings.SETTINGS_MODULE = "portal.settings.production"
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())


def test_run_due_jobs_rejects_bad_date(db):
    with pytest.raises(CommandError):
        call_command("run_due_jobs", today="2026-02-30", stdout=io.StringIO())


def test_run_due_jobs_runs_registered_jobs_with_the_given_day(db):
    seen = []

    def job(today, dry_run):
        seen.append((today.isoformat(), dry_run))
        yield "did something"

    out = io.StringIO()
    with hooks.register_temporarily("register_due_jobs", job):
        call_command("run_due_jobs", today="2027-01-01", dry_run=True, stdout=out)
    assert seen == [("2027-01-01", True)]
    assert "[job] did something" in out.getvalue()


def test_email_is_sent_only_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to="a@example.com", subject="审批结果", body="已通过")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["审批结果"]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_failed_email_stays_queued_and_is_retried(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.core.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=["a@example.com"], subject="提醒", body="会费")
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING and email.attempts == 1 and "refused" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("run_due_jobs", stdout=io.StringIO())
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 2
    assert retry_pending() == 0
