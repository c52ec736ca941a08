"""The article's main part, rendered once per publication and stored (portal.magazine.rendering,
issue #16): served while it matches, never stale, never a draft, per language."""

import pytest
from django.conf import settings as django_settings
from wagtail.models import Page

from portal.magazine import rendering
from portal.magazine.models import ArticlePage, Author, Column, IssuePage, RenderedArticle


@pytest.fixture
def issue(make_issue):
    return make_issue(2018, 1, articles=3)


@pytest.fixture
def article(issue):
    return ArticlePage.objects.child_of(issue).order_by("path")[1]


@pytest.fixture
def renders(monkeypatch):
    """How many times the main part's template was rendered."""
    calls = []
    original = rendering.render_to_string

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(rendering, "render_to_string", counting)
    return calls


def test_the_main_part_is_stored_when_first_shown_and_served_from_then_on(
    article, client, renders, django_assert_max_num_queries
):
    first = client.get(article.url)
    assert first.status_code == 200
    assert renders == [rendering.TEMPLATE]
    stored = RenderedArticle.objects.get(article=article)
    assert stored.language == "zh-hans"
    assert article.title in stored.html and "引用本文" in stored.html
    with django_assert_max_num_queries(5):  # site, route, page, stored part (with the pager), footer contact
        second = client.get(article.url)
    assert renders == [rendering.TEMPLATE]  # not rendered again
    assert second.content == first.content


def test_a_new_revision_is_shown_at_once_and_stored_anew(article, client, renders):
    client.get(article.url)
    article.title = "改过的标题"
    article.save_revision().publish()
    body = client.get(ArticlePage.objects.get(pk=article.pk).url).content.decode()
    assert "改过的标题" in body
    assert len(renders) == 2
    assert "改过的标题" in RenderedArticle.objects.get(article=article).html


def test_what_the_article_row_cannot_tell_drops_it(article, issue, client):
    """Its issue republished, a column or an author renamed: the page shows the change."""
    client.get(article.url)
    issue = IssuePage.objects.get(pk=issue.pk)
    issue.title = "2018年第1期（更正）"
    issue.save_revision().publish()
    assert "2018年第1期（更正）" in client.get(article.url).content.decode()
    column = Column.objects.get(pk=article.column_id)
    column.name_zh = "信用研究（新）"
    column.save()
    assert "信用研究（新）" in client.get(article.url).content.decode()
    author = Author.objects.get(name="测试作者")
    author.name = "改名作者"
    author.save()
    assert "改名作者" in client.get(article.url).content.decode()


def test_a_page_the_body_links_to_drops_it_when_it_moves_or_goes(article, issue, client):
    target = ArticlePage.objects.child_of(issue).order_by("path")[2]
    article.body = [{"type": "paragraph", "value": f'<p>见<a linktype="page" id="{target.pk}">另一篇</a>。</p>'}]
    article.save_revision().publish()
    client.get(article.url)
    stored = RenderedArticle.objects.get(article=article)
    assert stored.depends_on == f" page:{target.pk} "
    assert f'href="{target.url}"' in stored.html
    target.slug = "renamed"
    target.save_revision().publish()
    assert not RenderedArticle.objects.filter(article=article).exists()
    assert 'href="/magazine/2018-1/renamed/"' in client.get(article.url).content.decode()


def test_each_language_has_its_own(article, client):
    chinese = client.get(article.url).content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(article.url).content.decode()
    assert "引用本文" in chinese and "Cite this article" in english
    assert set(RenderedArticle.objects.filter(article=article).values_list("language", flat=True)) == {"zh-hans", "en"}


def test_a_draft_preview_is_never_stored_nor_served_from_the_stored_one(article, client):
    live = client.get(article.url).content.decode()
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "草稿标题，尚未发布"
    draft.save_revision()
    preview = draft.make_preview_request().render().content.decode()
    assert "草稿标题，尚未发布" in preview
    assert "草稿标题，尚未发布" not in RenderedArticle.objects.get(article=article).html
    assert client.get(article.url).content.decode() == live


def test_new_templates_or_translations_make_every_stored_one_stale(article, client, renders, monkeypatch):
    client.get(article.url)
    client.get(article.url)
    assert len(renders) == 1
    monkeypatch.setattr(rendering, "code_stamp", lambda: "a deployment later")
    client.get(article.url)
    assert len(renders) == 2


def test_storing_the_same_article_twice_at_once_does_not_fail(article, rf):
    """Two first views at the same moment: the second store updates the first (one upsert)."""
    from portal.core.routing import site_for_request

    for _ in range(2):
        request = rf.get(article.url)
        request._wagtail_site = site_for_request(request)
        RenderedArticle.objects.filter(article=article).update(stamp="stale")
        rendering.main_part(ArticlePage.objects.get(pk=article.pk), request)
    assert RenderedArticle.objects.filter(article=article).count() == 1
    assert RenderedArticle.objects.get(article=article).stamp != "stale"


def test_the_previous_and_next_links_follow_the_contents_order(issue, client):
    articles = list(ArticlePage.objects.child_of(issue).order_by("path"))
    middle = client.get(articles[1].url).content.decode()
    assert f'rel="prev" href="{articles[0].url}"' in middle
    assert f'rel="next" href="{articles[2].url}"' in middle
    articles[2].unpublish()
    assert 'rel="next"' not in client.get(articles[1].url).content.decode()
    assert isinstance(ArticlePage.objects.get(pk=articles[1].pk).neighbours[0], Page)


def test_publishing_another_issue_keeps_it(article, issue, make_issue, client, renders):
    """What the cache families could not tell apart: another issue's publication leaves it stored."""
    client.get(article.url)
    make_issue(2018, 2, articles=2)
    client.get(article.url)
    assert renders == [rendering.TEMPLATE]


def test_the_previous_and_next_links_are_stored_with_it_and_follow_the_siblings(issue, make_issue, client, renders):
    """The pager is part of the stored main part: a sibling published (new title), moved within
    the issue, moved to another issue, unpublished or deleted shows in its neighbours' links."""
    articles = list(ArticlePage.objects.child_of(issue).order_by("path"))
    first, middle, last = articles
    client.get(middle.url)
    assert 'rel="prev"' in RenderedArticle.objects.get(article=middle).html
    client.get(middle.url)
    assert len(renders) == 1

    first.title = "兄弟篇改了标题"
    first.save_revision().publish()
    assert "兄弟篇改了标题" in client.get(middle.url).content.decode()

    ArticlePage.objects.get(pk=last.pk).move(issue, pos="first-child")  # now last, first, middle
    body = client.get(middle.url).content.decode()
    assert f'rel="prev" href="{first.url}"' in body and 'rel="next"' not in body

    other = make_issue(2018, 2, articles=0)
    ArticlePage.objects.get(pk=first.pk).move(other, pos="last-child")
    body = client.get(middle.url).content.decode()
    assert f'rel="prev" href="{ArticlePage.objects.get(pk=last.pk).url}"' in body
    moved = ArticlePage.objects.get(pk=first.pk)
    assert moved.issue_id == other.pk  # its issue follows its new parent (Wagtail saves a moved page as a Page)
    assert "2018年第2期" in client.get(moved.url).content.decode()

    ArticlePage.objects.get(pk=last.pk).unpublish()
    assert 'rel="prev"' not in client.get(middle.url).content.decode()
