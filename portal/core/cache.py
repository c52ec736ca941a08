"""Whole-response cache of public pages for anonymous visitors, fragments, and their invalidation.

`AnonymousPageCacheMiddleware` (right after WhiteNoise: outside CSP, sessions and the locale, whose
headers are stored with the page, so a hit costs one cache round trip) stores the full response
of an anonymous GET/HEAD for `settings.PORTAL_PAGE_CACHE_SECONDS` (0 = off) in
the default cache (Redis in production, shared by every app server; a local cache
shared by the workers of a single server without Redis), keyed by the URL (scheme,
host, path, and the query parameters public pages read, see QUERY_PARAMS) and the
active language.

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

Invalidation is scoped by *family* of public data (FAMILIES: site, pages, magazine,
members, showcase, services). Each family has a version in the shared cache; a write
bumps only its families (`invalidate_public_pages("members")`, or
`invalidate_on_change(Model, family=...)`), and everything cached records the versions
of the families it was built from:
- a cached page records the families its request depended on: those the view or page
  declared (`depends_on`, `@public_data`, a page type's `cache_families`), else those of
  the view's app (APP_FAMILIES), else all of them; plus every fragment's and memo's
  families, plus "site" (the layout). A hit is served only while every one of those
  versions is unchanged (all versions and the page are read in one round trip);
- a fragment or memo (`{% publiccache … depends="magazine" %}`, `public_memo(…, families=)`)
  has its families' versions in its key.
So a payment (members) or an objection (showcase) leaves the magazine's pages and
fragments alone, and publishing an article drops the issue, archive, home, feeds and
search but not the member directory. A family nobody declared is "all of them":
undeclared code is never served stale.

Production without Redis on a single server uses a cache shared by its workers
(portal.settings.base.local_caches), so pages and fragments stay cached there too.
While Redis is unavailable (portal.core.resilient_cache) every read misses and
every write is dropped, invalidations included, so pages are rendered uncached; when it
answers again every version is bumped, so nothing cached before the outage is served after it.
"""

import hashlib
import sys
import threading
import uuid
from collections import OrderedDict

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

from .middleware import chosen_language

# The families of public data, each with its own version. "pages" is the page tree itself
# (routes, the Site, page objects): every publication, move or deletion of a page bumps it.
FAMILIES = ("site", "pages", "magazine", "members", "showcase", "services")
ALL = frozenset(FAMILIES)
# Which families an app's models (saved or deleted), pages (published, unpublished) and
# public views belong to. An app not listed belongs to all of them (never stale).
APP_FAMILIES = {
    "magazine": ("magazine",),
    "members": ("members",),
    "showcase": ("showcase",),
    "showcase_awards": ("showcase",),
    "services": ("services",),
    # unit names show in the member and unit directories and the service catalogue
    "organisations": ("members", "showcase", "services"),
}
VERSION_PREFIX = "portal:pagecache:version:"
VERSION_KEYS = {family: VERSION_PREFIX + family for family in FAMILIES}
HEADER = "X-Page-Cache"
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/account/", "/documents/", "/i18n/", "/static/", "/media/")
_CACHEABLE_VARY = {"cookie", "accept-language", "accept-encoding"}
# The query parameters public pages read (pagination, search, directory and catalogue filters,
# the fee estimator, sitemap pages); settings.PORTAL_PAGE_CACHE_QUERY_PARAMS overrides the list.
QUERY_PARAMS = frozenset({
    "page", "p", "q", "year", "column", "region", "tier", "status", "category", "provider", "fee", "when", "base",
    "after", "before",
})
MAX_STORED_QUERY = 200  # characters of the kept query string; longer ones are served but never stored


def page_cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0) or 0)


# -- families and their versions ----------------------------------------------------------------------


def families_of(obj) -> frozenset[str]:
    """The families a model, page type, instance, app label or module name belongs to.

    A class may say so itself with ``cache_families``; otherwise its app decides (APP_FAMILIES);
    anything else belongs to every family.
    """
    if isinstance(obj, str):
        label = obj
        if "." in obj or obj not in APP_FAMILIES:
            config = apps.get_containing_app_config(obj)
            label = config.label if config else obj
        return frozenset(APP_FAMILIES.get(label, FAMILIES))
    declared = getattr(obj, "cache_families", None)
    if declared:
        return frozenset(declared)
    meta = getattr(obj, "_meta", None)
    if meta is not None:
        return frozenset(APP_FAMILIES.get(meta.app_label, FAMILIES))
    return ALL


def _checked(families) -> tuple[str, ...]:
    """Families in FAMILIES order (so keys are stable); unknown names are a programming error."""
    wanted = set(families)
    unknown = wanted - ALL
    if unknown:
        raise ValueError(f"unknown cache families: {sorted(unknown)} (known: {FAMILIES})")
    return tuple(f for f in FAMILIES if f in wanted)


def _read_versions(extra_keys=()) -> tuple[dict, dict]:
    """({family: version}, {extra key: value}) in one round trip; missing versions are created."""
    found = cache.get_many([*VERSION_KEYS.values(), *extra_keys])
    versions = {}
    for family, key in VERSION_KEYS.items():
        version = found.get(key)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(key, version, None)
            version = cache.get(key) or version  # another process may have added one first
        versions[family] = version
    return versions, {key: found[key] for key in extra_keys if key in found}


def family_versions(request=None, extra_keys=()) -> dict:
    """{family: version}: read from the shared cache once per request (one consistent view)."""
    versions = getattr(request, "_portal_versions", None) if request is not None else None
    if versions is None:
        versions, _extra = _read_versions()
        if request is not None:
            request._portal_versions = versions
    return versions


def public_data_version(request=None, families=ALL) -> str:
    """A token that changes whenever one of these families is invalidated (for caches of derived data)."""
    versions = family_versions(request)
    return ".".join(versions[f][:12] for f in _checked(families))


def depends_on(request, *families) -> None:
    """Record that this request's response shows data of these families (views and page types;
    fragments and memos record theirs themselves)."""
    if request is None:
        return
    declared = getattr(request, "_portal_families", None)
    if declared is None:
        declared = request._portal_families = set()
    declared.update(_checked(families or ALL))


def _used(request, families) -> None:
    if request is not None:
        used = getattr(request, "_portal_used_families", None)
        if used is None:
            used = request._portal_used_families = set()
        used.update(families)


def public_data(*families):
    """View decorator: the view's public data belongs to these families (overrides its app's)."""
    from functools import wraps

    checked = _checked(families or ALL)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            depends_on(request, *checked)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def request_families(request) -> tuple[str, ...]:
    """The families a response depends on (see the module docstring)."""
    families = set(getattr(request, "_portal_families", ()) or ())
    if not families:
        match = getattr(request, "resolver_match", None)
        func = getattr(match, "func", None)
        module = getattr(func, "__module__", None) if func is not None else None
        families = set(families_of(module)) if module else set(ALL)
    families.update(getattr(request, "_portal_used_families", ()) or ())
    families.add("site")
    return _checked(families)


def _bump(families) -> None:
    cache.set_many({VERSION_KEYS[f]: uuid.uuid4().hex for f in _checked(families)}, None)


def _bump_all(**_signal_kwargs) -> None:
    _bump(ALL)


def _caller_families(depth: int = 2) -> frozenset[str]:
    """The families of the app whose code called us (all of them outside an app)."""
    module = sys._getframe(depth).f_globals.get("__name__", "")
    return families_of(module) if module else ALL


def invalidate_public_pages(*families, **signal_kwargs) -> None:
    """Drop cached pages, fragments and memos of these families, after the current transaction commits.

    Without families: as a signal receiver, those of the sender (its app's, or its class's
    ``cache_families``); called from an app's code, that app's (APP_FAMILIES); else all.
    """
    if not families:
        sender = signal_kwargs.get("sender")
        families = families_of(sender) if sender is not None else _caller_families()
    families = _checked(families)
    transaction.on_commit(lambda: _bump(families))


def invalidate_page(instance=None, **_signal_kwargs) -> None:
    """A page was published, unpublished or deleted: its families and the page tree."""
    families = {"pages"}
    if instance is not None:
        specific_class = getattr(instance, "specific_class", None) or type(instance)
        families |= families_of(specific_class)
    families = _checked(families)
    transaction.on_commit(lambda: _bump(families))


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


def kept_query(request, without: str = "page") -> str:
    """The query string links on a page may carry on (a pager's, a filter's): the request's
    parameters public pages read (QUERY_PARAMS, as the page cache keeps them), without `without`.
    Anything else (utm_source, junk) is dropped, so it is never planted into a cached fragment's
    links nor makes a fragment key of its own."""
    allowed = query_params() - {without}
    return urlencode([(name, value) for name, values in request.GET.lists() if name in allowed for value in values])


def requested_page(request) -> int:
    """The listing page a request asks for: a whole number from 1, anything else (``abc``, ``0``,
    ``-2``, ``²``, twenty digits) page 1. Listings page with it and their fragment keys hold it, so
    junk values share page 1's fragment (and ``01`` page 1's) instead of each making one of its own.
    ``isdecimal``, not ``isdigit``: ``int()`` refuses a superscript digit that ``isdigit`` accepts."""
    value = request.GET.get("page", "")
    return int(value) if value.isdecimal() and len(value) <= 9 and int(value) > 0 else 1


def cache_key(request) -> str:
    """The page's entry: URL (with the kept query), language, HEAD or not. The versions of the
    families it depends on are stored in the entry itself and checked on every hit."""
    query = page_query(request)[0] if request.META.get("QUERY_STRING") else ""
    url = f"{request.scheme}://{request.get_host()}{request.path}" + (f"?{query}" if query else "")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return f"portal:pagecache:{chosen_language(request)}:{request.method == 'HEAD'}:{digest}"


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


def _stored_page(versions: dict, response) -> tuple:
    """What the cache keeps of a page: its families' versions, status, headers and body (plain
    data: cheaper to read back than a pickled response, and never shared between requests)."""
    return versions, response.status_code, list(response.items()), response.content


def _served_page(entry: tuple) -> HttpResponse:
    _versions, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    response[HEADER] = "hit"
    return response


def _fresh(entry, versions: dict) -> bool:
    return entry is not None and all(versions.get(family) == version for family, version in entry[0].items())


class AnonymousPageCacheMiddleware:
    """See the module docstring. A hit costs one round trip to the shared cache: the families'
    versions, plus the page unless this worker holds a copy of it (`near_pages`, checked against
    the same versions, so a change on any server is seen at once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = page_cache_seconds()
        if seconds <= 0 or not request_is_cacheable(request):
            return self.get_response(request)
        key = cache_key(request)
        near = near_pages.get(key)
        if near is not None:  # one round trip for the versions of the families it shows
            current = cache.get_many([VERSION_KEYS[family] for family in near[0]])
            if all(current.get(VERSION_KEYS[family]) == version for family, version in near[0].items()):
                return _served_page(near)
        # Every version (and the entry, unless held here) in one round trip; they stay the request's own.
        versions, found = _read_versions([] if near is not None else [key])
        request._portal_versions = versions
        entry = found.get(key) if near is None else cache.get(key)
        if _fresh(entry, versions):
            near_pages.set(key, entry)
            return _served_page(entry)
        query, left_out = page_query(request)
        storable = not left_out and len(query) <= MAX_STORED_QUERY
        if storable:
            _watch_query(request)
        response = self.get_response(request)
        if storable and response_is_cacheable(request, response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            patch_vary_headers(response, ("Cookie",))
            # Versions read before the page was rendered: a change committed meanwhile makes it stale.
            entry = _stored_page({family: versions[family] for family in request_families(request)}, response)
            cache.set(key, entry, seconds)
            near_pages.set(key, entry)
            response[HEADER] = "miss"
        return response


def fragment_cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_FRAGMENT_CACHE_SECONDS", 0) or 0)


class _NearCache:
    """A small per-process LRU in front of the shared cache, for values derived from public data.

    Entries are keyed with the versions of their families, which every request reads from the
    shared cache, so a worker never serves a value older than the last invalidation on any server.
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
near_pages = _NearCache(size=128)  # whole pages of one worker (the most requested); ~50 KB each


def clear_near_caches() -> None:
    near_cache.clear()
    near_pages.clear()


def public_memo(request, name: str, compute, *, keep=None, families=ALL, record=True):
    """`compute()`, remembered until one of `families` changes: in this process, then in the
    shared cache for the other workers. Off (always computes) when
    PORTAL_FRAGMENT_CACHE_SECONDS is 0. `compute()` must not return None; a value for which
    `keep(value)` is false is returned but not remembered. The request's page depends on `families`
    (unless `record` is false: infrastructure every request uses, such as the Site)."""
    families = _checked(families)
    if record:
        _used(request, families)
    seconds = fragment_cache_seconds()
    if seconds <= 0:
        return compute()
    key = f"portal:memo:{public_data_version(request, families)}:{name}"
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


def cached_fragment(request, name: str, vary_on, render, families=ALL) -> str:
    """`render()`'s output, cached for every visitor until one of `families` changes.

    Used by `{% publiccache %}`; the key holds the active language, `name` and `vary_on`
    (and, through public_memo, the families' versions). The fragment must not depend on the
    visitor. Previews (drafts) render directly.
    """
    if request is None or getattr(request, "is_preview", False):
        return render()
    digest = hashlib.sha256("\x1f".join(map(str, vary_on)).encode("utf-8")).hexdigest()[:32]
    return public_memo(request, f"fragment:{get_language() or ''}:{name}:{digest}", lambda: str(render()),
                       families=families)


def skip_page_cache(view):
    """View decorator: never cache this view's responses (e.g. per-visitor content)."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request._page_cache_skip = True
        return view(request, *args, **kwargs)

    return wrapped


def _invalidate_all(**_signal_kwargs) -> None:
    invalidate_public_pages(*FAMILIES)


def _invalidate_site(**_signal_kwargs) -> None:
    invalidate_public_pages("site")


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import AssociationContact
    from .resilient_cache import cache_recovered

    # Invalidations made while the cache was unreachable were dropped: start afresh.
    cache_recovered.connect(_bump_all, dispatch_uid="portal.pagecache.cache_recovered")
    # A page's own families and the page tree (routes, page objects).
    page_published.connect(invalidate_page, dispatch_uid="portal.pagecache.published")
    page_unpublished.connect(invalidate_page, dispatch_uid="portal.pagecache.unpublished")
    # Wagtail sends no unpublish signal when a live page is deleted.
    post_delete.connect(invalidate_page, sender=Page, dispatch_uid="portal.pagecache.page_deleted")
    # A move changes the URLs of a whole subtree, whatever its pages show: everything (rare).
    post_page_move.connect(_invalidate_all, dispatch_uid="portal.pagecache.moved")
    # The footer of every page.
    post_save.connect(_invalidate_site, sender=AssociationContact, dispatch_uid="portal.pagecache.contact")
    post_delete.connect(_invalidate_site, sender=AssociationContact, dispatch_uid="portal.pagecache.contact_del")
    # A site's hostname or root page changes every page's URL (and the remembered Site, see routing.py).
    post_save.connect(_invalidate_all, sender=Site, dispatch_uid="portal.pagecache.site")
    post_delete.connect(_invalidate_all, sender=Site, dispatch_uid="portal.pagecache.site_del")
    # A page made private must leave the page cache at once (routing checks restrictions on
    # every request itself, see routing.py).
    post_save.connect(_invalidate_all, sender=PageViewRestriction, dispatch_uid="portal.pagecache.restriction")
    post_delete.connect(_invalidate_all, sender=PageViewRestriction, dispatch_uid="portal.pagecache.restriction_del")


def invalidate_on_change(*models, family=None) -> None:
    """Drop cached public data of `family` (a name or a list; default: the model's own families,
    see families_of) whenever a row of these models is saved or deleted.

    Apps call it from `AppConfig.ready()` with the models whose data shows on public pages
    (directories, catalogue, notices).
    """
    from django.db.models.signals import post_delete, post_save

    for model in models:
        if family is None:
            families = _checked(families_of(model))
        else:
            families = _checked([family] if isinstance(family, str) else family)

        def receiver(families=families, **_signal_kwargs):
            invalidate_public_pages(*families)

        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, weak=False,
                dispatch_uid=f"pagecache:{model._meta.label}:{'save' if signal is post_save else 'delete'}",
            )
