"""A visitor signs up agreeing to the user agreement and the privacy policy, confirms the email, logs in, looks at
what the portal holds about them, downloads a copy and cancels the account, which can no longer log in."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from portal.privacy.models import Consent

from .helpers import FIRM_PASSWORD, download, go_home, last_mail_link

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("migrated_data")]

EMAIL = "geren-xinxi@example.com"


def test_sign_up_with_consent_download_my_data_and_cancel_the_account(page, live_server, site, shot):
    from portal.privacy.demo import ensure_documents

    ensure_documents()
    url = live_server.url

    # -- sign up from the home page: the box is unticked and links both documents
    go_home(page, live_server)
    expect(page.locator("footer").get_by_role("link", name="隐私政策")).to_be_visible()
    page.get_by_role("link", name="注册").first.click()
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", FIRM_PASSWORD)
    page.fill("input[name=password2]", FIRM_PASSWORD)
    box = page.locator("input[name=agree]")
    expect(box).not_to_be_checked()
    expect(page.locator("form").get_by_role("link", name="《用户协议》")).to_have_attribute("href", "/user-agreement/")
    expect(page.locator("form").get_by_role("link", name="《隐私政策》")).to_have_attribute("href", "/privacy-policy/")
    shot(page, "privacy-01-signup-consent")
    page.locator("form button[type=submit]").last.click()  # without the box: the browser does not send it
    assert box.evaluate("e => e.validity.valueMissing") is True
    assert "/accounts/signup/" in page.url and not get_user_model().objects.filter(email=EMAIL).exists()
    box.check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/"))
    user = get_user_model().objects.get(email=EMAIL)
    assert sorted(Consent.objects.filter(user=user).values_list("kind", "version")) == [("privacy", 1), ("terms", 1)]

    # -- confirm the address (the only typed URL: the link from the email), then log in through the form
    link = last_mail_link(r"https?://[^\s]+/accounts/confirm-email/[^\s]+")
    page.goto(url + "/accounts/" + link.split("/accounts/", 1)[1])
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="登录").first.click()
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", FIRM_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/account/$"))  # agreed at sign-up: not asked again

    # -- what the portal holds about me, and a copy
    expect(page.get_by_role("heading", name="个人信息与隐私")).to_be_visible()
    shot(page, "privacy-02-my-account")
    page.locator("main").get_by_role("link", name="我的个人信息").click()
    expect(page.locator("h1")).to_have_text("我的个人信息")
    expect(page.get_by_text(EMAIL).first).to_be_visible()
    expect(page.get_by_role("heading", name="同意记录")).to_be_visible()
    shot(page, "privacy-03-my-data")
    body, name = download(page, page.get_by_role("link", name="下载副本（JSON）"))
    assert name.startswith("个人信息-") and name.endswith(".json")
    data = json.loads(body)
    assert data["account_id"] == user.pk
    assert data["sections"][0]["items"][0]["登录邮箱"] == EMAIL
    consents = next(s for s in data["sections"] if s["title"] == "同意记录")["items"]
    assert sorted(c["文件"] for c in consents) == ["用户协议", "隐私政策"]

    # -- cancel the account
    page.locator("main").get_by_role("link", name="注销账号").first.click()
    expect(page.locator("h1")).to_have_text("注销账号")
    page.fill("input[name=password]", FIRM_PASSWORD)
    page.locator("input[name=confirm]").check()
    shot(page, "privacy-04-cancel")
    page.get_by_role("button", name="立即注销账号").click()
    page.wait_for_url(re.compile(r".*/account/privacy/cancelled/$"))
    expect(page.locator("h1")).to_have_text("您的账号已注销")
    shot(page, "privacy-05-cancelled")

    # -- the account can no longer log in
    page.get_by_role("link", name="登录").first.click()
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", FIRM_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    expect(page.get_by_role("link", name="我的账户")).to_have_count(0)
    shot(page, "privacy-06-login-refused")
    user.refresh_from_db()
    assert (user.is_active, user.email) == (False, f"cancelled-{user.pk}@invalid")
