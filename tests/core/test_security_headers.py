import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .test_request_limits import _huge_post

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>", re.I)


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_public_page_sends_strict_csp_and_security_headers(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_public_pages_have_no_inline_script(client, home_page):
    for url in ("/", "/accounts/login/", "/accounts/signup/"):
        body = client.get(url).content.decode()
        assert INLINE_SCRIPT.findall(body) == [], url
        assert re.findall(r"\son(?:click|load|submit|change)=", body) == [], url


def test_login_page_has_strict_csp(client, db):
    response = client.get("/accounts/login/")
    assert _directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_admin_relaxes_only_script_src(client_for, editor, home_page):
    response = client_for(editor).get(f"/admin/pages/{home_page.pk}/edit/")
    assert response.status_code == 200
    # Wagtail 8's admin still renders inline scripts (date/time choosers) ...
    assert 'initDateTimeChooser("id_go_live_at"' in response.content.decode()
    csp = _directives(response["Content-Security-Policy"])
    # ... so /admin/ alone allows them; every other directive is unchanged.
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]


def test_admin_home_and_reports_render_under_csp(client_for, editor, home_page):
    client = client_for(editor)
    for url in ("/admin/", f"/admin/pages/{home_page.pk}/", "/admin/reports/site-history/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "'unsafe-inline'" in _directives(response["Content-Security-Policy"])["script-src"]


def test_hsts_and_ssl_redirect_when_enabled(client, home_page, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get("/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 20 + "-production-like-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="www.zjxyxh.org",
        DATABASE_URL="sqlite:///:memory:",
    )
    env.update(extra)
    return env


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=_production_env(SECRET_KEY=""), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.X_FRAME_OPTIONS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REFERRER_POLICY, s.DEBUG, "
        "s.PORTAL_REQUIRE_STAFF_MFA, s.STORAGES['staticfiles']['BACKEND'], s.SESSION_ENGINE, "
        "s.PORTAL_PAGE_CACHE_SECONDS, s.CACHES['default']['BACKEND'], s.DATABASES['default']['CONN_MAX_AGE']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=_production_env(CACHE_URL="redis://127.0.0.1:6399/0"), capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout) == [
        31536000, True, True, True, True, "DENY", True, "same-origin", False, True,
        "whitenoise.storage.CompressedManifestStaticFilesStorage", "django.contrib.sessions.backends.db",
        300, "portal.core.resilient_cache.ResilientCache", 60,
    ]


def test_production_without_redis_keeps_the_page_cache_in_a_cache_its_workers_share():
    code = ("from django.conf import settings as s; "
            "print(s.PORTAL_PAGE_CACHE_SECONDS, s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])")
    env = _production_env()
    env.pop("PORTAL_PAGE_CACHE_SECONDS", None)
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["300", "django.contrib.sessions.backends.db",
                                     "django.core.cache.backends.db.DatabaseCache"], result.stderr


@pytest.mark.parametrize("module", ["portal.settings.dev", "portal.settings.test"])
def test_mfa_rule_is_off_outside_production(module):
    code = "from django.conf import settings as s; print(s.PORTAL_REQUIRE_STAFF_MFA)"
    env = _production_env(DJANGO_SETTINGS_MODULE=module)
    env.pop("PORTAL_REQUIRE_STAFF_MFA", None)
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


def test_production_s3_media_and_private_storages():
    code = (
        "from django.core.files.storage import storages; from django.core import checks; "
        "from portal.core.checks import check_private_storage; "
        "d, p = storages['default'], storages['private']; "
        "print(type(d).__name__, d.location, type(p).__name__, p.location, p.querystring_auth, "
        "'Signature=' in p.url('a/b.pdf'), p.querystring_expire, check_private_storage())"
    )
    env = _production_env(AWS_STORAGE_BUCKET_NAME="portal-media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
                          AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_S3_REGION_NAME="us-east-1")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "media", "S3Storage", "private", "True", "True", "300", "[]"]


# ---------------------------------------------------------------- Permissions-Policy (issue #12.13)

POLICY_MUST_DENY = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


def _policy(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


def test_every_kind_of_response_carries_permissions_policy(client, client_for, editor, home_page, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    responses = {
        "page": client.get("/"),
        "cached page": client.get("/"),
        "login": client.get("/accounts/login/"),
        "not found": client.get("/no-such-page/"),
        "static file": client.get("/static/css/portal.css"),
        "too large": _huge_post(client, "/accounts/login/"),
        "admin": client_for(editor).get("/admin/"),
    }
    assert responses["cached page"]["X-Page-Cache"] == "hit"
    assert responses["static file"].status_code == 200
    for kind, response in responses.items():
        policy = _policy(response)
        for feature in POLICY_MUST_DENY:
            assert policy[feature] == "()", (kind, feature)
