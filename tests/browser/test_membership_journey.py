"""A firm signs up, registers its organisation, applies as 理事单位, the council approves in the admin,
the firm downloads its member certificate and the certificate's verify page says it is valid."""

import datetime
import re

import pytest
from playwright.sync_api import expect
from stdnum.cn import uscc

from portal.accounts.roles import Role

from .helpers import (
    ADMIN_WORDS,
    FIRM_PASSWORD,
    assert_chinese_ui,
    download,
    go_home,
    header_link,
    last_mail_link,
    log_in_as,
    log_in_through_form,
    pdf_file,
    pdf_text,
    png_file,
    to_admin,
    worklist_row,
)

# Each test starts from the migrated data (roles, tiers, the 2019 standard, the page tree): see `migrated_data`.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("migrated_data")]

EMAIL = "xinyong-keji@example.com"
UNIT = "浙江诚信数据科技有限公司"


def credit_code() -> str:
    body = "91330106MA27XY5K3"  # 杭州市西湖区 enterprise
    return body + uscc.calc_check_digit(body)


def test_firm_joins_as_council_unit_and_downloads_certificate(page, live_server, site, shot, make_user, tmp_path):
    council = make_user(Role.COUNCIL, email="council-member@example.com", name="理事会秘书")
    secretariat = make_user(Role.SECRETARIAT, email="secretariat-staff@example.com", name="秘书处")

    # -- the join page, from the home page's 入会与会员, signed out: sign up from there
    go_home(page, live_server)
    header_link(page, "入会与会员").click()
    page.locator("main").get_by_role("link", name="入会须知").first.click()
    assert_chinese_ui(page)
    expect(page.locator("h1")).to_have_text("入会须知")
    expect(page.get_by_text("理事单位").first).to_be_visible()
    shot(page, "membership-01-join-page")
    page.locator("main").get_by_role("link", name="注册").click()
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", FIRM_PASSWORD)
    page.fill("input[name=password2]", FIRM_PASSWORD)
    shot(page, "membership-02-signup")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/"))

    link = last_mail_link(r"https?://[^\s]+/accounts/confirm-email/[^\s]+")
    page.goto(live_server.url + "/accounts/" + link.split("/accounts/", 1)[1])  # the sign-up email's link
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    # -- the firm's own sign-in goes through the form
    log_in_through_form(page, live_server, EMAIL)
    assert_chinese_ui(page)
    shot(page, "membership-03-my-account")
    page.get_by_role("link", name="登记单位信息").first.click()
    page.wait_for_url(re.compile(r".*/members/organisation/$"))

    # -- register the organisation (a valid 18-character credit code; a wrong check character is refused first)
    code = credit_code()
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    page.fill("#id_name", UNIT)
    page.fill("#id_credit_code", wrong)
    page.fill("#id_legal_representative", "陈立信")
    page.fill("#id_established_on", "2012-04-18")
    page.fill("#id_registered_address", "杭州市西湖区文三路478号华星时代广场A座12楼")
    page.fill("#id_contact_person", "周敏")
    page.fill("#id_phone", "0571-87651234")
    page.fill("#id_email", "zhoumin@chengxin-data.example.com")
    page.fill("#id_website", "www.chengxin-data.example.com")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("校验码（最后一位）不正确，请对照营业执照核对。")).to_be_visible()
    shot(page, "membership-04-organisation-checksum-error")
    page.fill("#id_credit_code", code)
    page.set_input_files("#id_licence", str(png_file(tmp_path, "营业执照.png", "BUSINESS LICENCE " + code)))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/members/apply/$"))
    expect(page.locator("h1")).to_have_text("入会申请")
    expect(page.get_by_text(f"申请单位：{UNIT}")).to_be_visible()

    # -- the first claim of this credit code: the secretariat checks the licence before the unit can apply
    log_in_as(page, live_server, secretariat)
    to_admin(page, live_server)  # the secretariat's worklist: 待核验的单位认领
    worklist_row(page, "待核验的单位认领", UNIT).click()
    expect(page.get_by_text(code)).to_be_visible()
    assert_chinese_ui(page, allowed=ADMIN_WORDS)
    shot(page, "membership-04b-admin-verify-claim")
    page.get_by_role("button", name="核验营业执照").click()
    expect(page.get_by_text("已核验。")).to_be_visible()
    log_in_through_form(page, live_server, EMAIL)
    page.locator("main").get_by_role("link", name="申请入会", exact=True).click()  # the account page: 入会须知
    page.wait_for_url(re.compile(r".*/members/join/$"))
    page.locator("main").get_by_role("link", name="申请入会", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/members/apply/$"))
    assert_chinese_ui(page)
    shot(page, "membership-05-application-form")

    # -- apply as 理事单位 with a signed letter (PDF) and a licence scan (PNG), then submit
    page.get_by_label("会员类别").select_option(label="理事单位（7,000 元/年）")
    page.check("#id_accepts_charter")
    page.fill("#id_statement", "我单位设有信用管理部，已建立客户授信与合同履约管理制度，愿意加入协会并履行会员义务。")
    letter = pdf_file(tmp_path, "入会申请书.pdf", ["浙江省信用协会入会申请书", f"申请单位：{UNIT}", "申请类别：理事单位",
                                                  "法定代表人：陈立信（签章）", "2026年3月2日"])
    licence = png_file(tmp_path, "营业执照.png", "BUSINESS LICENCE " + code)
    page.set_input_files("#id_application_letter", str(letter))
    page.set_input_files("#id_business_licence", str(licence))
    shot(page, "membership-06-application-filled")
    page.get_by_role("button", name="提交理事会审议").click()
    page.wait_for_url(re.compile(r".*/members/applications/\d+/$"))
    expect(page.get_by_text("入会申请已提交理事会审议。")).to_be_visible()
    expect(page.get_by_role("link", name="入会申请书.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="营业执照.png")).to_be_visible()
    shot(page, "membership-07-application-submitted")

    # -- the council approves in the Wagtail admin
    log_in_as(page, live_server, council)
    to_admin(page, live_server)
    page.get_by_role("link", name="1 份申请待审议").click()
    page.get_by_role("link", name=UNIT).click()
    expect(page.get_by_text(code)).to_be_visible()
    shot(page, "membership-08-admin-application")
    # the council's resolution (meeting, members present, votes), recorded on one screen
    page.get_by_role("link", name="记录理事会决议").click()
    page.get_by_label("理事会会议日期").fill(datetime.date.today().isoformat())
    page.get_by_label("到会人数").fill("1")
    page.get_by_label("赞成票").fill("1")
    page.get_by_label("反对票").fill("0")
    page.locator("select[name$='-decision']").first.select_option("approve")
    shot(page, "membership-09-admin-resolution")
    page.get_by_role("button", name="记录理事会决议").click()
    expect(page.get_by_text("理事会决议已记录。")).to_be_visible()
    number = page.get_by_role("link", name=re.compile(r"^ZJXY-\d{4}-\d{4}$")).inner_text()
    shot(page, "membership-09b-admin-admitted")

    # -- the firm sees its membership and downloads the certificate
    log_in_through_form(page, live_server, EMAIL)
    page.locator("main").get_by_role("link", name="会籍详情").click()
    page.wait_for_url(re.compile(r".*/members/membership/$"))
    expect(page.locator("h1")).to_have_text("我单位的会籍")
    expect(page.get_by_text(number).first).to_be_visible()
    expect(page.get_by_text("理事单位").first).to_be_visible()
    shot(page, "membership-10-membership")
    data, name = download(page, page.get_by_role("link", name="下载会员证（PDF）"))
    assert data.startswith(b"%PDF-")
    page.wait_for_timeout(1500)  # let the PDF viewer paint
    shot(page, "membership-11-certificate")
    assert name == f"会员证-{number}.pdf"
    text = pdf_text(data, tmp_path)
    if text is not None:  # the certificate names the unit and prints the address its QR code encodes
        assert UNIT in text
        assert f"/verify/{number}/" in text

    # -- the verify page the certificate's QR code points to (the address printed under it, as a phone scans it)
    verify = re.search(r"https?://\S+/verify/" + re.escape(number) + "/", text).group(0)
    page.goto(live_server.url + "/verify/" + verify.split("/verify/", 1)[1])
    assert_chinese_ui(page)
    expect(page.get_by_text("有效：会籍正常")).to_be_visible()
    expect(page.get_by_text(UNIT)).to_be_visible()
    shot(page, "membership-12-verify")
