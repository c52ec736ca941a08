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
