"""Helpers shared by the browser journeys: staff sessions, real-looking uploads, downloads, mail links."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeout

FIRM_PASSWORD = "Xin-yong-2026!"


def log_in_as(page, live_server, user) -> None:
    """Replace the browser's session with one for `user` (staff accounts: their form login is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def log_in_through_form(page, live_server, email: str, password: str = FIRM_PASSWORD, next_path: str = "") -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def pdf_file(tmp_path: Path, name: str, lines: list[str]) -> Path:
    """A small, valid one-page A4 PDF with Chinese text (reportlab with the portal's CJK font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from portal.core.pdf import cjk_font

    path = tmp_path / name
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(lines[0])
    font = cjk_font()
    y = A4[1] - 80
    for n, line in enumerate(lines):
        c.setFont(font, 18 if n == 0 else 12)
        c.drawString(72, y, line)
        y -= 28
    c.showPage()
    c.save()
    return path


def png_file(tmp_path: Path, name: str, text: str = "LICENCE") -> Path:
    """A small PNG that looks like a scanned licence: white page, red border, some text."""
    from PIL import Image, ImageDraw

    path = tmp_path / name
    image = Image.new("RGB", (420, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, 411, 291], outline=(180, 20, 20), width=6)
    draw.text((40, 60), text, fill="black")
    draw.ellipse([300, 190, 380, 270], outline=(200, 0, 0), width=4)
    image.save(path, "PNG")
    return path


def download(page, link) -> tuple[bytes, str]:
    """Click a link to a file; return its bytes and file name.

    Attachments arrive as downloads; inline PDFs open in Chromium's viewer, and their bytes are then fetched again
    with the page's cookies (the viewer does not hand them over).
    """
    href = link.get_attribute("href")
    with page.expect_response(lambda r: r.url.split("?")[0].endswith(href.split("?")[0])) as info:
        try:
            with page.expect_download(timeout=3000) as dl:
                link.click()
            d = dl.value
            return Path(d.path()).read_bytes(), d.suggested_filename
        except PlaywrightTimeout:
            pass
    response = info.value
    assert response.status == 200, (response.status, response.url)
    again = page.context.request.get(response.url)
    disposition = again.headers.get("content-disposition", "")
    match = re.search(r"filename\*=utf-8''([^;]+)", disposition, re.I) or re.search(r'filename="([^"]+)"', disposition)
    return again.body(), unquote(match.group(1)) if match else ""


def pdf_text(data: bytes, tmp_path: Path | None = None) -> str | None:
    """The PDF's text (pypdfium2), or None without an embedded Chinese font: the non-embedded fallback font's
    text is not reliably extractable. (In CI, PORTAL_REQUIRE_SYSTEM_PACKAGES makes the missing font a failure.)"""
    from portal.core.pdf import find_cjk_font_file
    from tests.pdfs import need
    from tests.pdfs import pdf_text as text_of

    if find_cjk_font_file() is None:
        need(False, "no TrueType Chinese font for reportlab to embed (Debian: apt-get install fonts-wqy-microhei)")
        return None
    return text_of(data)


def fetch(page, url: str) -> tuple[int, dict, bytes]:
    """GET with the browser's cookies (for files the browser would show inline)."""
    response = page.context.request.get(url)
    return response.status, response.headers, response.body()


def last_mail_link(pattern: str) -> str:
    for message in reversed(mail.outbox):
        match = re.search(pattern, message.body)
        if match:
            return match.group(0)
    raise AssertionError(f"no mail with a link matching {pattern!r} in {[m.subject for m in mail.outbox]}")


def header_height(page) -> float:
    """Height of the site header in CSS pixels."""
    return page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)")


# ------------------------------------------------------------------ accessibility and language checks
# Words that may stand in Latin letters on a Chinese page: proper names and codes, not UI words.
LATIN_ALLOWED = {
    "English",  # the language switch names its language in that language
    "Atom",  # the feed format's name on feed links
    "Zhejiang", "Credit", "Association",  # the brand's subtitle (lang="en")
    "PDF", "QR", "ICP", "URL", "Email", "Excel", "CSV", "xlsx", "JSON", "HTML", "TOTP", "ID",
    "www", "zjxyxh", "org", "com", "cn", "http", "https", "gov", "mailto",
}
RAW_VALUES = ("True", "False", "None")


def visible_text(page) -> str:
    """The text a person sees, without what is marked as another language (lang="en" brand, language switch)."""
    return page.evaluate("""() => {
        const clone = document.body.cloneNode(true);
        const hidden = [...document.body.querySelectorAll('*')].map(el => {
            const s = getComputedStyle(el);
            return s.display === 'none' || s.visibility === 'hidden';
        });
        [...clone.querySelectorAll('*')].forEach((el, i) => {
            if (hidden[i] || (el.lang && !el.lang.toLowerCase().startsWith('zh'))) el.setAttribute('data-drop', '');
        });
        clone.querySelectorAll('[data-drop], script, style, template, noscript').forEach(el => el.remove());
        return clone.innerText || clone.textContent;
    }""")


def english_words(text: str, allowed=frozenset()) -> list[str]:
    """Latin-letter words of two or more letters outside the allowlist (emails, URLs, codes and numbers removed)."""
    text = re.sub(r"\S+@\S+|https?://\S+|www\.\S+|\b[\w.-]+\.(?:pdf|png|jpg|xlsx|csv|json|html|xml)\b", " ", text)
    words = re.findall(r"(?<![\w-])[A-Za-z][A-Za-z']+(?![\w-])", text)
    return sorted({w for w in words if w not in LATIN_ALLOWED and w not in allowed and not w.isupper()})


def assert_chinese_ui(page, *, allowed=frozenset()) -> None:
    """The page in Chinese mode shows no English UI word and no raw True/False/None.

    Data may be Latin (a unit's English name, a code): pass such words in `allowed`. All-capital words
    (codes, acronyms) are always allowed.
    """
    text = visible_text(page)
    words = english_words(text, allowed)
    assert words == [], f"English words on {page.url}: {words}"
    raw = [value for value in RAW_VALUES if re.search(rf"(?<![\w]){value}(?![\w])", text)]
    assert raw == [], f"raw values on {page.url}: {raw}"


def axe_violations(page, *, impacts=("serious", "critical")) -> list[tuple[str, str, int]]:
    """axe-core's (rule id, impact, node count) for violations of at least serious impact on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return sorted((v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
                  if v.get("impact") in impacts)
