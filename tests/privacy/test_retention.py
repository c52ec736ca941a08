"""Retention: `run_due_jobs` deletes or anonymises what is past its period, once, and says what it did."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from portal.accounts.roles import Role
from portal.core.models import OutboundEmail
from portal.privacy.models import RetentionRules

TODAY = datetime.date(2026, 6, 30)


def run_jobs(day=TODAY, *extra) -> str:
    out = StringIO()
    call_command("run_due_jobs", *extra, today=day.isoformat(), stdout=out)
    return out.getvalue()


def _privacy_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("[privacy]")]


def _aware(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def accounts(make_user, django_user_model):
    """Accounts signed up on various days; only `stale` is unconfirmed, older than 30 days and without a role."""
    def joined(user, day):
        django_user_model.objects.filter(pk=user.pk).update(date_joined=_aware(day))
        return user

    return {
        "stale": joined(make_user(email="stale@example.com", verified=False), datetime.date(2026, 5, 30)),
        "recent": joined(make_user(email="recent@example.com", verified=False), datetime.date(2026, 6, 1)),
        "confirmed": joined(make_user(email="confirmed@example.com"), datetime.date(2025, 1, 1)),
        "with_role": joined(make_user(Role.EXPERT, email="expert-new@example.com", verified=False),
                            datetime.date(2025, 1, 1)),
        # created by staff in the admin: no address to confirm at all
        "by_staff": joined(django_user_model.objects.create_user("staffmade", "staffmade@example.com", "x-42-pass"),
                           datetime.date(2025, 1, 1)),
    }


@pytest.fixture
def emails():
    def make(day, status, to=("firm@example.com",)):
        email = OutboundEmail.objects.create(to=list(to), subject="通知", body="陈小明您好……", status=status)
        sent_at = _aware(day) if status == OutboundEmail.Status.SENT else None
        OutboundEmail.objects.filter(pk=email.pk).update(created_at=_aware(day), sent_at=sent_at)
        return email

    return {
        "old_sent": make(datetime.date(2025, 12, 1), OutboundEmail.Status.SENT),
        "old_failed": make(datetime.date(2025, 11, 1), OutboundEmail.Status.FAILED),
        "old_pending": make(datetime.date(2025, 11, 1), OutboundEmail.Status.PENDING),
        "recent_sent": make(datetime.date(2026, 6, 1), OutboundEmail.Status.SENT),
    }


@pytest.fixture
def rejected(make_organisation, make_user):
    """Programme applications rejected 3 years and a day ago / 2 years ago, and one accepted long ago."""
    from showcase.models import Application, ApplicationEvent, Campaign, Standard

    campaign = Campaign.objects.create(year=2022, title="2022年度", opens_on=datetime.date(2022, 1, 1),
                                       deadline=datetime.date(2022, 6, 30),
                                       standard=Standard.objects.get(version="2019版"), status=Campaign.Status.CLOSED)
    user = make_user()

    def make(n, status, kind, day):
        app = Application.objects.create(
            campaign=campaign, organisation=make_organisation(), created_by=user, status=status,
            number=f"SF2022{n:04d}", unit_name="某公司", contact_person="陈小明", contact_phone="13800000001",
            contact_email="xiaoming@example.com")
        ApplicationEvent.objects.create(application=app, kind=kind, created_at=_aware(day))
        return app

    return {
        "old": make(1, Application.Status.REJECTED, ApplicationEvent.Kind.REJECTED, datetime.date(2023, 6, 29)),
        "not_accepted": make(2, Application.Status.NOT_ACCEPTED, ApplicationEvent.Kind.DECIDED,
                             datetime.date(2023, 1, 5)),
        "young": make(3, Application.Status.REJECTED, ApplicationEvent.Kind.REJECTED, datetime.date(2024, 6, 30)),
        "accepted": make(4, Application.Status.ACCEPTED, ApplicationEvent.Kind.DECIDED, datetime.date(2022, 11, 1)),
    }


def _state(accounts, emails, rejected):
    from showcase.models import Application

    users = set(get_user_model().objects.values_list("email", flat=True))
    mails = {k: tuple(OutboundEmail.objects.filter(pk=e.pk).values_list("body", "to", "subject").get())
             for k, e in emails.items()}
    apps = {k: tuple(Application.objects.filter(pk=a.pk).values_list("contact_person", "contact_phone",
                                                                     "contact_email").get())
            for k, a in rejected.items()}
    return users, mails, apps


def test_retention_job_runs_twice_with_one_effect(accounts, emails, rejected):
    first = _privacy_lines(run_jobs())
    assert first == [
        "[privacy] deleted 1 account(s) whose email was never confirmed",
        "[privacy] cleared the text and recipients of 2 email(s)",
        "[privacy] anonymised the contact details of 2 rejected application(s)",
    ]
    users, mails, apps = after = _state(accounts, emails, rejected)
    assert "stale@example.com" not in users
    assert {"recent@example.com", "confirmed@example.com", "expert-new@example.com", "staffmade@example.com"} <= users
    assert mails["old_sent"] == ("", [], "通知") and mails["old_failed"] == ("", [], "通知")
    assert mails["old_pending"] == ("陈小明您好……", ["firm@example.com"], "通知")  # still to be sent
    assert mails["recent_sent"] == ("陈小明您好……", ["firm@example.com"], "通知")
    assert apps["old"] == apps["not_accepted"] == ("（已匿名）", "", "")
    assert apps["young"] == apps["accepted"] == ("陈小明", "13800000001", "xiaoming@example.com")

    assert _privacy_lines(run_jobs()) == []
    assert _state(accounts, emails, rejected) == after


def test_dry_run_reports_and_changes_nothing(accounts, emails, rejected):
    before = _state(accounts, emails, rejected)
    assert _privacy_lines(run_jobs(TODAY, "--dry-run")) == [
        "[privacy] would delete 1 account(s) whose email was never confirmed",
        "[privacy] would clear the text and recipients of 2 email(s)",
        "[privacy] would anonymise the contact details of 2 rejected application(s)",
    ]
    assert _state(accounts, emails, rejected) == before


def test_periods_are_settings(accounts, emails, rejected):
    rules = RetentionRules.load()
    rules.unverified_account_days = 60
    rules.outbound_email_days = 365
    rules.rejected_application_contact_days = 5 * 365
    rules.save()
    assert _privacy_lines(run_jobs()) == []
    rules.unverified_account_days = 10
    rules.save()
    assert _privacy_lines(run_jobs()) == ["[privacy] deleted 2 account(s) whose email was never confirmed"]


def test_defaults_are_the_documented_ones(db):
    rules = RetentionRules.load()
    assert (rules.objector_contact_days, rules.rejected_application_contact_days, rules.unverified_account_days,
            rules.outbound_email_days) == (365, 1095, 30, 180)
