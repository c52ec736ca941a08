"""Production settings for failing dependencies (issue #18): read from a fresh process."""

import json
import subprocess
import sys
from pathlib import Path

from redis.exceptions import ConnectionError as RedisConnectionError

from portal.settings.base import redis_caches

ROOT = Path(__file__).resolve().parents[2]


def production_settings(**env) -> dict:
    """Selected production settings, as a process with this environment sees them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'CACHES': s.CACHES, 'SESSION_ENGINE': s.SESSION_ENGINE, 'DATABASES': s.DATABASES, "
        "'DB_CLIENT_TIMEOUT': s.DB_CLIENT_TIMEOUT, 'DB_RETRY_SECONDS': s.DB_RETRY_SECONDS, "
        "'EMAIL_TIMEOUT': s.EMAIL_TIMEOUT, 'PORTAL_EMAIL_IN_BACKGROUND': s.PORTAL_EMAIL_IN_BACKGROUND, "
        "'SECURE_REDIRECT_EXEMPT': s.SECURE_REDIRECT_EXEMPT}, default=str))"
    )
    base = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "production-settings-test-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "portal.example.org",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_redis_cache_fails_soft_with_short_timeouts():
    s = production_settings(CACHE_URL="redis://10.0.0.5:6379/0")
    default = s["CACHES"]["default"]
    expected = redis_caches("redis://10.0.0.5:6379/0")
    retry = expected["default"]["OPTIONS"]["OPTIONS"]["CONNECTION_POOL_KWARGS"].pop("retry")
    assert (retry.get_retries(), retry._supported_errors) == (1, (RedisConnectionError,))  # not timeouts
    default["OPTIONS"]["OPTIONS"]["CONNECTION_POOL_KWARGS"].pop("retry")
    assert s["CACHES"] == expected
    assert default["BACKEND"] == "portal.core.resilient_cache.ResilientCache"
    assert default["LOCATION"] == "redis://10.0.0.5:6379/0"
    assert default["OPTIONS"]["BACKEND"] == "django_redis.cache.RedisCache"
    redis = default["OPTIONS"]["OPTIONS"]
    assert (redis["SOCKET_CONNECT_TIMEOUT"], redis["SOCKET_TIMEOUT"]) == (0.5, 0.5)
    assert default["OPTIONS"]["RETRY_AFTER"] == 5
    assert default["OPTIONS"]["LOCAL_FALLBACK_PREFIXES"] == ["allauth:rl:", "allauth.mfa.totp.used"]


def test_production_sessions_live_in_the_database_not_in_redis():
    assert production_settings(CACHE_URL="redis://10.0.0.5:6379/0")["SESSION_ENGINE"] == (
        "django.contrib.sessions.backends.db")


def test_production_postgresql_has_connect_statement_and_client_timeouts():
    s = production_settings(DATABASE_URL="postgres://portal@10.0.0.6:5432/portal")
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "portal.core.postgres"
    assert db["OPTIONS"] == {"connect_timeout": 3, "server_side_binding": True, "prepare_threshold": 5,
                             "options": "-c statement_timeout=5000"}
    assert (s["DB_CLIENT_TIMEOUT"], s["DB_RETRY_SECONDS"]) == (7.0, 5.0)


def test_database_timeouts_come_from_the_environment():
    s = production_settings(DATABASE_URL="postgres://portal@10.0.0.6:5432/portal?sslmode=require",
                            DB_CONNECT_TIMEOUT="2", DB_STATEMENT_TIMEOUT="0", DB_CLIENT_TIMEOUT="4",
                            DB_SERVER_SIDE_BINDING="0")
    assert s["DATABASES"]["default"]["OPTIONS"] == {"sslmode": "require", "connect_timeout": 2}
    assert s["DB_CLIENT_TIMEOUT"] == 4.0


def test_production_email_has_a_timeout_and_is_sent_in_the_background():
    s = production_settings()
    assert (s["EMAIL_TIMEOUT"], s["PORTAL_EMAIL_IN_BACKGROUND"]) == (10, True)


def test_health_check_is_reachable_over_plain_http():
    assert production_settings()["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]


def test_management_commands_run_without_a_statement_timeout():
    code = "from django.conf import settings as s; print(s.DB_STATEMENT_TIMEOUT, s.DB_CLIENT_TIMEOUT)"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://portal@10.0.0.6:5432/portal"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1].split() == ["0", "0.0"], result.stderr
