"""Fixtures for personal information: the published documents, a new version, a login through allauth."""

import pytest
from django.core.cache import cache

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the (per-process) locmem cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def documents(home_page):
    """《隐私政策》 and 《用户协议》 version 1, published under the home page (the demo's texts)."""
    from portal.privacy.demo import ensure_documents

    return {page.kind: page for page in ensure_documents()}


@pytest.fixture
def publish_version(documents):
    """Publish a new revision of a document with `version` (and what changed)."""

    def publish(kind, version, summary="新增：协会向服务机构提供联系人信息的说明。"):
        page = documents[kind]
        page.refresh_from_db()
        page.version = version
        page.change_summary = summary
        page.save_revision().publish()
        return page

    return publish


@pytest.fixture
def login(client):
    """Log in through allauth's form (so the login signal runs as in real life)."""

    def do(user, password=PASSWORD):
        response = client.post("/accounts/login/", {"login": user.email, "password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        return response

    return do
