"""Bank-statement reconciliation (issue #15.2): every matching rule and every bad file."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members import domain
from members.domain import reconciliation
from members.models import BankProfile, BankStatement, DuesItem, Payment, StatementLine
from members.references import make_reference
from members.statements.parse import StatementError
from portal.core.models import OutboundEmail
from portal.core.workflow import WorkflowError

from .statements import ccb_rows, csv_bytes, line, statement_xlsx, xlsx_bytes

MARCH = datetime.date(2026, 3, 10)


@pytest.fixture
def ccb(db):
    return BankProfile.objects.get(name="中国建设银行")


def upload(data: bytes, name: str = "对账单.xlsx"):
    return SimpleUploadedFile(name, data)


def run_import(profile, secretariat, data, name="对账单.xlsx"):
    return reconciliation.import_statement(profile=profile, upload=upload(data, name), user=secretariat)


@pytest.fixture
def member_2025(make_member, firm_b, firm_b_user):
    """Firm B, a 会员单位 since 2025: owes 2,000 for 2025 and 2,000 for 2026."""
    membership = make_member(firm_b, firm_b_user, tier="会员单位", joined=datetime.date(2025, 3, 1))
    domain.ensure_dues_items(membership=membership, today=timezone.localdate())
    return membership


def lines_of(result):
    return list(result.statement.lines.order_by("row_number"))


# ------------------------------------------------------------------------------------------ matching rules


def test_reference_in_the_note_is_an_exact_match_and_confirming_issues_the_receipt(ccb, secretariat, member_a,
                                                                                  django_capture_on_commit_callbacks,
                                                                                  mailoutbox):
    item = member_a.dues_items.get()
    result = run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, f"会费 {item.payment_reference}")]))
    [bank_line] = lines_of(result)
    assert (bank_line.status, bank_line.match, bank_line.flags) == ("proposed", "exact", "")
    assert bank_line.membership == member_a
    assert bank_line.allocations == [{"kind": "unit", "item": item.pk, "year": item.year, "amount": "7000.00"}]
    assert reconciliation.preselected(bank_line)
    with django_capture_on_commit_callbacks(execute=True):
        [payment] = reconciliation.confirm_line(line=bank_line, user=secretariat)
    item.refresh_from_db()
    bank_line.refresh_from_db()
    assert item.status == "paid"
    assert bank_line.status == "confirmed"
    assert payment.bank_line == bank_line and payment.paid_on == MARCH and payment.method == "bank"
    assert payment.receipt_number.startswith("SJ-2026-") and payment.receipt_file
    assert [m.subject for m in mailoutbox] == ["会费已收到"]
    assert member_a.organisation.email in mailoutbox[0].to


def test_reference_typed_in_full_width_with_spaces_still_matches(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    typed = " ".join("".join(chr(ord(c) + 0xFEE0) for c in reference[i:i + 4]) for i in range(0, len(reference), 4))
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("陈诚", "７０００", typed)])))
    assert (bank_line.match, bank_line.membership) == ("exact", member_a)


def test_payer_name_and_amount_is_a_probable_match(ccb, secretariat, member_a):
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", "7,000.00", "会费")])))
    assert (bank_line.status, bank_line.match, bank_line.flags) == ("proposed", "probable", "")
    assert bank_line.membership == member_a
    assert reconciliation.preselected(bank_line)


def test_name_matched_with_fullwidth_brackets_and_spaces(ccb, secretariat, make_member, make_organisation,
                                                         make_user):
    user = make_user()
    org = make_organisation(users=[user], name="杭州信达（集团）有限公司")
    membership = make_member(org, user, tier="会员单位")
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("杭州信达(集团) 有限公司", 2000, "")])))
    assert (bank_line.match, bank_line.membership) == ("probable", membership)


def test_credit_code_in_the_note_is_a_probable_match(ccb, secretariat, member_a):
    note = f"代{member_a.organisation.credit_code}缴纳会费"
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("某集团财务公司", 7000, note)])))
    assert (bank_line.match, bank_line.membership) == ("probable", member_a)


def test_one_transfer_for_two_years_is_a_split(ccb, secretariat, member_2025):
    old, new = member_2025.dues_items.order_by("year")
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("乙贸易有限公司", 4000, old.payment_reference)])))
    assert (bank_line.match, bank_line.flags) == ("exact", "split")
    assert [(a["year"], a["amount"]) for a in bank_line.allocations] == [(2025, "2000.00"), (2026, "2000.00")]
    payments = reconciliation.confirm_line(line=bank_line, user=secretariat)
    assert [p.dues_item.year for p in payments] == [2025, 2026]
    assert set(DuesItem.objects.filter(membership=member_2025).values_list("status", flat=True)) == {"paid"}


def test_name_and_the_sum_of_two_years_is_a_probable_split(ccb, secretariat, member_2025):
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("乙贸易有限公司", 4000, "两年会费")])))
    assert (bank_line.match, bank_line.flags) == ("probable", "split")
    assert not reconciliation.preselected(bank_line)  # probable and odd: the secretariat looks first


def test_less_than_owed_is_a_part_payment(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 3000, reference)])))
    assert (bank_line.match, bank_line.flags) == ("exact", "partial")
    assert reconciliation.preselected(bank_line)  # the reference says whose: a part payment is recorded as such
    reconciliation.confirm_line(line=bank_line, user=secretariat)
    item = member_a.dues_items.get()
    assert (item.status, item.paid, item.outstanding) == ("partial", Decimal("3000"), Decimal("4000"))


def test_more_than_owed_is_an_overpayment_with_the_rest_left_for_a_refund(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7500, reference)])))
    assert (bank_line.match, bank_line.flags, bank_line.remainder) == ("exact", "over", Decimal("500.00"))
    assert not reconciliation.preselected(bank_line)
    [payment] = reconciliation.confirm_line(line=bank_line, user=secretariat)
    assert payment.amount == Decimal("7000.00")
    assert member_a.dues_items.get().status == "paid"


def test_second_transfer_for_the_same_dues_is_a_duplicate(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    data = statement_xlsx([line("甲信用科技有限公司", 7000, reference, serial="A1"),
                           line("甲信用科技有限公司", 7000, reference, serial="A2")])
    first, second = lines_of(run_import(ccb, secretariat, data))
    assert (first.status, first.flags) == ("proposed", "")
    assert (second.status, second.match, second.flags, second.allocations) == ("unmatched", "exact", "duplicate", [])
    assert second.membership == member_a and second.remainder == Decimal("7000.00")


def test_transfer_for_dues_already_paid_is_a_duplicate(ccb, secretariat, member_a):
    item = member_a.dues_items.get()
    domain.record_payment(dues_item=item, user=secretariat, amount=item.amount, paid_on=MARCH, method="cash")
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, "会费")])))
    assert (bank_line.status, bank_line.match, bank_line.flags) == ("unmatched", "probable", "duplicate")


def test_waiting_proposals_of_an_earlier_upload_count(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, reference, serial="A1")]))
    result = run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, reference, serial="B1")]))
    assert lines_of(result)[0].flags == "duplicate"


def test_mistyped_reference_is_flagged_and_the_payer_name_still_matches(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    mistyped = reference[:-1] + ("B" if reference[-1] != "B" else "C")
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, mistyped)])))
    assert (bank_line.match, bank_line.flags, bank_line.membership) == ("probable", "bad_reference", member_a)
    assert not reconciliation.preselected(bank_line)


def test_reference_of_an_unknown_item_is_flagged(ccb, secretariat, member_a):
    unknown = make_reference("HF", "ZJXY-2020-0999", 2020)
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("陌生单位", 7000, unknown)])))
    assert (bank_line.status, bank_line.match, bank_line.flags) == ("unmatched", "", "bad_reference")


def test_unknown_payer_stays_to_resolve_then_is_assigned_by_member_number(ccb, secretariat, member_a):
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("陈诚", 7000, "会费")])))
    assert (bank_line.status, bank_line.match, bank_line.membership) == ("unmatched", "", None)
    with pytest.raises(WorkflowError):
        reconciliation.confirm_line(line=bank_line, user=secretariat)
    [payment] = reconciliation.assign_line(line=bank_line, user=secretariat, member_number=member_a.member_number,
                                           note="法定代表人个人账户代缴")
    bank_line.refresh_from_db()
    assert bank_line.status == "confirmed" and bank_line.membership == member_a
    assert payment.dues_item.membership == member_a and payment.bank_line == bank_line


def test_a_line_that_is_not_dues_is_set_aside_with_its_reason_and_can_be_reopened(ccb, secretariat, member_a):
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("某培训学员", 800, "培训费")])))
    with pytest.raises(WorkflowError):
        reconciliation.ignore_line(line=bank_line, user=secretariat, note=" ")
    reconciliation.ignore_line(line=bank_line, user=secretariat, note="培训费，非会费")
    bank_line.refresh_from_db()
    assert (bank_line.status, bank_line.decision_note) == ("ignored", "培训费，非会费")
    reconciliation.reopen_line(line=bank_line, user=secretariat)
    assert StatementLine.objects.get(pk=bank_line.pk).status == "unmatched"


def test_only_the_secretariat_confirms(ccb, secretariat, council, member_a):
    from django.core.exceptions import PermissionDenied

    reference = member_a.dues_items.get().payment_reference
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, reference)])))
    with pytest.raises(PermissionDenied):
        reconciliation.confirm_line(line=bank_line, user=council)
    with pytest.raises(PermissionDenied):
        run_import(ccb, council, statement_xlsx([line("甲信用科技有限公司", 7000, "x")]))
    assert Payment.objects.count() == 0


def test_confirming_twice_records_one_payment(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, reference)])))
    confirmed, refused = reconciliation.confirm_lines(lines=[bank_line, bank_line], user=secretariat)
    assert len(confirmed) == 1 and len(refused) == 1
    assert Payment.objects.count() == 1


def test_a_payment_recorded_meanwhile_refuses_the_line_and_keeps_it(ccb, secretariat, member_a):
    item = member_a.dues_items.get()
    [bank_line] = lines_of(run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000,
                                                                               item.payment_reference)])))
    domain.record_payment(dues_item=item, user=secretariat, amount=item.amount, paid_on=MARCH, method="cash")
    with pytest.raises(WorkflowError):
        reconciliation.confirm_line(line=bank_line, user=secretariat)
    assert StatementLine.objects.get(pk=bank_line.pk).status == "proposed"
    assert Payment.objects.count() == 1


# ------------------------------------------------------------------------------------------ files


def test_reupload_imports_each_bank_line_once(ccb, secretariat, member_a):
    data = statement_xlsx([line("甲信用科技有限公司", 7000, "会费", serial="S1"), line("陈诚", 100, "捐赠", serial="S2")])
    first = run_import(ccb, secretariat, data)
    again = run_import(ccb, secretariat, data)
    assert (first.new, first.known) == (2, 0)
    assert (again.new, again.known) == (0, 2)
    assert StatementLine.objects.count() == 2
    assert BankStatement.objects.count() == 2  # the second upload is on record, with nothing new


def test_overlapping_statement_imports_only_the_new_lines(ccb, secretariat, member_a):
    early = [line("陈诚", 100, "捐赠", day=datetime.date(2026, 3, 1)),
             line("甲信用科技有限公司", 7000, "会费", day=datetime.date(2026, 3, 10))]
    late = [line("甲信用科技有限公司", 7000, "会费", day=datetime.date(2026, 3, 10)),
            line("某培训学员", 800, "培训费", day=datetime.date(2026, 3, 20))]
    run_import(ccb, secretariat, statement_xlsx(early))
    result = run_import(ccb, secretariat, statement_xlsx(late))
    assert (result.new, result.known) == (1, 1)
    assert sorted(StatementLine.objects.values_list("payer_name", flat=True)) == sorted(["陈诚", "甲信用科技有限公司",
                                                                                       "某培训学员"])


def test_the_same_transfer_twice_in_one_file_is_two_lines(ccb, secretariat, member_a):
    """Without a bank serial, two identical lines are two transfers (and a re-upload finds both again)."""
    data = statement_xlsx([line("陈诚", 100, "捐赠"), line("陈诚", 100, "捐赠")])
    assert run_import(ccb, secretariat, data).new == 2
    assert run_import(ccb, secretariat, data).new == 0


def test_csv_in_gb18030_with_title_rows_and_totals(ccb, secretariat, member_a):
    data = csv_bytes(ccb_rows([line("甲信用科技有限公司", "￥7,000.00", "会费")]), encoding="gb18030")
    result = run_import(ccb, secretariat, data, "对账单.csv")
    [bank_line] = lines_of(result)
    assert (bank_line.amount, bank_line.payer_name, bank_line.booked_on) == (Decimal("7000.00"), "甲信用科技有限公司", MARCH)
    assert result.statement.other_rows == 1  # the totals row


def test_csv_in_utf8_with_bom(ccb, secretariat, member_a):
    data = csv_bytes(ccb_rows([line("甲信用科技有限公司", 7000, "会费")]), encoding="utf-8-sig")
    assert run_import(ccb, secretariat, data, "对账单.csv").new == 1


def test_outgoing_lines_are_not_imported(ccb, secretariat):
    data = statement_xlsx([line("房东", "", "房租", debit="5000"), line("陈诚", 100, "捐赠")], totals=False)
    result = run_import(ccb, secretariat, data)
    assert (result.new, result.statement.other_rows) == (1, 1)


def test_a_bank_with_a_signed_amount_column(secretariat):
    profile = BankProfile.objects.create(name="某银行", date_columns="日期", payer_name_columns="对方户名",
                                         amount_columns="交易金额", signed_amount=True, note_columns="附言")
    data = xlsx_bytes([["日期", "交易金额", "对方户名", "附言"], ["2026-03-10", -500, "房东", "房租"],
                       ["2026-03-11", 2000, "乙贸易有限公司", "会费"]])
    result = reconciliation.import_statement(profile=profile, upload=upload(data), user=secretariat)
    assert [(x.amount, x.payer_name) for x in lines_of(result)] == [(Decimal("2000.00"), "乙贸易有限公司")]


def _refused(ccb, secretariat, data, name="对账单.xlsx") -> str:
    with pytest.raises(StatementError) as caught:
        run_import(ccb, secretariat, data, name)
    assert BankStatement.objects.count() == 0 and StatementLine.objects.count() == 0  # nothing half-imported
    return caught.value.message


def test_malformed_amount_names_the_row_and_nothing_is_imported(ccb, secretariat, member_a):
    data = statement_xlsx([line("甲信用科技有限公司", 7000, "会费"), line("陈诚", "七千元", "会费")])
    assert _refused(ccb, secretariat, data) == "第 7 行：“贷方发生额（收入）”列的金额“七千元”不是有效的金额。"


def test_amount_with_three_decimals_is_refused(ccb, secretariat):
    assert "第 6 行" in _refused(ccb, secretariat, statement_xlsx([line("陈诚", "100.005", "捐赠")]))


def test_malformed_date_names_the_row(ccb, secretariat):
    rows = ccb_rows([line("陈诚", 100, "捐赠")], totals=False)
    rows[-1][0] = "三月十日"
    assert _refused(ccb, secretariat, xlsx_bytes(rows)) == "第 6 行：“交易时间”列的日期“三月十日”不是有效的日期。"


def test_missing_column_is_named(ccb, secretariat):
    rows = [[c for c in r if c != "对方户名"] if i == 4 else r for i, r in enumerate(ccb_rows([], totals=False))]
    message = _refused(ccb, secretariat, xlsx_bytes(rows))
    assert message.startswith("第 5 行是表头，但没有“付款人户名”列（已查找：对方户名、对方账户名称、对方名称）。")


def test_wrong_encoding_is_refused_with_a_message(ccb, secretariat):
    data = csv_bytes(ccb_rows([line("陈诚", 100, "捐赠")]), encoding="utf-16-le")  # no BOM: neither UTF-8 nor GB18030
    assert "编码" in _refused(ccb, secretariat, data, "对账单.csv")


def test_text_in_another_chinese_encoding_finds_no_header(ccb, secretariat):
    data = csv_bytes([["交易日期", "貸方發生額", "對方戶名", "摘要"], ["2026-03-10", "100", "陳誠", "捐贈"]], encoding="big5")
    assert "UTF-8 或 GB18030" in _refused(ccb, secretariat, data, "对账单.csv")


def test_old_excel_and_broken_xlsx_are_refused(ccb, secretariat):
    assert ".xlsx" in _refused(ccb, secretariat, b"\xd0\xcf\x11\xe0 old excel", "对账单.xls")
    assert "xlsx" in _refused(ccb, secretariat, b"PK\x03\x04 not really a workbook", "对账单.xlsx")


def test_no_header_at_all(ccb, secretariat):
    assert "表头" in _refused(ccb, secretariat, xlsx_bytes([["随便"], ["什么"]]))


def test_statement_line_email_says_nothing_before_confirmation(ccb, secretariat, member_a):
    reference = member_a.dues_items.get().payment_reference
    run_import(ccb, secretariat, statement_xlsx([line("甲信用科技有限公司", 7000, reference)]))
    assert not OutboundEmail.objects.filter(subject="会费已收到").exists()
