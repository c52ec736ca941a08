"""A visitor opens the home page, signs up, verifies the email, logs in and out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .helpers import assert_chinese_ui, go_home, header_link

pytestmark = pytest.mark.browser


def test_signup_verify_login_logout(page, live_server, site, shot):
    go_home(page, live_server)
    assert page.locator("h1").first.inner_text() == "浙江省信用协会"
    shot(page, "01-home")

    page.get_by_role("link", name="注册").first.click()
    page.fill("input[name=email]", "browser-firm@example.com")
    page.fill("input[name=password1]", "Xin-yong-2026!")
    page.fill("input[name=password2]", "Xin-yong-2026!")
    shot(page, "02-signup")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/"))
    shot(page, "03-verification-sent")

    body = mail.outbox[-1].body
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", body).group(0)
    path = link.split("/accounts/", 1)[1]
    page.goto(f"{live_server.url}/accounts/{path}")  # the sign-up email's link
    shot(page, "04-confirm")
    page.locator("form button[type=submit]").last.click()

    page.wait_for_load_state()
    header_link(page, "登录").click()
    page.fill("input[name=login]", "browser-firm@example.com")
    page.fill("input[name=password]", "Xin-yong-2026!")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/account/$"))
    assert "browser-firm@example.com" in page.content()
    assert_chinese_ui(page)
    shot(page, "05-my-account")

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/accounts/logout/|.*/$"))
    if "/accounts/logout/" in page.url:  # confirmation page
        page.locator("form button[type=submit]").last.click()
    # signed out: the header offers 登录 again and no longer 我的账户
    expect(header_link(page, "登录")).to_be_visible()
    expect(page.locator("header.site-header").get_by_role("link", name="我的账户")).to_have_count(0)
    assert_chinese_ui(page)
    shot(page, "06-logged-out")
