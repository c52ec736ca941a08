"""Issue #12.8: a line break in a name must not stop every email whose subject contains it."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.core.mail import queue_email
from portal.core.models import OutboundEmail
from portal.core.text import SingleLineCharField, single_line
from portal.organisations.models import Organisation
from tests.conftest import make_credit_code


@pytest.mark.parametrize(("raw", "clean"), [
    ("甲信用\n科技有限公司", "甲信用 科技有限公司"),
    ("甲信用\r\nBcc: x@evil.example", "甲信用 Bcc: x@evil.example"),
    ("  两端 \t 空白  ", "两端 空白"),
    ("行\u2028分隔\u2029段落", "行 分隔 段落"),
    ("空\x00字\x07符\x1b[31m", "空字符[31m"),
    ("反向\u202e文字\u200b", "反向文字"),
    ("全角\u3000空格", "全角 空格"),
    ("（有限公司）", "（有限公司）"),
    ("", ""),
])
def test_single_line(raw, clean):
    assert single_line(raw) == clean


def test_form_field_normalises_before_validation():
    field = SingleLineCharField(max_length=5)
    assert field.clean("甲\n乙\n丙") == "甲 乙 丙"


def _org_data(**overrides):
    return {
        "name": "杭州明信数据科技有限公司", "credit_code": make_credit_code("330106", "MA2H8K9L0"),
        "unit_type": "enterprise", "legal_representative": "赵明", "established_on": "2015-06-01",
        "registered_address": "杭州市西湖区文三路90号", "contact_person": "钱红", "phone": "0571-88001122",
        "email": "office@mingxin.example.com", "website": "", **overrides,
    }


def test_unit_name_with_a_line_break_is_stored_on_one_line(client_for, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.members.conftest import png_bytes

    response = client_for(make_user()).post(reverse("members:organisation"), _org_data(
        name="杭州明信\r\n数据科技有限公司", contact_person="钱\n红", registered_address="文三路\n90号",
        licence=SimpleUploadedFile("营业执照.png", png_bytes())))
    assert response.status_code == 302
    org = Organisation.objects.get()
    assert (org.name, org.contact_person, org.registered_address) == ("杭州明信 数据科技有限公司", "钱 红", "文三路 90号")


def test_names_saved_by_code_are_normalised_too(firm_a):
    firm_a.name = "甲公司\n分公司"
    firm_a.save()
    assert firm_a.name == "甲公司 分公司"
    Organisation.objects.filter(pk=firm_a.pk).update(legal_representative="张\n三")
    firm_a.refresh_from_db()
    assert (firm_a.name, firm_a.legal_representative) == ("甲公司 分公司", "张 三")


def test_email_whose_subject_came_from_data_with_newlines_is_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to="council@example.com", subject="新的入会申请：甲信用\r\n科技有限公司", body="见附件")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.subject == "新的入会申请：甲信用 科技有限公司"
    assert mail.outbox[-1].subject == "新的入会申请：甲信用 科技有限公司"
