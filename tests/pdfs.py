"""Reading and rendering PDFs in tests, with no system package (pypdfium2 wheels bundle PDFium).

Tests that need something the machine may lack (a TrueType Chinese font, Chromium) call `need(...)`:
on a developer machine without it they skip with the reason; in CI, which installs everything,
`PORTAL_REQUIRE_SYSTEM_PACKAGES=1` turns the skip into a failure, so nothing silently stops being tested.
"""

import os

import pytest

REQUIRE_ENV = "PORTAL_REQUIRE_SYSTEM_PACKAGES"


def need(available: bool, reason: str) -> None:
    """Skip (or, in CI, fail) unless `available`."""
    if available:
        return
    if os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0"):
        pytest.fail(f"{reason} ({REQUIRE_ENV} is set: CI must install it)")
    pytest.skip(reason)


def need_embedded_cjk_font() -> None:
    from portal.core.pdf import find_cjk_font_file

    need(find_cjk_font_file() is not None,
         "no TrueType Chinese font for reportlab to embed (Debian: apt-get install fonts-wqy-microhei)")


def pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(data))


def pdf_text(data: bytes) -> str:
    """The text of every page, in reading order (what a reader's copy-paste gives)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def render(data: bytes, *, page: int = 0, dpi: int = 60):
    """One page as a greyscale PIL image."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def dark_pixels(image, box) -> int:
    """Pixels darker than mid-grey inside `box` (left, top, right, bottom): ink where text should be."""
    return sum(image.crop(box).histogram()[:128])


def javascript_actions(data: bytes) -> list[str]:
    """The document-level JavaScript a PDF reader (PDFium, Chrome's) finds: the name tree, wherever it is stored."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    scripts = []
    try:
        for index in range(raw.FPDFDoc_GetJavaScriptActionCount(document.raw)):
            action = raw.FPDFDoc_GetJavaScriptAction(document.raw, index)
            try:
                size = raw.FPDFJavaScriptAction_GetScript(action, None, 0)
                buffer = (ctypes.c_ushort * (size // 2))()
                raw.FPDFJavaScriptAction_GetScript(action, buffer, size)
                scripts.append(bytes(buffer).decode("utf-16-le").rstrip("\x00"))
            finally:
                raw.FPDFDoc_CloseJavaScriptAction(action)
    finally:
        document.close()
    return scripts
