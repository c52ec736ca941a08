"""Reading pages: archive, issue, article (breadcrumb, cite, prev/next, PDF link), column and author
pages, feeds, sitemap, home panel, and query counts independent of the number of issues."""

import re
from html import unescape

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from portal.magazine.models import ArticlePage, Author, Column, IssuePage
from portal.magazine.wagtail_hooks import latest_issue_panel

from .conftest import needs_seed

pytestmark = needs_seed


def test_archive_lists_the_issue_with_a_generated_cover(client, seed):
    html = client.get("/magazine/").content.decode()
    assert "2019年第3期" in html and "总第044期" in html and 'href="/magazine/2019-3/"' in html
    assert "cover--placeholder" in html


def test_issue_page_contents_by_column_with_pages_and_masthead(client, seed):
    html = client.get("/magazine/2019-3/").content.decode()
    assert html.index("卷首语") < html.index("特别报道") < html.index("协会动态") < html.index("封二")
    assert "P22" in html and "陈海盛、白小虎、郭文波、吴淑君" in html
    for text in ("蒋秀东", "浙内准字第0203号", "浙江民振印务有限公司", "内部资料 免费交流", "（0571）87056850"):
        assert text in html
    assert html.count('class="contents__list"') == 10


def test_article_page_breadcrumb_authors_cite_and_neighbours(client, seed):
    article = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    html = client.get(article.url).content.decode()
    assert "陈海盛, 白小虎, 郭文波, 等. 大数据时代下信用监管机制构建研究[J]. 信用浙江, 2019(3): 22." in html
    assert 'href="/magazine/2019-3/"' in html and 'href="/magazine/"' in html
    assert f'href="/magazine/column/{article.column_id}/"' in html
    author = Author.objects.get(name="陈海盛")
    assert f'href="/magazine/author/{author.pk}/"' in html and "浙江省信用中心" in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert 'class="article-table' not in html or "table-wrap" in html


def test_citation_forms(db):
    article = ArticlePage(title="标题", start_page=4, author_names="甲、乙")
    issue = IssuePage(year=2019, number=3)
    assert article.citation(issue) == "甲, 乙. 标题[J]. 信用浙江, 2019(3): 4."
    assert ArticlePage(title="无作者").citation(issue) == "无作者[J]. 信用浙江, 2019(3)."


def test_article_links_into_the_issue_pdf_at_its_page(client, seed):
    pdf = Document.objects.create(title="2019-3", file=ContentFile(b"%PDF-1.4\n", name="2019-3.pdf"))
    seed.pdf = pdf
    seed.save_revision().publish()
    article = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    html = client.get(article.url).content.decode()
    assert f"{pdf.url}#page=22" in html


def test_print_stylesheet_is_linked(client, seed):
    article = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    assert "css/magazine.css" in client.get(article.url).content.decode()


def test_column_and_author_pages(client, seed):
    column = Column.objects.get(name_zh="信用动态")
    html = client.get(f"/magazine/column/{column.pk}/").content.decode()
    assert "“信用中国”网行政处罚信息信用修复7月1日起执行" in html and "各期共3篇文章" in html
    author = Author.objects.get(name="白小虎")
    html = client.get(f"/magazine/author/{author.pk}/").content.decode()
    assert "大数据时代下信用监管机制构建研究" in html
    assert client.get("/magazine/author/999999/").status_code == 404


def test_draft_articles_are_not_public(client, seed):
    article = ArticlePage.objects.get(title="浙江省信用协会简介")
    article.unpublish()
    assert client.get(article.url).status_code == 404
    assert "浙江省信用协会简介" not in client.get("/magazine/2019-3/").content.decode()


def test_feeds_list_new_articles(client, seed):
    rss = client.get("/magazine-feed/rss/")
    atom = client.get("/magazine-feed/atom/")
    assert rss.status_code == atom.status_code == 200
    assert "大数据时代下信用监管机制构建研究" in rss.content.decode()
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert atom.content.decode().count("<entry>") == 23


def test_sitemap_lists_archive_issue_and_articles(client, seed):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/magazine/</loc>" in xml and "/magazine/2019-3/</loc>" in xml
    assert xml.count("/magazine/2019-3/") == 24


def test_home_panel_shows_latest_issue_within_two_queries(rf, seed, django_assert_max_num_queries):
    request = rf.get("/")
    with django_assert_max_num_queries(2):
        panel = latest_issue_panel(request)
        titles = [a.title for a in panel["articles"]]
    assert panel["issue"].pk == seed.pk and len(titles) == 5
    assert "“信用” 关键在用" in titles


def pager(client, article) -> tuple[str | None, str | None]:
    """The titles the article page's 上一篇/下一篇 links lead to."""
    html = client.get(article.url).content.decode()
    prev = re.search(r'<a rel="prev" href="[^"]*"><small>[^<]*</small>([^<]*)</a>', html)
    nxt = re.search(r'<a rel="next" href="[^"]*"><small>[^<]*</small>([^<]*)</a>', html)
    return (unescape(prev.group(1)) if prev else None), (unescape(nxt.group(1)) if nxt else None)


def test_previous_and_next_follow_the_issue_contents_not_the_printed_body(client, seed):
    """杭州有数 (机构天地, P21) is followed by 信用研究 (P22); the cover pages come after the last column."""
    issue_page = client.get(seed.url).content.decode()
    titles = [unescape(t) for t in re.findall(r'<span class="contents__title">([^<]*)</span>', issue_page)]
    hangzhou = ArticlePage.objects.get(title__startswith="杭州有数金融信息服务有限公司")
    research = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    assert pager(client, hangzhou) == (titles[titles.index(hangzhou.title) - 1], research.title)
    assert pager(client, research) == (hangzhou.title, titles[titles.index(research.title) + 1])
    last_column = ArticlePage.objects.get(title__startswith="关于印发《创建信用示范会员单位实施办法")
    inside_front = ArticlePage.objects.get(column__name_zh="封二")
    assert pager(client, last_column)[1] == inside_front.title
    assert pager(client, ArticlePage.objects.get(title="会员单位入会须知")) == ("浙江省信用协会简介", None)
    # Walking 下一篇 from the first article visits the issue page's contents in order.
    walk, article = [], ArticlePage.objects.get(title="“信用” 关键在用")
    while article is not None:
        walk.append(article.title)
        following = pager(client, article)[1]
        article = ArticlePage.objects.get(title=following) if following else None
    assert walk == titles and len(walk) == 23


def test_home_panel_heading_uses_full_width_punctuation(client, seed):
    html = client.get("/").content.decode()
    heading = re.search(r'<h2 id="mag-panel-h">(.*?)</h2>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", heading) == f"《信用浙江》最新一期：{seed.title}"
