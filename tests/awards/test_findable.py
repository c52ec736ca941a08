"""The programme's public pages are found from the home page (issue #14.2): a crawl from `/` that clicks links
(as an anonymous visitor) reaches the notices, a current notice's objection form, the directory of demonstration
units, the revocation announcements and the annual reports in at most two clicks, and the home page itself shows
the current notices."""

import datetime
import html
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from showcase.awards import domain
from showcase.awards.models import SummaryReport

SKIP = ("/admin/", "/accounts/", "/account/", "/documents/", "/media/", "/static/", "/i18n/", "/_util/")


def click_depths(client, *, limit: int = 2) -> dict[str, int]:
    """Path (with query) → the fewest clicks from `/`, for every same-site page reachable in `limit` clicks."""
    depths, queue = {"/": 0}, deque(["/"])
    while queue:
        url = queue.popleft()
        if depths[url] == limit:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', response.content.decode()):
            target, _fragment = urldefrag(urljoin("http://testserver" + url, html.unescape(href)))
            parts = urlsplit(target)
            if parts.netloc != "testserver" or parts.path.startswith(SKIP) or parts.path.endswith((".pdf", ".xml")):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in depths:
                depths[path] = depths[url] + 1
                queue.append(path)
    return depths


@pytest.fixture
def public_programme(home_page, secretariat, firm_a, firm_b, make_accepted, publish, awarded):
    title = awarded(firm_b)
    domain.revoke(application=title.application, user=secretariat, ground="licence", facts="营业执照被吊销",
                  revoked_on=timezone.localdate())
    notice = publish([make_accepted(firm_a)], timezone.now() - datetime.timedelta(hours=2))
    report = SummaryReport(year=2024, generated_at=timezone.now(), generated_by=secretariat,
                           published_at=timezone.now())
    report.pdf.save("summary-2024.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    report.save()
    return notice


def test_public_notices_and_directories_are_two_clicks_from_home(client, public_programme):
    notice = public_programme
    depths = click_depths(client)
    wanted = {
        "notices": reverse("awards:notices"),
        "objection form (the current notice)": reverse("awards:notice", args=[notice.pk]),
        "directory of demonstration units": reverse("awards:directory"),
        "revocation announcements": reverse("awards:announcements"),
        "annual reports": reverse("awards:reports"),
    }
    assert {name: depths.get(path) for name, path in wanted.items()} == {
        name: depths.get(path) for name, path in wanted.items() if depths.get(path) in (1, 2)}, depths
    programme = client.get(reverse("showcase:programme")).content.decode()  # what the home card promises
    for name in ("notices", "directory of demonstration units", "revocation announcements", "annual reports"):
        assert f'href="{wanted[name]}"' in programme, name
    form_page = client.get(wanted["objection form (the current notice)"]).content.decode()
    assert 'id="objection"' in form_page and 'name="relationship"' in form_page


def test_the_home_page_shows_the_current_notices(client, public_programme):
    notice = public_programme
    home = client.get("/").content.decode()
    assert notice.title in home
    assert f'href="{reverse("awards:notice", args=[notice.pk])}#objection"' in home
    end = timezone.localtime(notice.ends_at).strftime("%Y-%m-%d %H:%M")
    assert f"公示截止：{end}" in home


def test_the_home_panel_costs_at_most_two_queries(public_programme, django_assert_max_num_queries):
    from showcase.awards.wagtail_hooks import notices_home_panel

    with django_assert_max_num_queries(2):
        panel = notices_home_panel(None)
        units = [entry.unit_name for notice in panel["notices"] for entry in notice.entries.all()]
    assert [n.title for n in panel["notices"]] == [public_programme.title] and len(units) == 1
    assert panel["template"] == "awards/home_panel.html"


def test_the_home_page_says_when_no_notice_runs(client, home_page):
    home = client.get("/").content.decode()
    assert "目前没有正在进行的公示。" in home and f'href="{reverse("awards:notices")}"' in home
