"""Every public page, and every firm page reachable from /account/, checked as a person would meet them (#14):

- axe-core (axe-playwright-python's bundled axe.min.js, no CDN): no serious or critical violation;
- Chinese mode shows no English UI word and no raw True/False/None (`assert_chinese_ui`);
- on a 390 px phone the header stays within 120 px and nothing scrolls sideways.

The crawl starts at `/` with the demo data (`load_demo`), follows same-origin links breadth-first, anonymously,
and leaves out the admin, downloads, feeds and the logout form (≤ 200 pages). Screenshots of a few pages go to
test-artifacts/browser/.
"""

import io
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from tests.pdfs import need

from .helpers import (
    assert_chinese_ui,
    axe_violations,
    english_words,
    header_height,
    horizontal_overflow,
    log_in_as,
    visible_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("migrated_data")]

MAX_PAGES = 200
SKIP_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/", "/accounts/logout/", "/_util/", "/django-admin/")
SKIP_SUFFIXES = (".pdf", ".xml", ".rss", ".atom", ".csv", ".xlsx", ".json", ".zip", ".png", ".jpg", ".svg", "/feed/",
                 "data.html")
SCREENSHOTS = {"/", "/members/join/", "/members/", "/magazine/", "/showcase/", "/services/", "/accounts/login/",
               "/account/"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Latin words that are data on the demo's pages
DATA_WORDS = frozenset({"Cookie"})  # the privacy policy's own text
# Findings outside the site shell, left to the areas' owners (issue #14): (kind, rule or word, path prefix) -> why.
# The crawl fails on anything else, and on these once they reach another page.
KNOWN = {
    ("axe", "link-name", "/services/providers/"): "services: provider table rows hold empty links (a href=\"\")",
    **{("language", word, prefix): "magazine: the columns' English names show in Chinese mode without lang=\"en\""
       for word in ("Preamble", "Special", "Reports", "Application", "Institution", "World", "Study", "City",
                    "County", "and", "market", "Trend", "Trends", "Institute")
       for prefix in ("/magazine/",)},
    **{("language", word, prefix): "privacy: the policy's text names the /account/privacy/ address"
       for word in ("account", "privacy") for prefix in ("/privacy-policy/", "/account/privacy/documents/")},
}


def _known(kind: str, key: str, path: str) -> bool:
    return any(k == kind and r == key and path.startswith(prefix) for (k, r, prefix) in KNOWN)


@pytest.fixture
def demo(site):
    seed = Path(settings.DEMO_ISSUE_PATH)
    need(seed.exists(), f"the demo issue {seed} is not on this machine")
    from django.test.utils import override_settings

    from portal.core.demo import Demo
    from portal.core.management.commands.load_demo import Command

    # the command's own check reads settings.SETTINGS_MODULE, which pytest-django leaves unset
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        Command(stdout=io.StringIO()).load(Demo(stdout=io.StringIO()))


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(urljoin(page.url, href))
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(SKIP_PREFIXES):
            continue
        if parts.path.endswith(SKIP_SUFFIXES) or "download" in parts.path or "/feed" in parts.path:
            continue
        found.append(url)
    return found


def _crawl(page, start: str, origin: str, *, limit=MAX_PAGES, within=("/",)) -> list[str]:
    seen, queue, pages = {start}, deque([start]), []
    while queue and len(pages) < limit:
        url = queue.popleft()
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a file served as an attachment
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(url)
        for link in _links(page, origin):
            if link not in seen and urlsplit(link).path.startswith(within):
                seen.add(link)
                queue.append(link)
    return pages


def _check_pages(browser, live_server, urls, *, viewport, shot, label, cookies=()):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    if cookies:
        context.add_cookies(list(cookies))
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = {"axe": [], "language": [], "header": [], "overflow": []}
    try:
        for url in urls:
            page.goto(url)
            path = urlsplit(url).path
            for rule, impact, nodes in axe_violations(page):
                if not _known("axe", rule, path):
                    problems["axe"].append(f"{rule} ({impact}, {nodes}×) {path}")
            words = english_words(visible_text(page), DATA_WORDS)
            words = [w for w in words if not _known("language", w, path)]
            if words:
                problems["language"].append(f"{path}: {words}")
            try:
                assert_chinese_ui(page, allowed=DATA_WORDS | set(english_words(visible_text(page), DATA_WORDS)))
            except AssertionError as error:  # raw True/False/None
                problems["language"].append(str(error))
            if viewport is PHONE:
                if header_height(page) > 120:
                    problems["header"].append(f"{header_height(page):.0f}px {path}")
                if horizontal_overflow(page):
                    problems["overflow"].append(f"{horizontal_overflow(page)}px {path}")
            if path in SCREENSHOTS:
                shot(page, f"crawl-{label}-{viewport['width']}-{path.strip('/').replace('/', '-') or 'home'}")
    finally:
        context.close()
    return {kind: found for kind, found in problems.items() if found}


def test_public_pages_are_accessible_chinese_and_fit_a_phone(browser, live_server, demo, shot):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    try:
        urls = _crawl(page, live_server.url + "/", live_server.url)
    finally:
        context.close()
    assert len(urls) >= 20, urls  # the demo's magazine, members, services and showcase pages were reached
    problems = {}
    for viewport in (DESKTOP, PHONE):
        found = _check_pages(browser, live_server, urls, viewport=viewport, shot=shot, label="public")
        if found:
            problems[viewport["width"]] = found
    assert problems == {}, _report(problems, len(urls))


def test_firm_pages_from_the_account_page(browser, live_server, demo, shot):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email="firm-a@demo.zjxyxh.org")
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    log_in_as(page, live_server, user)
    cookies = page.context.cookies()
    try:
        urls = _crawl(page, live_server.url + "/account/", live_server.url, limit=80,
                      within=("/account/", "/members/", "/services/", "/showcase/", "/awards/", "/accounts/"))
    finally:
        context.close()
    assert any("/account/" in u for u in urls) and len(urls) >= 5, urls
    problems = {}
    for viewport in (DESKTOP, PHONE):
        found = _check_pages(browser, live_server, urls, viewport=viewport, shot=shot, label="firm", cookies=cookies)
        if found:
            problems[viewport["width"]] = found
    assert problems == {}, _report(problems, len(urls))


def _report(problems, count) -> str:
    lines = [f"{count} pages checked"]
    for width, kinds in problems.items():
        for kind, found in kinds.items():
            lines.append(f"-- {width}px {kind}: {len(found)}")
            lines += [f"   {line}" for line in sorted(set(found))[:60]]
    return "\n".join(lines)
