"""The site map: a page for people, ``sitemap.xml`` for search engines, and ``robots.txt``.

Both list every public part of the site: the Wagtail pages (home, about pages, the magazine with
its issues, articles, columns and authors) and the public views outside the page tree (the
member directory, services, the demonstration units' notices and directory…). Those views are
named here by their URL names; an app that is not installed (or renamed a view) simply drops
out (``NoReverseMatch``), so this module imports nothing from the other apps.

Absolute addresses come from the Wagtail ``Site`` (its hostname and port), which
``portal.magazine.site_address.align_site`` keeps equal to ``settings.SITE_URL`` (demo loader and
migration 0005):
Wagtail's placeholder Site ``localhost:80`` made the sitemap list ``http://localhost/…``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap_view
from wagtail.models import Page, Site

from portal.core.cache import public_data

from .models import ArticlePage, Author, Column, IssuePage, MagazineArchivePage


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str


#: The magazine's views outside the page tree (shown with the magazine's pages).
MAGAZINE_LINKS = [
    Link("magazine:search", _("Search the magazine")),
    Link("magazine:feed", _("New articles (RSS)")),
    Link("magazine:feed_atom", _("New articles (Atom)")),
]
#: The other areas' public views, by section (URL names; missing ones are left out).
SECTIONS: list[tuple[str, list[Link]]] = [
    (_("Membership"), [
        Link("members:directory", _("Member directory")),
        Link("members:join", _("Join the association")),
    ]),
    (_("Member services"), [
        Link("services:catalogue", _("Service catalogue")),
        Link("services:providers", _("Providers")),
        Link("services:events", _("Association events")),
    ]),
    (_("Credit demonstration units"), [
        Link("showcase:programme", _("Credit demonstration member units")),
        Link("awards:notices", _("Public notices")),
        Link("awards:directory", _("Directory of credit demonstration member units")),
        Link("awards:announcements", _("Revocation announcements")),
        Link("awards:reports", _("Annual summaries")),
    ]),
]

#: Page types shown on the people's site map under the magazine, not in the page tree.
MAGAZINE_PAGE_TYPES = (IssuePage, ArticlePage)
#: Paths robots should not crawl: private areas and search results.
ROBOTS_DISALLOW = ["/admin/", "/account/", "/accounts/", "/search/"]


def resolved(links: list[Link]) -> list[tuple[str, str]]:
    """(path, label) of the links whose views exist."""
    out = []
    for link in links:
        try:
            out.append((reverse(link.url_name), str(link.label)))
        except NoReverseMatch:
            continue
    return out


def public_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    return [(str(title), links) for title, links in ((t, resolved(ls)) for t, ls in SECTIONS) if links]


# --------------------------------------------------------------------------- sitemap.xml


class PagesSitemap(WagtailSitemap):
    """Every live public page of the site (Wagtail's sitemap), at the Site's address."""


class ViewsSitemap(DjangoSitemap):
    """The public views outside the page tree, at the same address as the pages."""

    def __init__(self, request):
        self.request = request

    def items(self):
        links = [*resolved(MAGAZINE_LINKS), *(link for _title, links in public_sections() for link in links)]
        return [path for path, _label in links]

    def location(self, item):
        return item

    def _root(self) -> str:
        site = Site.find_for_request(self.request) or Site.objects.filter(is_default_site=True).first()
        return site.root_url if site else settings.SITE_URL.rstrip("/")

    def get_protocol(self, protocol=None):
        return urlsplit(self._root()).scheme

    def get_domain(self, site=None):
        return urlsplit(self._root()).netloc


@public_data("pages", "magazine")  # every live page, and the public views' fixed addresses
def sitemap_xml(request):
    return wagtail_sitemap_view(request, sitemaps={"pages": PagesSitemap, "views": ViewsSitemap(request)})


# --------------------------------------------------------------------------- the page for people


@dataclass
class PageNode:
    page: Page
    children: list[PageNode]


def page_tree(root: Page) -> list[PageNode]:
    """The live public pages under the site root (issues and articles are listed by year instead)."""
    pages = (
        root.get_descendants().live().public().not_type(*MAGAZINE_PAGE_TYPES)
        .order_by("path").only("id", "title", "path", "depth", "url_path")
    )
    nodes: dict[str, PageNode] = {}
    top: list[PageNode] = []
    for page in pages:
        node = PageNode(page, [])
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        (parent.children if parent else top).append(node)
    return top


def issues_by_year() -> list[tuple[int, list[IssuePage]]]:
    years: dict[int, list[IssuePage]] = {}
    for issue in IssuePage.objects.live().public().order_by("-year", "-number").only("id", "title", "url_path", "year"):
        years.setdefault(issue.year, []).append(issue)
    return list(years.items())


@require_GET
@public_data("pages", "magazine")
def site_map(request):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    root = site.root_page if site else None
    archive = MagazineArchivePage.objects.live().first()
    context = {
        # Lazy: the template caches what it renders from them ({% publiccache %}).
        "home": root,
        "tree": SimpleLazyObject(lambda: page_tree(root) if root else []),
        "archive": archive,
        "years": SimpleLazyObject(issues_by_year),
        "columns": SimpleLazyObject(lambda: list(Column.objects.filter(is_cover_page=False))),
        "magazine_links": SimpleLazyObject(lambda: resolved(MAGAZINE_LINKS)),
        "sections": SimpleLazyObject(public_sections),
    }
    return TemplateResponse(request, "magazine/site_map.html", context)


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else settings.SITE_URL.rstrip("/")
    lines.append(f"Sitemap: {root}{reverse('magazine:sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def archive_sitemap_urls(archive: MagazineArchivePage, request=None) -> list[dict]:
    """The archive's own sub-pages (columns, authors with published articles) for sitemap.xml."""
    base = archive.get_full_url(request)
    if not base:
        return []
    base = base if base.endswith("/") else base + "/"
    urls = []
    for pk in Column.objects.filter(articles__live=True).distinct().values_list("pk", flat=True):
        urls.append({"location": base + archive.reverse_subpage("column", args=[pk])})
    for pk in Author.objects.filter(credits__page__live=True).distinct().values_list("pk", flat=True):
        urls.append({"location": base + archive.reverse_subpage("author", args=[pk])})
    return urls
