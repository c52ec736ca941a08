"""The admission notice (issue #15.8): member number, certificate and the first dues notice in one email."""

from django.urls import reverse

from portal.core.models import OutboundEmail

from .conftest import admit


def test_admission_notice_carries_number_certificate_and_first_dues_notice(submitted_application, council):
    from members.models import PaymentAccount

    account = PaymentAccount.load()
    account.bank_name, account.account_number = "中国工商银行杭州西湖支行", "1202021009900123456"
    account.save()
    membership = admit(submitted_application, council)
    item = membership.dues_items.get()
    email = OutboundEmail.objects.get(subject="入会申请已获批准")
    body = email.body
    assert membership.member_number in body
    assert reverse("members:certificate") in body  # the member certificate (PDF)
    assert reverse("members:dues_notice", args=[item.pk]) in body  # the first 缴费通知书 (PDF)
    assert item.payment_reference in body
    assert "中国工商银行杭州西湖支行" in body and "1202021009900123456" in body
    assert "7,000.00" in body
    assert email.to == ["org1@example.com", "firm-a@example.com"]
