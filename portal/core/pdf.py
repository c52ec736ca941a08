"""The one PDF toolkit every certificate, receipt, form and report uses.

- An embedded TrueType CJK font (settings.PDF_CJK_FONT_PATH or a known system
  font); without one, reportlab's STSong-Light CID font with a logged warning
  (it is not embedded and shows as empty boxes where the reader has no Chinese font).
- Paragraph styles that wrap Chinese text, a page template with header/footer,
  a decorative certificate frame, the association's seal and QR codes.

reportlab is imported lazily so that importing this module stays cheap.
"""

from __future__ import annotations

import io
import logging
import math
import threading
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("portal.pdf")

KNOWN_CJK_FONTS = [
    # (path, subfont index) — TrueType outlines only (reportlab rejects CFF/OTF like Noto CJK).
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
]
FALLBACK_FONT = "STSong-Light"
SEAL_RED = (0.78, 0.08, 0.08)
_lock = threading.Lock()


def find_cjk_font_file() -> tuple[Path, int] | None:
    """The configured or first known TrueType CJK font file on this machine.

    PDF_CJK_FONT_SEARCH = False leaves the known system fonts out (only PDF_CJK_FONT_PATH counts): a test run
    can then see what a machine without a Chinese font does.
    """
    configured = getattr(settings, "PDF_CJK_FONT_PATH", "")
    known = KNOWN_CJK_FONTS if getattr(settings, "PDF_CJK_FONT_SEARCH", True) else []
    candidates = ([(configured, 0)] if configured else []) + known
    for path, index in candidates:
        if path and Path(path).is_file():
            return Path(path), index
    return None


@cache
def cjk_font() -> str:
    """Register (once) and return the name of the CJK font to use."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        found = find_cjk_font_file()
        if found:
            path, index = found
            try:
                pdfmetrics.registerFont(TTFont("PortalCJK", str(path), subfontIndex=index))
                return "PortalCJK"
            except Exception as exc:  # noqa: BLE001 - any font failure falls back
                logger.warning("Cannot use CJK font %s: %s", path, exc)
        logger.warning(
            "No TrueType CJK font found; PDFs use the non-embedded %s font and may show empty boxes. "
            "Install one (Debian: apt-get install fonts-wqy-microhei) or set PDF_CJK_FONT_PATH.",
            FALLBACK_FONT,
        )
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        return FALLBACK_FONT


def font_is_embedded() -> bool:
    return cjk_font() != FALLBACK_FONT


@cache
def styles() -> dict:
    """Paragraph styles for Chinese text (wordWrap='CJK' breaks between characters)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=13, textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=12),
        "h2": ParagraphStyle("h2", parent=body, fontSize=13.5, leading=20, spaceBefore=10, spaceAfter=6),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=14),
    }


def paragraph(text: str, style: str = "body"):
    """A Paragraph with `text` escaped (user data is never markup)."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles()[style])


def table(rows: list[list], col_widths=None, *, header: bool = True):
    """A grid table of escaped text cells in the CJK font."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    data = [[c if hasattr(c, "wrap") else paragraph(c, "cell") for c in row] for row in rows]
    t = Table(data, colWidths=col_widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")))
    t.setStyle(TableStyle(commands))
    return t


def render_document(story: list, *, title: str, author: str = "浙江省信用协会", pagesize=None, footer: str = "") -> bytes:
    """Lay out a flowing document (forms, reports, receipts) with a page footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    pagesize = pagesize or A4
    buffer = io.BytesIO()
    font = cjk_font()

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillGray(0.4)
        text = f"{footer or author}    {doc.page}"
        canvas.drawCentredString(pagesize[0] / 2, 10 * mm, text)
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, title=title, author=author,
        leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=20 * mm,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def new_canvas(*, title: str, pagesize=None, author: str = "浙江省信用协会"):
    """A canvas for fixed-layout documents (certificates). Returns (canvas, buffer)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas as rl_canvas

    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=pagesize or landscape(A4))
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("浙江省信用协会门户")
    return c, buffer


def draw_certificate_frame(c, *, color=(0.62, 0.12, 0.12)) -> None:
    """A double border with corner marks, used by every certificate."""
    from reportlab.lib.units import mm

    width, height = c._pagesize
    c.saveState()
    c.setStrokeColorRGB(*color)
    c.setLineWidth(3)
    c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    c.setLineWidth(0.8)
    c.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)
    for x, y in ((14, 14), (width / mm - 14, 14), (14, height / mm - 14), (width / mm - 14, height / mm - 14)):
        c.circle(x * mm, y * mm, 2.2 * mm, stroke=1, fill=1)
    c.restoreState()


@lru_cache(maxsize=512)
def qr_matrix(value: str) -> tuple[tuple[bool, ...], ...]:
    """The QR modules (level M) of `value`, encoded once and cached (certificates are downloaded again and again)."""
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    n = qr.getModuleCount()
    return tuple(tuple(qr.isDark(r, c) for c in range(n)) for r in range(n))


def draw_qr(c, value: str, x: float, y: float, size: float) -> None:
    """A QR code with its lower-left corner at (x, y), quiet zone included; dark runs drawn as one path.

    reportlab's QrCodeWidget encodes twice and builds one shape per module (~10x slower), too slow
    for the 300 ms certificate budget.
    """
    matrix = qr_matrix(value)
    count = len(matrix)
    quiet = 2
    module = size / (count + 2 * quiet)
    path = c.beginPath()
    for row in range(count):
        col = 0
        while col < count:
            if matrix[row][col]:
                start = col
                while col < count and matrix[row][col]:
                    col += 1
                path.rect(x + (quiet + start) * module, y + size - (quiet + row + 1) * module,
                          (col - start) * module, module)
            else:
                col += 1
    c.saveState()
    c.setFillGray(0)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _seal_image_path() -> str | None:
    try:
        from .models import AssociationContact

        image = AssociationContact.load().seal_image
        if image and image.file:
            return image.file.path
    except Exception as exc:  # noqa: BLE001 - no DB / remote storage: draw the seal instead
        logger.info("seal image unavailable: %s", exc)
    return None


def draw_seal(c, cx: float, cy: float, radius: float, text: str = "浙江省信用协会") -> None:
    """The association's seal: the configured image, else a drawn red round seal."""
    path = _seal_image_path()
    if path:
        c.drawImage(path, cx - radius, cy - radius, 2 * radius, 2 * radius, mask="auto")
        return
    font = cjk_font()
    c.saveState()
    c.setStrokeColorRGB(*SEAL_RED)
    c.setFillColorRGB(*SEAL_RED)
    c.setLineWidth(radius * 0.06)
    c.circle(cx, cy, radius, stroke=1, fill=0)
    # five-pointed star in the centre
    star_r = radius * 0.28
    points = []
    for i in range(10):
        r = star_r if i % 2 == 0 else star_r * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    path_obj = c.beginPath()
    path_obj.moveTo(*points[0])
    for p in points[1:]:
        path_obj.lineTo(*p)
    path_obj.close()
    c.drawPath(path_obj, stroke=0, fill=1)
    # characters along the upper arc
    size = radius * 0.3
    c.setFont(font, size)
    n = len(text)
    span = math.radians(220)
    for i, ch in enumerate(text):
        angle = math.pi / 2 + span / 2 - (span * i / max(n - 1, 1))
        x = cx + (radius * 0.72) * math.cos(angle)
        y = cy + (radius * 0.72) * math.sin(angle)
        c.saveState()
        c.translate(x, y)
        c.rotate(math.degrees(angle) - 90)
        c.drawCentredString(0, -size / 3, ch)
        c.restoreState()
    c.restoreState()


def pdf_response(data: bytes, filename: str, *, inline: bool = True):
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
