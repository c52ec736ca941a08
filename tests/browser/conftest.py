"""Playwright for Python driving Debian's Chromium (no browser download).

Run with `make test-browser` (pytest -m browser). Screenshots go to test-artifacts/.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.pdfs import need

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def browser():
    need(bool(shutil.which(CHROMIUM)) or Path(CHROMIUM).exists(),
         f"Chromium not found at {CHROMIUM} (Debian: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def site(transactional_db, django_db_serialized_rollback):
    """The site tree on a live-server database; data-migration rows are restored after each journey."""
    from portal.core.site import ensure_site_tree

    return ensure_site_tree()




@pytest.fixture(scope="session", autouse=True)
def _migrated_snapshot(django_db_setup, django_db_blocker):
    """The freshly migrated database as JSON, taken before any browser test runs (see `migrated_data`)."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_data(_migrated_snapshot, transactional_db):
    """Start from the migrated data: roles, membership tiers, the 2019 standard, Wagtail's root page.

    The flush after an earlier transactional test empties the tables that data migrations filled, and its
    post_migrate re-creates content types and permissions under new ids. So: empty every table without
    post_migrate, load the snapshot back, and forget the content types cached under the old ids.
    Request it before `site`.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(_migrated_snapshot)
    ContentType.objects.clear_cache()
