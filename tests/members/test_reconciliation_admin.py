"""The reconciliation screens in the admin: upload, confirm on one screen, resolve what is left."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import BankProfile, BankStatement, Payment, StatementLine

from .conftest import admin_denied
from .statements import line, statement_xlsx

UPLOAD = reverse("members_statements:upload")
RECONCILE = reverse("members_bank_lines:reconcile")


@pytest.fixture
def ccb(db):
    return BankProfile.objects.get(name="中国建设银行")


def post_statement(client, profile, data, name="3月对账单.xlsx"):
    return client.post(UPLOAD, {"profile": profile.pk, "file": SimpleUploadedFile(name, data)})


def test_secretariat_uploads_then_confirms_the_ticked_proposals(client_for, secretariat, ccb, member_a, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    reference = member_a.dues_items.get().payment_reference
    client = client_for(secretariat)
    data = statement_xlsx([line("甲信用科技有限公司", 7000, f"会费{reference}", serial="S1"),
                           line("某培训学员", 800, "培训费", serial="S2")])
    response = post_statement(client, ccb, data)
    assert response.status_code == 302 and response.url == RECONCILE
    page = client.get(RECONCILE).content.decode()
    assert "精确匹配（缴费参考号）" in page
    exact = StatementLine.objects.get(serial="S1")
    assert re.search(rf'name="line" value="{exact.pk}"[^>]*checked', page)
    assert "1 笔待处理" in page  # the training fee waits in the list to resolve
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RECONCILE, {"line": [exact.pk]}, follow=True)
    assert "已确认 1 笔流水：开具收据 1 张，并已通知会员。" in response.content.decode()
    payment = Payment.objects.get()
    assert payment.bank_line == exact and member_a.dues_items.get().status == "paid"
    assert "会费已收到" in [m.subject for m in mailoutbox]


def test_a_bad_file_is_refused_with_the_row_and_nothing_imported(client_for, secretariat, ccb, member_a):
    data = statement_xlsx([line("陈诚", "abc", "会费")])
    response = post_statement(client_for(secretariat), ccb, data)
    assert response.status_code == 200
    assert "第 6 行：“贷方发生额（收入）”列的金额“abc”不是有效的金额。" in response.content.decode()
    assert BankStatement.objects.count() == 0


def test_a_file_that_is_neither_xlsx_nor_csv_is_refused_by_the_upload_check(client_for, secretariat, ccb):
    response = client_for(secretariat).post(UPLOAD, {"profile": ccb.pk, "file": SimpleUploadedFile("a.pdf", b"%PDF-1")})
    assert response.status_code == 200
    assert BankStatement.objects.count() == 0


def test_double_submitted_upload_imports_once(client_for, secretariat, ccb, member_a):
    client = client_for(secretariat)
    data = statement_xlsx([line("陈诚", 100, "捐赠")])
    form = {"profile": ccb.pk, "_once": "2f0b8f1e4f4c4d6a9b1c2d3e4f5a6b7c"}
    client.post(UPLOAD, {**form, "file": SimpleUploadedFile("a.xlsx", data)})
    response = client.post(UPLOAD, {**form, "file": SimpleUploadedFile("a.xlsx", data)}, follow=True)
    assert "此表单已经提交过，未重复提交。" in response.content.decode()
    assert BankStatement.objects.count() == 1


def test_council_sees_but_cannot_confirm(client_for, council, secretariat, ccb, member_a):
    reference = member_a.dues_items.get().payment_reference
    post_statement(client_for(secretariat), ccb, statement_xlsx([line("甲信用科技有限公司", 7000, reference)]))
    client = client_for(council)
    page = client.get(RECONCILE).content.decode()
    assert "甲信用科技有限公司" in page and "disabled" in page
    assert admin_denied(client.post(RECONCILE, {"line": [StatementLine.objects.get().pk]}))
    assert admin_denied(client.get(UPLOAD))
    assert Payment.objects.count() == 0


def test_unmatched_line_is_assigned_on_its_page(client_for, secretariat, ccb, member_a):
    client = client_for(secretariat)
    post_statement(client, ccb, statement_xlsx([line("陈诚", 7000, "会费")]))
    bank_line = StatementLine.objects.get()
    url = reverse("members_bank_lines:inspect", args=[bank_line.pk])
    page = client.get(url).content.decode()
    assert "指定会员入账" in page and "标记为非会费" in page
    response = client.post(url, {"action": "assign", "assign-member_number": "ZJXY-0000-9999"}, follow=True)
    assert "没有会员编号为“ZJXY-0000-9999”的会员。" in response.content.decode()
    response = client.post(url, {"action": "assign", "assign-member_number": member_a.member_number.lower(),
                                 "assign-note": "法定代表人代缴"}, follow=True)
    assert "已入账：SJ-" in response.content.decode()
    assert StatementLine.objects.get().status == "confirmed"


def test_line_set_aside_needs_a_reason(client_for, secretariat, ccb):
    client = client_for(secretariat)
    post_statement(client, ccb, statement_xlsx([line("某培训学员", 800, "培训费")]))
    url = reverse("members_bank_lines:inspect", args=[StatementLine.objects.get().pk])
    assert client.post(url, {"action": "ignore", "ignore-note": ""}).status_code == 200
    client.post(url, {"action": "ignore", "ignore-note": "培训费"})
    assert StatementLine.objects.get().status == "ignored"


def test_lines_index_filters_what_is_left_to_resolve(client_for, secretariat, ccb, member_a):
    client = client_for(secretariat)
    reference = member_a.dues_items.get().payment_reference
    post_statement(client, ccb, statement_xlsx([line("甲信用科技有限公司", 7000, reference), line("某培训学员", 800, "培训费")]))
    page = client.get(reverse("members_bank_lines:index") + "?status=unmatched").content.decode()
    assert "某培训学员" in page and "甲信用科技有限公司" not in page


def test_statement_page_and_file(client_for, secretariat, council, ccb):
    data = statement_xlsx([line("陈诚", 100, "捐赠")])
    post_statement(client_for(secretariat), ccb, data)
    statement = BankStatement.objects.get()
    client = client_for(council)
    assert "3月对账单.xlsx" in client.get(reverse("members_statements:inspect", args=[statement.pk])).content.decode()
    response = client.get(reverse("members_statements:file", args=[statement.pk]))
    assert b"".join(response.streaming_content) == data
