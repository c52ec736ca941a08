"""Sessions survive the cache; the page cache stores one entry per meaningful URL (issue #18)."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from portal.core.cache import HEADER, AnonymousPageCacheMiddleware, cache_key
from tests.conftest import PASSWORD

from .test_resilience_settings import production_settings


@pytest.fixture
def cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    return settings


@pytest.fixture(scope="module")
def production_session_engine():
    return production_settings(CACHE_URL="redis://127.0.0.1:6379/0")["SESSION_ENGINE"]


def test_login_survives_a_cache_restart_with_production_sessions(settings, production_session_engine, client,
                                                                 firm_a_user):
    settings.SESSION_ENGINE = production_session_engine
    response = client.post("/accounts/login/", {"login": firm_a_user.email, "password": PASSWORD})
    assert response.status_code == 302
    cache.clear()  # Redis restarted without persistence, or evicted every key
    assert client.get("/account/").status_code == 200


def test_expired_sessions_are_cleared_by_the_due_jobs(client, firm_a_user):
    import datetime
    import io

    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(firm_a_user)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - datetime.timedelta(1))
    call_command("run_due_jobs", stdout=io.StringIO())
    assert list(Session.objects.values_list("session_key", flat=True)) == [client.session.session_key]


def _cached_entries() -> int:
    """Stored pages (LocMemCache's store in test settings), not the families' versions."""
    return len([key for key in cache._cache if ":version:" not in key])


def test_query_parameters_pages_do_not_read_share_the_entry_of_the_url_without_them(client, home_page, cache_on):
    assert client.get("/")[HEADER] == "miss"
    entries = _cached_entries()
    for junk in ("?utm_source=newsletter", "?from=singlemessage&isappinstalled=0", "?fbclid=abc", "?x=1&y=2"):
        response = client.get("/" + junk)
        assert response.status_code == 200
        assert response[HEADER] == "hit"
    assert _cached_entries() == entries


def test_a_flood_of_junk_urls_creates_no_entries(client, home_page, cache_on):
    for n in range(30):
        assert client.get(f"/?nocache={n}").status_code == 200
    assert _cached_entries() == 0  # no page was stored
    assert client.get("/")[HEADER] == "miss"  # the junk never stood in for the real page


def test_junk_does_not_change_the_key_but_pages_parameters_do(rf):
    assert cache_key(rf.get("/members/", {"page": "2", "utm_source": "x"})) == cache_key(rf.get("/members/?page=2"))
    assert cache_key(rf.get("/members/?q=a&page=2")) == cache_key(rf.get("/members/?page=2&q=a"))
    assert cache_key(rf.get("/members/?page=2")) != cache_key(rf.get("/members/?page=3"))
    assert cache_key(rf.get("/members/?page=2")) != cache_key(rf.get("/members/"))


def test_search_pages_are_cached_per_query(client, home_page, cache_on):
    assert client.get("/search/?q=信用")[HEADER] == "miss"
    assert client.get("/search/?q=信用&utm_medium=x")[HEADER] == "hit"
    assert client.get("/search/?q=修复")[HEADER] == "miss"


def test_very_long_kept_query_is_served_but_not_stored(client, home_page, cache_on):
    url = "/search/?q=" + "信" * 100
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert HEADER not in response


def _view_reading(name):
    def view(request):
        return HttpResponse(f"value={request.GET.get(name)}")

    return view


def test_page_reading_a_parameter_outside_the_list_is_never_stored(rf, cache_on):
    from django.contrib.auth.models import AnonymousUser

    middleware = AnonymousPageCacheMiddleware(_view_reading("secret"))

    def get(path):
        request = rf.get(path)
        request.user = AnonymousUser()
        return middleware(request)

    assert HEADER not in get("/x/")
    response = get("/x/?secret=1")
    assert response.content == b"value=1"  # not the copy of /x/: nothing was stored
    assert HEADER not in get("/x/")


def test_page_reading_listed_parameters_is_stored(rf, cache_on):
    from django.contrib.auth.models import AnonymousUser

    middleware = AnonymousPageCacheMiddleware(_view_reading("page"))

    def get(path):
        request = rf.get(path)
        request.user = AnonymousUser()
        return middleware(request)

    assert get("/x/?page=2")[HEADER] == "miss"
    hit = get("/x/?page=2&ref=mail")
    assert (hit[HEADER], hit.content) == ("hit", b"value=2")
