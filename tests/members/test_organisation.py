import datetime

import pytest
from django.urls import reverse

from portal.organisations.models import Organisation, OrganisationUser, organisation_for
from tests.conftest import make_credit_code

URL = reverse("members:organisation")


def org_data(**overrides):
    data = {
        "name": "杭州明信数据科技有限公司", "credit_code": make_credit_code("330106", "MA2H8K9L0"),
        "unit_type": "enterprise", "legal_representative": "赵明", "established_on": "2015-06-01",
        "registered_address": "杭州市西湖区文三路90号", "contact_person": "钱红", "phone": "0571-88001122",
        "email": "office@mingxin.example.com", "website": "",
    }
    data.update(overrides)
    return data


def test_register_organisation_valid_code_links_user_and_derives_region(client_for, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import png_bytes

    user = make_user()
    response = client_for(user).post(URL, {**org_data(), "licence": SimpleUploadedFile("执照.png", png_bytes())})
    assert response.status_code == 302
    assert response.url == reverse("members:apply")
    org = Organisation.objects.get()
    assert org.region_code == "330106"
    assert org.region_name == "浙江省 杭州市 西湖区"
    user.refresh_from_db()
    assert organisation_for(user) == org


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91330106MA2H8K9L0X", "校验码"),  # wrong check character
        ("91330106MA2H8K9L", "18 位"),  # too short
        ("91330106MA2H8KOL0X", "大写字母"),  # O is not allowed
        ("9133010%MA2H8K9L0X", "大写字母"),
    ],
)
def test_register_organisation_bad_code_shows_chinese_error(client_for, make_user, code, message):
    if code == "91330106MA2H8K9L0X" and make_credit_code("330106", "MA2H8K9L0").endswith("X"):
        code = code[:-1] + "Y"
    response = client_for(make_user()).post(URL, org_data(credit_code=code))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()


def test_register_organisation_unknown_division_refused(client_for, make_user):
    response = client_for(make_user()).post(URL, org_data(credit_code=make_credit_code("999999", "MA2H8K9L0")))
    assert response.status_code == 200
    assert "行政区划" in response.content.decode()


def test_register_organisation_duplicate_code_refused(client_for, make_user, firm_a):
    response = client_for(make_user()).post(URL, org_data(credit_code=firm_a.credit_code))
    assert response.status_code == 200
    assert "该统一社会信用代码已有单位登记" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_register_organisation_future_establishment_date_refused(client_for, make_user):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client_for(make_user()).post(URL, org_data(established_on=tomorrow.isoformat()))
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_edit_organisation_keeps_credit_code(client_for, firm_a, firm_a_user):
    original = firm_a.credit_code
    response = client_for(firm_a_user).post(URL, org_data(name="甲信用科技股份有限公司", credit_code="91330106MA2H8K9L00"))
    assert response.status_code == 302
    firm_a.refresh_from_db()
    assert firm_a.name == "甲信用科技股份有限公司"
    assert firm_a.credit_code == original


def test_organisation_page_staff_role_forbidden(client_for, secretariat):
    assert client_for(secretariat).get(URL).status_code == 403


def test_organisation_page_anonymous_redirected_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_secretariat_attaches_user_in_admin(client_for, secretariat, firm_a, make_user):
    colleague = make_user(email="colleague@example.com")
    from portal.organisations.wagtail_hooks import organisation_user_viewset

    url = reverse(organisation_user_viewset.get_url_name("add"))
    response = client_for(secretariat).post(url, {"user": colleague.pk, "organisation": firm_a.pk, "role": "clerk"})
    assert response.status_code == 302
    assert OrganisationUser.objects.get(user=colleague).organisation == firm_a


def test_attach_user_in_admin_council_forbidden(client_for, council, firm_a, make_user):
    from portal.organisations.wagtail_hooks import organisation_user_viewset

    url = reverse(organisation_user_viewset.get_url_name("add"))
    response = client_for(council).post(url, {"user": make_user().pk, "organisation": firm_a.pk})
    assert response.status_code in (302, 403)
    assert OrganisationUser.objects.filter(organisation=firm_a).count() == 1
