"""Documents the association issues are immutable once issued (issue #13.5, #12.6).

A receipt states the figures as they were when it was issued; a member certificate vouches for the
name and tier of its version. Both are archived at issue and downloads serve the archived file.
"""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from members import domain
from members.models import Payment


def pdf_text(data: bytes, tmp_path, name="doc") -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdftotext", str(source), "-"], capture_output=True, text=True, check=True).stdout


def pay(item, user, amount, day=datetime.date(2026, 4, 1)):
    return domain.record_payment(dues_item=item, user=user, amount=Decimal(amount), paid_on=day, method="bank",
                                 reference="工行")


def test_receipt_keeps_its_figures_after_a_second_payment(client_for, member_a, secretariat, firm_a_user, tmp_path):
    item = member_a.dues_items.get()
    first = pay(item, secretariat, "3500")
    firm = client_for(firm_a_user)
    issued = firm.get(reverse("members:receipt", args=[first.pk])).content
    pay(item, secretariat, "3500")
    again = firm.get(reverse("members:receipt", args=[first.pk])).content
    assert again == issued  # the archived document, byte for byte
    text = pdf_text(again, tmp_path)
    assert first.receipt_number == "SJ-2026-00001"
    assert "已缴 ¥3,500.00" in text and "¥3,500.00" in text.split("本年度尚欠")[1][:40]
    assert "¥7,000.00，已缴 ¥7,000.00" not in text and "¥0.00" not in text
    staff = client_for(secretariat).get(reverse("members_admin:receipt", args=[first.pk])).content
    assert staff == issued


def test_receipt_keeps_the_payers_name_after_a_rename(client_for, member_a, secretariat, firm_a_user, tmp_path):
    payment = pay(member_a.dues_items.get(), secretariat, "7000")
    organisation = member_a.organisation
    organisation.name = "甲信用科技股份有限公司"
    organisation.save()
    text = pdf_text(client_for(firm_a_user).get(reverse("members:receipt", args=[payment.pk])).content, tmp_path)
    assert "甲信用科技有限公司" in text and "股份" not in text


def test_receipt_figures_are_frozen_on_the_row(member_a, secretariat):
    item = member_a.dues_items.get()
    first, second = pay(item, secretariat, "3000"), pay(item, secretariat, "4000")
    rows = list(Payment.objects.order_by("pk").values_list("amount_due", "paid_to_date", "outstanding_after"))
    assert rows == [(Decimal("7000"), Decimal("3000"), Decimal("4000")), (Decimal("7000"), Decimal("7000"), Decimal("0"))]
    assert first.receipt_file and second.receipt_file


def test_receipt_recorded_before_archiving_is_archived_on_first_download(client_for, member_a, secretariat,
                                                                         firm_a_user):
    payment = pay(member_a.dues_items.get(), secretariat, "7000")
    Payment.objects.filter(pk=payment.pk).update(receipt_file="")
    firm = client_for(firm_a_user)
    first = firm.get(reverse("members:receipt", args=[payment.pk])).content
    assert Payment.objects.get(pk=payment.pk).receipt_file
    assert firm.get(reverse("members:receipt", args=[payment.pk])).content == first
