"""The site map (#14.17): a page for people listing every public section and page, and sitemap.xml over
every public page at the site's real address (SITE_URL), linked from robots.txt."""

import io
import re

from django.test import override_settings
from wagtail.models import PageViewRestriction, Site

from portal.core.demo import Demo
from portal.core.models import HomePage, StandardPage
from portal.magazine.demo import load_demo_issue
from portal.magazine.models import ArticlePage, Column
from portal.magazine.site_address import align_site

from .conftest import needs_seed

pytestmark = needs_seed


def about_pages():
    """A public about page, a draft and a private page under the home page."""
    home = HomePage.objects.get()
    about = StandardPage(title="协会简介", slug="about", body="<p>浙江省信用协会成立于2008年12月。</p>")
    home.add_child(instance=about)
    about.save_revision().publish()
    draft = StandardPage(title="尚未发布的页面", slug="draft-page", live=False)
    HomePage.objects.get().add_child(instance=draft)
    private = StandardPage(title="仅限会员的页面", slug="members-only")
    HomePage.objects.get().add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return about


def test_the_footer_links_to_the_site_map_for_people(client, seed):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer"'):]
    assert re.search(r'<a href="/sitemap/">网站地图</a>', footer)
    assert "sitemap.xml" not in footer


def test_site_map_page_lists_every_public_section_and_page(client, seed):
    about_pages()
    response = client.get("/sitemap/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>网站地图</h1>" in html
    for href, text in [
        ("/", "浙江省信用协会"),
        ("/about/", "协会简介"),
        ("/magazine/", "信用浙江"),
        ("/magazine/2019-3/", "2019年第3期"),
        (f"/magazine/column/{Column.objects.get(name_zh='信用研究').pk}/", "信用研究"),
        ("/search/", "检索期刊文章"),
        ("/members/", "会员名录"),
        ("/members/join/", "入会须知"),
        ("/services/", "服务项目清单"),
        ("/services/events/", "协会活动"),
        ("/showcase/", "信用示范会员单位"),
        ("/showcase/notices/", "公示"),
        ("/showcase/units/", "信用示范会员单位名录"),
    ]:
        assert f'<a href="{href}">{text}</a>' in html, (href, text)
    assert "尚未发布的页面" not in html and "仅限会员的页面" not in html
    # Articles are reached through their issue: the page stays readable with many issues.
    assert ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究").url not in html


def test_site_map_refuses_post(client, seed):
    assert client.post("/sitemap/").status_code == 405


def test_sitemap_xml_lists_pages_and_public_views_at_the_site_address(client, seed):
    about_pages()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80  # Wagtail's placeholder, as a fresh install has it
    site.save()
    load_demo_issue(Demo(stdout=io.StringIO()))  # the demo loader (and migration 0005) take SITE_URL's address
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]*)</loc>", xml)
    assert locations and all(loc.startswith("http://testserver/") for loc in locations), locations[:3]
    assert "localhost" not in xml
    for path in ["/", "/about/", "/magazine/", "/magazine/2019-3/", "/members/", "/members/join/", "/services/",
                 "/services/providers/", "/services/events/", "/showcase/", "/showcase/notices/", "/showcase/units/",
                 "/showcase/announcements/", "/showcase/reports/", "/search/"]:
        assert f"http://testserver{path}" in locations, path
    research = Column.objects.get(name_zh="信用研究")
    assert f"http://testserver/magazine/column/{research.pk}/" in locations
    assert not [loc for loc in locations if "draft-page" in loc or "members-only" in loc]
    assert len(locations) == len(set(locations))


def test_robots_txt_points_to_the_sitemap(client, seed):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    assert "Disallow: /admin/" in text.splitlines() and "Disallow: /account/" in text.splitlines()


@override_settings(SITE_URL="https://xinyong.example.org")
def test_site_record_follows_site_url(db, home_page):
    assert align_site() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("xinyong.example.org", 443, "https://xinyong.example.org")
    assert align_site() is False  # idempotent


@override_settings(SITE_URL="http://portal.example.org:8080")
def test_site_record_is_not_moved_onto_another_sites_address(db, home_page):
    Site.objects.create(hostname="portal.example.org", port=8080, root_page=home_page, site_name="其他站点")
    assert align_site() is False
    assert Site.objects.get(is_default_site=True).hostname != "portal.example.org"
