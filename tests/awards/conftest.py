"""Fixtures for the titles: accepted applications (written directly), notices, titles, a tiny PDF."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from showcase.models import Application, ApplicationEvent, Campaign, ReviewRound, Standard

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(*args) -> datetime.datetime:
    """An aware Beijing-time datetime: at(2026, 3, 2, 9, 30)."""
    return datetime.datetime(*args, tzinfo=TZ)


def pdf_upload(name="report.pdf"):
    from portal.core.pdf import paragraph, render_document

    return ContentFile(render_document([paragraph("跟踪评估报告")], title="报告"), name=name)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def standard(db):
    return Standard.objects.get(version="2019版")


@pytest.fixture
def campaign(standard, secretariat):
    return Campaign.objects.create(year=2024, title="2024年度创建活动", opens_on=datetime.date(2024, 1, 1),
                                   deadline=datetime.date(2024, 6, 30), standard=standard,
                                   status=Campaign.Status.CLOSED)


@pytest.fixture
def make_accepted(campaign, secretariat):
    """An application of `org` accepted by the panel on `accepted_on` (initial round decided)."""

    def make(org, accepted_on=datetime.date(2024, 11, 20), *, submitted_on=None):
        app = Application.objects.create(
            campaign=campaign, organisation=org, created_by=secretariat, status=Application.Status.ACCEPTED,
            number=f"SF2024{org.pk:04d}", unit_name=org.name, credit_code=org.credit_code,
            legal_representative=org.legal_representative, established_on=org.established_on,
            contact_email=org.email, submitted_at=timezone.make_aware(
                datetime.datetime.combine(submitted_on or accepted_on - datetime.timedelta(days=100),
                                          datetime.time(10))))
        review_round = ReviewRound(application=app, standard=campaign.standard, opened_by=secretariat,
                                   opened_at=timezone.make_aware(datetime.datetime.combine(
                                       accepted_on - datetime.timedelta(days=20), datetime.time(10))),
                                   report_name="report.pdf", result=ReviewRound.Result.ACCEPTED,
                                   decided_on=accepted_on, decided_by=secretariat,
                                   status=ReviewRound.Status.DECIDED)
        review_round.report.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        review_round.save()
        ApplicationEvent.objects.create(application=app, kind=ApplicationEvent.Kind.DECIDED,
                                        created_at=timezone.make_aware(datetime.datetime.combine(accepted_on,
                                                                                                 datetime.time(15))))
        return app

    return make


@pytest.fixture
def publish(secretariat):
    from showcase.awards import domain

    def do(applications, starts_at, ends_at=None, now=None):
        return domain.publish_notice(applications=applications, user=secretariat, title="2024年度验收结果公示",
                                     starts_at=starts_at, ends_at=ends_at, now=now or starts_at)

    return do


@pytest.fixture
def awarded(make_accepted, publish):
    """A title for `org`, accepted on `accepted_on`, through a notice that has run its course."""
    from showcase.awards import domain
    from showcase.awards.models import Title

    def make(org, accepted_on=datetime.date(2024, 11, 20)):
        app = make_accepted(org, accepted_on)
        start = at(accepted_on.year, accepted_on.month, accepted_on.day, 9, 0) + datetime.timedelta(days=5)
        notice = publish([app], start)
        list(domain.process_notices(now=notice.ends_at))
        return Title.objects.get(application=app)

    return make


def said(refused) -> str:
    """Everything a refused step says to the user (its message and its problems), from `pytest.raises`."""
    return " ".join(refused.value.messages_for_user)
