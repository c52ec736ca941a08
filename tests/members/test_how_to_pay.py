"""How a firm pays (issue #15.1, #14.7): payee, bank, account, amount in figures and in words, the reference."""

import re

from django.urls import reverse


def _set_account():
    from members.models import PaymentAccount

    account = PaymentAccount.load()
    account.bank_name = "中国工商银行杭州西湖支行"
    account.account_number = "1202021009900123456"
    account.save()
    return account


def test_account_page_after_approval_says_how_to_pay(client_for, member_a, firm_a_user):
    """#14.7: after approval the account said "尚欠会费 7,000 元" and nothing said how to pay."""
    _set_account()
    item = member_a.dues_items.get()
    page = client_for(firm_a_user).get(reverse("account_home")).content.decode()
    assert "尚欠会费" in page
    assert "浙江省信用协会" in page
    assert "中国工商银行杭州西湖支行" in page
    assert "1202021009900123456" in page
    assert item.payment_reference in page
    assert f'data-copy="{item.payment_reference}"' in page
    assert 'data-copy="7000.00"' in page
    assert reverse("members:dues_notice", args=[item.pk]) in page
    assert "已缴" in page


def test_membership_page_shows_the_reference_of_each_open_year(client_for, member_a, firm_a_user):
    item = member_a.dues_items.get()
    page = client_for(firm_a_user).get(reverse("members:membership")).content.decode()
    assert item.payment_reference in page
    assert "尚未公布，请联系协会秘书处" in page  # no account entered yet: never a made-up one


def test_paid_items_need_no_instructions(client_for, member_a, firm_a_user, secretariat):
    from members import domain

    item = member_a.dues_items.get()
    domain.record_payment(dues_item=item, user=secretariat, amount=item.amount, paid_on=item.due_on, method="bank")
    page = client_for(firm_a_user).get(reverse("account_home")).content.decode()
    assert item.payment_reference not in page
    assert "7,000 元" in page  # paid so far


def test_reference_is_short_unique_and_checked(member_a):
    from members import references

    item = member_a.dues_items.get()
    digits = "".join(ch for ch in member_a.member_number if ch.isdigit())
    assert re.fullmatch(rf"HF{digits}{item.year % 100:02d}[A-Z]", item.payment_reference)
    assert references.is_valid(item.payment_reference)
    assert len(item.payment_reference) <= 15


def test_check_letter_catches_one_wrong_character_and_swapped_neighbours():
    from members import references

    reference = references.make_reference("HF", "ZJXY-2026-0001", 2026)
    body = reference[:-1]
    for i in range(2, len(body)):
        for digit in "0123456789":
            if digit != body[i]:
                assert not references.is_valid(body[:i] + digit + body[i + 1:] + reference[-1])
    for i in range(2, len(body) - 1):
        if body[i] != body[i + 1]:
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2:]
            assert not references.is_valid(swapped + reference[-1])


def test_reference_found_in_a_hand_typed_note():
    from members import references

    reference = references.make_reference("HF", "ZJXY-2026-0001", 2026)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in reference.lower())
    spaced = " ".join([reference[:4], reference[4:8], reference[8:]])
    for note in (f"会费{reference}", f"{fullwidth} 2026年会费", f"附言：{spaced}", f"{reference[:6]}-{reference[6:]}"):
        assert references.find_references(note) == ([reference], []), note
    wrong = reference[:-1] + ("A" if reference[-1] != "A" else "B")
    assert references.find_references(f"会费 {wrong}") == ([], [wrong])


def test_dues_notice_pdf_names_payee_account_amount_in_words_and_reference(client_for, member_a, firm_a_user,
                                                                          tmp_path):
    import shutil
    import subprocess

    _set_account()
    item = member_a.dues_items.get()
    response = client_for(firm_a_user).get(reverse("members:dues_notice", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        path = tmp_path / "notice.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        flat = re.sub(r"\s+", "", text)
        for expected in ("会费缴纳通知书", "浙江省信用协会", "中国工商银行杭州西湖支行", "1202021009900123456",
                         "¥7,000.00", "柒仟元整", item.payment_reference, f"{item.year}年度会费"):
            assert expected in flat, expected


def test_dues_notice_of_another_firm_is_404(client_for, member_a, firm_b, firm_b_user):
    item = member_a.dues_items.get()
    assert client_for(firm_b_user).get(reverse("members:dues_notice", args=[item.pk])).status_code == 404
