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


# Screenshots the README shows (docs/screenshots/): produced by the journeys and copied there when
# PORTAL_DOCS_SCREENSHOTS=1 (`PORTAL_DOCS_SCREENSHOTS=1 make test-browser`, then commit the PNGs).
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# journey shot -> (file, whole page?): the long pages as the screen shows them, to keep each PNG small.
DOC_SHOTS = {
    "reader-desktop-01-home": ("home.png", True),
    "reader-desktop-03-article": ("article.png", False),
    "reader-phone-03-article": ("article-phone.png", False),
    "showcase-11-expert-score-sheet": ("score-sheet.png", False),
    "showcase-19-honour-certificate": ("certificate.png", False),
}


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True):
        if name in DOC_SHOTS and os.environ.get("PORTAL_DOCS_SCREENSHOTS", "").strip() not in ("", "0"):
            DOCS.mkdir(parents=True, exist_ok=True)
            file, whole = DOC_SHOTS[name]
            page.screenshot(path=str(DOCS / file), full_page=whole)  # first: a whole-page shot may move the view
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    return take


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    """Journeys run at 1366 px and at 390 px (a phone)."""
    return request.param


@pytest.fixture
def sized_page(browser, viewport):
    from .helpers import VIEWPORTS

    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


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
