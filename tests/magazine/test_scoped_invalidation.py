"""Scoped invalidation (issue #16): a write drops only the cached pages, fragments and memos of
its own families of public data; and what must never be stale (a page unpublished, deleted or
made private) is checked on every request even when no invalidation reached the cache."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from portal.core.cache import ALL, FAMILIES, HEADER, families_of, invalidate_public_pages, public_data_version
from portal.magazine.models import ArticlePage

MAGAZINE_PAGES = ["/", "/magazine/", "/magazine/2018-1/", "/magazine/2018-1/02/", "/magazine-feed/rss/",
                  "/magazine-feed/atom/", "/search/?q=信用"]
DIRECTORIES = ["/members/", "/showcase/units/"]


@pytest.fixture
def issue(make_issue):
    return make_issue(2018, 1, articles=3)


@pytest.fixture
def caches_on(fragment_cache):
    fragment_cache.PORTAL_PAGE_CACHE_SECONDS = 300
    return fragment_cache


def cached(client, urls):
    """Store each page, and check that the next request is a hit."""
    for url in urls:
        client.get(url)
        assert client.get(url)[HEADER] == "hit", url


def states(client, urls) -> dict:
    return {url: client.get(url)[HEADER] for url in urls}


def magazine_keys():
    return public_data_version(RequestFactory().get("/"), families=("magazine",))


def test_families_come_from_the_app_or_the_class():
    from members.models import MembershipTier
    from portal.core.models import AssociationContact, HomePage
    from portal.organisations.models import Organisation
    from showcase.awards.models import NoticeEntry

    assert families_of(MembershipTier) == {"members"}
    assert families_of(NoticeEntry) == {"showcase"}
    assert families_of(ArticlePage) == {"magazine"}
    assert families_of(HomePage) == {"site", "magazine"}
    assert families_of(Organisation) == {"members", "showcase", "services"}
    assert families_of(AssociationContact) == ALL  # not declared: every family, never stale
    assert families_of("showcase.awards.domain") == {"showcase"}
    assert families_of("portal.core.backup") == ALL
    with pytest.raises(ValueError):
        invalidate_public_pages("magazines")


def test_publishing_an_article_drops_the_magazine_pages_but_not_the_directories(
    issue, client, caches_on, django_capture_on_commit_callbacks
):
    cached(client, MAGAZINE_PAGES + DIRECTORIES)
    article = ArticlePage(title="新发布的文章", slug="09", body=[])
    issue.add_child(instance=article)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    after = states(client, MAGAZINE_PAGES + DIRECTORIES)
    assert after == {**dict.fromkeys(MAGAZINE_PAGES, "miss"), **dict.fromkeys(DIRECTORIES, "hit")}
    assert "新发布的文章" in client.get("/magazine/2018-1/").content.decode()


def test_a_members_write_leaves_the_magazine_cached(issue, client, caches_on, django_capture_on_commit_callbacks):
    """A payment, an admission or a lapse writes membership rows (members family)."""
    from members.models import MembershipTier

    cached(client, MAGAZINE_PAGES + DIRECTORIES)
    before = magazine_keys()
    with django_capture_on_commit_callbacks(execute=True):
        MembershipTier.objects.create(name="测试层级", annual_dues=100)
    assert magazine_keys() == before
    assert states(client, MAGAZINE_PAGES + DIRECTORIES) == {
        **dict.fromkeys(MAGAZINE_PAGES, "hit"), "/members/": "miss", "/showcase/units/": "hit"}


def test_an_objection_leaves_the_magazine_cached(issue, client, caches_on, django_capture_on_commit_callbacks):
    """Notices, objections and titles write the programme's rows and call invalidate_public_pages()
    from the awards code: both reach only the showcase family."""
    from showcase.models import Standard

    cached(client, MAGAZINE_PAGES + DIRECTORIES)
    before = magazine_keys()
    awards_code = compile("invalidate_public_pages()", "showcase/awards/domain.py", "exec")
    with django_capture_on_commit_callbacks(execute=True):
        exec(awards_code, {"__name__": "showcase.awards.domain", "invalidate_public_pages": invalidate_public_pages})
    assert magazine_keys() == before
    assert states(client, MAGAZINE_PAGES + DIRECTORIES) == {
        **dict.fromkeys(MAGAZINE_PAGES, "hit"), "/members/": "hit", "/showcase/units/": "miss"}
    with django_capture_on_commit_callbacks(execute=True):
        Standard.objects.create(version="测试版", title="测试标准")
    assert magazine_keys() == before
    assert client.get("/magazine/2018-1/02/")[HEADER] == "hit"


def test_the_footer_drops_every_page(issue, client, caches_on, django_capture_on_commit_callbacks):
    from portal.core.models import AssociationContact

    cached(client, MAGAZINE_PAGES + DIRECTORIES)
    contact = AssociationContact.load()
    contact.phone = "0571-87654321"
    with django_capture_on_commit_callbacks(execute=True):
        contact.save()
    assert set(states(client, MAGAZINE_PAGES + DIRECTORIES).values()) == {"miss"}


def test_invalidating_a_family_is_explicit_or_comes_from_the_caller(db, caches_on, django_capture_on_commit_callbacks):
    versions = {f: public_data_version(RequestFactory().get("/"), families=(f,)) for f in FAMILIES}
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages("services")
    after = {f: public_data_version(RequestFactory().get("/"), families=(f,)) for f in FAMILIES}
    assert [f for f in FAMILIES if after[f] != versions[f]] == ["services"]
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages()  # from a test module: no app, so every family
    again = {f: public_data_version(RequestFactory().get("/"), families=(f,)) for f in FAMILIES}
    assert all(again[f] != after[f] for f in FAMILIES)


# -- never stale, even without an invalidation ---------------------------------------------------------


def test_a_page_made_private_without_any_invalidation_is_refused_at_once(issue, client, fragment_cache):
    article = ArticlePage.objects.child_of(issue).order_by("path")[1]
    assert client.get(article.url).status_code == 200
    assert client.get(article.url).status_code == 200  # route, page and fragments remembered
    # bulk_create sends no signal: nothing tells the cache (as a lost invalidation would not).
    PageViewRestriction.objects.bulk_create([PageViewRestriction(page=issue, restriction_type="login")])
    response = client.get(article.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    PageViewRestriction.objects.all().delete()
    assert client.get(article.url).status_code == 200


def test_a_page_unpublished_without_any_invalidation_is_not_found(issue, client, fragment_cache):
    article = ArticlePage.objects.child_of(issue).order_by("path")[1]
    assert client.get(article.url).status_code == 200
    Page.objects.filter(pk=article.pk).update(live=False)  # no signal
    assert client.get(article.url).status_code == 404


def test_restriction_on_the_root_is_honoured(home_page, client, fragment_cache):
    assert client.get("/").status_code == 200
    PageViewRestriction.objects.bulk_create([PageViewRestriction(page=home_page, restriction_type="login")])
    assert client.get("/").status_code == 302
