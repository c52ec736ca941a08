"""Consent to the user agreement and the privacy policy: at sign-up, and again after a new version."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from portal.privacy.models import Consent, LegalDocumentPage

SIGNUP = "/accounts/signup/"


def _signup(client, email="new-firm@example.com", **extra):
    data = {"email": email, "password1": "Xin-yong-2026!", "password2": "Xin-yong-2026!", **extra}
    return client.post(SIGNUP, data, REMOTE_ADDR="203.0.113.7")


def test_signup_form_shows_an_unticked_box_linking_both_documents(client, documents):
    html = client.get(SIGNUP).content.decode()
    assert 'name="agree"' in html
    box = html[html.index('name="agree"') - 200: html.index('name="agree"') + 200]
    assert "checked" not in box
    assert 'href="/privacy-policy/"' in html and "《隐私政策》" in html
    assert 'href="/user-agreement/"' in html and "《用户协议》" in html
    assert "我已阅读并同意" in html


def test_signup_without_ticking_the_box_creates_no_account(client, documents):
    response = _signup(client)
    assert response.status_code == 200
    assert "请勾选同意后再继续" in response.content.decode()
    assert not get_user_model().objects.filter(email="new-firm@example.com").exists()
    assert Consent.objects.count() == 0


def test_signup_records_which_version_was_agreed_when_and_from_where(client, documents):
    response = _signup(client, agree="on")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new-firm@example.com")
    rows = sorted(Consent.objects.filter(user=user).values_list("kind", "version", "context", "ip", "revision_id"))
    live = dict(LegalDocumentPage.objects.values_list("kind", "live_revision_id"))
    assert rows == [
        ("privacy", 1, "signup", "203.0.113.7", live["privacy"]),
        ("terms", 1, "signup", "203.0.113.7", live["terms"]),
    ]


def test_signup_asks_nothing_while_no_document_is_published(client, home_page):
    assert 'name="agree"' not in client.get(SIGNUP).content.decode()
    assert _signup(client).status_code == 302
    assert Consent.objects.count() == 0


def test_a_new_version_asks_again_at_the_next_login(client, documents, publish_version, login, make_user):
    from portal.privacy.consent import record_consent

    user = make_user()
    record_consent(context=Consent.Context.SIGNUP, user=user)
    login(user)
    assert client.get("/account/").status_code == 200  # version 1 agreed: nothing to ask

    publish_version("privacy", 2)
    assert client.get("/account/").status_code == 200  # not in the middle of a session
    client.logout()
    login(user)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/privacy/consent/?next=%2Faccount%2F"

    page = client.get(response["Location"]).content.decode()
    assert "《隐私政策》" in page and "新增：协会向服务机构提供联系人信息的说明。" in page
    assert "《用户协议》" not in page.split("<main", 1)[1].split("</main>", 1)[0]  # terms unchanged: not asked

    refused = client.post("/account/privacy/consent/", {"next": "/account/"})
    assert refused.status_code == 400
    assert Consent.objects.filter(user=user, version=2).count() == 0

    agreed = client.post("/account/privacy/consent/", {"next": "/account/", "agree": "on"}, REMOTE_ADDR="198.51.100.4")
    assert agreed.status_code == 302 and agreed["Location"] == "/account/"
    assert list(Consent.objects.filter(user=user, version=2).values_list("kind", "context", "ip")) == [
        ("privacy", "reconsent", "198.51.100.4")]
    assert client.get("/account/").status_code == 200
    client.logout()
    login(user)
    assert client.get("/account/").status_code == 200  # agreed: not asked again


def test_a_correction_without_a_new_version_asks_nobody(client, documents, publish_version, login, make_user):
    from portal.privacy.consent import record_consent

    user = make_user()
    record_consent(context=Consent.Context.SIGNUP, user=user)
    publish_version("privacy", 1, summary="错别字")
    login(user)
    assert client.get("/account/").status_code == 200


def test_someone_who_never_agreed_is_asked_for_both(client, documents, login, firm_a_user):
    login(firm_a_user)
    response = client.get("/members/membership/")
    assert response["Location"] == "/account/privacy/consent/?next=%2Fmembers%2Fmembership%2F"
    page = client.get(response["Location"]).content.decode()
    assert "《隐私政策》" in page and "《用户协议》" in page
    client.post("/account/privacy/consent/", {"agree": "on"})
    assert sorted(Consent.objects.filter(user=firm_a_user).values_list("kind", flat=True)) == ["privacy", "terms"]


def test_staff_are_asked_too(client, documents, login, editor):
    login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/privacy/consent/?next=%2Fadmin%2F"


def test_while_asked_the_documents_logout_static_files_and_own_data_stay_reachable(client, documents, login,
                                                                                    firm_a_user):
    login(firm_a_user)
    for path in ("/privacy-policy/", "/user-agreement/", "/account/privacy/consent/", "/account/privacy/",
                 "/account/privacy/data.json", "/account/privacy/cancel/", "/static/css/portal.css"):
        assert client.get(path).status_code == 200, path
    assert client.get("/").status_code == 302
    logout = client.post("/accounts/logout/")
    assert logout.status_code == 302
    assert client.get("/").status_code == 200  # logged out: nothing to ask


def test_consent_page_never_redirects_to_another_site(client, documents, login, firm_a_user):
    login(firm_a_user)
    response = client.post("/account/privacy/consent/?next=https://evil.example.com/", {"agree": "on"})
    assert response["Location"] == "/account/"


def test_consent_page_without_anything_due_just_continues(client, documents, firm_a_user, client_for):
    from portal.privacy.consent import record_consent

    record_consent(context=Consent.Context.SIGNUP, user=firm_a_user)
    client_for(firm_a_user)
    page = client.get("/account/privacy/consent/")
    assert page.status_code == 200
    assert "您已同意当前版本" in page.content.decode()
    assert client.post("/account/privacy/consent/", {"next": "/members/"})["Location"] == "/members/"


def test_a_version_never_goes_down(documents):
    page = LegalDocumentPage.objects.get(kind="privacy")
    page.version = 2
    page.save_revision().publish()
    page.version = 1
    with pytest.raises(ValidationError) as info:
        page.full_clean()
    assert "version" in info.value.message_dict


def test_one_page_per_document(documents, home_page):
    other = LegalDocumentPage(title="隐私政策（新）", slug="privacy-2", kind="privacy", body="<p>x</p>")
    with pytest.raises(ValidationError) as info:
        other.full_clean()
    assert "kind" in info.value.message_dict


def test_policy_page_shows_version_and_effective_date(client, documents):
    html = client.get("/privacy-policy/").content.decode()
    assert "版本 1，自 2026-12-01 起生效" in html
    assert "异议人的姓名、联系方式和网络地址：异议处理完毕后保存 1 年" in html
