"""Money reports for the accountant, the roster and the arrears list (issue #15.3, #15.4)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members import domain
from members.domain import reconciliation
from members.models import BankProfile

from .conftest import admin_denied
from .statements import line, statement_xlsx

REPORTS = reverse("members_admin:reports")


def book(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def rows_of(sheet):
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def cell(sheet, header, row=2):
    headers = [c.value for c in sheet[1]]
    return sheet.cell(row=row, column=headers.index(header) + 1)


def test_dues_exports_write_money_as_money(client_for, member_a, secretariat):
    """The dues report's files said "7000.0"; the accountant's files carry money as money."""
    client = client_for(secretariat)
    text = client.get(REPORTS, {"export": "dues.csv"}).content.decode("utf-8-sig")
    assert "理事单位,7000.00,0.00,7000.00" in text
    assert "7000.0," not in text
    sheet = book(client.get(REPORTS, {"export": "xlsx"}))["会费"]
    amount = cell(sheet, "应收")
    assert amount.value == 7000 and amount.data_type == "n" and amount.number_format == "#,##0.00"


def test_receipts_of_the_year_list_every_payment_with_its_receipt_and_bank_line(client_for, member_a, secretariat):
    item = member_a.dues_items.get()
    data = statement_xlsx([line("甲信用科技有限公司", 7000, f"会费 {item.payment_reference}", serial="BANK-0001",
                                day=datetime.date(2026, 3, 10))])
    result = reconciliation.import_statement(profile=BankProfile.objects.get(name="中国建设银行"),
                                             upload=SimpleUploadedFile("a.xlsx", data), user=secretariat)
    [payment] = reconciliation.confirm_line(line=result.statement.lines.get(), user=secretariat)
    response = client_for(secretariat).get(reverse("members_admin:money_export", args=["receipts"]), {"year": "2026"})
    assert response["Content-Disposition"].endswith("2026.xlsx")
    sheet = book(response)["2026年收款明细"]
    [row] = rows_of(sheet)
    assert row["收据编号"] == payment.receipt_number
    assert (row["交款单位/个人"], row["会员编号"], row["会费年度"]) == ("甲信用科技有限公司", member_a.member_number, item.year)
    assert (row["银行流水号"], row["付款人户名"]) == ("BANK-0001", "甲信用科技有限公司")
    assert item.payment_reference in row["附言/参考号"]
    assert cell(sheet, "金额（元）").number_format == "#,##0.00" and row["金额（元）"] == 7000


def test_receivable_and_arrears_by_member(client_for, make_member, firm_b, firm_b_user, member_a, secretariat):
    old = make_member(firm_b, firm_b_user, tier="会员单位", joined=datetime.date(2025, 3, 1))
    domain.ensure_dues_items(membership=old, today=timezone.localdate())
    first = old.dues_items.get(year=2025)
    domain.record_payment(dues_item=first, user=secretariat, amount=500, paid_on=datetime.date(2025, 6, 1),
                          method="cash")
    sheet = book(client_for(secretariat).get(reverse("members_admin:money_export", args=["receivable"])))["应收及欠费"]
    rows = {r["会员编号"]: r for r in rows_of(sheet)}
    b = rows[old.member_number]
    assert (b["应收合计（元）"], b["已收合计（元）"], b["以前年度欠缴（元）"], b["本年度未缴（元）"], b["欠缴合计（元）"]) == (
        4000, 500, 1500, 2000, 3500)
    assert b["欠缴年度"] == "2025"
    assert rows[member_a.member_number]["以前年度欠缴（元）"] == 0


def test_roster_filters_by_tier_region_and_status_and_exports_dues_per_year(client_for, make_member, firm_b,
                                                                            firm_b_user, member_a, council,
                                                                            secretariat):
    from members.domain import individuals
    from members.models import IndividualMember, IndividualTier

    make_member(firm_b, firm_b_user, tier="会员单位")
    individuals.register_individual(member=IndividualMember(name="王信", tier=IndividualTier.objects.get(),
                                                            phone="13800000000"), user=secretariat)
    client = client_for(council)
    url = reverse("members_admin:roster")
    page = client.get(url).content.decode()
    assert "甲信用科技有限公司" in page and "乙贸易有限公司" in page
    page = client.get(url, {"region": "3302"}).content.decode()
    assert "乙贸易有限公司" in page and "甲信用科技有限公司" not in page
    page = client.get(url, {"tier": member_a.tier_id, "status": "active"}).content.decode()
    assert "甲信用科技有限公司" in page and "乙贸易有限公司" not in page
    workbook = book(client.get(url, {"tier": member_a.tier_id, "export": "xlsx"}))
    [row] = rows_of(workbook["会员单位"])
    year = member_a.dues_items.get().year
    assert (row["会员编号"], row["单位"], row["统一社会信用代码"], row["会员类别"]) == (
        member_a.member_number, "甲信用科技有限公司", member_a.organisation.credit_code, "理事单位")
    assert (row["联系人"], row["状态"], row["入会日期"].date()) == ("李四", "有效", member_a.started_on)
    assert "firm-a@example.com" in row["代表单位的人员"] and "管理员" in row["代表单位的人员"]
    assert (row[f"{year}年已缴（元）"], row[f"{year}年欠缴（元）"]) == (0, 7000)
    assert cell(workbook["会员单位"], f"{year}年欠缴（元）").number_format == "#,##0.00"
    assert [r["姓名"] for r in rows_of(workbook["个人会员"])] == ["王信"]


def test_arrears_list_puts_the_soonest_to_lapse_first(client_for, make_member, make_organisation, make_user,
                                                      member_a, secretariat):
    today = timezone.localdate()
    owing = []
    for joined in (datetime.date(2025, 9, 1), datetime.date(2025, 2, 1)):
        user = make_user()
        membership = make_member(make_organisation(users=[user]), user, tier="会员单位", joined=joined)
        domain.ensure_dues_items(membership=membership, today=today)
        owing.append(membership)
    page = client_for(secretariat).get(reverse("members_admin:arrears")).content.decode()
    assert page.index(owing[1].member_number) < page.index(owing[0].member_number)
    assert member_a.member_number not in page  # owes only this year's dues
    sheet = book(client_for(secretariat).get(reverse("members_admin:arrears"), {"export": "xlsx"}))["欠费催缴名单"]
    rows = rows_of(sheet)
    assert [r["会员编号"] for r in rows] == [owing[1].member_number, owing[0].member_number]
    assert rows[0]["以前年度欠缴（元）"] == 2000 and rows[0]["欠缴年度"] == "2025"


@pytest.mark.parametrize("name", ["members_admin:roster", "members_admin:arrears"])
def test_lists_are_for_the_council_and_the_secretariat(client_for, editor, firm_a_user, name):
    assert client_for(editor).get(reverse(name)).status_code in (302, 403)
    assert admin_denied(client_for(editor).get(reverse(name))) or client_for(editor).get(reverse(name)).status_code == 403


def test_money_is_decimal_in_the_ledger(member_a):
    from members import ledger

    assert ledger.money(Decimal("15000")) == Decimal("15000.00") and str(ledger.money(15000)) == "15000.00"


def test_roster_pages_through_with_its_filters_kept(client_for, council):
    """The admin lists page with `p` (the shared admin pager's `page_param`) and keep their filters:
    page 2's link carries the status filter, and following it shows the rest."""
    from tests.members.test_directory import bulk_members

    bulk_members(60)
    client = client_for(council)
    url = reverse("members_admin:roster")
    first = client.get(url, {"status": "active"}).content.decode()
    assert 'href="?status=active&amp;p=2" rel="next"' in first
    assert "第 1 页，共 2 页" in first
    second = client.get(url, {"status": "active", "p": "2"}).content.decode()
    assert "第 2 页，共 2 页" in second and 'href="?status=active&amp;p=1" rel="prev"' in second
