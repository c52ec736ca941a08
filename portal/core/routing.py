"""Page routing in one query (the page itself) instead of about ten.

Wagtail serves /magazine/2019-3/17/ with a Site query, the root page's ``.specific``,
then per level ``get_children().get(slug=…)`` plus ``.specific``, then two queries for
view restrictions. Each Page query compiles a wide SELECT, which made routing half the
CPU of an uncached article (issue #8). Here:

* `CachedSiteMiddleware` remembers the request's Site (with its specific root page) with
  `cache.public_memo` until public data changes (Site changes and every publish/move
  do). Like the fragment cache it needs a cache shared by every worker, so it is on only
  when PORTAL_FRAGMENT_CACHE_SECONDS > 0.
* `PathRoutingMixin` (on the site root) finds every page along the path in one query on
  ``url_path`` (remembered for paths that name a page) and loads the deepest one, specific,
  in a second (`load_page`, SQL compiled once per process). The remaining path
  components go to that page's own ``route()`` (routable pages' sub-routes). When an
  ancestor on the way is a routable page whose own routes claim the rest of the path,
  Wagtail's tree walk decides, so routable pages keep their precedence.
* `OneQueryViewRestrictionsMixin` reads the restrictions of a page and its ancestors
  (aliases resolved to their source, as Wagtail does) in one query, or in none when the
  remembered set of restricted paths shows none on the page's path.

Page classes name what their templates need loaded with them in ``route_select_related``.
"""

from __future__ import annotations

import copy

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Q
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site

from .cache import fragment_cache_seconds, public_memo

NO_SITE = "no site"


def site_for_request(request) -> Site | None:
    """Wagtail's Site for this request, remembered until public data changes."""

    def find():
        site = Site._find_for_request(request)
        if site is None:
            return NO_SITE
        site.root_page = site.root_page.specific  # routing starts from the specific root
        return site

    hostname = split_domain_port(request.get_host())[0]  # validated: no memo entries for junk hosts
    site = public_memo(request, f"site:{hostname}:{request.get_port()}", find)
    return None if site == NO_SITE else site


class CachedSiteMiddleware:
    """Resolve the Wagtail Site from memory (Wagtail queries it on every request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if fragment_cache_seconds() > 0 and not request.path_info.startswith(("/static/", "/admin/")):
            # Site.find_for_request() returns request._wagtail_site when set (documented there).
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


_page_statements: dict = {}


def load_page(model, pk):
    """The page of type `model` with this primary key, as ``model.objects.get(pk=pk)`` returns it.

    The ORM compiles the same ~40-column join of a page type on every request (1.5 ms of an
    uncached article's 8 ms on a 2-core machine). Here the SQL is compiled once per process and
    page type; each call executes it, applies the fields' database converters and builds the
    instance as QuerySet iteration does. Page types with ``route_select_related`` go through
    the ORM.
    """
    select_related = getattr(model, "route_select_related", ())
    if select_related:
        return model.objects.select_related(*select_related).get(pk=pk)
    using = router.db_for_read(model)
    statement = _page_statements.get((model, using))
    if statement is None:
        compiler = model._base_manager.db_manager(using).filter(pk=pk).order_by().query.get_compiler(using)
        sql, params = compiler.as_sql()
        if tuple(params) != (pk,) or compiler.annotation_col_map:  # not the simple SELECT expected
            return model.objects.get(pk=pk)
        columns = [column for column, _sql, _alias in compiler.select]
        statement = _page_statements[(model, using)] = (compiler.query, sql, columns)
    query, sql, columns = statement
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    compiler = query.get_compiler(using)
    converters = compiler.get_converters(columns)
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    return model.from_db(using, [column.target.attname for column in columns], row)


def _routable_claims(model, live: bool, components: list[str]) -> bool:
    """Would this routable page serve `components` itself (Wagtail gives its routes precedence)?"""
    if not (live and issubclass(model, RoutablePageMixin)):
        return False
    try:
        model.get_resolver().resolve("/" + "".join(f"{c}/" for c in components))
    except Http404:
        return False
    return True


class PathRoutingMixin:
    """For the site root: route a path with one query along ``url_path`` and one for the page.

    Where a path names a page exactly, the first step is remembered (until public data
    changes), so a page seen before costs one query: the page itself.
    """

    def route(self, request, path_components):
        if not path_components:
            page = copy.copy(self)  # the root page comes from the Site memo, shared by requests
            page._route_request, page._route_without_aliases = request, not self.alias_of_id
            return super(PathRoutingMixin, page).route(request, path_components)
        # Remembered for paths that name a page exactly (so junk URLs are never kept).
        location = public_memo(
            request, f"route:{self.pk}:{'/'.join(path_components)}", lambda: self._locate(path_components),
            keep=lambda found: found != "walk" and found[2] == len(path_components),
        )
        if location == "walk":
            return super().route(request, path_components)  # let Wagtail's tree walk decide
        pk, content_type_id, consumed, without_aliases = location
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a page type whose code is gone
            raise Http404
        try:
            page = load_page(model, pk)
        except model.DoesNotExist:  # deleted since it was cached
            return super().route(request, path_components)
        page._route_request = request
        page._route_without_aliases = without_aliases
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


def restricted_paths(request) -> frozenset[str]:
    """Tree paths of the pages that carry a view restriction (remembered until public data changes)."""
    return public_memo(
        request, "restricted-paths", lambda: frozenset(PageViewRestriction.objects.values_list("page__path", flat=True))
    )


class OneQueryViewRestrictionsMixin:
    """Page view restrictions of this page and its ancestors in one query (Wagtail takes two),
    or none when the page was routed here without aliases and no page on its path carries one
    (restriction changes invalidate public data, see cache.connect_signals)."""

    def get_view_restrictions(self):
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        request = getattr(self, "_route_request", None)
        if request is not None and getattr(self, "_route_without_aliases", False) and fragment_cache_seconds() > 0:
            if restricted_paths(request).isdisjoint(paths):
                return PageViewRestriction.objects.none()
        # A restriction applies when set on a page of the chain that is not an alias, or on the
        # source of an alias in the chain (Wagtail resolves aliases to their source page).
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
        ).distinct()
