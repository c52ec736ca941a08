"""Page routing with few queries, through public Django and Wagtail APIs only.

Wagtail serves /magazine/2019-3/17/ with a Site query, the root page's ``.specific``,
then per level ``get_children().get(slug=…)`` plus ``.specific``, then two queries for
view restrictions (issue #8). Here, with the fragment cache on (a cache shared by every
worker), what does not depend on the visitor is remembered until the page tree changes
(the "pages" family, bumped by every publication, move and deletion, see cache.py):

* `CachedSiteMiddleware`: the request's Site, with its specific root page;
* `PathRoutingMixin` (on the site root): the location of a path (one ``url_path IN (…)``
  query finds every page along it) and the specific page itself, loaded with the ORM
  (``route_select_related`` names what its template needs with it). The remaining path
  components go to that page's own ``route()`` (routable pages' sub-routes). When an
  ancestor on the way is a routable page whose own routes claim the rest of the path,
  Wagtail's tree walk decides, so routable pages keep their precedence.
* What must never be stale is read on every request, in one query: whether the page still
  exists, whether it is live, and whether a view restriction applies to it (on it or on an
  ancestor, found by comparing tree paths in the database). A page unpublished, deleted or
  made private is refused at once, even if an invalidation was lost. Only when a restriction
  applies are the restrictions themselves read (`OneQueryViewRestrictionsMixin`, one query
  where Wagtail takes two).
"""

from __future__ import annotations

import copy

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import Resolver404, resolve
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site

from .cache import families_of, fragment_cache_seconds, public_memo

NO_SITE = "no site"
TREE = ("pages",)  # what routes, Sites and page objects depend on


def site_for_request(request, *, root_page: bool = True) -> Site | None:
    """Wagtail's Site for this request, with its root page in its specific class (without a
    query: routing needs only the tree fields every page row has); remembered until the page
    tree or a Site changes when the memo is on. Without the memo, `root_page=False` reads the
    Site alone (for links, which do not need its root page)."""

    hostname, port = split_domain_port(request.get_host())[0], request.get_port()  # validated host

    def find(with_root_page=True):
        site = site_for_hostname(hostname, port, root_page=with_root_page)
        if site is None:
            return NO_SITE
        if with_root_page:
            site.root_page = site.root_page.specific_deferred
        return site

    if fragment_cache_seconds() <= 0:
        site = find(root_page)
    else:
        # Every request looks it up: not a dependency of every page (pages served from the tree
        # depend on it through their routes).
        site = public_memo(request, f"site:{hostname}:{port}", find, families=TREE, record=False)
    return None if site == NO_SITE else site


# How well a Site matches a request, best first: Wagtail's order (wagtail.models.sites).
HOSTNAME_PORT, HOSTNAME_DEFAULT, DEFAULT, HOSTNAME = range(4)


def site_for_hostname(hostname: str, port, *, root_page: bool = True) -> Site | None:
    """The Site Wagtail's `Site.find_for_request` would choose (its rules, tested against it),
    with a plain query: Wagtail ranks the candidates in SQL, which costs more to build than the
    one to three rows it reads. With its root page read along (routing needs it), unless
    `root_page` is false (links need only the Site; the root page is then read if ever asked for)."""
    try:
        port = int(port)
    except (TypeError, ValueError):
        port = None

    def rank(site):
        if site.hostname == hostname:
            if site.port == port:
                return HOSTNAME_PORT
            return HOSTNAME_DEFAULT if site.is_default_site else HOSTNAME
        return DEFAULT

    candidates = Site.objects.order_by().filter(Q(hostname=hostname) | Q(is_default_site=True))
    sites = sorted(candidates.select_related("root_page") if root_page else candidates, key=rank)
    if not sites:
        return None
    if len(sites) == 1 or rank(sites[0]) in (HOSTNAME_PORT, HOSTNAME_DEFAULT):
        return sites[0]
    if rank(sites[0]) == DEFAULT:  # the default, unless exactly one other site has the hostname
        return sites[len(sites) == 2]
    return None


class CachedSiteMiddleware:
    """Resolve the Wagtail Site once, from memory when the memo is on (Wagtail queries it on
    every request, then its root page's specific row)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(("/static/", "/admin/")):
            return self.get_response(request)
        # Without the memo, only for the pages Wagtail serves (other views may not need a Site, and
        # /healthz must answer without the database).
        if fragment_cache_seconds() > 0 or _served_by_wagtail(request):
            # Site.find_for_request() returns request._wagtail_site when set (documented there).
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


def with_site(view):
    """View decorator for views outside Wagtail's page serving whose templates link to pages
    ({% pageurl %}): the request's Site from `site_for_request` (cheaper than Wagtail's own
    lookup, and remembered with the memo on; without it, the Site alone: links do not need its
    root page)."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request, root_page=False)
        return view(request, *args, **kwargs)

    return wrapped


def _served_by_wagtail(request) -> bool:
    try:
        return resolve(request.path_info).url_name == "wagtail_serve"
    except Resolver404:
        return False


def load_page(model, pk):
    """The live-or-not page of type `model` with this primary key, as the ORM loads it, with the
    relations its template needs (``route_select_related``) and whether a view restriction
    applies to it (``route_restricted``, read with it)."""
    select_related = getattr(model, "route_select_related", ())
    queryset = model.objects.select_related(*select_related) if select_related else model.objects.all()
    return queryset.annotate(route_restricted=restricted_above()).get(pk=pk)


MISSING = "missing"


def remembered_page(request, model, pk) -> tuple[Page | None, bool]:
    """(`load_page`, remembered until the page tree or the page's own data changes, as a copy so
    a request's attributes never reach another request; whether it was read just now). The page
    is None when it is gone."""
    loaded = []

    def load():
        loaded.append(True)
        try:
            return load_page(model, pk)
        except model.DoesNotExist:
            return MISSING

    page = public_memo(request, f"page:{model._meta.label_lower}:{pk}", load,
                       families=(*TREE, *families_of(model)), keep=lambda found: found != MISSING)
    return (None if page == MISSING else copy.copy(page)), bool(loaded)


def _routable_claims(model, live: bool, components: list[str]) -> bool:
    """Would this routable page serve `components` itself (Wagtail gives its routes precedence)?"""
    if not (live and issubclass(model, RoutablePageMixin)):
        return False
    try:
        model.get_resolver().resolve("/" + "".join(f"{c}/" for c in components))
    except Http404:
        return False
    return True


def restricted_above(outer_path="path"):
    """Exists(a view restriction on the outer page or one of its ancestors), by tree path."""
    return Exists(PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef(outer_path), 1, Length("page__path")), page__alias_of__isnull=True,
    ))


def check_current_state(page, without_aliases: bool) -> bool:
    """Read the page's current live flag and whether a restriction applies (one query); False
    when the page no longer exists."""
    state = Page.objects.filter(pk=page.pk).annotate(restricted=restricted_above()).values_list(
        "live", "restricted").first()
    if state is None:
        return False
    page.live = state[0]
    # Without aliases on the way, no restriction on the path means none at all; otherwise ask.
    page._route_restricted = state[1] if without_aliases else None
    return True


class PathRoutingMixin:
    """For the site root: route a path with one query along ``url_path`` and one for the page,
    both remembered until the page tree changes (for paths that name a page exactly)."""

    def route(self, request, path_components):
        if not path_components:
            # The Site's root page has only its tree fields (specific_deferred): the page itself
            # is read (or remembered) like any other.
            page, just_read = remembered_page(request, type(self), self.pk)
            if page is not None and just_read:
                page._route_restricted = page.route_restricted if not self.alias_of_id else None
            elif page is None or not check_current_state(page, not self.alias_of_id):
                raise Http404
            return super(PathRoutingMixin, page).route(request, path_components)
        # Remembered for paths that name a page exactly (so junk URLs are never kept).
        location = public_memo(
            request, f"route:{self.pk}:{'/'.join(path_components)}", lambda: self._locate(path_components),
            keep=lambda found: found != "walk" and found[2] == len(path_components), families=TREE,
        )
        if location == "walk":
            return super().route(request, path_components)  # let Wagtail's tree walk decide
        pk, content_type_id, consumed, without_aliases = location
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a page type whose code is gone
            raise Http404
        page, just_read = remembered_page(request, model, pk)
        if page is not None and just_read:  # its live flag and restriction were read with it
            page._route_restricted = page.route_restricted if without_aliases else None
        elif page is None or not check_current_state(page, without_aliases):  # deleted since remembered
            return super().route(request, path_components)
        return page.route(request, path_components[consumed:])

    def _locate(self, path_components):
        """(pk, content type id, path components consumed, no alias on the way) of the deepest
        page along the path; "walk" when a routable ancestor claims the rest; 404 if none."""
        prefixes, url_path = [], self.url_path
        for component in path_components:
            url_path += f"{component}/"
            prefixes.append(url_path)
        rows = {
            row[1]: row
            for row in Page.objects.filter(path__startswith=self.path, url_path__in=prefixes)
            .order_by().values_list("pk", "url_path", "content_type_id", "live", "alias_of_id")
        }
        found = None  # (index in path_components, row) of the deepest page along the path
        for index, prefix in enumerate(prefixes):
            row = rows.get(prefix)
            if row is None:
                break
            if found is not None:
                model = ContentType.objects.get_for_id(found[1][2]).model_class()
                if model and _routable_claims(model, found[1][3], path_components[found[0] + 1:]):
                    return "walk"
            found = (index, row)
        if found is None:
            raise Http404
        index, row = found
        # No alias on the way from the root: the page's view restrictions are those set on its own path.
        without_aliases = not self.alias_of_id and not any(r[4] for r in rows.values())
        return row[0], row[2], index + 1, without_aliases


class OneQueryViewRestrictionsMixin:
    """Page view restrictions of this page and its ancestors in one query (Wagtail takes two),
    or none when this request's routing found in the database that none applies; nothing about
    restrictions is remembered between requests."""

    def get_view_restrictions(self):
        if getattr(self, "_route_restricted", None) is False:
            return PageViewRestriction.objects.none()
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        # A restriction applies when set on a page of the chain that is not an alias, or on the
        # source of an alias in the chain (Wagtail resolves aliases to their source page).
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
        ).distinct()
