"""Search outcomes are cached per query and dropped when anything is published."""

from portal.magazine.search import search_articles


def test_search_outcome_is_cached_until_the_next_publication(make_issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_issue(2020, 1, articles=2)
    first = search_articles("信用修复")
    assert len(first.ids) == 2
    with django_capture_on_commit_callbacks(execute=True):
        make_issue(2021, 1, articles=1)  # publishing drops cached public data
    second = search_articles("信用修复")
    assert len(second.ids) == 3
    # newest issue first among equal (non-title) hits
    from portal.magazine.models import ArticlePage

    assert ArticlePage.objects.get(pk=second.ids[0]).title.startswith("2021年第1期")


def test_repeated_search_page_is_rendered_from_fragments_until_the_next_publication(
    make_issue, client, fragment_cache, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_issue(2020, 1, articles=2)
    url = "/search/?q=信用修复&page=1"
    first = client.get(url)
    assert "2020年第1期文章1" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    other_page = client.get("/search/?q=信用修复&year=2020")  # other filters: their own fragment
    assert "2020年第1期文章2" in other_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_issue(2021, 1, articles=1)
    assert "2021年第1期文章1" in client.get(url).content.decode()
