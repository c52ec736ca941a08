import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from portal.accounts.roles import MFA_ROLES, Role, role_required
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _post_login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def _add_totp(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance


def test_admin_login_page_redirects_to_allauth_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"


def test_admin_login_post_never_authenticates(client, editor):
    response = client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session


def test_admin_login_redirect_drops_foreign_next(client):
    response = client.get("/admin/login/?next=https://evil.example.com/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_anonymous_admin_goes_to_allauth_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_allauth_login_of_editor_lands_in_admin(client, editor):
    response = _post_login(client, editor.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_sixth_wrong_password_within_five_minutes_is_refused(client, firm_a_user):
    for _attempt in range(5):
        response = _post_login(client, firm_a_user.email, "wrong-password")
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
        assert "_auth_user_id" not in client.session
    sixth = _post_login(client, firm_a_user.email, "wrong-password")
    assert sixth.status_code == 200
    assert "登录失败次数过多" in sixth.content.decode() or "Too many failed" in sixth.content.decode()
    # Even the right password is refused until the window has passed.
    right = _post_login(client, firm_a_user.email, PASSWORD)
    assert right.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_for_one_account_do_not_lock_another(client, firm_a_user, firm_b_user):
    for _attempt in range(6):
        _post_login(client, firm_a_user.email, "wrong-password")
    response = _post_login(client, firm_b_user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(firm_b_user.pk)


def test_firm_user_never_reaches_admin(client_for, firm_a_user):
    client = client_for(firm_a_user)
    for url in ("/admin/", "/admin/pages/", "/admin/reports/site-history/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("account_home")


def test_mfa_roles_are_all_staff_roles():
    assert MFA_ROLES == frozenset(Role)


@pytest.mark.parametrize("role", list(Role))
def test_staff_without_mfa_is_sent_to_totp_setup(client_for, make_user, settings, role):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    user = make_user(role)
    response = client_for(user).get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_mfa_redirect_carries_chinese_message(client_for, editor, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    from django.contrib.messages import get_messages

    response = client_for(editor).get("/admin/")
    assert response["Location"] == reverse("mfa_activate_totp")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["您的角色要求使用双重身份验证。请先设置身份验证器应用，然后继续。"]


def test_superuser_without_mfa_is_sent_to_totp_setup(client_for, make_user, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    admin = make_user(is_superuser=True, is_staff=True)
    assert client_for(admin).get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_staff_with_totp_reaches_admin(client_for, editor, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    _add_totp(editor)
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).count() == 1
    response = client_for(editor).get("/admin/")
    assert response.status_code == 200


def test_staff_without_mfa_reaches_admin_when_rule_is_off(client_for, editor, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    assert client_for(editor).get("/admin/").status_code == 200


def test_mfa_setup_page_itself_is_reachable(client_for, editor, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    response = client_for(editor).get(reverse("mfa_activate_totp"))
    # allauth may first ask to reauthenticate; either way no redirect loop to itself.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != reverse("mfa_activate_totp")


def test_role_required_view_sends_staff_without_mfa_to_setup(rf, expert, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    view = role_required(Role.EXPERT)(lambda request: HttpResponse("ok"))
    request = rf.get("/showcase/review/")
    request.user = expert
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    response = view(request)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    _add_totp(expert)
    expert._portal_has_totp = None
    assert view(request).content == b"ok"


def test_mfa_login_asks_for_code_after_password(client, editor, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    _add_totp(editor)
    response = _post_login(client, editor.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
