import datetime

import pytest
from django.urls import reverse

from members import domain
from members.models import Membership
from members.pdfs import amount_in_words, certificate_pdf, receipt_pdf
from tests.pdfs import dark_pixels, need_embedded_cjk_font, pdf_text, render

from .conftest import admin_denied


def render_png(pdf: bytes, tmp_path, name="page"):
    return render(pdf, dpi=60)


def test_certificate_download_renders_chinese_text(client_for, member_a, firm_a_user, tmp_path):
    from portal.core.pdf import font_is_embedded

    response = client_for(firm_a_user).get(reverse("members:certificate"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    need_embedded_cjk_font()
    assert font_is_embedded()
    image = render_png(response.content, tmp_path)
    width, height = image.size  # A4 landscape at 60 dpi: about 701 × 496
    assert width > height
    # the title 会 员 证 and the unit name are drawn: plenty of dark pixels in the upper text band
    assert dark_pixels(image, (int(width * 0.3), int(height * 0.1), int(width * 0.7), int(height * 0.35))) > 300
    # the QR code in the lower left corner
    assert dark_pixels(image, (int(width * 0.05), int(height * 0.7), int(width * 0.25), int(height * 0.95))) > 400


def test_certificate_text_has_number_name_and_verify_url(member_a, tmp_path):
    need_embedded_cjk_font()
    text = pdf_text(certificate_pdf(domain.current_certificate(member_a)))
    assert member_a.member_number in text
    assert "甲信用科技有限公司" in text
    assert "理事单位" in text
    assert f"http://testserver/verify/{member_a.member_number}/" in text


def test_receipt_pdf_text(member_a, secretariat, tmp_path):
    from decimal import Decimal

    from members import domain

    need_embedded_cjk_font()
    payment = domain.record_payment(dues_item=member_a.dues_items.get(), user=secretariat, amount=Decimal("3500"),
                                    paid_on=datetime.date(2026, 4, 1), method="bank", reference="工行 0012")
    text = pdf_text(receipt_pdf(payment))
    for expected in ("收据", payment.receipt_number, "甲信用科技有限公司", "叁仟伍佰元整", "银行转账", "2026年度会费"):
        assert expected in text


@pytest.mark.parametrize(("amount", "words"), [
    ("7000", "柒仟元整"), ("15000", "壹万伍仟元整"), ("10050", "壹万零伍拾元整"), ("3500.50", "叁仟伍佰元伍角"),
    ("100001", "壹拾万零壹元整"), ("0.05", "零元零伍分"),
])
def test_amount_in_words(amount, words):
    from decimal import Decimal

    assert amount_in_words(Decimal(amount)) == words


def test_certificate_without_membership_is_404(client_for, firm_b, firm_b_user):
    assert client_for(firm_b_user).get(reverse("members:certificate")).status_code == 404


def test_admin_certificate_wrong_role_forbidden(client_for, member_a, editor):
    assert admin_denied(client_for(editor).get(reverse("members_admin:certificate", args=[member_a.pk])))


@pytest.mark.parametrize(("status", "label"), [
    ("active", "有效"), ("lapsed", "已失效"), ("withdrawn", "已退会"), ("expelled", "已除名"),
])
def test_verify_page_status_and_nothing_private(client, member_a, status, label):
    Membership.objects.filter(pk=member_a.pk).update(status=status)
    response = client.get(reverse("verify_certificate", args=[member_a.member_number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert label in page
    assert "甲信用科技有限公司" in page
    organisation = member_a.organisation
    for private in (organisation.credit_code, organisation.phone, organisation.email, organisation.contact_person,
                    organisation.legal_representative):
        assert private not in page


def test_verify_unknown_number_is_404(client, db):
    assert client.get(reverse("verify_certificate", args=["ZJXY-2026-9999"])).status_code == 404
