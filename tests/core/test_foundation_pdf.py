"""The shared PDF toolkit renders Chinese with an embedded font, a seal and a QR code."""

from portal.core import pdf
from tests.pdfs import dark_pixels, need_embedded_cjk_font, render


def render_sample() -> bytes:
    from reportlab.lib.units import mm

    c, buffer = pdf.new_canvas(title="测试证书")
    pdf.draw_certificate_frame(c)
    c.setFont(pdf.cjk_font(), 28)
    width, height = c._pagesize
    c.drawCentredString(width / 2, height - 60 * mm, "浙江省信用协会会员证")
    pdf.draw_seal(c, width - 70 * mm, 50 * mm, 22 * mm)
    pdf.draw_qr(c, "http://testserver/verify/ZJXY-2026-0001/", 25 * mm, 25 * mm, 30 * mm)
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_cjk_font_is_embedded_truetype(db):
    need_embedded_cjk_font()
    assert pdf.font_is_embedded()
    data = render_sample()
    assert data.startswith(b"%PDF") and b"/FontFile2" in data  # embedded TrueType program


def test_chinese_text_renders_as_ink(db):
    """Rasterise the title area: empty boxes or missing glyphs leave it almost blank."""
    need_embedded_cjk_font()
    image = render(render_sample(), dpi=50)
    width, height = image.size
    # the title line sits 60 mm below the top edge of a landscape A4 (210 mm high)
    dark = dark_pixels(image, (int(width * 0.3), int(height * 0.24), int(width * 0.7), int(height * 0.33)))
    assert dark > 400, f"title band has only {dark} dark pixels"


def test_document_helpers_escape_user_text(db):
    story = [pdf.paragraph("<b>不是标记</b> & 符号", "title"), pdf.table([["项目", "金额"], ["会费", "2000 元"]])]
    data = pdf.render_document(story, title="测试")
    assert data.startswith(b"%PDF")


def test_pdf_response_headers():
    response = pdf.pdf_response(b"%PDF-1.4", "会员证.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"]


def test_font_search_can_be_switched_off(settings, tmp_path):
    """PDF_CJK_FONT_SEARCH=0 shows what a machine without a Chinese font does; PDF_CJK_FONT_PATH still counts."""
    settings.PDF_CJK_FONT_PATH = ""
    settings.PDF_CJK_FONT_SEARCH = False
    assert pdf.find_cjk_font_file() is None
    font = tmp_path / "font.ttf"
    font.write_bytes(b"\0")
    settings.PDF_CJK_FONT_PATH = str(font)
    assert pdf.find_cjk_font_file() == (font, 0)
