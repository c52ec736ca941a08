"""Chinese error pages in the site's design (404, 403, an expired form, 500), 503 for an unavailable database,
/healthz (issue #18)."""

import datetime
import json

import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from portal.core import errors
from portal.core.models import OutboundEmail


def test_not_found_page_is_chinese_in_the_site_design(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>页面不存在 — 浙江省信用协会</title>" in html
    assert "您访问的页面不存在或已被移动" in html
    assert 'class="site-header"' in html and "css/portal.css" in html
    assert 'href="/magazine/">信用浙江</a>' in html
    assert "Not Found" not in html


def test_not_found_page_needs_no_database(django_db_blocker):
    with django_db_blocker.block():
        assert "页面不存在" in render_to_string("404.html")


def test_server_error_page_renders_without_database_or_request(rf, django_db_blocker):
    with django_db_blocker.block():
        response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出现错误" in html and "Server Error" not in html
    assert response["Cache-Control"] == "no-store"


def test_unavailable_database_answers_503_with_retry_after(rf, django_db_blocker):
    with django_db_blocker.block():
        try:
            raise OperationalError("the database did not answer")
        except OperationalError:
            response = errors.server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode()


def test_project_uses_these_error_handlers():
    assert get_resolver().resolve_error_handler(500) is errors.server_error


def test_error_page_falls_back_to_fixed_chinese_text(settings, rf):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]  # no template found
    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器出现错误" in response.content.decode()


def _health(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def test_health_check_reports_every_dependency(client, db):
    status, body = _health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "cache": True, "email_outbox": True}
    assert body["checks"]["email_outbox"]["pending"] == 0


def test_health_check_is_never_cached(client, db, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    client.get("/healthz")
    response = client.get("/healthz")
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def cache_down(settings):
    from portal.core import resilient_cache
    from tests.core.flaky_cache import FlakyCache

    settings.CACHES = {"default": {
        "BACKEND": "portal.core.resilient_cache.ResilientCache", "LOCATION": "health",
        "OPTIONS": {"BACKEND": "tests.core.flaky_cache.FlakyCache", "RETRY_AFTER": 60},
    }}
    resilient_cache._breakers.clear()
    FlakyCache.down = True
    yield
    FlakyCache.down = False
    resilient_cache._breakers.clear()


def test_health_check_reports_a_down_cache_without_failing(client, db, cache_down):
    for _ in range(2):  # the first call finds the cache down, the second skips it
        status, body = _health(client)
        assert status == 200
        assert body["status"] == "degraded"
        assert body["checks"]["cache"]["ok"] is False
        assert body["checks"]["database"]["ok"] is True


def test_health_check_reports_a_down_database_with_503(client, db, django_db_blocker):
    with django_db_blocker.block():
        status, body = _health(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"ok": False, "error": "RuntimeError", "ms": body["checks"]["database"]["ms"]}
    assert body["checks"]["email_outbox"]["ok"] is False
    assert body["checks"]["cache"]["ok"] is True


def test_health_check_reports_an_email_backlog(client, db):
    email = OutboundEmail.objects.create(to=["a@example.com"], subject="s", body="b")
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))
    OutboundEmail.objects.create(to=["b@example.com"], subject="s", body="b", status="failed")
    status, body = _health(client)
    assert (status, body["status"]) == (200, "degraded")
    outbox = body["checks"]["email_outbox"]
    assert (outbox["ok"], outbox["pending"], outbox["sending"], outbox["failed"]) == (False, 1, 0, 1)
    assert outbox["oldest_pending_minutes"] >= 180


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
