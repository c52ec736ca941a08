"""Visitors who start at the home page and click (issue #14), at 1366 px and on a 390 px phone:

- a reader searches the magazine from the header, reads the credit-repair article, copies its citation and
  prints it (the print stylesheet: no header, navigation or footer; the citation kept);
- a member of the public finds the running public notice on the home page, files an objection and confirms it
  with the code from the email.

`assert_chinese_ui` on every page they see."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import assert_chinese_ui, go_home, header_link, horizontal_overflow, open_menu, pdf_file

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("migrated_data")]

ARTICLE = "“信用中国”网行政处罚信息信用修复"


@pytest.fixture
def magazine(site):
    from portal.core.demo import Demo
    from portal.magazine.demo import load_demo_issue
    from tests.pdfs import need

    need(settings.DEMO_ISSUE_PATH.is_file(), f"the demo issue {settings.DEMO_ISSUE_PATH} is not on this machine")
    load_demo_issue(Demo(stdout=io.StringIO()))


def test_reader_searches_reads_cites_and_prints(sized_page, viewport, live_server, magazine, shot):
    page = sized_page
    go_home(page, live_server)
    expect(page.get_by_role("heading", name=re.compile("2019年第3期"))).to_be_visible()  # the latest issue's panel
    shot(page, f"reader-{viewport}-01-home")
    # -- search from the header (on a phone, behind 菜单)
    open_menu(page)
    page.get_by_placeholder("检索期刊文章").fill("信用修复")
    page.locator("header").get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r".*/search/\?.*q="))
    assert_chinese_ui(page)
    result = page.locator("main h2 a").first
    expect(result).to_contain_text(ARTICLE)
    shot(page, f"reader-{viewport}-02-search")
    result.click()
    expect(page.locator("h1")).to_contain_text(ARTICLE)
    assert_chinese_ui(page)
    assert horizontal_overflow(page) == 0
    shot(page, f"reader-{viewport}-03-article")
    # -- the citation, as a reader copies it
    citation = page.locator(".cite__text").inner_text()
    assert citation.startswith("“信用中国”网行政处罚信息信用修复") or "信用修复" in citation
    assert "信用浙江, 2019(3)" in citation and citation.endswith(".")
    # -- the print view: the article and its citation, none of the site's chrome
    page.emulate_media(media="print")
    for chrome in ("header.site-header", "nav.main-nav", "footer.site-footer", "nav.breadcrumb"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator(".cite__text")).to_be_visible()
    expect(page.locator(".article-body")).to_be_visible()
    shot(page, f"reader-{viewport}-04-print")
    pdf = page.pdf(format="A4") if viewport == "desktop" else None  # what 打印 → 另存为 PDF gives
    page.emulate_media(media="screen")
    if pdf is not None:
        from tests.pdfs import pdf_text

        assert "信用修复" in pdf_text(pdf) and "信用浙江, 2019(3)" in pdf_text(pdf)
    # -- on to the next article of the issue, then home by the brand
    page.locator("a[rel=next]").click()
    assert_chinese_ui(page)
    page.locator("header a.brand").click()
    page.wait_for_url(live_server.url + "/")


@pytest.fixture
def running_notice(site, make_organisation, secretariat):
    """A notice that started an hour ago for one accepted unit (the secretariat published it in the admin)."""
    from showcase.awards import domain
    from showcase.models import Application, ApplicationEvent, Campaign, ReviewRound, Standard

    today = timezone.localdate()
    campaign = Campaign.objects.create(year=today.year, title=f"{today.year}年度创建活动", opens_on=today,
                                       deadline=today, standard=Standard.objects.get(version="2019版"),
                                       status=Campaign.Status.CLOSED)
    org = make_organisation(name="浙江守信智能制造股份有限公司")
    application = Application.objects.create(
        campaign=campaign, organisation=org, created_by=secretariat, status=Application.Status.ACCEPTED,
        number=f"SF{today.year}0007", unit_name=org.name, credit_code=org.credit_code,
        legal_representative=org.legal_representative, established_on=org.established_on, contact_email=org.email)
    ReviewRound.objects.create(application=application, standard=campaign.standard, opened_by=secretariat,
                               result=ReviewRound.Result.ACCEPTED, decided_on=today - datetime.timedelta(days=3),
                               decided_by=secretariat, status=ReviewRound.Status.DECIDED)
    ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.DECIDED)
    start = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    return domain.publish_notice(applications=[application], user=secretariat,
                                 title=f"{today.year}年度信用示范会员单位验收结果公示", starts_at=start, now=start)


def test_public_finds_the_notice_on_the_home_page_and_objects(sized_page, viewport, live_server, running_notice,
                                                              shot, tmp_path):
    from portal.core.models import OutboundEmail

    page = sized_page
    go_home(page, live_server)
    panel = page.locator("section.awards-home")
    expect(panel.get_by_role("link", name=running_notice.title)).to_be_visible()
    shot(page, f"objection-{viewport}-01-home")
    panel.get_by_role("link", name="查看并提出异议").click()
    expect(page.locator("h1")).to_have_text(running_notice.title)
    assert_chinese_ui(page)
    expect(page.locator("#id_relationship")).to_have_value("")  # nothing chosen for the objector
    page.fill("#id_name", "王建国")
    page.fill("#id_phone", "13905710000")
    page.fill("#id_email", "wangjianguo@example.com")
    page.select_option("#id_relationship", "supplier")
    page.fill("#id_content", "该单位2024年拖欠我司货款38万元，至今未结清。")
    page.set_input_files("#id_evidence", str(pdf_file(tmp_path, "对账单.pdf", ["对账单", "应收账款 380,000.00 元"])))
    page.check("#id_agree")
    assert horizontal_overflow(page) == 0
    shot(page, f"objection-{viewport}-02-form")
    page.get_by_role("button", name="提交异议").click()
    number = page.locator(".ack-number").inner_text()
    assert re.fullmatch(r"YY-\d{4}-\d{4}", number)
    assert_chinese_ui(page)
    shot(page, f"objection-{viewport}-03-received")
    body = OutboundEmail.objects.filter(to=["wangjianguo@example.com"], subject__contains=number).get().body
    page.fill("#id_code", re.search(r"^\s+(\d{6})$", body, re.M).group(1))
    page.get_by_role("button", name="确认异议").click()
    expect(page.get_by_text(f"异议 {number} 已确认。")).to_be_visible()
    assert_chinese_ui(page)
    shot(page, f"objection-{viewport}-04-confirmed")
    # the other public pages of the programme are a click away from the home page as well
    go_home(page, live_server)
    for name, heading in [("信用示范会员单位名录", "信用示范会员单位名录"), ("取消认定公告", "取消认定公告"),
                          ("年度总结报告", "信用示范会员单位创建工作年度总结")]:
        page.locator("section.awards-home").get_by_role("link", name=name).click()
        expect(page.locator("h1")).to_contain_text(heading)
        assert_chinese_ui(page)
        page.go_back()
    header_link(page, "信用示范会员单位").click()
    expect(page.get_by_role("heading", name="公示与名录")).to_be_visible()
    assert_chinese_ui(page)
