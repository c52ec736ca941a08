"""Pages without the seed: empty states and query counts with 1 and with 20 issues."""

import pytest

from portal.magazine.models import ArticlePage


def test_archive_without_issues_says_so(client, archive):
    response = client.get("/magazine/")
    assert response.status_code == 200
    assert "class=\"empty\"" in response.content.decode()


@pytest.mark.parametrize("extra_issues", [0, 19])
def test_issue_and_article_pages_query_count_does_not_grow(client, make_issue, extra_issues, django_assert_max_num_queries):
    first = make_issue(2018, 1, articles=8)
    for n in range(extra_issues):
        make_issue(1990 + n, 1, articles=2)
    article = ArticlePage.objects.child_of(first).order_by("path")[3]
    client.get("/magazine/2018-1/")  # warm caches (site root paths)
    client.get(article.url)  # its main part is stored when first shown (portal.magazine.rendering)
    with django_assert_max_num_queries(15):
        assert client.get("/magazine/2018-1/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(article.url).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/magazine/").status_code == 200
