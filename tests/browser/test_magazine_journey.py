"""An editor imports a back issue in the admin and submits it for review, the chief editor publishes it with its
articles, and an anonymous reader finds the credit-repair article by a Chinese search."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.roles import Role

from .helpers import log_in_as

# Each test starts from the migrated data (roles, the review workflow, the page tree): see `migrated_data`.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.skipif(not settings.DEMO_ISSUE_PATH.is_file(), reason=f"no seed issue at {settings.DEMO_ISSUE_PATH}"),
]

ISSUE = "2019年第3期"
ARTICLE = "“信用中国”网行政处罚信息信用修复"


def test_issue_import_review_publish_and_chinese_search(page, live_server, site, shot, make_user):
    editor = make_user(Role.EDITOR, email="magazine-editor@example.com", name="编辑部")
    chief = make_user(Role.CHIEF_EDITOR, email="magazine-chief@example.com", name="主编")
    url = live_server.url

    # -- the editor uploads the text file and checks the preview
    log_in_as(page, live_server, editor)
    page.goto(url + "/admin/")
    page.get_by_role("link", name="导入往期").click()
    page.locator("input[type=file]").set_input_files(str(settings.DEMO_ISSUE_PATH))
    shot(page, "magazine-01-import-upload")
    page.get_by_role("button", name="读取文件").click()
    page.wait_for_url(re.compile(r".*/admin/magazine/import/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(ISSUE))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(re.escape(ARTICLE))).first).to_be_visible()
    shot(page, "magazine-02-import-preview")
    page.get_by_role("button", name="创建为草稿").click()
    expect(page.get_by_text(re.compile(r"已保存为草稿：新增 \d+ 篇"))).to_be_visible()
    shot(page, "magazine-03-drafts-created")

    # -- ... and submits the issue to the review workflow from the page editor
    issue_id = re.search(r"/admin/pages/(\d+)/", page.url).group(1)
    page.goto(f"{url}/admin/pages/{issue_id}/edit/")
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target=toggle]").last.click()
    page.get_by_role("button", name=re.compile("提交给期刊审校")).click()
    expect(page.get_by_text(f"页面 '{ISSUE}' 已经提交进行审核。")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(ISSUE)).get_by_text("审核中")).to_be_visible()
    shot(page, "magazine-04-submitted-for-review")

    # -- the chief editor publishes the issue with its articles
    log_in_as(page, live_server, chief)
    page.goto(f"{url}/admin/pages/{issue_id}/")
    publish = page.get_by_role("link", name="发布整期（含全部文章）")
    if not publish.is_visible():  # the page header's "more actions" menu
        page.locator("header [data-w-dropdown-target=toggle]").first.click()
    publish.click()
    expect(page.get_by_role("cell", name=ARTICLE, exact=False).first).to_be_visible()
    shot(page, "magazine-05-publish-confirm")
    page.get_by_role("button", name="发布整期（含全部文章）").click()
    expect(page.get_by_text(re.compile(rf"已发布 {ISSUE}.*及其文章（共 \d+ 个页面）。"))).to_be_visible()
    shot(page, "magazine-06-published")

    # -- an anonymous reader searches from the header and opens the article
    page.context.clear_cookies()
    page.goto(url + "/")
    page.get_by_placeholder("检索期刊文章").fill("信用修复")
    page.get_by_role("button", name="搜索").first.click()
    page.wait_for_url(re.compile(r".*/search/\?.*q="))
    first = page.locator("main h2 a").first
    expect(first).to_contain_text(ARTICLE)
    shot(page, "magazine-07-search-results")
    first.click()
    expect(page.locator("h1")).to_contain_text(ARTICLE)
    expect(page.get_by_text("信用修复").first).to_be_visible()
    shot(page, "magazine-08-article")
