"""Public directories are cached for visitors and dropped when the data behind them changes."""

import pytest

from portal.core.cache import HEADER


@pytest.fixture
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300


def test_new_member_shows_at_once_in_the_cached_directory(
    page_cache, client, home_page, make_member, firm_a, firm_a_user, django_capture_on_commit_callbacks
):
    assert client.get("/members/")[HEADER] == "miss"
    assert client.get("/members/")[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        make_member(firm_a, firm_a_user)
    response = client.get("/members/")
    assert response[HEADER] == "miss"
    assert firm_a.name in response.content.decode()


def test_catalogue_change_drops_cached_pages(page_cache, client, home_page, django_capture_on_commit_callbacks):
    from portal.services.models import ServiceCategory

    assert client.get("/services/")[HEADER] == "miss"
    assert client.get("/services/")[HEADER] == "hit"
    category = ServiceCategory.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        category.name = "信用修复咨询（更新）"
        category.save()
    response = client.get("/services/")
    assert response[HEADER] == "miss"
    assert "信用修复咨询（更新）" in response.content.decode()
