import datetime
import re
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.core.models import OutboundEmail
from portal.core.workflow import WorkflowError
from showcase.awards import domain
from showcase.awards.models import Notice, Objection, Title

from .conftest import at, pdf_upload, said

pytestmark = pytest.mark.django_db


def run_jobs(day: datetime.date) -> str:
    out = StringIO()
    call_command("run_due_jobs", today=day.isoformat(), stdout=out)
    return out.getvalue()


def objection_data(entry, **extra):
    data = {"entry": entry.pk, "name": "王五", "phone": "13800000000", "email": "wang@example.com",
            "relationship": "customer", "content": "该单位拖欠货款，有法院判决书为证。"}
    data.update(extra)
    return data


# ---------------------------------------------------------------- publishing and the job


def test_publish_notice_through_admin_defaults_to_seven_days_to_the_minute(client_for, secretariat, firm_a, firm_b,
                                                                            make_accepted):
    a, b = make_accepted(firm_a), make_accepted(firm_b)
    client = client_for(secretariat)
    start = timezone.localtime() + datetime.timedelta(days=1)
    response = client.post(reverse("awards_admin:notice_create"), {
        "title": "2024年度信用示范会员单位公示", "body": "",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M:%S"), "ends_at": "", "applications": [a.pk, b.pk]})
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert notice.entries.count() == 2
    assert notice.starts_at == start.replace(second=0, microsecond=0)
    assert notice.ends_at - notice.starts_at == datetime.timedelta(days=7)
    assert notice.opened_at is None  # not started yet


def test_publish_notice_refuses_unaccepted_and_double_publication(secretariat, firm_a, make_accepted, publish):
    app = make_accepted(firm_a)
    publish([app], at(2024, 12, 1, 9, 0))
    with pytest.raises(WorkflowError) as refused:
        publish([app], at(2024, 12, 9, 9, 0))
    assert "已在公示中" in said(refused)


def test_notice_admin_wrong_role_is_refused(client_for, agency, firm_a):
    response = client_for(agency).get(reverse("awards_notices:index"))
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's answer to PermissionDenied
    assert client_for(agency).get(reverse("awards_titles:index")).status_code == 200


def test_job_opens_and_closes_notice_on_its_days_and_awards_unobjected_unit(secretariat, firm_a, make_accepted,
                                                                            publish):
    app = make_accepted(firm_a, datetime.date(2026, 2, 20))
    notice = publish([app], at(2026, 3, 2, 9, 30), now=at(2026, 3, 1, 12, 0))
    run_jobs(datetime.date(2026, 3, 1))
    notice.refresh_from_db()
    assert notice.opened_at is None
    run_jobs(datetime.date(2026, 3, 2))
    notice.refresh_from_db()
    assert notice.opened_at is not None and notice.closed_at is None
    assert OutboundEmail.objects.filter(subject__contains=notice.title).count() == 1  # unit told it is in notice
    run_jobs(datetime.date(2026, 3, 8))
    notice.refresh_from_db()
    assert notice.closed_at is None
    assert not Title.objects.exists()
    out = run_jobs(datetime.date(2026, 3, 9))
    notice.refresh_from_db()
    assert notice.closed_at is not None
    title = Title.objects.get()
    assert "awarded" in out
    assert title.certificate_number == "XYSF-2026-001"
    assert (title.accepted_on, title.valid_from, title.valid_until) == (
        datetime.date(2026, 2, 20), datetime.date(2026, 2, 20), datetime.date(2028, 2, 20))
    run_jobs(datetime.date(2026, 3, 9))  # idempotent
    assert Title.objects.count() == 1


def test_notice_closes_to_the_minute(firm_a, make_accepted, publish):
    app = make_accepted(firm_a)
    notice = publish([app], at(2024, 12, 2, 9, 30))
    assert notice.ends_at == at(2024, 12, 9, 9, 30)
    list(domain.process_notices(now=at(2024, 12, 9, 9, 29)))
    notice.refresh_from_db()
    assert notice.closed_at is None and not Title.objects.exists()
    list(domain.process_notices(now=at(2024, 12, 9, 9, 30)))
    notice.refresh_from_db()
    assert notice.closed_at == at(2024, 12, 9, 9, 30)
    assert Title.objects.filter(application=app).exists()


def test_objection_window_is_to_the_minute(firm_a, make_accepted, publish):
    entry = publish([make_accepted(firm_a)], at(2024, 12, 2, 9, 30)).entries.get()
    kwargs = {"entry": entry, "name": "王五", "phone": "13800000000", "relationship": "customer", "content": "内容"}
    with pytest.raises(WorkflowError) as refused:
        domain.submit_objection(now=at(2024, 12, 2, 9, 29), **kwargs)
    assert "公示尚未开始" in said(refused)
    assert domain.submit_objection(now=at(2024, 12, 9, 9, 29), **kwargs).number == "YY-2024-0001"
    with pytest.raises(WorkflowError) as refused:
        domain.submit_objection(now=at(2024, 12, 9, 9, 30), **kwargs)
    assert "不再受理异议" in said(refused)


# ---------------------------------------------------------------- public pages and the objection form


def test_objection_form_gives_acknowledgement_number_and_email(client, firm_a, make_accepted, publish):
    now = timezone.now()
    notice = publish([make_accepted(firm_a)], now - datetime.timedelta(hours=1))
    entry = notice.entries.get()
    evidence = SimpleUploadedFile("判决书.pdf", pdf_upload().read(), content_type="application/pdf")
    response = client.post(reverse("awards:notice", args=[notice.pk]), {**objection_data(entry), "evidence": evidence})
    assert response.status_code == 302
    objection = Objection.objects.get()
    number = f"YY-{timezone.localdate().year}-0001"
    assert objection.number == number and objection.status == Objection.Status.OPEN
    assert objection.evidence_name == "判决书.pdf"
    page = client.get(response["Location"])
    assert number in page.content.decode()
    assert OutboundEmail.objects.filter(to=["wang@example.com"], subject__contains=number).exists()


def test_objection_form_errors_are_clear(client, firm_a, make_accepted, publish):
    now = timezone.now()
    notice = publish([make_accepted(firm_a)], now - datetime.timedelta(hours=1))
    entry = notice.entries.get()
    response = client.post(reverse("awards:notice", args=[notice.pk]),
                           objection_data(entry, phone="", email="", content=""))
    assert response.status_code == 400
    assert not Objection.objects.exists()
    html = response.content.decode()
    assert "请提供电话或电子邮箱，以便我们与您联系。" in html


def test_objection_refused_after_the_notice(client, firm_a, make_accepted, publish):
    now = timezone.now()
    notice = publish([make_accepted(firm_a)], now - datetime.timedelta(days=8), now=now - datetime.timedelta(days=8))
    response = client.post(reverse("awards:notice", args=[notice.pk]), objection_data(notice.entries.get()))
    assert response.status_code == 409
    assert not Objection.objects.exists()


def test_objection_rate_limited_per_address_and_per_notice(client, firm_a, make_accepted, publish):
    now = timezone.now()
    notice = publish([make_accepted(firm_a)], now - datetime.timedelta(hours=1))
    entry = notice.entries.get()
    url = reverse("awards:notice", args=[notice.pk])
    for _i in range(3):
        assert client.post(url, objection_data(entry), REMOTE_ADDR="10.0.0.1").status_code == 302
    response = client.post(url, objection_data(entry), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert Objection.objects.count() == 3
    # another address may still file; the notice's daily ceiling counts only confirmed objections
    # (tests/awards/test_objection_flood.py)
    assert client.post(url, objection_data(entry), REMOTE_ADDR="10.0.0.2").status_code == 302
    assert Objection.objects.count() == 4


# ---------------------------------------------------------------- held, dismissed, upheld


def _objected(firm, make_accepted, publish):
    notice = publish([make_accepted(firm)], at(2024, 12, 2, 9, 30))
    objection = domain.submit_objection(entry=notice.entries.get(), name="王五", phone="13800000000",
                                        email="wang@example.com", relationship="competitor", content="虚假宣传",
                                        now=at(2024, 12, 3, 10, 0))
    list(domain.process_notices(now=at(2024, 12, 9, 9, 30)))
    return notice, objection


def test_objected_unit_is_held_then_awarded_when_dismissed(client_for, secretariat, firm_a, make_accepted, publish):
    notice, objection = _objected(firm_a, make_accepted, publish)
    assert not Title.objects.exists()
    list(domain.process_notices(now=at(2024, 12, 20, 9, 0)))
    assert not Title.objects.exists()  # still held
    response = client_for(secretariat).post(reverse("awards_admin:objection", args=[objection.pk]),
                                            {"outcome": "dismissed", "reason": "经核查，所述情况与事实不符。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED
    assert Title.objects.filter(application__organisation=firm_a).exists()
    told = OutboundEmail.objects.get(to=["wang@example.com"], subject=f"异议 {objection.number} 处理结果")
    assert "经核查，所述情况与事实不符。" in told.body


def test_upheld_objection_means_not_awarded(secretariat, firm_a, make_accepted, publish):
    notice, objection = _objected(firm_a, make_accepted, publish)
    domain.decide_objection(objection=objection, user=secretariat, outcome="upheld", reason="查证属实。")
    list(domain.process_notices(now=at(2025, 1, 1, 9, 0)))
    assert not Title.objects.exists()
    with pytest.raises(WorkflowError):
        domain.award_entry(entry=notice.entries.get(), user=secretariat, now=at(2025, 1, 1, 9, 0))


def test_objection_decided_once(secretariat, firm_a, make_accepted, publish):
    _notice, objection = _objected(firm_a, make_accepted, publish)
    domain.decide_objection(objection=objection, user=secretariat, outcome="dismissed", reason="不成立")
    with pytest.raises(WorkflowError) as refused:
        domain.decide_objection(objection=objection, user=secretariat, outcome="upheld", reason="成立")
    assert "已有处理结果" in said(refused)


def test_decide_objection_requires_reason_and_role(secretariat, agency, firm_a, make_accepted, publish):
    _notice, objection = _objected(firm_a, make_accepted, publish)
    with pytest.raises(WorkflowError):
        domain.decide_objection(objection=objection, user=secretariat, outcome="upheld", reason=" ")
    with pytest.raises(PermissionDenied):
        domain.decide_objection(objection=objection, user=agency, outcome="upheld", reason="x")


# ---------------------------------------------------------------- public list, feed, query counts


def test_notice_list_shows_countdown_and_feed(client, firm_a, firm_b, make_accepted, publish):
    now = timezone.now()
    publish([make_accepted(firm_a)], now - datetime.timedelta(days=1))
    publish([make_accepted(firm_b)], now - datetime.timedelta(days=10), now=now - datetime.timedelta(days=10))
    response = client.get(reverse("awards:notices"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-countdown="' in html and "js/awards.js" in html and "<script>" not in html
    assert firm_a.name in html and firm_b.name in html
    feed = client.get(reverse("awards:notice_feed"))
    assert feed.status_code == 200 and b"<feed" in feed.content and firm_a.name.encode() in feed.content
    assert client.get(reverse("awards:notice_rss")).status_code == 200


def test_notice_list_query_count(client, django_assert_max_num_queries, make_organisation, make_accepted, publish):
    now = timezone.now()
    for i in range(6):
        orgs = [make_organisation(), make_organisation()]
        start = now - datetime.timedelta(days=1 if i % 2 else 9 + i)
        publish([make_accepted(o) for o in orgs], start, now=start)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("awards:notices")).status_code == 200


def test_unpublished_or_unknown_notice_is_404(client):
    assert client.get(reverse("awards:notice", args=[999])).status_code == 404


def test_upheld_objection_can_lead_to_exclusion_and_ban(client_for, secretariat, firm_a, make_accepted, publish):
    notice, objection = _objected(firm_a, make_accepted, publish)
    domain.decide_objection(objection=objection, user=secretariat, outcome="upheld", reason="材料造假属实。")
    entry = notice.entries.get()
    client = client_for(secretariat)
    assert "awards_admin:exclude" not in client.get(reverse("awards_admin:notice", args=[notice.pk])).content.decode()
    response = client.post(reverse("awards_admin:exclude", args=[entry.pk]), {
        "ground": "fraud", "facts": "申报材料造假。", "revoked_on": timezone.localdate().isoformat(),
        "announcement": "", "confirm": "on"})
    assert response.status_code == 302
    from showcase.awards.models import Revocation
    from showcase.models import is_banned

    revocation = Revocation.objects.get()
    assert revocation.title is None and "责令其退出创建活动" in revocation.announcement
    assert is_banned(firm_a, timezone.localdate())


def test_secretariat_notice_list_is_a_listing_with_counts_search_and_export(client_for, secretariat, firm_a, firm_b,
                                                                            make_accepted, publish):
    now = timezone.now()
    running = publish([make_accepted(firm_a), make_accepted(firm_b)], now - datetime.timedelta(hours=1))
    client = client_for(secretariat)
    html = client.get(reverse("awards_notices:index")).content.decode()
    row = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*{re.escape(running.title)}(?:(?!</tr>).)*</tr>', html, re.S).group(0)
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert reverse("awards_admin:notice", args=[running.pk]) in row  # the row opens the notice's own page
    assert cells[-3:] == ["2", "0", "公示中"]
    assert reverse("awards_admin:notice_create") in html and "发布公示" in html
    assert running.title not in client.get(reverse("awards_notices:index") + "?q=不存在的单位").content.decode()
    export = client.get(reverse("awards_notices:index") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
