"""Feeds date articles by their issue's publication date, not by when they were imported (#14.16)."""

import datetime
import re
import xml.etree.ElementTree as ET

from django.utils import timezone

from portal.magazine.importer.build import import_text

from .conftest import needs_seed, shifted_text

pytestmark = needs_seed

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client):
    root = ET.fromstring(client.get("/magazine-feed/atom/").content)
    return [
        (e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}published"), e.findtext(f"{ATOM}updated"))
        for e in root.iter(f"{ATOM}entry")
    ]


def test_an_imported_back_issue_is_dated_by_its_publication_not_its_import(client, seed):
    import_text(shifted_text(2017, 2, 30), source_name="2017-2.txt", publish=True)  # imported after 2019年第3期
    feed = entries(client)
    today = timezone.localdate().isoformat()
    assert not [e for e in feed if e[1].startswith(today) or e[2].startswith(today)]
    # The newest issue by publication comes first; the back issue's articles carry June 2017.
    assert {published for _title, published, _updated in feed[:23]} == {"2019-06-01T00:00:00+08:00"}
    assert {published for _title, published, _updated in feed[23:]} == {"2017-06-01T00:00:00+08:00"}
    # … and in each issue, the contents order.
    assert feed[0][0] == "“信用” 关键在用" and feed[1][0].startswith("李克强总理在浙江考察")


def test_rss_pubdate_is_the_issue_month(client, seed):
    rss = client.get("/magazine-feed/rss/").content.decode()
    dates = set(re.findall(r"<pubDate>([^<]*)</pubDate>", rss))
    assert dates == {"Sat, 01 Jun 2019 00:00:00 +0800"}


def test_a_later_correction_shows_as_an_update(client, seed, chief_editor):
    from portal.magazine.models import ArticlePage

    article = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    draft = article.get_latest_revision_as_object()
    draft.subtitle = "更正"
    revision = draft.save_revision(user=chief_editor)
    revision.publish(user=chief_editor)
    # First published nine days before this correction.
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=timezone.now() - timezone.timedelta(days=9))
    title, published, updated = next(e for e in entries(client) if e[0] == article.title)
    assert published == "2019-06-01T00:00:00+08:00"
    assert timezone.localdate(datetime.datetime.fromisoformat(updated)) == timezone.localdate()  # today, whatever zone
