"""Dues collected end to end (issue #15): an admitted firm sees how to pay and downloads its 缴费通知书; the
secretariat uploads the bank's statement and confirms the proposals on one screen; the firm finds its receipt.

Both log in from the home page through the login form and reach every screen by clicking."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from portal.accounts.roles import Role
from tests.members.statements import line, statement_xlsx

from .helpers import ADMIN_WORDS, FIRM_PASSWORD, assert_chinese_ui, download, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("migrated_data")]

UNIT = "杭州诚信云数据科技有限公司"
OTHER = "宁波甬诚供应链管理有限公司"
THIRD = "温州瓯诚会计师事务所（普通合伙）"


def log_in_from_home(page, live_server, email, password=FIRM_PASSWORD):
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.locator(".account-nav").get_by_role("link", name="登录").click()
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _member(make_user, make_organisation, council, *, email, name, tier, joined):
    """A firm admitted by a council resolution (the council's screens are the membership journey's)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members import domain
    from members.models import MembershipApplication, MembershipRules, MembershipTier
    from tests.members.conftest import pdf_bytes, png_bytes

    user = make_user(email=email, name=f"{name}财务")
    user.set_password(FIRM_PASSWORD)
    user.save()
    organisation = make_organisation(users=[user], name=name, email=f"office-{email}")
    application = MembershipApplication(
        organisation=organisation, tier=MembershipTier.objects.get(name=tier), accepts_charter=True,
        application_letter=SimpleUploadedFile("申请书.pdf", pdf_bytes()), application_letter_name="申请书.pdf",
        business_licence=SimpleUploadedFile("执照.png", png_bytes()), business_licence_name="执照.png")
    application = domain.save_application_draft(application=application, user=user)
    application = domain.submit_application(application=application, user=user)
    rules = MembershipRules.load()
    rules.council_size = 1
    rules.save()
    domain.record_admission_resolution(user=council, meeting_date=joined, members_present=1, votes_for=1,
                                       votes_against=0, decisions=[{"application": application, "decision": "approve",
                                                                    "tier": application.tier}])
    return organisation.memberships.get()


def test_from_owed_dues_to_a_receipt_with_one_confirmation(page, live_server, site, shot, make_user,
                                                           make_organisation, tmp_path):
    from members.models import PaymentAccount

    account = PaymentAccount.load()
    account.bank_name, account.account_number = "中国建设银行杭州西湖支行", "33050161000000001234"
    account.save()
    council = make_user(Role.COUNCIL, email="council@example.com")
    secretariat = make_user(Role.SECRETARIAT, email="caiwu@zjxyxh.example.com", name="秘书处 财务")
    secretariat.set_password(FIRM_PASSWORD)
    secretariat.save()
    today = datetime.date.today()
    membership = _member(make_user, make_organisation, council, email="cw@chengxin-cloud.example.com", name=UNIT,
                         tier="会员单位", joined=today)
    _member(make_user, make_organisation, council, email="fin@yongcheng.example.com", name=OTHER,
            tier="理事单位", joined=today)
    third = _member(make_user, make_organisation, council, email="acc@oucheng.example.com", name=THIRD,
                    tier="会员单位", joined=today)

    # -- the admitted firm: its account says what it owes, how to pay, and the reference for the note
    log_in_from_home(page, live_server, "cw@chengxin-cloud.example.com")
    page.wait_for_url(re.compile(r".*/account/$"))
    item = membership.dues_items.get()
    expect(page.get_by_role("term").filter(has_text="尚欠会费")).to_be_visible()
    expect(page.get_by_text("中国建设银行杭州西湖支行")).to_be_visible()
    expect(page.get_by_text("33050161000000001234")).to_be_visible()
    expect(page.get_by_text(item.payment_reference, exact=True)).to_be_visible()
    assert_chinese_ui(page)
    shot(page, "dues-01-firm-how-to-pay")
    data, name = download(page, page.get_by_role("link", name=re.compile(r"年度缴费通知书")))
    assert data.startswith(b"%PDF-") and name == f"缴费通知书-{membership.member_number}-{item.year}.pdf"
    text = pdf_text(data, tmp_path)
    if text is not None:
        flat = re.sub(r"\s+", "", text)
        assert item.payment_reference in flat and "贰仟元整" in flat and "33050161000000001234" in flat
    page.wait_for_timeout(1200)
    shot(page, "dues-02-dues-notice")

    # -- the bank statement: the firm wrote the reference (in lower case, with spaces); another member paid
    #    by name; a third paid half with its reference; a training fee; outgoing rent
    reference = item.payment_reference
    typed = f"会费 {reference[:6].lower()} {reference[6:].lower()}"
    statement = tmp_path / "建行对账单-2026年3月.xlsx"
    statement.write_bytes(statement_xlsx([
        line(UNIT, "2,000.00", typed, day=today, serial="CCB0001"),
        line(OTHER, "7,000.00", "年度会费", day=today, serial="CCB0002"),
        line(THIRD, "1,000.00", f"{third.dues_items.get().payment_reference} 先付一半", day=today, serial="CCB0005"),
        line("杭州某培训学员", "800.00", "信用管理培训费", day=today, serial="CCB0003"),
        line("杭州某物业公司", "", "房租", day=today, serial="CCB0004", debit="5000"),
    ]))
    broken = tmp_path / "对账单-金额有误.xlsx"
    broken.write_bytes(statement_xlsx([line(UNIT, "两千元", reference, day=today)]))

    # -- the secretariat logs in from the home page and clicks its way to the upload
    log_in_from_home(page, live_server, "caiwu@zjxyxh.example.com")
    page.wait_for_url(re.compile(r".*/admin/$"))
    page.get_by_role("button", name="会费收缴").click()
    page.get_by_role("link", name="银行流水").click()
    page.get_by_role("link", name="上传银行对账单").first.click()
    expect(page.locator("h1")).to_contain_text("上传银行对账单")
    page.get_by_label("对账单所属银行").select_option(label="中国建设银行")
    page.set_input_files("input[name=file]", str(broken))
    page.get_by_role("button", name="导入对账单").click()
    expect(page.get_by_text("第 6 行：“贷方发生额（收入）”列的金额“两千元”不是有效的金额。")).to_be_visible()
    shot(page, "dues-03-statement-refused")
    page.set_input_files("input[name=file]", str(statement))
    page.get_by_role("button", name="导入对账单").click()
    page.wait_for_url(re.compile(r".*/admin/members_bank_lines/reconcile/$"))
    expect(page.get_by_text("导入新的收入流水 4 笔，0 笔此前已导入。")).to_be_visible()
    rows = page.locator("table.members-reconcile__table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_text("精确匹配（缴费参考号）")).to_have_count(2)
    expect(page.get_by_text("可能匹配（付款人和金额）")).to_be_visible()
    expect(page.get_by_text("部分缴费")).to_be_visible()
    expect(page.locator("input[name=line]:checked")).to_have_count(3)
    expect(page.get_by_role("link", name="1 笔待处理")).to_be_visible()
    page.wait_for_timeout(1000)  # the message has slid in
    assert_chinese_ui(page, allowed=ADMIN_WORDS)
    shot(page, "dues-04-reconciliation")
    page.get_by_role("button", name="确认勾选的流水入账").click()
    expect(page.get_by_text("已确认 3 笔流水：开具收据 3 张，并已通知会员。")).to_be_visible()
    assert_chinese_ui(page, allowed=ADMIN_WORDS)
    shot(page, "dues-05-confirmed")
    # the training fee is left to resolve
    page.get_by_role("link", name="1 笔待处理").click()
    page.get_by_role("link", name="杭州某培训学员").click()
    page.get_by_label("款项说明").fill("信用管理培训费，非会费")
    page.get_by_role("button", name="标记").click()
    expect(page.get_by_text("该笔流水已标记为非会费。")).to_be_visible()

    # -- re-uploading the same statement imports nothing twice
    page.get_by_role("button", name="会费收缴").click()
    page.get_by_role("link", name="银行对账单", exact=True).click()
    page.get_by_role("link", name="上传银行对账单").first.click()
    page.set_input_files("input[name=file]", str(statement))
    page.get_by_role("button", name="导入对账单").click()
    expect(page.get_by_text("导入新的收入流水 0 笔，4 笔此前已导入。")).to_be_visible()

    # -- the firm finds its receipt
    log_in_from_home(page, live_server, "cw@chengxin-cloud.example.com")
    page.wait_for_url(re.compile(r".*/account/$"))
    receipt = page.get_by_role("link", name=re.compile(r"^收据 SJ-\d{4}-\d{5}$"))
    expect(receipt).to_be_visible()
    expect(page.get_by_text(item.payment_reference, exact=True)).to_have_count(0)  # nothing left to pay
    assert_chinese_ui(page)
    shot(page, "dues-06-firm-receipt")
    number = receipt.inner_text().split()[-1]
    data, name = download(page, receipt)
    assert data.startswith(b"%PDF-") and name == f"收据-{number}.pdf"
    text = pdf_text(data, tmp_path)
    if text is not None:
        assert number in text and UNIT in text
    if "/account/" not in page.url:
        page.go_back()  # from the receipt in the PDF viewer to the account page
    page.locator("main").get_by_role("link", name="会籍详情").click()
    page.wait_for_url(re.compile(r".*/members/membership/$"))
    assert_chinese_ui(page)
    expect(page.get_by_text(number).first).to_be_visible()
