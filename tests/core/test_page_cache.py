import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse

from portal.core import cache as page_cache
from portal.core.cache import HEADER, AnonymousPageCacheMiddleware, invalidate_public_pages


@pytest.fixture
def cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    return settings


def test_cache_is_off_in_test_settings_by_default(client, home_page):
    assert django_settings.PORTAL_PAGE_CACHE_SECONDS == 0
    assert HEADER not in client.get("/")


def test_anonymous_page_is_served_from_cache_without_queries(client, home_page, cache_on,
                                                             django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second[HEADER] == "hit"
    assert second.content == first.content
    # Headers set outside the cache layer are still present on a hit.
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"



def test_a_hit_is_answered_before_csp_sessions_and_the_locale_run(client, home_page, cache_on, monkeypatch):
    """Issue #16: the cached page's share of the static file's rate. A hit is answered right after
    WhiteNoise with the headers the inner middleware added when the page was stored; none of them
    runs again."""
    from csp.middleware import CSPMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    from portal.core.middleware import ChineseFirstLocaleMiddleware

    first = client.get("/")
    assert first[HEADER] == "miss"
    ran = []
    for middleware in (CSPMiddleware, SessionMiddleware, ChineseFirstLocaleMiddleware):
        original = middleware.process_request

        def spy(self, request, original=original, name=middleware.__name__):
            ran.append(name)
            return original(self, request)

        monkeypatch.setattr(middleware, "process_request", spy)
    second = client.get("/")
    assert second[HEADER] == "hit"
    assert ran == []
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Permissions-Policy"):
        assert second[header] == first[header]
    assert "Cookie" in second["Vary"]
    # A miss still runs them (the spies see the request of another URL).
    assert client.get("/?page=2")[HEADER] == "miss"
    assert set(ran) == {"CSPMiddleware", "SessionMiddleware", "ChineseFirstLocaleMiddleware"}

def test_cache_key_includes_query_string_and_language(client, home_page, cache_on):
    assert client.get("/")[HEADER] == "miss"
    assert client.get("/?page=2")[HEADER] == "miss"
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/")
    assert english[HEADER] == "miss"
    assert english["Content-Language"] == "en"
    assert client.get("/")[HEADER] == "hit"


def test_logged_in_user_is_never_served_or_stored(client_for, firm_a_user, home_page, cache_on):
    client = client_for(firm_a_user)
    for _ in range(2):
        assert HEADER not in client.get("/")
    client.logout()
    assert client.get("/")[HEADER] == "miss"


def test_post_is_never_cached(client, home_page, cache_on):
    client.get("/")
    assert HEADER not in client.post("/", {})


def test_visitor_with_messages_cookie_bypasses_cache(client, home_page, cache_on):
    client.get("/")
    client.cookies["messages"] = "x"
    assert HEADER not in client.get("/")


def test_login_and_admin_pages_are_never_cached(client, db, cache_on):
    for url in ("/accounts/login/", "/admin/login/"):
        assert HEADER not in client.get(url)


def _middleware(response_factory):
    calls = []

    def get_response(request):
        calls.append(request.path)
        return response_factory()

    return AnonymousPageCacheMiddleware(get_response), calls


def _rf_get(rf, path="/news/"):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get(path)
    request.user = AnonymousUser()
    return request


def _cookie_response():
    response = HttpResponse("with cookie")
    response.set_cookie("csrftoken", "x")
    return response


def _private_response():
    response = HttpResponse("private")
    response["Cache-Control"] = "private"
    return response


def _no_store_response():
    response = HttpResponse("no-store")
    response["Cache-Control"] = "no-cache, no-store"
    return response


def _varying_response():
    response = HttpResponse("varies")
    response["Vary"] = "User-Agent"
    return response


@pytest.mark.parametrize(
    "factory",
    [_cookie_response, _private_response, _no_store_response, _varying_response,
     lambda: HttpResponse("gone", status=404), lambda: HttpResponse("moved", status=302)],
)
def test_uncacheable_responses_are_not_stored(rf, cache_on, factory):
    middleware, calls = _middleware(factory)
    middleware(_rf_get(rf))
    middleware(_rf_get(rf))
    assert calls == ["/news/", "/news/"]


def test_plain_response_is_stored_once(rf, cache_on):
    middleware, calls = _middleware(lambda: HttpResponse("plain"))
    assert middleware(_rf_get(rf))[HEADER] == "miss"
    assert middleware(_rf_get(rf))[HEADER] == "hit"
    assert calls == ["/news/"]


def test_skip_page_cache_decorator(rf, cache_on):
    view = page_cache.skip_page_cache(lambda request: HttpResponse("per visitor"))
    middleware = AnonymousPageCacheMiddleware(view)
    middleware(_rf_get(rf))
    assert HEADER not in middleware(_rf_get(rf))


def test_zero_seconds_disables(rf, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    middleware, calls = _middleware(lambda: HttpResponse("plain"))
    middleware(_rf_get(rf))
    middleware(_rf_get(rf))
    assert calls == ["/news/", "/news/"]


def test_invalidate_public_pages_drops_everything_after_commit(client, home_page, cache_on,
                                                               django_capture_on_commit_callbacks):
    client.get("/")
    assert client.get("/")[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages()
    assert client.get("/")[HEADER] == "miss"


def test_invalidation_waits_for_commit(client, home_page, cache_on, django_capture_on_commit_callbacks):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invalidate_public_pages()
    assert client.get("/")[HEADER] == "hit"
    assert len(callbacks) == 1


def test_publishing_a_page_invalidates(client, home_page, cache_on, django_capture_on_commit_callbacks):
    from portal.core.models import StandardPage

    page = home_page.add_child(instance=StandardPage(title="章程", slug="charter", body="<p>旧</p>"))
    page.save_revision().publish()
    assert client.get("/charter/")[HEADER] == "miss"
    assert client.get("/charter/")[HEADER] == "hit"
    page.body = "<p>新的章程</p>"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    response = client.get("/charter/")
    assert response[HEADER] == "miss"
    assert "新的章程" in response.content.decode()


def test_unpublishing_a_page_invalidates(client, home_page, cache_on, django_capture_on_commit_callbacks):
    from portal.core.models import StandardPage

    page = home_page.add_child(instance=StandardPage(title="通知", slug="notice"))
    page.save_revision().publish()
    assert client.get("/notice/")[HEADER] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert client.get("/notice/").status_code == 404


def test_contact_setting_change_invalidates(client, home_page, cache_on, django_capture_on_commit_callbacks):
    from portal.core.models import AssociationContact

    client.get("/")
    contact = AssociationContact.load()
    contact.phone = "（0571）12345678"
    with django_capture_on_commit_callbacks(execute=True):
        contact.save()
    response = client.get("/")
    assert response[HEADER] == "miss"


def test_public_page_sets_no_cookie_for_anonymous_visitor(client, home_page):
    response = client.get("/")
    assert not response.cookies


def test_language_switch_works_without_csrf_token(home_page):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_workers_copy_of_a_page_is_served_only_while_its_versions_hold(client, home_page, cache_on,
                                                                         django_capture_on_commit_callbacks):
    """Issue #16: a worker keeps the pages it served (near_pages) so a hit reads only the versions
    from the shared cache; an invalidation from any server (a bump in the shared cache) is seen at
    once, and a newer page stored by another worker is taken from the shared cache."""
    from django.core.cache import cache

    from portal.core.cache import cache_key, near_pages

    assert client.get("/")[HEADER] == "miss"
    request = client.get("/").wsgi_request
    key = cache_key(request)
    assert near_pages.get(key) is not None
    cache.delete(key)  # the shared entry is gone (evicted): this worker's copy still answers
    assert client.get("/")[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages("site")  # another server's write, seen through the shared versions
    assert client.get("/")[HEADER] == "miss"
    # Another worker renders the page anew and stores it; this worker's copy is stale.
    stale = near_pages.get(key)
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages("site")
    assert client.get("/")[HEADER] == "miss"  # stored afresh, shared and near
    fresh = cache.get(key)
    near_pages.set(key, stale)
    hit = client.get("/")
    assert hit[HEADER] == "hit"
    assert near_pages.get(key) == fresh
