"""Member certificate (会员证) and dues receipt (收据) PDFs."""

from __future__ import annotations

from decimal import Decimal

from portal.core import pdf
from portal.core.views import verify_url

DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _integer_words(n: int) -> str:
    text, zero = "", False
    digits = str(n)
    for i, ch in enumerate(digits):
        pos = len(digits) - 1 - i
        digit = int(ch)
        if digit == 0:
            zero = True
        else:
            if zero:
                text += "零"
                zero = False
            text += DIGITS[digit] + ("", "拾", "佰", "仟")[pos % 4]
        if pos % 4 == 0 and pos and int(digits[max(0, i - 3): i + 1]):
            text += ("", "万", "亿")[pos // 4]
    return text or "零"


def amount_in_words(amount: Decimal) -> str:
    """Chinese capital amount for receipts: 7000 → 柒仟元整, 10050 → 壹万零伍拾元整."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    yuan = int(amount)
    jiao, fen = divmod(int((amount - yuan) * 100), 10)
    text = _integer_words(yuan) + "元"
    if not jiao and not fen:
        return text + "整"
    text += DIGITS[jiao] + "角" if jiao else "零"
    return text + (DIGITS[fen] + "分" if fen else "")


def _chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def certificate_pdf(certificate) -> bytes:
    """The member certificate: A4 landscape, frame, holder, tier, dates, seal, QR to the verify page.

    Drawn from the `MemberCertificate` row (the text as issued), never from the unit's current data.
    """
    from reportlab.lib.units import mm

    font = pdf.cjk_font()
    c, buffer = pdf.new_canvas(title=f"会员证 {certificate.member_number}")
    width, height = c._pagesize
    pdf.draw_certificate_frame(c)
    c.setFillColorRGB(0.62, 0.12, 0.12)
    c.setFont(font, 40)
    c.drawCentredString(width / 2, height - 48 * mm, "会 员 证")
    c.setFont(font, 12)
    c.setFillGray(0.35)
    c.drawCentredString(width / 2, height - 57 * mm, "MEMBERSHIP CERTIFICATE")
    c.setFillGray(0.1)
    c.setFont(font, 17)
    left = 40 * mm
    c.drawString(left, height - 80 * mm, "兹证明")
    name_size = 24 if len(certificate.holder_name) <= 22 else 18
    c.setFont(font, name_size)
    c.drawCentredString(width / 2, height - 95 * mm, certificate.holder_name)
    c.setFont(font, 17)
    c.drawString(left, height - 112 * mm,
                 f"经浙江省信用协会理事会审议通过，为本协会{certificate.tier_name}，特发此证。")
    c.setFont(font, 12)
    rows = [
        ("会员编号", certificate.member_number),
        ("统一社会信用代码", certificate.credit_code),
        ("入会日期", _chinese_date(certificate.started_on)),
    ]
    if certificate.version > 1:
        rows.append(("证书版本", f"第{certificate.version}版"))
    y = height - 135 * mm
    for label, value in rows:
        c.setFillGray(0.4)
        c.drawString(left, y, label)
        c.setFillGray(0.1)
        c.drawString(left + 38 * mm, y, value)
        y -= 8 * mm
    # seal and issuer, lower right
    issuer_x = width - 80 * mm
    c.setFont(font, 15)
    c.drawCentredString(issuer_x, 42 * mm, "浙江省信用协会")
    c.setFont(font, 12)
    c.drawCentredString(issuer_x, 34 * mm, _chinese_date(certificate.issued_on))
    pdf.draw_seal(c, issuer_x, 46 * mm, 20 * mm)
    # QR code, lower left
    qr_size = 30 * mm
    pdf.draw_qr(c, verify_url(certificate.member_number), left - 4 * mm, 24 * mm, qr_size)
    c.setFont(font, 8)
    c.setFillGray(0.4)
    c.drawString(left + 28 * mm, 30 * mm, "扫码核验会员证状态")
    c.drawString(left + 28 * mm, 25 * mm, verify_url(certificate.member_number))
    c.showPage()
    c.save()
    return buffer.getvalue()


def _seal_flowable(radius: float):
    """A flowable drawing the association's seal near the right margin (for receipts)."""
    from reportlab.platypus import Flowable

    class Seal(Flowable):
        def wrap(self, available_width, available_height):
            self.available_width = available_width
            return available_width, 2 * radius

        def draw(self):
            pdf.draw_seal(self.canv, self.available_width - radius * 1.6, radius, radius)

    return Seal()


def receipt_pdf(payment) -> bytes:
    """A receipt (收据) for one payment, from the figures frozen on the payment when it was recorded."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    rows = [
        ["收据编号", payment.receipt_number, "收款日期", f"{payment.paid_on:%Y-%m-%d}"],
        ["交款单位", payment.payer_name, "会员编号", payment.member_number],
        ["收款事由", f"{payment.dues_year}年度会费（{payment.tier_name}）", "支付方式", payment.get_method_display()],
        ["金额（小写）", f"¥{payment.amount:,.2f}", "金额（大写）", amount_in_words(payment.amount)],
        ["参考号", payment.reference or "—", "本年度尚欠", f"¥{payment.outstanding_after:,.2f}"],
    ]
    story = [
        pdf.paragraph("浙江省信用协会", "center"),
        pdf.paragraph("收  据", "title"),
        pdf.table(rows, col_widths=[26 * mm, 62 * mm, 26 * mm, 62 * mm], header=False),
        Spacer(1, 4 * mm),
        pdf.paragraph(f"应缴 ¥{payment.amount_due:,.2f}，已缴 ¥{payment.paid_to_date:,.2f}。"
                      "本收据为会费缴纳凭证，请妥善保管。", "small"),
        _seal_flowable(14 * mm),
        pdf.paragraph("收款单位：浙江省信用协会（盖章）", "right"),
    ]
    return pdf.render_document(story, title=f"收据 {payment.receipt_number}", pagesize=landscape(A5))


def dues_notice_pdf(notice) -> bytes:
    """The 缴费通知书 of one dues item (`members.domain.payment.DuesNotice`): who pays what, to which account,
    and the reference to write in the transfer's note. Drawn from the figures as they are when downloaded."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    account = notice.account
    amount_rows = [
        ["应缴金额", f"¥{notice.amount:,.2f}", "已缴金额", f"¥{notice.paid:,.2f}"],
        ["本次应缴（小写）", f"¥{notice.outstanding:,.2f}", "本次应缴（大写）", amount_in_words(notice.outstanding)],
    ]
    payee_rows = [
        ["收款单位", account.payee_name or "—"],
        ["开户银行", account.bank_name or "（尚未公布，请联系协会秘书处）"],
        ["银行账号", account.account_number or "（尚未公布，请联系协会秘书处）"],
        ["转账附言（缴费参考号）", notice.reference],
    ]
    story = [
        pdf.paragraph("浙江省信用协会", "center"),
        pdf.paragraph("会费缴纳通知书", "title"),
        pdf.paragraph(f"{notice.payer_name}：", "body"),
        pdf.paragraph(f"贵单位（会员编号 {notice.member_number}，{notice.tier_name}）{notice.year}年度会费如下，"
                      "请于收到本通知后按下列账户缴纳。", "body"),
        Spacer(1, 3 * mm),
        pdf.table(amount_rows, col_widths=[32 * mm, 46 * mm, 32 * mm, 60 * mm], header=False),
        Spacer(1, 4 * mm),
        pdf.table(payee_rows, col_widths=[46 * mm, 124 * mm], header=False),
        Spacer(1, 4 * mm),
        pdf.paragraph(account.instructions or "", "body"),
        pdf.paragraph(f"缴费参考号 {notice.reference} 专用于贵单位{notice.year}年度会费；请勿用于其他款项。"
                      "到账核对后，协会将开具收据，贵单位可在门户网站“我的账户”下载。", "small"),
        Spacer(1, 8 * mm),
        _seal_flowable(14 * mm),
        pdf.paragraph("浙江省信用协会（盖章）", "right"),
        pdf.paragraph(_chinese_date(notice.issued_on), "right"),
    ]
    return pdf.render_document(story, title=f"会费缴纳通知书 {notice.reference}")


def application_template_pdf() -> bytes:
    """The 入会申请书 template: printed, filled in, signed and stamped by the unit, uploaded as a scan."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    blank = Spacer(1, 8 * mm)  # room to write by hand
    rows = [
        ["申请单位名称（全称）", blank],
        ["统一社会信用代码", blank],
        ["单位类型", "□ 企业　□ 事业单位　□ 信用服务机构　□ 高等院校　□ 科研单位　□ 其他"],
        ["法定代表人", blank],
        ["联系人及职务", blank],
        ["联系电话 / 电子邮箱", blank],
        ["通讯地址", blank],
        ["申请会员类别", "□ 副会长单位　□ 理事单位　□ 会员单位"],
    ]
    story = [
        pdf.paragraph("浙江省信用协会", "center"),
        pdf.paragraph("入会申请书", "title"),
        pdf.paragraph("浙江省信用协会：", "body"),
        pdf.paragraph("我单位承认和拥护《浙江省信用协会章程》，有加入协会的意愿，有志于信用管理研究且信誉良好，"
                      "现申请加入浙江省信用协会，并保证遵守协会章程，执行协会决议，按规定缴纳会费，"
                      "积极参加并支持协会组织的活动。", "body"),
        Spacer(1, 4 * mm),
        pdf.table(rows, col_widths=[46 * mm, 124 * mm], header=False),
        Spacer(1, 4 * mm),
        pdf.paragraph("单位简介及信用管理工作情况：", "body"),
        Spacer(1, 42 * mm),
        pdf.paragraph("我单位承诺以上所填内容及所附材料真实、准确、完整。", "body"),
        Spacer(1, 12 * mm),
        pdf.paragraph("法定代表人（签字）：________________　　　　申请单位（盖章）", "right"),
        Spacer(1, 8 * mm),
        pdf.paragraph("年　　月　　日", "right"),
        Spacer(1, 6 * mm),
        pdf.paragraph("填写说明：请打印本表，填写完整，由法定代表人签字并加盖单位公章后扫描（PDF 或图片），"
                      "在门户网站“入会申请”页面上传，同时上传营业执照（或登记证书）副本。", "small"),
    ]
    return pdf.render_document(story, title="入会申请书模板")
