"""Sign-up with mandatory email verification, login by email, admin access by role."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from wagtail import hooks

from portal.accounts.roles import Role, has_role, is_firm_user


def test_signup_requires_email_verification_then_logs_in(client, home_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # allauth's emails go through the outbox
        response = client.post(
            reverse("account_signup"),
            {"email": "new-firm@example.com", "password1": "Xin-yong-2026!", "password2": "Xin-yong-2026!"},
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new-firm@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    # not verified yet: login is refused with the verification page
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new-firm@example.com", "password": "Xin-yong-2026!"})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    # follow the link from the email
    body = mail.outbox[-1].body
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", body).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(reverse("account_login"), {"login": "new-firm@example.com", "password": "Xin-yong-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("account_home")
    assert client.get(reverse("account_home")).status_code == 200


def test_signup_rejects_duplicate_email(client, home_page, firm_a_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # allauth's emails go through the outbox
        response = client.post(
            reverse("account_signup"),
            {"email": firm_a_user.email, "password1": "Xin-yong-2026!", "password2": "Xin-yong-2026!"},
        )
    # allauth does not reveal that the address is taken (no account enumeration):
    # it answers as usual and tells the owner of the address by email instead.
    assert response.status_code == 302
    assert get_user_model().objects.filter(email=firm_a_user.email).count() == 1
    assert mail.outbox[-1].to == [firm_a_user.email]


def test_account_page_requires_login(client, home_page):
    response = client.get(reverse("account_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_account_page_shows_panels_from_hooks(client_for, firm_a_user, home_page):
    def panel(request):
        return {"title": "测试面板", "template": "core/standard_page.html", "order": 1}

    with hooks.register_temporarily("register_account_panel", panel):
        html = client_for(firm_a_user).get(reverse("account_home")).content.decode()
    assert "测试面板" in html and firm_a_user.email in html


def test_firm_user_never_sees_admin(client_for, firm_a_user, home_page):
    response = client_for(firm_a_user).get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("account_home")
    assert is_firm_user(firm_a_user)


def test_anonymous_admin_goes_to_the_site_login(client, home_page):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_role_helpers(make_user):
    editor = make_user(Role.EDITOR)
    assert has_role(editor, Role.EDITOR) and not has_role(editor, Role.COUNCIL)
    assert not is_firm_user(editor)
