"""The honour certificate (荣誉证书) of a 信用示范会员单位: one landscape A4 page, drawn with portal.core.pdf."""

from portal.core import pdf
from portal.core.views import verify_url


def certificate_pdf(title) -> bytes:
    """Render the certificate of `title` (current term dates, number, QR code to the verify page)."""
    from reportlab.lib.units import mm

    c, buffer = pdf.new_canvas(title=f"荣誉证书 {title.certificate_number}")
    width, height = c._pagesize
    font = pdf.cjk_font()
    red = (0.62, 0.12, 0.12)
    pdf.draw_certificate_frame(c, color=red)

    c.setFillColorRGB(*red)
    c.setFont(font, 40)
    c.drawCentredString(width / 2, height - 48 * mm, "荣 誉 证 书")
    c.setFillGray(0.15)
    c.setFont(font, 11)
    c.drawCentredString(width / 2, height - 58 * mm, f"证书编号：{title.certificate_number}")

    c.setFont(font, 22)
    c.drawCentredString(width / 2, height - 82 * mm, title.unit_name)
    c.setLineWidth(0.6)
    c.line(width / 2 - 100 * mm, height - 85 * mm, width / 2 + 100 * mm, height - 85 * mm)

    c.setFont(font, 14)
    c.drawCentredString(width / 2, height - 100 * mm, "经评审验收并公示无异议，被认定为")
    c.setFillColorRGB(*red)
    c.setFont(font, 30)
    c.drawCentredString(width / 2, height - 118 * mm, "浙江省信用协会信用示范会员单位")
    c.setFillGray(0.15)
    c.setFont(font, 13)
    c.drawCentredString(
        width / 2, height - 134 * mm,
        f"有效期：{title.valid_from:%Y年%m月%d日} 至 {title.valid_until:%Y年%m月%d日}",
    )

    # issuer, date and seal (lower right); QR code to the verify page (lower left)
    right = width - 62 * mm
    pdf.draw_seal(c, right, 40 * mm, 17 * mm)  # stamped first: the issuer and date stay legible over it
    c.setFillGray(0.1)
    c.setFont(font, 14)
    c.drawCentredString(right, 27 * mm, "浙江省信用协会")
    c.setFont(font, 12)
    c.drawCentredString(right, 20 * mm, f"{title.accepted_on:%Y年%m月%d日}")

    qr_size = 28 * mm
    pdf.draw_qr(c, verify_url(title.certificate_number), 26 * mm, 24 * mm, qr_size)
    c.setFont(font, 8)
    c.setFillGray(0.35)
    c.drawString(26 * mm, 20 * mm, "扫码核验证书真伪")
    c.showPage()
    c.save()
    return buffer.getvalue()


def stamp(archived: bytes, *, label: str, detail: str, checked_on=None) -> bytes:
    """The archived certificate with a status stamp (已过期, 已撤销 …) laid over each page (pikepdf overlay).

    The certificate is never re-rendered: its page content stays byte for byte what was issued; only a second,
    transparent layer is added to the copy being downloaded."""
    import io

    import pikepdf
    from reportlab.lib.units import mm

    with pikepdf.open(io.BytesIO(archived)) as document:
        box = [float(v) for v in document.pages[0].mediabox]
        width, height = box[2] - box[0], box[3] - box[1]
        overlay = _stamp_page(width, height, label=label, detail=detail, checked_on=checked_on, mm=mm)
        with pikepdf.open(io.BytesIO(overlay)) as layer:
            for page in document.pages:
                page.add_overlay(layer.pages[0])
            out = io.BytesIO()
            document.save(out)
    return out.getvalue()


def _stamp_page(width, height, *, label, detail, checked_on, mm) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    font = pdf.cjk_font()
    red = (0.75, 0.05, 0.05)
    c.saveState()
    c.translate(width / 2, height / 2 + 8 * mm)
    c.rotate(12)
    c.setStrokeColorRGB(*red)
    c.setFillColorRGB(*red)
    c.setFillAlpha(0.82)
    c.setStrokeAlpha(0.82)
    c.setLineWidth(3)
    c.roundRect(-70 * mm, -22 * mm, 140 * mm, 48 * mm, 4 * mm, stroke=1, fill=0)
    c.setLineWidth(1)
    c.roundRect(-67 * mm, -19 * mm, 134 * mm, 42 * mm, 3 * mm, stroke=1, fill=0)
    c.setFont(font, 54)
    c.drawCentredString(0, 2 * mm, label)
    c.setFont(font, 16)
    c.drawCentredString(0, -13 * mm, detail)
    c.restoreState()
    if checked_on is not None:
        c.setFillColorRGB(*red)
        c.setFont(font, 10)
        c.drawCentredString(width / 2, height - 20 * mm, f"状态截至 {checked_on:%Y-%m-%d}，以扫码核验结果为准")
    c.showPage()
    c.save()
    return buffer.getvalue()
