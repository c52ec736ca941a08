import csv
import datetime
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.accounts.roles import Role
from portal.core.models import OutboundEmail
from portal.core.workflow import NotFound, WorkflowError
from showcase import domain as showcase_domain
from showcase.awards import domain, summary
from showcase.awards.certificate import certificate_pdf
from showcase.awards.models import ExpiryReminder, Revocation, Title, TitleStatus, title_status
from showcase.eligibility import eligibility_problems
from showcase.models import Application, Campaign, ExpertAssignment, ParticipationBan, ReviewRound, items_of
from tests.pdfs import need_embedded_cjk_font, render

from .conftest import at, pdf_upload, said

pytestmark = pytest.mark.django_db
D = datetime.date


def run_jobs(day):
    out = StringIO()
    call_command("run_due_jobs", today=day.isoformat(), stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------- validity and derived status


@pytest.mark.parametrize("today,expected", [
    (D(2024, 11, 20), TitleStatus.VALID),
    (D(2026, 8, 21), TitleStatus.VALID),       # 91 days left
    (D(2026, 8, 22), TitleStatus.EXPIRING),    # 90 days left
    (D(2026, 11, 20), TitleStatus.EXPIRING),   # last valid day
    (D(2026, 11, 21), TitleStatus.EXPIRED),
])
def test_title_status_from_dates(firm_a, awarded, today, expected):
    title = awarded(firm_a, D(2024, 11, 20))
    assert title.valid_until == D(2026, 11, 20)
    assert title.status_on(today) == expected
    assert Title.objects.with_status(today).get(pk=title.pk).status == expected


def test_leap_day_acceptance_is_valid_until_28_february(firm_a, awarded):
    title = awarded(firm_a, D(2024, 2, 29))
    assert (title.valid_from, title.valid_until) == (D(2024, 2, 29), D(2026, 2, 28))
    assert title.status_on(D(2026, 2, 28)) == TitleStatus.EXPIRING
    assert title.status_on(D(2026, 3, 1)) == TitleStatus.EXPIRED
    assert Title.objects.with_status(D(2026, 3, 1)).get().status == TitleStatus.EXPIRED


def test_title_status_rule_precedence():
    base = {"valid_until": D(2026, 1, 1), "today": D(2027, 1, 1), "expiring_days": 90}
    assert title_status(revoked=True, re_review_open=True, **base) == TitleStatus.REVOKED
    assert title_status(revoked=False, re_review_open=True, **base) == TitleStatus.RE_REVIEW
    assert title_status(revoked=False, re_review_open=False, **base) == TitleStatus.EXPIRED


# ---------------------------------------------------------------- re-review through the scoring machinery


@pytest.fixture
def experts(make_user):
    return [make_user(Role.EXPERT, email=f"expert{i}@example.com") for i in range(3)]


def _score_all(review_round, experts, level_name):
    standard = review_round.standard
    level = standard.levels.get(name=level_name)
    for expert in experts:
        assignment = ExpertAssignment.objects.get(round=review_round, expert=expert)
        showcase_domain.declare_conflict(assignment=assignment, user=expert, has_conflict=False)
        ratings = {i.pk: (level.pk, "" if level.is_full else "材料不足") for i in items_of(standard)}
        showcase_domain.save_score_sheet(assignment=assignment, user=expert, ratings=ratings, submit=True)


def _open_re_review(client_for, agency, title):
    response = client_for(agency).post(reverse("awards_admin:re_review", args=[title.pk]), {
        "report": SimpleUploadedFile("跟踪评估报告.pdf", pdf_upload().read(), content_type="application/pdf"),
        "summary": "跟踪评估结论：信用管理体系运行良好。"})
    assert response.status_code == 302
    return ReviewRound.objects.get(application=title.application, kind=ReviewRound.Kind.RE_REVIEW)


def test_title_expires_two_years_after_acceptance_unless_re_reviewed(firm_a, make_accepted, publish, secretariat):
    accepted_on = timezone.localdate() - datetime.timedelta(days=2 * 365 + 5)
    app = make_accepted(firm_a, accepted_on)
    start = at(accepted_on.year, accepted_on.month, accepted_on.day, 9, 0) + datetime.timedelta(days=3)
    publish([app], start)
    list(domain.process_notices(now=start + datetime.timedelta(days=7)))
    title = Title.objects.get()
    assert title.status_on() == TitleStatus.EXPIRED
    assert Title.objects.with_status().get().status == TitleStatus.EXPIRED


def test_re_review_pass_renews_for_two_years_from_decision(client_for, agency, secretariat, experts, firm_a, awarded):
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=2 * 365 - 30))
    assert title.status_on() == TitleStatus.EXPIRING
    review_round = _open_re_review(client_for, agency, title)
    assert Title.objects.with_status().get().status == TitleStatus.RE_REVIEW
    showcase_domain.assign_experts(review_round=review_round, user=secretariat, experts=experts,
                                   scoring_deadline=timezone.localdate() + datetime.timedelta(days=7))
    _score_all(review_round, experts, "符合")
    today = timezone.localdate()
    response = client_for(secretariat).post(
        reverse("awards_admin:re_review_decide", args=[title.pk, review_round.pk]),
        {"result": "accepted", "decided_on": today.isoformat(), "note": ""})
    assert response.status_code == 302
    title.refresh_from_db()
    assert (title.valid_from, title.valid_until) == (today, showcase_domain_add_years(today, 2))
    assert title.status_on() == TitleStatus.VALID
    outcome = title.re_reviews.get()
    assert outcome.renewed and outcome.review_round == review_round


def showcase_domain_add_years(day, years):
    from showcase.models import add_years

    return add_years(day, years)


def test_re_review_fail_lets_title_expire(agency, secretariat, experts, firm_a, awarded):
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=2 * 365 + 10))
    old_until = title.valid_until
    review_round = domain.start_re_review(title=title, user=agency, report=pdf_upload(), report_name="r.pdf")
    showcase_domain.assign_experts(review_round=review_round, user=secretariat, experts=experts,
                                   scoring_deadline=timezone.localdate() + datetime.timedelta(days=7))
    _score_all(review_round, experts, "不符合")
    # decided on the programme's own page: applied at once, through the same function as the title's page
    showcase_domain.record_decision(review_round=review_round, user=secretariat, result="not_accepted",
                                    decided_on=timezone.localdate())
    title.refresh_from_db()
    assert title.valid_until == old_until
    assert title.status_on() == TitleStatus.EXPIRED
    assert not title.re_reviews.get().renewed
    assert "re-review" not in run_jobs(timezone.localdate())  # no job left to apply it


def test_re_review_refused_while_valid_and_for_other_agency(agency, make_user, make_organisation, firm_a, awarded,
                                                            campaign):
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=30))
    with pytest.raises(WorkflowError) as refused:
        domain.start_re_review(title=title, user=agency, report=pdf_upload(), report_name="r.pdf")
    assert "即将期满" in said(refused)
    other_org = make_organisation(unit_type="credit_agency")
    Campaign.objects.filter(pk=campaign.pk).update(agency=make_organisation(unit_type="credit_agency"))
    other = make_user(Role.AGENCY)
    from portal.organisations.models import OrganisationUser

    OrganisationUser.objects.create(user=other, organisation=other_org)
    title = Title.objects.select_related("application__campaign").get(pk=title.pk)
    with pytest.raises(NotFound):
        domain.start_re_review(title=title, user=other, report=pdf_upload(), report_name="r.pdf")


# ---------------------------------------------------------------- reminders


def test_expiry_reminders_sent_once_at_90_and_30_days(firm_a, awarded, firm_a_user):
    title = awarded(firm_a, D(2024, 11, 20))  # valid until 2026-11-20
    run_jobs(D(2026, 8, 21))  # 91 days: nothing
    assert not ExpiryReminder.objects.exists()
    out = run_jobs(D(2026, 8, 22))
    assert "reminded XYSF-" in out
    run_jobs(D(2026, 8, 23))
    run_jobs(D(2026, 9, 1))
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [90]
    run_jobs(D(2026, 10, 21))  # 30 days
    run_jobs(D(2026, 10, 22))
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30, 90]
    emails = OutboundEmail.objects.filter(subject__contains=title.certificate_number)
    assert emails.count() == 2
    assert firm_a_user.email in emails.first().to


# ---------------------------------------------------------------- revocation and the ban


def test_revocation_through_admin_cancels_title_announces_and_bans(client_for, secretariat, firm_a, awarded, client):
    title = awarded(firm_a, D(2024, 11, 20))
    revoked_on = timezone.localdate()
    response = client_for(secretariat).post(reverse("awards_admin:revoke", args=[title.pk]), {
        "ground": "fraud", "facts": "申报材料中的荣誉证书系伪造。", "revoked_on": revoked_on.isoformat(),
        "evidence": SimpleUploadedFile("核查报告.pdf", pdf_upload().read(), content_type="application/pdf"),
        "announcement": "", "confirm": "on"})
    assert response.status_code == 302
    revocation = Revocation.objects.get()
    assert revocation.title == title and revocation.evidence_name == "核查报告.pdf"
    from showcase.models import add_years

    assert revocation.ban.ends_on == add_years(revoked_on, 3)
    title.refresh_from_db()
    assert title.status_on() == TitleStatus.REVOKED
    client.logout()
    page = client.get(reverse("awards:announcement", args=[revocation.pk]))
    assert page.status_code == 200 and title.certificate_number in page.content.decode()
    assert title.unit_name in client.get(reverse("awards:announcements")).content.decode()
    verify = client.get(reverse("verify_certificate", args=[title.certificate_number]))
    assert 'status--revoked' in verify.content.decode()


def test_revoked_unit_cannot_apply_for_three_years(secretariat, firm_a, awarded, standard):
    title = awarded(firm_a, D(2024, 11, 20))
    domain.revoke(application=title.application, user=secretariat, ground="dishonesty", facts="重大失信",
                  revoked_on=D(2025, 3, 10))
    new_campaign = Campaign.objects.create(year=2026, title="2026", opens_on=D(2025, 1, 1), deadline=D(2029, 12, 31),
                                           rolling=True, standard=standard, status=Campaign.Status.OPEN)
    app = Application(campaign=new_campaign, organisation=firm_a, is_independent_legal_person=True)
    codes = lambda day: {p.code for p in eligibility_problems(app, day)}  # noqa: E731
    assert "banned" in codes(D(2025, 3, 10))
    assert "banned" in codes(D(2028, 3, 9))
    assert "banned" not in codes(D(2028, 3, 10))
    assert ParticipationBan.objects.get().ends_on == D(2028, 3, 10)


def test_revocation_twice_refused(secretariat, firm_a, awarded):
    title = awarded(firm_a)
    domain.revoke(application=title.application, user=secretariat, ground="licence", facts="吊销", revoked_on=D(2025, 1, 1))
    with pytest.raises(WorkflowError):
        domain.revoke(application=title.application, user=secretariat, ground="licence", facts="x",
                      revoked_on=D(2025, 1, 2))


def test_dishonesty_csv_export(client_for, secretariat, firm_a, awarded):
    title = awarded(firm_a)
    domain.revoke(application=title.application, user=secretariat, ground="licence", facts="=HYPERLINK(1)",
                  revoked_on=D(2025, 1, 1))
    response = client_for(secretariat).get(reverse("awards_admin:dishonesty_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["单位名称", "统一社会信用代码", "取消认定情形", "认定日期", "禁入截止日期"]
    assert rows[1][:6] == [firm_a.name, firm_a.credit_code, "被吊销或撤销营业执照", "2025-01-01", "2028-01-01",
                           title.certificate_number]
    assert rows[1][6] == "'=HYPERLINK(1)"


# ---------------------------------------------------------------- directory, verify, certificate


def test_directory_filters_and_query_count(client, django_assert_max_num_queries, make_organisation, awarded):
    for i in range(12):
        awarded(make_organisation(division="330106" if i % 2 else "330203"), D(2024, 11, 20) if i % 3 else D(2025, 1, 5))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("awards:directory"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 12
    with django_assert_max_num_queries(10):
        response = client.get(reverse("awards:directory"), {"status": "valid", "region": "3302", "year": "2025"})
    assert response.status_code == 200
    assert all(t.organisation.region_code.startswith("3302") and t.accepted_on.year == 2025
               for t in response.context["page_obj"])


def test_directory_empty_state(client, db):
    assert "empty" in client.get(reverse("awards:directory")).content.decode()


def test_verify_page_query_count_and_unknown(client, django_assert_max_num_queries, firm_a, awarded):
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=10))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("verify_certificate", args=[title.certificate_number]))
    html = response.content.decode()
    assert response.status_code == 200 and "status--valid" in html and firm_a.name in html
    assert client.get(reverse("verify_certificate", args=["XYSF-2099-999"])).status_code == 404


def test_certificate_download_own_firm_only(client_for, firm_a, firm_a_user, firm_b, firm_b_user, awarded):
    title = awarded(firm_a)
    response = client_for(firm_a_user).get(reverse("awards:certificate", args=[title.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(firm_b_user).get(reverse("awards:certificate", args=[title.pk])).status_code == 404
    account = client_for(firm_a_user).get(reverse("account_home")).content.decode()
    assert title.certificate_number in account and reverse("awards:certificate", args=[title.pk]) in account


def test_certificate_renders_chinese(firm_a, awarded, tmp_path):
    need_embedded_cjk_font()
    title = awarded(firm_a)
    image = render(certificate_pdf(title), dpi=60)
    w, h = image.size
    title_box = image.crop((int(w * 0.3), int(h * 0.08), int(w * 0.7), int(h * 0.22)))  # 荣 誉 证 书
    dark = sum(1 for p in title_box.tobytes() if p < 200)
    assert dark > 300


# ---------------------------------------------------------------- annual summary


def test_summary_numbers_on_small_fixture(secretariat, firm_a, firm_b, make_organisation, make_accepted, publish,
                                          campaign, client_for):
    a = make_accepted(firm_a, D(2024, 11, 20))
    make_accepted(firm_b, D(2024, 11, 20))
    Application.objects.filter(organisation=firm_b).update(status=Application.Status.NOT_ACCEPTED)
    notice = publish([a], at(2024, 12, 2, 9, 0))
    domain.submit_objection(entry=notice.entries.get(), name="甲", phone="1", relationship="other", content="x",
                            now=at(2024, 12, 3, 9, 0))
    data = summary.compute(2024)
    assert (data.applications, data.accepted, data.decided, data.pass_rate) == (2, 1, 2, 50.0)
    assert data.objections_total == 1
    stage = {s["key"]: s for s in data.stages}
    assert stage["to_notice"]["n"] == 1
    assert stage["to_notice"]["mean"] == 11.8  # 2024-11-20 15:00 → 2024-12-02 09:00 = 11.75 days
    assert len(data.items) == 13
    xlsx = client_for(secretariat).get(reverse("awards_admin:summary_xlsx"), {"year": 2024})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    page = client_for(secretariat).get(reverse("awards_admin:summary"), {"year": 2024})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    client_for(secretariat).post(reverse("awards_admin:summary_pdf"), {"year": 2024, "publish": "1"})
    from django.test import Client

    public = Client().get(reverse("awards:report_pdf", args=[2024]))
    assert public.status_code == 200


def test_summary_item_means_from_ratings(secretariat, experts, firm_a, make_accepted, campaign):
    app = make_accepted(firm_a)
    review_round = ReviewRound.objects.get(application=app)
    ReviewRound.objects.filter(pk=review_round.pk).update(result="", decided_on=None, status=ReviewRound.Status.OPEN)
    review_round.refresh_from_db()
    showcase_domain.assign_experts(review_round=review_round, user=secretariat, experts=experts,
                                   scoring_deadline=timezone.localdate() + datetime.timedelta(days=3))
    standard = campaign.standard
    levels = {lv.name: lv for lv in standard.levels.all()}
    for n, expert in enumerate(experts):
        assignment = ExpertAssignment.objects.get(round=review_round, expert=expert)
        showcase_domain.declare_conflict(assignment=assignment, user=expert, has_conflict=False)
        ratings = {i.pk: ((levels["基本符合"].pk, "一般") if i.code == "2.4" and n < 2 else (levels["符合"].pk, ""))
                   for i in items_of(standard)}
        showcase_domain.save_score_sheet(assignment=assignment, user=expert, ratings=ratings, submit=True)
    data = summary.compute(2024)
    by_code = {i["code"]: i for i in data.items}
    assert by_code["2.4"]["share"] == pytest.approx(66.7, abs=0.1)
    assert by_code["1.1"]["share"] == 100.0
    assert data.weakest[0]["code"] == "2.4"


# ---------------------------------------------------------------- demo


def test_demo_loader_is_idempotent(home_page):
    from portal.core.demo import Demo
    from showcase import demo as showcase_demo
    from showcase.awards import demo as awards_demo
    from showcase.awards.models import Notice

    demo = Demo(stdout=StringIO())
    showcase_demo.load(demo)
    awards_demo.load(demo)
    counts = (Title.objects.count(), Notice.objects.count(), Revocation.objects.count())
    awards_demo.load(demo)
    assert (Title.objects.count(), Notice.objects.count(), Revocation.objects.count()) == counts
    statuses = {t.status for t in Title.objects.with_status()}
    assert {TitleStatus.VALID, TitleStatus.EXPIRING, TitleStatus.EXPIRED, TitleStatus.REVOKED} <= statuses
    assert Notice.objects.current().exists()


# ---------------------------------------------------------------- admin pages


def test_admin_pages_render_for_the_secretariat(client_for, secretariat, firm_a, firm_b, awarded, make_accepted,
                                                publish):
    title = awarded(firm_a)
    notice = publish([make_accepted(firm_b)], at(2024, 12, 20, 9, 0))
    objection = domain.submit_objection(entry=notice.entries.get(), name="甲", phone="1", relationship="other",
                                        content="x", now=at(2024, 12, 21, 9, 0))
    client = client_for(secretariat)
    for url in [reverse("awards_titles:index"), reverse("awards_admin:title", args=[title.pk]),
                reverse("awards_notices:index"), reverse("awards_admin:notice", args=[notice.pk]),
                reverse("awards_admin:notice_create"), reverse("awards_objections:index"),
                reverse("awards_admin:objection", args=[objection.pk]), reverse("awards_admin:revocations"),
                reverse("awards_admin:summary")]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(reverse("awards_admin:title", args=[title.pk])).content.decode()
    assert reverse("awards_admin:revoke", args=[title.pk]) in html
    assert reverse("awards_admin:plaque", args=[title.pk]) in html


def test_agency_sees_only_its_campaigns_titles_and_cannot_revoke(client_for, make_user, make_organisation, firm_a,
                                                                 awarded, campaign):
    from portal.organisations.models import OrganisationUser

    title = awarded(firm_a)
    mine, other = make_organisation(unit_type="credit_agency"), make_organisation(unit_type="credit_agency")
    Campaign.objects.filter(pk=campaign.pk).update(agency=mine)
    own_agent, other_agent = make_user(Role.AGENCY), make_user(Role.AGENCY)
    OrganisationUser.objects.create(user=own_agent, organisation=mine)
    OrganisationUser.objects.create(user=other_agent, organisation=other)
    page = client_for(own_agent).get(reverse("awards_admin:title", args=[title.pk]))
    assert page.status_code == 200
    assert reverse("awards_admin:revoke", args=[title.pk]) not in page.content.decode()
    assert client_for(other_agent).get(reverse("awards_admin:title", args=[title.pk])).status_code == 404
    response = client_for(own_agent).post(reverse("awards_admin:revoke", args=[title.pk]), {})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Revocation.objects.exists()


def test_plaque_recorded_once(secretariat, firm_a, awarded):
    title = awarded(firm_a)
    domain.record_plaque(title=title, user=secretariat, issued_on=D(2025, 1, 5), note="颁奖大会")
    title.refresh_from_db()
    assert (title.plaque_issued_on, title.plaque_issued_by) == (D(2025, 1, 5), secretariat)
    with pytest.raises(WorkflowError):
        domain.record_plaque(title=title, user=secretariat, issued_on=D(2025, 1, 6))


def test_with_fragments_a_repeated_directory_page_runs_no_query_and_a_new_title_shows_at_once(
        client, make_organisation, awarded, fragment_cache, django_assert_num_queries,
        django_capture_on_commit_callbacks):
    for _ in range(3):
        awarded(make_organisation(division="330106"), D(2024, 11, 20))
    first = client.get(reverse("awards:directory"), {"region": "3301"})
    with django_assert_num_queries(0):  # choices, count, rows and the form all come from the fragment
        second = client.get(reverse("awards:directory"), {"region": "3301"})
    assert second.content == first.content and "共 3 家单位" in second.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        awarded(make_organisation(division="330106"), D(2024, 12, 1))
    assert "共 4 家单位" in client.get(reverse("awards:directory"), {"region": "3301"}).content.decode()


def test_a_junk_page_number_shares_page_ones_directory_fragment(
        client, make_organisation, awarded, fragment_cache, django_assert_num_queries):
    """Issue #16: the directory's fragment key held the raw ``page=`` value; junk values are page 1."""
    awarded(make_organisation(division="330106"), D(2024, 11, 20))
    def main(response):  # the listing (the header's language switch carries the full path on)
        html = response.content.decode()
        return html[html.index("<main"):html.index("</main>")]

    first = main(client.get(reverse("awards:directory")))
    assert "共 1 家单位" in first
    for junk in ("abc", "0", "-3", "01", "7" * 30, "²"):
        with django_assert_num_queries(0):
            assert main(client.get(reverse("awards:directory"), {"page": junk})) == first, junk
