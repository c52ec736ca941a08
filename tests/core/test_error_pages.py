"""Refusals a person meets are explained in Chinese on the site's own page, never Django's English default."""

from django.test import Client
from django.urls import reverse


def test_forbidden_page_is_the_sites_own_in_chinese(client_for, make_user, home_page):
    firm = make_user(email="someone@example.com")  # not a service provider: the providers' desk refuses
    response = client_for(firm).get(reverse("services:desk"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权访问此页面" in body and 'class="error-page"' in body and "Forbidden" not in body


def test_expired_form_says_so_in_chinese(db, home_page, make_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x@example.com", "password": "wrong"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "表单已过期" in body and "CSRF" not in body and "Forbidden" not in body
    assert 'class="error-page"' in body
