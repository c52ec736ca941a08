"""An editor imports a back issue in the admin (entering a page number the contents does not give) and submits it
for review; the chief editor approves it from the dashboard's "等待你的审查" panel, which publishes the issue with
all its articles; an anonymous reader finds the credit-repair article by a Chinese search, walks to the next article
in contents order, and opens the site map from the footer."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.roles import Role

from .helpers import assert_chinese_ui, go_home, log_in_as, to_admin

# Each test starts from the migrated data (roles, the review workflow, the page tree): see `migrated_data`.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.skipif(not settings.DEMO_ISSUE_PATH.is_file(), reason=f"no seed issue at {settings.DEMO_ISSUE_PATH}"),
]

ISSUE = "2019年第3期"
ARTICLE = "“信用中国”网行政处罚信息信用修复"
FIRST_REPORT = "李克强总理在浙江考察：让诚信者便利经营，让失信者寸步难行"
SECOND_REPORT = "国办赴浙江专题调研我省信用体系建设情况"
THIRD_REPORT = "浙江省信用县创建亮点特色工作"


def test_issue_import_review_publish_and_chinese_search(page, live_server, site, shot, make_user):
    editor = make_user(Role.EDITOR, email="magazine-editor@example.com", name="编辑部")
    chief = make_user(Role.CHIEF_EDITOR, email="magazine-chief@example.com", name="主编")

    # -- the editor uploads the text file and checks the preview
    log_in_as(page, live_server, editor)
    to_admin(page, live_server)
    page.get_by_role("link", name="导入往期").click()
    page.locator("input[type=file]").set_input_files(str(settings.DEMO_ISSUE_PATH))
    shot(page, "magazine-01-import-upload")
    page.get_by_role("button", name="读取文件").click()
    page.wait_for_url(re.compile(r".*/admin/magazine/import/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(ISSUE))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(re.escape(ARTICLE))).first).to_be_visible()
    # The contents gives 特别报道's first page (P04) only: the editor enters the second article's pages.
    expect(page.get_by_label(f"《{FIRST_REPORT}》的起始页码")).to_have_value("4")
    expect(page.get_by_label(f"《{SECOND_REPORT}》的起始页码")).to_have_value("")
    page.get_by_label(f"《{SECOND_REPORT}》的起始页码").fill("9")
    page.get_by_label(f"《{SECOND_REPORT}》的结束页码").fill("12")
    shot(page, "magazine-02-import-preview")
    page.get_by_role("button", name="创建为草稿").click()
    expect(page.get_by_text(re.compile(r"已保存为草稿：新增\d+篇"))).to_be_visible()
    shot(page, "magazine-03-drafts-created")

    # -- ... and submits the issue to the review workflow from the page editor
    issue_id = re.search(r"/admin/pages/(\d+)/", page.url).group(1)
    header_actions(page).get_by_role("link", name="编辑", exact=True).click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{issue_id}/edit/$"))
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target=toggle]").last.click()
    page.get_by_role("button", name=re.compile("提交给期刊审校")).click()
    expect(page.get_by_text(f"页面 '{ISSUE}' 已经提交进行审核。")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(ISSUE)).get_by_text("审核中")).to_be_visible()
    shot(page, "magazine-04-submitted-for-review")

    # -- the chief editor approves it from the dashboard's "等待你的审查" panel, as a person would
    log_in_as(page, live_server, chief)
    to_admin(page, live_server)
    panel = page.locator("section", has=page.get_by_role("heading", name="等待你的审查")).last
    row = panel.locator("tr", has_text=ISSUE)
    expect(row).to_be_visible()
    shot(page, "magazine-05-dashboard-awaiting-review")
    row.locator("[data-w-dropdown-target=toggle]").click()  # the row's "…" menu
    row.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="等待你的审查")).to_have_count(0)  # nothing left to review
    shot(page, "magazine-06-approved")
    # The issue is live with all its articles: the explorer lists none as a draft (found by the sidebar's search).
    page.locator("#menu-search-q").fill(ISSUE)
    page.locator("#menu-search-q").press("Enter")
    page.get_by_role("link", name=f"查看'{ISSUE}'的子页面").first.click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{issue_id}/$"))
    expect(page.locator("tbody tr", has_text="在用")).to_have_count(23)
    expect(page.locator("tbody tr", has_text="草稿")).to_have_count(0)
    shot(page, "magazine-07-issue-live-with-articles")
    # The issue's printed-pages form shows what the editor entered in the preview.
    header_actions(page).get_by_role("link", name="文章页码").click()
    page.wait_for_url(re.compile(rf".*/admin/magazine/issue/{issue_id}/pages/$"))
    expect(page.get_by_label(f"《{SECOND_REPORT}》的起始页码")).to_have_value("9")
    expect(page.get_by_label(f"《{THIRD_REPORT}》的起始页码")).to_have_value("")
    shot(page, "magazine-07b-issue-pages")

    # -- an anonymous reader searches from the header and opens the article
    page.context.clear_cookies()
    go_home(page, live_server)
    page.get_by_placeholder("检索期刊文章").fill("信用修复")
    page.get_by_role("button", name="搜索").first.click()
    page.wait_for_url(re.compile(r".*/search/\?.*q="))
    first = page.locator("main h2 a").first
    expect(first).to_contain_text(ARTICLE)
    shot(page, "magazine-08-search-results")
    first.click()
    expect(page.locator("h1")).to_contain_text(ARTICLE)
    expect(page.get_by_text("信用修复").first).to_be_visible()
    shot(page, "magazine-09-article")

    # -- the issue page lists every article; the second special report carries the page the editor entered
    page.get_by_role("navigation", name="当前位置").get_by_role("link", name=ISSUE).click()
    assert_chinese_ui(page)
    expect(page.locator(".contents__title")).to_have_count(23)
    shot(page, "magazine-10-issue")
    page.get_by_role("link", name=SECOND_REPORT).click()
    expect(page.locator(".article-meta")).to_contain_text("第9–12页")
    expect(page.locator(".cite__text")).to_contain_text("信用浙江, 2019(3): 9-12.")
    expect(page.locator("a[rel=next]")).to_contain_text(THIRD_REPORT)
    shot(page, "magazine-11-article-pages")

    # -- the footer's 网站地图 opens the site map for people
    page.get_by_role("contentinfo").get_by_role("link", name="网站地图").click()
    expect(page.locator("h1")).to_have_text("网站地图")
    for name in ("会员名录", "服务项目清单", "公示", ISSUE):
        expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()
    shot(page, "magazine-12-site-map")


def header_actions(page):
    """The admin header's "…" menu of the page (Wagtail's 动作 dropdown), opened."""
    page.locator("header [data-w-dropdown-target=toggle]").first.click()
    return page.locator("[data-w-dropdown-target=content]:visible").first
