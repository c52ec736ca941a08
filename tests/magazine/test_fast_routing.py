"""portal.core.routing and the article's cached fragments, on the magazine's page tree.

Routing must answer exactly as Wagtail's own tree walk does; the memo and fragments must
never outlive a change that shows on the page (publish, column rename, privacy, footer).
"""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from portal.core.models import AssociationContact, HomePage, StandardPage
from portal.core.routing import load_page
from portal.magazine.models import ArticlePage, Author, Column, IssuePage, MagazineArchivePage


@pytest.fixture
def issue(make_issue):
    return make_issue(2018, 1, articles=3)


def second_article(issue):
    return ArticlePage.objects.child_of(issue).order_by("path")[1]


def outcome(route, request, components):
    """What a route call answers, comparable across implementations."""
    try:
        page, args, kwargs = route(request, components)
    except Http404:
        return "404"
    view = args[0].__name__ if args else None
    return (type(page).__name__, page.pk, view, tuple(args[1]) if args else (), kwargs)


def wagtail_tree_walk(root):
    """Wagtail's own routing from the root (Page.route, then each page's route)."""
    return lambda request, components: Page.route(root, request, components)


PATHS = [
    [],
    ["magazine"],
    ["magazine", "2018-1"],
    ["magazine", "2018-1", "02"],
    ["magazine", "2018-1", "99"],
    ["magazine", "2018-1", "02", "extra"],
    ["magazine", "column", "{column}"],
    ["magazine", "author", "{author}"],
    ["magazine", "column"],
    ["nowhere"],
    ["nowhere", "at", "all"],
]


@pytest.mark.parametrize("memo", [False, True], ids=["memo-off", "memo-on"])
def test_routing_answers_as_wagtails_tree_walk(issue, request, memo):
    if memo:
        request.getfixturevalue("fragment_cache")
    root = HomePage.objects.get()
    ids = {"column": Column.objects.get().pk, "author": Author.objects.get().pk}
    factory = RequestFactory()
    for components in PATHS:
        components = [c.format(**ids) for c in components]
        for _ in range(2):  # the second time from the memo when it is on
            ours = outcome(root.route, factory.get("/"), components)
            assert ours == outcome(wagtail_tree_walk(root), factory.get("/"), components), components


def test_a_routable_page_keeps_precedence_over_a_child_with_the_same_slug(issue, client, fragment_cache):
    archive = MagazineArchivePage.objects.get()
    clash = IssuePage(title="同名", slug="column", year=2017, number=1, publication_date=issue.publication_date)
    archive.add_child(instance=clash)
    clash.save_revision().publish()
    column = Column.objects.get()
    for _ in range(2):
        response = client.get(f"/magazine/column/{column.pk}/")
        assert response.status_code == 200
        assert "magazine/column_page.html" in [t.name for t in response.templates]
        # The archive's routes do not claim "column/" alone, so the child answers it.
        assert client.get("/magazine/column/").context["page"].pk == clash.pk


def test_unpublished_article_is_not_found_even_when_its_route_was_remembered(
    issue, client, fragment_cache, django_capture_on_commit_callbacks
):
    article = second_article(issue)
    assert client.get(article.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert client.get(article.url).status_code == 404


def test_deleted_page_whose_route_was_remembered_is_not_found(issue, client, fragment_cache):
    article = second_article(issue)
    url = article.url
    assert client.get(url).status_code == 200
    article.delete()  # no commit callbacks here: the remembered route points at a missing row
    assert client.get(url).status_code == 404


def test_article_page_queries(issue, client, django_assert_max_num_queries):
    url = second_article(issue).url
    client.get(url)
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


def test_article_page_runs_one_query_once_its_fragments_are_cached(issue, client, fragment_cache,
                                                                 django_assert_num_queries):
    url = second_article(issue).url
    first = client.get(url)
    with django_assert_num_queries(1):  # the page row itself; no page cache involved
        second = client.get(url)
    assert second.content == first.content
    assert "X-Page-Cache" not in second


@pytest.mark.parametrize("url", ["/", "/magazine/", "/magazine/2018-1/"])
def test_home_archive_and_issue_pages_are_rendered_from_fragments(url, issue, client, fragment_cache,
                                                              django_assert_max_num_queries):
    first = client.get(url)
    with django_assert_max_num_queries(2):  # the page row; the archive's .public() restriction check
        second = client.get(url)
    assert second.content == first.content


def test_a_new_issue_appears_on_the_cached_home_page(issue, make_issue, client, fragment_cache,
                                                     django_capture_on_commit_callbacks):
    assert "2018年第1期" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_issue(2019, 3, articles=1)
    assert "2019年第3期" in client.get("/").content.decode()


def test_a_new_article_appears_in_the_cached_issue_contents(issue, client, fragment_cache,
                                                           django_capture_on_commit_callbacks):
    client.get("/magazine/2018-1/")
    article = ArticlePage(title="新增的一篇文章", slug="09", body=[])
    issue.add_child(instance=article)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert "新增的一篇文章" in client.get("/magazine/2018-1/").content.decode()


def test_a_deleted_article_leaves_the_cached_issue_contents(issue, client, fragment_cache,
                                                           django_capture_on_commit_callbacks):
    article = second_article(issue)
    assert article.title in client.get("/magazine/2018-1/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).delete()
    assert article.title not in client.get("/magazine/2018-1/").content.decode()


def test_publishing_a_change_shows_at_once(issue, client, fragment_cache, django_capture_on_commit_callbacks):
    article = second_article(issue)
    client.get(article.url)
    article.title = "信用修复的新标题"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert "信用修复的新标题" in client.get(article.url).content.decode()


def test_renaming_a_column_or_the_footer_shows_at_once(issue, client, fragment_cache,
                                                       django_capture_on_commit_callbacks):
    url = second_article(issue).url
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        Column.objects.update_or_create(pk=Column.objects.get().pk, defaults={"name_zh": "诚信建设"})
        contact = AssociationContact.load()
        contact.phone = "0571-12345678"
        contact.save()
    text = client.get(url).content.decode()
    assert "诚信建设" in text
    assert "0571-12345678" in text


def test_preview_shows_the_draft_not_the_cached_fragment(issue, client, fragment_cache):
    article = second_article(issue)
    live_title = article.title
    client.get(article.url)
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "尚未发布的草稿标题"
    draft.save_revision()
    preview = draft.get_latest_revision_as_object().make_preview_request()
    assert "尚未发布的草稿标题" in preview.content.decode()
    public = client.get(article.url).content.decode()
    assert live_title in public and "尚未发布的草稿标题" not in public


def test_a_page_made_private_is_refused_at_once(issue, client, fragment_cache, django_capture_on_commit_callbacks):
    article = second_article(issue)
    assert client.get(article.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=issue, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_view_restrictions_match_wagtails_with_aliases(home_page, fragment_cache):
    about = StandardPage(title="关于协会", slug="about")
    home_page.add_child(instance=about)
    charter = StandardPage(title="协会章程", slug="charter")
    about.add_child(instance=charter)
    alias = about.create_alias(parent=home_page, update_slug="about-alias", recursive=True)
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    alias_charter = StandardPage.objects.child_of(alias).get()
    for page in (charter, alias_charter, StandardPage.objects.get(pk=alias.pk), home_page):
        ours = sorted(page.get_view_restrictions().values_list("pk", flat=True))
        assert ours == sorted(Page.get_view_restrictions(page).values_list("pk", flat=True)), page
    # Served through the router, the alias's child is refused like its source's.
    factory = RequestFactory()
    page, _args, _kwargs = HomePage.objects.get().route(factory.get("/"), ["about-alias", "charter"])
    assert page.pk == alias_charter.pk
    assert list(page.get_view_restrictions()) == list(PageViewRestriction.objects.filter(page=about))


def test_load_page_builds_the_same_page_as_the_orm(issue, home_page):
    standard = StandardPage(title="关于协会", slug="about", body="<p>简介</p>")
    home_page.add_child(instance=standard)
    pages = [HomePage.objects.get(), MagazineArchivePage.objects.get(), IssuePage.objects.get(pk=issue.pk),
             second_article(issue), standard]
    for expected in pages:
        model = type(expected)
        loaded = load_page(model, expected.pk)
        assert type(loaded) is model
        assert not loaded._state.adding and loaded._state.db == "default"
        for field in model._meta.concrete_fields:
            assert field.value_to_string(loaded) == field.value_to_string(expected), field.name
    with pytest.raises(ArticlePage.DoesNotExist):
        load_page(ArticlePage, 10**9)


def test_the_site_is_the_one_wagtail_chooses_for_every_host_and_port(home_page):
    """portal.core.routing.site_for_hostname ranks the candidate Sites in Python (Wagtail does it
    in SQL); for default, exact, port-only and unknown hosts, with one, two and three Sites, it
    answers as Wagtail's own get_site_for_hostname."""
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    from portal.core.routing import site_for_hostname

    def wagtails(hostname, port):
        try:
            return get_site_for_hostname(hostname, port).pk
        except Site.DoesNotExist:
            return None

    default = Site.objects.get(is_default_site=True)
    hosts = [("127.0.0.1", 80), ("127.0.0.1", 8000), ("www.zjxyxh.org", 443), ("www.zjxyxh.org", 80),
             ("other.example", 80), ("other.example", 8080), ("www.zjxyxh.org", 8000), ("unknown.example", 8080)]
    layouts = [
        [],
        [{"hostname": "www.zjxyxh.org", "port": 443}],
        [{"hostname": "www.zjxyxh.org", "port": 443}, {"hostname": "www.zjxyxh.org", "port": 8443}],
        [{"hostname": "other.example", "port": 80}],
    ]
    for layout in layouts:
        Site.objects.exclude(pk=default.pk).delete()
        for fields in layout:
            Site.objects.create(root_page=default.root_page, **fields)
        for default_host in ("localhost", "www.zjxyxh.org"):
            Site.objects.filter(pk=default.pk).update(hostname=default_host)
            for hostname, port in hosts:
                for with_root_page in (True, False):
                    ours = site_for_hostname(hostname, str(port), root_page=with_root_page)
                    assert (ours.pk if ours else None) == wagtails(hostname, str(port)), (
                        layout, default_host, hostname, port, with_root_page)
    Site.objects.filter(pk=default.pk).update(is_default_site=False)
    Site.objects.exclude(pk=default.pk).delete()
    assert site_for_hostname("unknown.example", "80") is None
    assert wagtails("unknown.example", "80") is None
