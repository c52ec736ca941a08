"""A certificate downloaded after its title expired or was revoked carries that status, stamped over the archived
PDF at download time; the archive stays as issued and a valid title's certificate is served byte for byte
(issue #14.22)."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from showcase.awards import domain
from showcase.awards.domain.titles import current_certificate
from tests.pdfs import need_embedded_cjk_font, pages, pdf_text, render


def _archived(title) -> bytes:
    with current_certificate(title).pdf.open("rb") as f:
        return f.read()


def test_a_valid_title_downloads_exactly_as_archived(client_for, firm_a, firm_a_user, awarded):
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=30))
    body = client_for(firm_a_user).get(reverse("awards:certificate", args=[title.pk])).content
    assert body == _archived(title)


def test_an_expired_title_downloads_stamped_and_the_archive_is_untouched(client_for, firm_a, firm_a_user, awarded):
    need_embedded_cjk_font()
    title = awarded(firm_a, datetime.date(2022, 3, 1))  # valid until 2024-03-01
    archived = _archived(title)
    response = client_for(firm_a_user).get(reverse("awards:certificate", args=[title.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "已过期" in text and f"有效期至 {title.valid_until:%Y-%m-%d}" in text
    assert firm_a.name in text and title.certificate_number in text  # the certificate itself, under the stamp
    assert pages(response.content) == 1
    assert hashlib.sha256(_archived(title)).digest() == hashlib.sha256(archived).digest()
    assert response.content != archived
    # the stamp is ink on the page: the stamped rendering is darker than the original in the middle
    box = (120, 100, 380, 260)
    stamped, original = render(response.content).crop(box), render(archived).crop(box)
    assert sum(stamped.histogram()[:200]) > sum(original.histogram()[:200]) + 500


def test_a_revoked_title_downloads_stamped_for_the_unit_and_the_secretariat(client_for, firm_a, firm_a_user,
                                                                            firm_b_user, secretariat, awarded):
    need_embedded_cjk_font()
    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=60))
    revoked_on = timezone.localdate()
    domain.revoke(application=title.application, user=secretariat, ground="licence", facts="营业执照被吊销",
                  revoked_on=revoked_on)
    url = reverse("awards:certificate", args=[title.pk])
    for user in (firm_a_user, secretariat):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        text = pdf_text(response.content)
        assert "已撤销" in text and f"撤销日期 {revoked_on:%Y-%m-%d}" in text
    assert client_for(firm_b_user).get(url).status_code == 404
    account = client_for(firm_a_user).get(reverse("account_home")).content.decode()
    assert url in account  # the unit keeps its document, marked


@pytest.mark.parametrize("label", ["已过期", "已撤销"])
def test_stamp_renders_chinese(label, firm_a, awarded):
    need_embedded_cjk_font()
    from showcase.awards.certificate import stamp

    title = awarded(firm_a, timezone.localdate() - datetime.timedelta(days=30))
    stamped = stamp(_archived(title), label=label, detail="2026-01-01")
    assert label in pdf_text(stamped)
