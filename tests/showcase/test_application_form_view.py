"""The application page's one form (issue #14.3): the 申报表 and the commitment are saved by one post, and a
question about the commitment never costs what was typed in the 申报表."""

import re

from django.urls import reverse

from showcase import domain
from showcase.models import Application

from .conftest import upload

FORM = {"legal_representative": "王五", "registered_address": "杭州市西湖区", "contact_person": "王五",
        "contact_phone": "0571-1", "contact_email": "a@example.com", "is_independent_legal_person": "on",
        "main_business": "制造", "staff_count": "120", "revenue_year1": "100", "revenue_year2": "120",
        "revenue_year3": "150", "credit_department": "信用管理部", "summary": "制度健全", "honours": ""}


def _new(campaign, firm_a_user):
    return domain.create_application(campaign=campaign, user=firm_a_user)


def test_form_and_commitment_are_saved_by_one_post(client_for, campaign, firm_a, firm_a_user):
    application = _new(campaign, firm_a_user)
    response = client_for(firm_a_user).post(reverse("showcase:edit", args=[application.pk]), {
        **FORM, "licence_upload": upload("执照.pdf"), "signer": "王五", "signer_title": "总经理", "accept": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.main_business, application.staff_count, application.licence_name) == ("制造", 120, "执照.pdf")
    assert (application.commitment_signer, application.commitment_signer_title) == ("王五", "总经理")
    assert application.commitment_accepted_at is not None


def test_a_name_typed_without_the_tick_is_kept_and_the_form_saved(client_for, campaign, firm_a, firm_a_user):
    application = _new(campaign, firm_a_user)
    response = client_for(firm_a_user).post(reverse("showcase:edit", args=[application.pk]), {
        **FORM, "licence_upload": upload("执照.pdf"), "signer": "赵六", "signer_title": "总经理", "stay": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请勾选此项，以所填姓名和职务签署承诺书。" in body
    assert 'value="赵六"' in body and 'value="总经理"' in body  # still on the page
    assert "已上传：执照.pdf" in body
    application.refresh_from_db()
    assert (application.main_business, application.licence_name) == ("制造", "执照.pdf")
    assert application.commitment_accepted_at is None


def test_a_tick_without_a_name_asks_for_it_and_saves_the_form(client_for, campaign, firm_a, firm_a_user):
    application = _new(campaign, firm_a_user)
    response = client_for(firm_a_user).post(reverse("showcase:edit", args=[application.pk]), {
        **FORM, "signer": "", "signer_title": "", "accept": "on"})
    assert response.status_code == 200
    assert response.content.decode().count("签署承诺书时必填。") == 2
    application.refresh_from_db()
    assert application.main_business == "制造" and application.commitment_accepted_at is None


def test_an_invalid_form_saves_nothing_and_says_to_choose_the_file_again(client_for, campaign, firm_a, firm_a_user):
    application = _new(campaign, firm_a_user)
    response = client_for(firm_a_user).post(reverse("showcase:edit", args=[application.pk]), {
        **FORM, "staff_count": "-5", "licence_upload": upload("执照.pdf"), "signer": "王五", "signer_title": "总经理",
        "accept": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "尚未保存：请更正表单后重新选择该文件。" in body
    assert 'value="王五"' in body and "checked" in re.search(r'<input[^>]*name="accept"[^>]*>', body).group(0)
    application = Application.objects.get(pk=application.pk)
    assert (application.main_business, application.licence_name, application.commitment_accepted_at) == ("", "", None)
