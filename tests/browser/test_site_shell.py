"""The site shell on a phone (issue #14.20): a compact header whose menu folds the search box, the account
links and the main navigation; the menu works with the static script and, without any script, through a link."""

import pytest
from playwright.sync_api import expect

from .helpers import header_height, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("migrated_data")]

PHONE = {"width": 390, "height": 844}


def _phone(browser, *, javascript=True):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_phone_header_is_compact_and_its_menu_opens_and_closes(browser, live_server, site, shot):
    context, page = _phone(browser)
    try:
        page.goto(live_server.url + "/")
        assert header_height(page) <= 120
        assert horizontal_overflow(page) == 0
        search = page.get_by_role("searchbox", name="检索期刊文章")
        login = page.get_by_role("link", name="登录", exact=True)
        expect(search).to_be_hidden()
        expect(login).to_be_hidden()
        expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()
        shot(page, "shell-390-closed")

        toggle = page.get_by_role("button", name="菜单")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(search).to_be_visible()
        expect(login).to_be_visible()
        expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="入会与会员")).to_be_visible()
        assert horizontal_overflow(page) == 0
        shot(page, "shell-390-open")
        page.keyboard.press("Escape")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(search).to_be_hidden()
        expect(toggle).to_be_focused()
    finally:
        context.close()


def test_phone_menu_is_reachable_without_javascript(browser, live_server, site):
    context, page = _phone(browser, javascript=False)
    try:
        page.goto(live_server.url + "/")
        assert header_height(page) <= 120
        login = page.get_by_role("link", name="登录", exact=True)
        expect(login).to_be_hidden()
        page.get_by_role("link", name="菜单").click()
        expect(login).to_be_visible()
        expect(page.get_by_role("searchbox", name="检索期刊文章")).to_be_visible()
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="入会与会员").click()
        page.wait_for_url(live_server.url + "/members/**")
    finally:
        context.close()


def test_wide_screen_shows_everything_without_a_menu_button(page, live_server, site):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("searchbox", name="检索期刊文章")).to_be_visible()
    expect(page.get_by_role("link", name="登录", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    assert header_height(page) <= 140
