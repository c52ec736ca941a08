"""The 申报表 and the 信用承诺书 are filled top to bottom, as a person would, and sent with the button below them:
everything typed is saved — every field, the independent-legal-person box, the licence file and the signature
(issue #14.3: with two forms on the page, signing the commitment dropped the whole 申报表)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import assert_chinese_ui, header_link, log_in_through_form, png_file

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("migrated_data")]

EMAIL = "form-filler@example.com"
PASSWORD = "correct-horse-42"  # tests/conftest.py make_user

FIELDS = {
    "#id_legal_representative": "沈守信",
    "#id_registered_address": "杭州市西湖区西溪路550号",
    "#id_contact_person": "陆晓燕",
    "#id_contact_phone": "0571-85201234",
    "#id_contact_email": "luxiaoyan@shouxin.example.com",
    "#id_main_business": "工业自动化设备研发、制造与销售",
    "#id_staff_count": "326",
    "#id_revenue_year1": "18650.5",
    "#id_revenue_year2": "21230",
    "#id_revenue_year3": "24688.8",
    "#id_credit_department": "信用管理部（隶属财务中心）",
    "#id_summary": "公司2018年设立信用管理部，建立客户信用档案与授信审批制度。",
    "#id_honours": "2023年浙江省AA级守合同重信用企业",
}


@pytest.fixture
def draft_url(site, make_user, make_organisation):
    from showcase.models import Campaign, Standard

    today = timezone.localdate()
    Campaign.objects.create(year=today.year, title=f"{today.year}年度创建活动", opens_on=today - datetime.timedelta(days=5),
                            deadline=today + datetime.timedelta(days=60), rolling=True,
                            standard=Standard.objects.get(version="2019版"), status=Campaign.Status.OPEN)
    user = make_user(email=EMAIL, name="陆晓燕")
    make_organisation(users=[user], name="浙江守信智能制造股份有限公司", established_on=datetime.date(2015, 6, 1))
    return user


def test_filling_the_form_and_signing_the_commitment_saves_everything(page, live_server, draft_url, shot, tmp_path):
    from showcase.models import Application

    log_in_through_form(page, live_server, EMAIL, PASSWORD)
    header_link(page, "信用示范会员单位").click()
    page.get_by_role("link", name="立即申报").click()
    page.get_by_role("button", name="开始申报").click()
    page.wait_for_url(re.compile(r".*/showcase/applications/\d+/edit/$"))
    assert_chinese_ui(page)
    # top to bottom: the 申报表, the licence, then the commitment, then the button below it
    for selector, value in FIELDS.items():
        page.fill(selector, value)
    page.check("#id_is_independent_legal_person")
    page.set_input_files("#id_licence_upload", str(png_file(tmp_path, "营业执照副本.png", "LICENCE")))
    page.fill("#id_signer", "沈守信")
    page.fill("#id_signer_title", "法定代表人")
    page.check("#id_accept")
    shot(page, "application-form-filled")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    application = Application.objects.get()
    saved = {name: str(getattr(application, name.removeprefix("#id_"))) for name in FIELDS}
    assert saved == {**FIELDS, "#id_revenue_year2": "21230.00", "#id_revenue_year1": "18650.50",
                     "#id_revenue_year3": "24688.80"}
    assert application.is_independent_legal_person is True
    assert application.licence_name == "营业执照副本.png"
    assert (application.commitment_signer, application.commitment_signer_title) == ("沈守信", "法定代表人")
    assert application.commitment_accepted_at is not None
    # and the page, opened again, shows it all
    page.reload()
    for selector, value in FIELDS.items():
        expect(page.locator(selector)).to_have_value(re.compile(re.escape(value.rstrip("0").rstrip("."))))
    expect(page.locator("#id_is_independent_legal_person")).to_be_checked()
    expect(page.get_by_text("已上传：营业执照副本.png", exact=False)).to_be_visible()
    expect(page.get_by_text(re.compile("已由 沈守信（法定代表人）于 .* 签署"))).to_be_visible()
    assert_chinese_ui(page)
    shot(page, "application-form-saved")
