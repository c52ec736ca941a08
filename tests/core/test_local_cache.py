"""A single server without Redis keeps its page cache and fragments (issue #16): production settings
use a cache every worker shares (Django's DatabaseCache, its table made by `migrate`)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from portal.core.cache import HEADER, near_cache

ROOT = Path(__file__).resolve().parents[2]


def production_cache_settings(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'CACHES': s.CACHES, 'PAGE': s.PORTAL_PAGE_CACHE_SECONDS, "
        "'FRAGMENTS': s.PORTAL_FRAGMENT_CACHE_SECONDS}, default=str))"
    )
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": "production-settings-test-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "portal.example.org"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_without_redis_caches_in_the_database_with_pages_and_fragments_on():
    s = production_cache_settings()
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert s["CACHES"]["default"]["LOCATION"] == "portal_cache"
    assert (s["PAGE"], s["FRAGMENTS"]) == (300, 3600)
    with_redis = production_cache_settings(CACHE_URL="redis://10.0.0.5:6379/0")
    assert with_redis["CACHES"]["default"]["BACKEND"] == "portal.core.resilient_cache.ResilientCache"


def test_migrate_creates_the_cache_table(db):
    assert "portal_cache" in connection.introspection.table_names()


@pytest.fixture
def database_cache(settings, db):
    from portal.settings.base import local_caches

    settings.CACHES = local_caches()
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 3600
    near_cache.clear()
    yield cache
    near_cache.clear()


def test_pages_and_invalidations_are_shared_through_the_database(database_cache, home_page, client,
                                                                 django_capture_on_commit_callbacks):
    from portal.core.models import AssociationContact

    assert client.get("/")[HEADER] == "miss"
    near_cache.clear()  # another worker of the server
    assert client.get("/")[HEADER] == "hit"
    contact = AssociationContact.load()
    contact.phone = "0571-11112222"
    with django_capture_on_commit_callbacks(execute=True):
        contact.save()
    near_cache.clear()
    response = client.get("/")
    assert response[HEADER] == "miss"
    assert "0571-11112222" in response.content.decode()
