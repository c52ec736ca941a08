"""The titles' rules (issue #13), each tried the way it used to be got around."""

import datetime
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.core.workflow import WorkflowError
from showcase.awards import domain
from showcase.awards.models import Notice, Title
from showcase.models import ShowcaseRules

from .conftest import at, pdf_upload, said

pytestmark = pytest.mark.django_db


def run_jobs(day: datetime.date) -> str:
    out = StringIO()
    call_command("run_due_jobs", today=day.isoformat(), stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------- 3. the notice runs at least the configured days


def test_a_notice_of_one_hour_is_refused_and_nothing_is_awarded(client_for, secretariat, firm_a, make_accepted):
    app = make_accepted(firm_a)
    start = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    response = client_for(secretariat).post(reverse("awards_admin:notice_create"), {
        "title": "2024年度信用示范会员单位公示", "body": "", "applications": [app.pk],
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    assert "公示期不得少于7天" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not Notice.objects.exists()
    with pytest.raises(WorkflowError) as refused:
        domain.publish_notice(applications=[app], user=secretariat, title="公示", starts_at=start,
                              ends_at=start + datetime.timedelta(days=7, minutes=-1), now=start)
    assert "公示期不得少于7天" in said(refused)
    run_jobs(timezone.localdate() + datetime.timedelta(days=1))
    assert not Title.objects.exists()


def test_the_notice_length_is_the_configured_one_and_longer_notices_are_allowed(secretariat, firm_a, firm_b,
                                                                                make_accepted, publish):
    rules = ShowcaseRules.load()
    rules.notice_days = 10
    rules.save()
    start = at(2024, 12, 2, 9, 30)
    with pytest.raises(WorkflowError) as refused:
        publish([make_accepted(firm_a)], start, start + datetime.timedelta(days=9))
    assert "公示期不得少于10天" in said(refused)
    notice = publish([make_accepted(firm_b)], start, start + datetime.timedelta(days=14))
    assert notice.ends_at - notice.starts_at == datetime.timedelta(days=14)


def test_the_public_pages_show_the_notices_real_dates(client, firm_a, make_accepted, publish):
    start = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(days=1)
    notice = publish([make_accepted(firm_a)], start, start + datetime.timedelta(days=10), now=start)
    body = client.get(reverse("awards:notice", args=[notice.pk])).content.decode()
    assert f"公示期 10 天（{start:%Y-%m-%d %H:%M} 至 {start + datetime.timedelta(days=10):%Y-%m-%d %H:%M}）" in body
    listing = client.get(reverse("awards:notices")).content.decode()
    assert "公示期不少于 7 天" in listing
    assert "公示 7 天" not in listing


# ---------------------------------------------------------------- 9. no new application while a title stands


@pytest.fixture
def new_campaign(standard):
    from showcase.models import Campaign

    today = timezone.localdate()
    return Campaign.objects.create(year=today.year + 1, title="新一轮创建活动", opens_on=today - datetime.timedelta(days=1),
                                   deadline=today + datetime.timedelta(days=60), standard=standard,
                                   status=Campaign.Status.OPEN)


def test_no_new_application_while_the_unit_holds_a_valid_title(new_campaign, firm_a, firm_a_user, awarded):
    from showcase import domain as showcase

    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=60))
    with pytest.raises(WorkflowError) as refused:
        showcase.create_application(campaign=new_campaign, user=firm_a_user)
    assert title.certificate_number in said(refused)
    Title.objects.filter(pk=title.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert showcase.create_application(campaign=new_campaign, user=firm_a_user).status == "draft"


def test_no_new_application_while_an_accepted_one_awaits_its_title(new_campaign, firm_a, firm_a_user, make_accepted):
    from showcase import domain as showcase

    make_accepted(firm_a, timezone.localdate() - datetime.timedelta(days=3))  # another campaign, not yet in a notice
    with pytest.raises(WorkflowError) as refused:
        showcase.create_application(campaign=new_campaign, user=firm_a_user)
    assert "已通过验收" in said(refused)


# ---------------------------------------------------------------- 12. one path per outcome


@pytest.fixture
def experts(make_user):
    from portal.accounts.roles import Role

    return [make_user(Role.EXPERT, email=f"panel{i}@example.com") for i in range(3)]


def _re_review_scored(title, agency, secretariat, experts, level_name):
    from showcase import domain as showcase
    from showcase.models import ExpertAssignment, items_of

    review_round = domain.start_re_review(title=title, user=agency, report=pdf_upload(), report_name="跟踪评估报告.pdf")
    showcase.assign_experts(review_round=review_round, user=secretariat, experts=experts,
                            scoring_deadline=timezone.localdate() + datetime.timedelta(days=7))
    level = review_round.standard.levels.get(name=level_name)
    for expert in experts:
        assignment = ExpertAssignment.objects.get(round=review_round, expert=expert)
        showcase.declare_conflict(assignment=assignment, user=expert, has_conflict=False)
        ratings = {i.pk: (level.pk, "" if level.is_full else "材料不足") for i in items_of(review_round.standard)}
        showcase.save_score_sheet(assignment=assignment, user=expert, ratings=ratings, submit=True)
    return review_round


def test_a_re_review_decided_on_the_programme_page_renews_the_title_at_once(client_for, agency, secretariat, experts,
                                                                           firm_a, awarded):
    from showcase.models import add_years

    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=2 * 365 - 30))
    review_round = _re_review_scored(title, agency, secretariat, experts, "符合")
    today = timezone.localdate()
    response = client_for(secretariat).post(reverse("showcase_admin:decide", args=[review_round.pk]), {
        "result": "accepted", "decided_on": today.isoformat(), "note": ""})
    assert response.status_code == 302
    title.refresh_from_db()  # no job has run
    assert (title.valid_from, title.valid_until) == (today, add_years(today, 2))
    assert title.re_reviews.get().renewed is True
    assert "re-review" not in run_jobs(today)  # nothing left for a job to apply
    first, renewed = title.certificates.order_by("issued_at", "pk")  # a new certificate for the new term
    assert (first.valid_until, renewed.valid_until) == (add_years(title.accepted_on, 2), add_years(today, 2))


def test_a_failed_re_review_is_recorded_at_once_whichever_page_decides_it(agency, secretariat, experts, firm_a,
                                                                          awarded):
    from showcase import domain as showcase

    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=2 * 365 - 30))
    old_until = title.valid_until
    review_round = _re_review_scored(title, agency, secretariat, experts, "不符合")
    showcase.record_decision(review_round=review_round, user=secretariat, decided_on=timezone.localdate())
    title.refresh_from_db()
    outcome = title.re_reviews.get()
    assert (outcome.renewed, title.valid_until) == (False, old_until)


def test_the_ban_length_is_the_programmes_rules_setting(secretariat, firm_a, awarded):
    from showcase.eligibility import eligibility_problems
    from showcase.models import Application, ParticipationBan, ShowcaseRules, add_years

    assert not hasattr(ParticipationBan, "three_years_from")
    rules = ShowcaseRules.load()
    rules.ban_years = 5
    rules.save()
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=30))
    revoked_on = timezone.localdate()
    revocation = domain.revoke(application=title.application, user=secretariat, ground="fraud", facts="弄虚作假",
                               revoked_on=revoked_on)
    assert revocation.ban.ends_on == add_years(revoked_on, 5) == ParticipationBan.end_for(revoked_on)
    probe = Application(campaign=title.application.campaign, organisation=firm_a, is_independent_legal_person=True)
    banned = [p.message for p in eligibility_problems(probe, revoked_on) if p.code == "banned"]
    assert banned and add_years(revoked_on, 5).isoformat() in banned[0]


# ---------------------------------------------------------------- 8. re-review: new evidence, the standard in force


@pytest.fixture
def standard_2025(standard):
    """A newer standard version, used by the current campaign (the one in force)."""
    from showcase.admin_views import copy_standard_version
    from showcase.models import Campaign

    newer = copy_standard_version(standard)
    newer.version, newer.title = "2025版", "信用示范会员单位验收标准（2025版）"
    newer.save()
    today = timezone.localdate()
    Campaign.objects.create(year=today.year, title=f"{today.year}年度创建活动", opens_on=today - datetime.timedelta(days=60),
                            deadline=today + datetime.timedelta(days=60), standard=newer,
                            status=Campaign.Status.OPEN)
    return newer


def test_the_firm_updates_its_evidence_for_the_tracking_evaluation(client_for, firm_a, firm_a_user, agency,
                                                                   secretariat, experts, awarded, standard_2025):
    from showcase import domain as showcase
    from showcase.models import EvidenceFile, ExpertAssignment, items_of

    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=2 * 365 - 30))  # expiring
    item = items_of(standard_2025)[0]
    url = reverse("showcase:tracking_evidence", args=[title.application_id])
    client = client_for(firm_a_user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"item": item.pk, "file": _upload("2026年信用培训记录.pdf"), "note": "近两年培训"})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get(application=title.application, purpose=EvidenceFile.Purpose.TRACKING)
    assert (evidence.item, evidence.original_name) == (item, "2026年信用培训记录.pdf")

    review_round = domain.start_re_review(title=title, user=agency, report=pdf_upload(), report_name="跟踪评估报告.pdf")
    assert review_round.standard == standard_2025  # the version in force, recorded on the round
    evidence.refresh_from_db()
    assert evidence.round == review_round
    showcase.assign_experts(review_round=review_round, user=secretariat, experts=experts,
                            scoring_deadline=timezone.localdate() + datetime.timedelta(days=7))
    assignment = ExpertAssignment.objects.get(round=review_round, expert=experts[0])
    showcase.declare_conflict(assignment=assignment, user=experts[0], has_conflict=False)
    page = client_for(experts[0]).get(reverse("showcase_admin:score", args=[assignment.pk])).content.decode()
    assert "2026年信用培训记录.pdf" in page
    assert reverse("showcase:evidence_file", args=[evidence.pk]) in page


def test_tracking_evidence_waits_until_the_title_is_due(firm_a, firm_a_user, awarded, standard_2025):
    from showcase import domain as showcase
    from showcase.models import items_of

    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=30))  # valid for almost two years
    with pytest.raises(WorkflowError) as refused:
        showcase.add_tracking_evidence(application=title.application, item=items_of(standard_2025)[0],
                                       user=firm_a_user, upload=_upload("x.pdf"))
    assert "跟踪评估" in said(refused)


def _upload(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_upload().read(), content_type="application/pdf")


def test_the_re_review_uses_the_standard_in_force(firm_a, agency, awarded, standard, standard_2025):
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=2 * 365 - 30))
    assert title.application.campaign.standard == standard  # accepted under the 2019 standard
    review_round = domain.start_re_review(title=title, user=agency, report=pdf_upload(), report_name="r.pdf")
    assert review_round.standard == standard_2025


# ---------------------------------------------------------------- #12.10: an objection posted twice counts once


def test_an_objection_posted_twice_is_filed_once(client, firm_a, make_accepted, publish):
    import re

    from showcase.awards.models import Objection

    start = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(days=1)
    notice = publish([make_accepted(firm_a)], start, now=start)
    url = reverse("awards:notice", args=[notice.pk])
    token = re.search(r'name="_once" value="([0-9a-f]{32})"', client.get(url).content.decode()).group(1)
    data = {"_once": token, "entry": notice.entries.get().pk, "name": "王五", "phone": "13800000000",
            "email": "", "relationship": "customer", "content": "该单位拖欠货款。"}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Objection.objects.count() == 1


# ---------------------------------------------------------------- issued documents are immutable


def test_the_honour_certificate_is_archived_when_issued_and_never_re_rendered(client_for, firm_a, firm_a_user,
                                                                             awarded):
    from portal.organisations.models import Organisation
    from tests.pdfs import pdf_text

    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=30))
    url = reverse("awards:certificate", args=[title.pk])
    client = client_for(firm_a_user)
    issued = client.get(url).content
    assert firm_a.name in pdf_text(issued)
    Title.objects.filter(pk=title.pk).update(unit_name="改名后的单位有限公司")
    Organisation.objects.filter(pk=firm_a.pk).update(name="改名后的单位有限公司")
    again = client.get(url).content
    assert again == issued  # the document as issued, byte for byte
    assert title.certificates.count() == 1


# ---------------------------------------------------------------- numbers from the one numbering service


def test_revocation_announcements_are_numbered_from_the_counter(client, secretariat, firm_a, firm_b, awarded):
    first = domain.revoke(application=awarded(firm_a).application, user=secretariat, ground="licence", facts="吊销",
                          revoked_on=timezone.localdate())
    second = domain.revoke(application=awarded(firm_b).application, user=secretariat, ground="fraud", facts="伪造",
                           revoked_on=timezone.localdate())
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"QX-{year}-001", f"QX-{year}-002")
    assert first.number in client.get(reverse("awards:announcement", args=[first.pk])).content.decode()
