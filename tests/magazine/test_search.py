"""Chinese search on the seed issue: a recall set, title-first ranking, highlighting, filters, fallback."""

import pytest

from portal.magazine.models import ArticlePage, Column
from portal.magazine.search import highlight, search_articles

from .conftest import needs_seed

pytestmark = needs_seed

# query -> titles (prefixes) each result list must contain
RECALL = {
    "信用修复": ["“信用中国”网行政处罚信息信用修复"],
    "信义金": ["“信义金” 来了", "金华市发改委主任金文胜在“信义金”启动仪式上的讲话"],
    "村民说事": ["浙江省信用县创建亮点特色工作"],
    "五类主体": ["《五类主体公共信用评价方案》"],
    "小微企业": ["浙江省信用县创建亮点特色工作"],
    "放管服": ["李克强 在全国深化“放管服”改革"],
    "奉化模式": ["全域信用旅游“奉化模式”"],
    "数博会": ["杭州有数金融信息服务有限公司亮相2019数博会"],
    "陈海盛": ["大数据时代下信用监管机制构建研究"],
    "信用监管": ["大数据时代下信用监管机制构建研究"],
    "尹学群": ["金华市委副书记、市长尹学群"],
    "信用示范之城": ["致力打造具有衢州特色的“信用示范之城”"],
    "汤飞帆": ["致力打造具有衢州特色的“信用示范之城”"],
    "验收标准": ["关于印发《创建信用示范会员单位实施办法（试行）》"],
    "入会须知": ["会员单位入会须知"],
    "信用产品": ["浙江信用产品（服务）推介会金华专场致辞", "浙江省信用产品（服务）推介会在金华市隆重举行"],
    "营商环境": ["李克强 在全国深化“放管服”改革"],
    "金华市信用办": ["“信义金” 来了"],
    "诚信者": ["李克强总理在浙江考察"],
}
TOP = {"信用修复": "“信用中国”网行政处罚信息信用修复", "五类主体": "《五类主体公共信用评价方案》", "入会须知": "会员单位入会须知"}


def titles(ids):
    by_id = dict(ArticlePage.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [by_id[pk] for pk in ids]


@pytest.mark.parametrize("query", sorted(RECALL))
def test_recall(seed, query):
    found = titles(search_articles(query).ids)
    for expected in RECALL[query]:
        assert any(t.startswith(expected) for t in found), (query, expected, found)
    if query in TOP:
        assert found[0].startswith(TOP[query])


def test_title_hits_rank_first(seed):
    found = titles(search_articles("信用县").ids)
    assert found[0] == "浙江省信用县创建亮点特色工作"


def test_search_page_highlights_escaped_snippets_and_paginates(client, seed):
    html = client.get("/search/", {"q": "信用"}).content.decode()
    assert "<mark>信用</mark>" in html and 'rel="next"' in html
    page2 = client.get("/search/", {"q": "信用", "page": 2}).content.decode()
    assert 'aria-current="page">2<' in page2


def test_highlight_escapes_html():
    assert str(highlight("<b>信用</b>修复", ["信用"])) == "&lt;b&gt;<mark>信用</mark>&lt;/b&gt;修复"


def test_filters_by_year_and_column(client, seed):
    column = Column.objects.get(name_zh="信用动态")
    assert titles(search_articles("信用修复", column_id=column.pk).ids)[0].startswith("“信用中国”")
    assert search_articles("信用修复", column_id=Column.objects.get(name_zh="卷首语").pk).ids == []
    assert search_articles("信用修复", year=2018).ids == []
    assert search_articles("信用修复", year=2019).ids
    html = client.get("/search/", {"q": "信用修复", "year": "2019", "column": str(column.pk)}).content.decode()
    assert "“<mark>信用修复</mark>" not in html and "<mark>信用修复</mark>" in html


def test_one_character_query_falls_back_to_substring(seed):
    outcome = search_articles("金")
    assert outcome.fallback
    assert any(t.startswith("“信义金” 来了") for t in titles(outcome.ids))


def test_empty_and_nonsense_queries(client, seed):
    assert client.get("/search/").status_code == 200
    assert search_articles("").ids == []
    assert search_articles("量子引力波").ids == []
    assert "class=\"empty\"" in client.get("/search/", {"q": "量子引力波", "page": "x"}).content.decode()


def test_importing_refreshes_sqlites_planner_statistics_for_the_index(seed):
    """Without them SQLite re-runs the full-text MATCH once per index entry (see search.py);
    with them it matches once and then looks the entries up (checked by hand on 480 articles)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM wagtailsearch_indexentry")
        entries = cursor.fetchone()[0]
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'wagtailsearch_indexentry'")
        stats = [row[0] for row in cursor.fetchall()]
    assert stats and all(int(stat.split()[0]) == entries for stat in stats)


def test_a_page_of_results_links_each_hit_with_its_column_issue_and_authors_in_a_few_queries(
    client, seed, django_assert_max_num_queries
):
    """Issue #16: the hits are read as plain rows in one query (no page objects, no per-hit
    query); the list shows title, column, issue and authors and links to the article."""
    client.get("/search/", {"q": "信用"})  # the search itself, remembered until the next publication
    with django_assert_max_num_queries(6):  # site, years, columns, the hits, footer contact (+ slack)
        html = client.get("/search/", {"q": "信用"}).content.decode()
    article = ArticlePage.objects.get(pk=search_articles("信用").ids[0])
    assert f'href="{article.url}"' in html
    assert f"{article.column.name_zh} · {article.issue.title}" in html
    assert html.count('class="search-result"') == 10


def test_a_pager_over_many_pages_shows_a_few_around_the_current_one(rf):
    """Issue #16: the pager no longer walks every page (a search matching most of a 500-issue archive
    has over a thousand), it shows the first, the last and two on each side of the current one."""
    import re

    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(12000), 10).page(600)
    request = rf.get("/search/", {"q": "信用", "page": "600"})
    html = render_to_string("includes/pagination.html", {"page_obj": page, "query": "q=%E4%BF%A1%E7%94%A8"},
                            request=request)
    assert [int(n) for n in re.findall(r"page=(\d+)\">\d+<", html)] == [1, 598, 599, 601, 602, 1200]
    assert 'href="?q=%E4%BF%A1%E7%94%A8&amp;page=599" rel="prev"' in html
    assert '<span aria-current="page">600</span>' in html and html.count("…") == 2


def test_a_parameter_the_search_does_not_read_never_reaches_the_cached_pager(client, seed, fragment_cache):
    """The results and their pager are a fragment every visitor shares: a link with junk
    (utm_source=…) must not plant it into the pager's links that the next visitor is served, nor
    make a fragment of its own."""
    def pager(html):
        start = html.index('class="pagination"')
        return html[start:html.index("</ul>", start)]

    planted = pager(client.get("/search/", {"q": "信用", "utm_source": "spam", "ref": "x"}).content.decode())
    assert 'rel="next"' in planted and "utm_source" not in planted and "ref=x" not in planted
    clean = pager(client.get("/search/", {"q": "信用"}).content.decode())
    assert "utm_source" not in clean and "ref=x" not in clean
    assert 'href="?q=%E4%BF%A1%E7%94%A8&amp;page=2"' in clean


# Queries for the PostgreSQL match: common and rare words, a word in the title only as the body's
# segmentation has it, digits, Latin letters in either case, an English stop word beside a Chinese one,
# and one found nowhere.
BACKEND_QUERIES = ["信用", "信用修复", "信义金", "会员单位入会须知", "2019", "数博会", "app", "APP", "信用 the",
                   "李克强", "浙江省信用协会", "量子引力波"]
FOUND_NOWHERE = {"量子引力波"}


def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the search backend itself makes the match (PostgreSQL runs in CI)")


@pytest.mark.parametrize("query", BACKEND_QUERIES)
def test_postgresql_matches_what_the_search_backend_matches(seed, query):
    """Issue #16: PostgreSQL matches on the backend's index entries with Django's full-text lookups
    (search.full_text_matches); the articles found and their order are the backend's own."""
    from portal.magazine.models import live_articles
    from portal.magazine.search import full_text_matches, query_terms

    def backend(articles):
        found = articles.only("id", "title").search(" ".join(terms), operator="and", order_by_relevance=False)
        return [(page.pk, page.title) for page in found]

    _postgresql_only()
    terms = query_terms(query)
    base = live_articles().order_by("-path")
    expected = backend(base)
    assert bool(expected) == (query not in FOUND_NOWHERE)  # the comparison is not between two empty lists
    assert full_text_matches(base, terms) == expected
    narrowed = base.filter(column=Column.objects.filter(articles__title__contains="信用").first())
    assert full_text_matches(narrowed, terms) == backend(narrowed)


def test_a_first_search_reads_ids_and_titles_not_the_index_vectors(seed):
    """Issue #16: Wagtail's PostgreSQL backend selected each match's whole tsvector with it (about
    8 KB an article); a common word at ten times the archive sent ~90 MB to the app server."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.magazine.search import _search_articles

    _postgresql_only()
    with CaptureQueriesContext(connection) as captured:
        outcome = _search_articles("信用", year=None, column_id=None)
    assert len(outcome.ids) > 10
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert selects
    for sql in selects:
        columns = sql[: sql.upper().index(" FROM ")]
        assert "wagtailsearch_indexentry" not in columns, columns


def test_a_junk_page_number_shares_page_ones_fragment(client, seed, fragment_cache, django_assert_num_queries):
    """Issue #16: the results' fragment key held the raw ``page=`` value, so every junk value (abc, 0,
    01, a long number) rendered and stored a fragment of its own; all of them are page 1."""
    first = client.get("/search/", {"q": "信用"}).content.decode()
    assert 'aria-current="page">1<' in first
    for junk in ("abc", "0", "-2", "01", "1" * 30, "²"):
        with django_assert_num_queries(0):
            html = client.get("/search/", {"q": "信用", "page": junk}).content.decode()
        assert 'aria-current="page">1<' in html, junk
    assert 'aria-current="page">2<' in client.get("/search/", {"q": "信用", "page": "02"}).content.decode()
