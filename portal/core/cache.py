"""Whole-response cache of public pages for anonymous visitors.

`AnonymousPageCacheMiddleware` (after LocaleMiddleware) stores the full response
of an anonymous GET/HEAD for `settings.PORTAL_PAGE_CACHE_SECONDS` (0 = off) in
the default cache (Redis in production, shared by every app server), keyed by
the URL (scheme, host, path, and the query parameters public pages read, see
QUERY_PARAMS) and the active language.

Query strings are bounded: parameters outside QUERY_PARAMS (utm_source, fbclid, WeChat's
from=…, a crawler's junk) are left out of the key, so such a URL is answered from the entry of
the same URL without them, and it never creates an entry of its own (only the canonical URL
does, so junk cannot be planted into cached links either). A page whose view reads a
parameter outside the list is never stored (its response could depend on it).

Never cached: requests with a session or messages cookie (a logged-in user, or
a visitor with pending messages), anything but GET/HEAD, responses other than a
plain 200, streaming responses, responses that set a cookie (every page with a
form calls get_token and so sets the CSRF cookie), that vary on something other
than Cookie/Accept-Language, or that say `Cache-Control: private/no-store/no-cache`,
and the admin, account and document areas.

Invalidation: `invalidate_public_pages()` bumps a version that is part of every
key, so all cached pages go at once (simple and correct; the site is small).
It runs on Wagtail's page_published/page_unpublished/post_page_move, on page
deletion, on changes of Sites, page view restrictions and the association contact
setting shown in the footer; apps call it
when data that shows on public pages changes (see docs/CONVENTIONS.md, "Caching").
Production settings turn the page cache off unless CACHE_URL points at Redis: a
per-process cache would keep stale copies in the workers that did not see the
invalidation. While Redis is unavailable (portal.core.resilient_cache) every read misses and
every write is dropped, invalidations included, so pages are rendered uncached; when it
answers again the version is bumped, so nothing cached before the outage is served after it.
"""

import hashlib
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

VERSION_KEY = "portal:pagecache:version"
HEADER = "X-Page-Cache"
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/account/", "/documents/", "/i18n/", "/static/", "/media/")
_CACHEABLE_VARY = {"cookie", "accept-language", "accept-encoding"}
# The query parameters public pages read (pagination, search, directory and catalogue filters,
# the fee estimator, sitemap pages); settings.PORTAL_PAGE_CACHE_QUERY_PARAMS overrides the list.
QUERY_PARAMS = frozenset({
    "page", "p", "q", "year", "column", "region", "tier", "status", "category", "provider", "fee", "when", "base",
})
MAX_STORED_QUERY = 200  # characters of the kept query string; longer ones are served but never stored


def page_cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0) or 0)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def public_data_version(request=None) -> str:
    """A token that changes whenever public pages are invalidated (for caches of derived public data).

    With a request, it is read from the cache once per request.
    """
    if request is None:
        return _version()
    version = getattr(request, "_portal_public_version", None)
    if version is None:
        version = request._portal_public_version = _version()
    return version


def _bump_version(**_signal_kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def invalidate_public_pages(**_signal_kwargs) -> None:
    """Drop every cached public page (after the current transaction commits).

    Usable directly as a signal receiver.
    """
    transaction.on_commit(_bump_version)


def query_params() -> frozenset[str]:
    return frozenset(getattr(settings, "PORTAL_PAGE_CACHE_QUERY_PARAMS", QUERY_PARAMS))


def page_query(request) -> tuple[str, bool]:
    """The request's query string reduced to QUERY_PARAMS, sorted; and whether anything was left out."""
    cached = getattr(request, "_page_cache_query", None)
    if cached is None:
        allowed = query_params()
        pairs = [(name, value) for name, values in request.GET.lists() for value in values]
        kept = sorted(pair for pair in pairs if pair[0] in allowed)
        cached = request._page_cache_query = (urlencode(kept), len(kept) != len(pairs))
    return cached


def cache_key(request) -> str:
    query = page_query(request)[0]
    url = request.build_absolute_uri(request.path) + (f"?{query}" if query else "")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return f"portal:pagecache:{public_data_version(request)}:{get_language() or ''}:{request.method == 'HEAD'}:{digest}"


class _WatchedQuery(QueryDict):
    """request.GET for a page that may be stored: reading a parameter the cache key leaves out
    marks the request as not storable (the response might depend on that parameter)."""

    allowed: frozenset = frozenset()
    request = None  # copies (pagination links) are not watched

    def _note(self, key):
        if self.request is not None and key not in self.allowed:
            self.request._page_cache_skip = True

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


def _watch_query(request) -> None:
    watched = _WatchedQuery(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
    watched.allowed, watched.request = query_params(), request
    request.GET = watched


def request_is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(EXCLUDED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "_page_cache_skip", False):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # the page depends on (and creates) a per-visitor session
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= _CACHEABLE_VARY


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = page_cache_seconds()
        if seconds <= 0 or not request_is_cacheable(request):
            return self.get_response(request)
        key = cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[HEADER] = "hit"
            return cached
        query, left_out = page_query(request)
        storable = not left_out and len(query) <= MAX_STORED_QUERY
        if storable:
            _watch_query(request)
        response = self.get_response(request)
        if storable and response_is_cacheable(request, response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            response[HEADER] = "miss"
            patch_vary_headers(response, ("Cookie",))
            cache.set(key, response, seconds)
        return response


def fragment_cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_FRAGMENT_CACHE_SECONDS", 0) or 0)


class _NearCache:
    """A small per-process LRU in front of the shared cache, for values derived from public data.

    Entries are keyed with `public_data_version()`, which every request reads from the shared
    cache, so a worker never serves a value older than the last invalidation on any server.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key: str, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


near_cache = _NearCache(size=512)  # fragments, routes and Sites of one worker; a few MB at most


def public_memo(request, name: str, compute, *, keep=None):
    """`compute()`, remembered until public data changes: in this process, then in the shared
    cache for the other workers. Off (always computes) when
    PORTAL_FRAGMENT_CACHE_SECONDS is 0. `compute()` must not return None; a value for which
    `keep(value)` is false is returned but not remembered."""
    seconds = fragment_cache_seconds()
    if seconds <= 0:
        return compute()
    key = f"portal:memo:{public_data_version(request)}:{name}"
    value = near_cache.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            if keep is not None and not keep(value):
                return value
            cache.set(key, value, seconds)
        near_cache.set(key, value)
    return value


def cached_fragment(request, name: str, vary_on, render) -> str:
    """`render()`'s output, cached for every visitor until public data changes.

    Used by `{% publiccache %}`; the key holds the active language, `name` and `vary_on`
    (and, through public_memo, `public_data_version()`). The fragment must not depend on the
    visitor. Previews (drafts) render directly.
    """
    if request is None or getattr(request, "is_preview", False):
        return render()
    digest = hashlib.sha256("\x1f".join(map(str, vary_on)).encode("utf-8")).hexdigest()[:32]
    return public_memo(request, f"fragment:{get_language() or ''}:{name}:{digest}", lambda: str(render()))


def skip_page_cache(view):
    """View decorator: never cache this view's responses (e.g. per-visitor content)."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request._page_cache_skip = True
        return view(request, *args, **kwargs)

    return wrapped


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import AssociationContact
    from .resilient_cache import cache_recovered

    # Invalidations made while the cache was unreachable were dropped: start afresh.
    cache_recovered.connect(_bump_version, dispatch_uid="portal.pagecache.cache_recovered")
    page_published.connect(invalidate_public_pages, dispatch_uid="portal.pagecache.published")
    page_unpublished.connect(invalidate_public_pages, dispatch_uid="portal.pagecache.unpublished")
    post_page_move.connect(invalidate_public_pages, dispatch_uid="portal.pagecache.moved")
    # Wagtail sends no unpublish signal when a live page is deleted.
    post_delete.connect(invalidate_public_pages, sender=Page, dispatch_uid="portal.pagecache.page_deleted")
    post_save.connect(invalidate_public_pages, sender=AssociationContact, dispatch_uid="portal.pagecache.contact")
    post_delete.connect(invalidate_public_pages, sender=AssociationContact, dispatch_uid="portal.pagecache.contact_del")
    # A site's hostname or root page changes every page's URL (and the cached Site, see routing.py).
    post_save.connect(invalidate_public_pages, sender=Site, dispatch_uid="portal.pagecache.site")
    post_delete.connect(invalidate_public_pages, sender=Site, dispatch_uid="portal.pagecache.site_del")
    # A page made private must leave the cache at once (and routing.restricted_paths with it).
    post_save.connect(invalidate_public_pages, sender=PageViewRestriction, dispatch_uid="portal.pagecache.restriction")
    post_delete.connect(invalidate_public_pages, sender=PageViewRestriction,
                        dispatch_uid="portal.pagecache.restriction_del")


def invalidate_on_change(*models) -> None:
    """Drop cached public pages whenever a row of these models is saved or deleted.

    Apps call it from `AppConfig.ready()` with the models whose data shows on
    public pages (directories, catalogue, notices).
    """
    from django.db.models.signals import post_delete, post_save

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate_public_pages, sender=model, weak=False,
                dispatch_uid=f"pagecache:{model._meta.label}:{'save' if signal is post_save else 'delete'}",
            )
