"""What the portal holds about me: the page, the copies (JSON, HTML) — mine only — and correcting my details."""

import json

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from portal.privacy.consent import record_consent
from portal.privacy.models import Consent


def _service_request(org, user, **fields):
    from portal.services.models import Provider, ServiceCategory, ServiceItem, ServiceRequest

    category = ServiceCategory.objects.first() or ServiceCategory.objects.create(code="credit", number=99, name="信用服务")
    provider = Provider.objects.create(name=f"服务机构{org.pk}", contact_person="王五", phone="0571-1")
    item = ServiceItem.objects.create(category=category, provider=provider, name="信用报告")
    return ServiceRequest.objects.create(item=item, provider=provider, organisation=org, requested_by=user,
                                         message="请联系我们", contact_name="陈小明", contact_phone="13800000001",
                                         contact_email="xiaoming@example.com", **fields)


def test_my_data_lists_account_unit_requests_and_consents(client_for, firm_a, firm_a_user, documents):
    record_consent(context=Consent.Context.SIGNUP, user=firm_a_user)
    _service_request(firm_a, firm_a_user)
    html = client_for(firm_a_user).get("/account/privacy/").content.decode()
    for text in ("firm-a@example.com", "甲公司用户", "甲信用科技有限公司", "陈小明", "13800000001",
                 "xiaoming@example.com", "隐私政策", "用户协议", "下载副本（JSON）", "注销账号"):
        assert text in html, text


def test_json_copy_is_mine_and_not_another_persons(client_for, firm_a, firm_b, firm_a_user, firm_b_user):
    _service_request(firm_a, firm_a_user)
    _service_request(firm_b, firm_b_user, status="completed")
    response = client_for(firm_a_user).get("/account/privacy/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data.json"')
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["account_id"] == firm_a_user.pk
    titles = [s["title"] for s in data["sections"]]
    assert titles[:2] == ["账户", "邮箱地址"]
    account = data["sections"][0]["items"][0]
    assert account["登录邮箱"] == "firm-a@example.com"
    assert account["姓名"] == "甲公司用户"
    unit = next(s for s in data["sections"] if s["title"] == "您所在的单位")["items"]
    assert [u["单位名称"] for u in unit] == ["甲信用科技有限公司"]
    text = response.content.decode()
    assert "firm-b@example.com" not in text and "乙贸易有限公司" not in text
    assert "服务机构" in text  # the request's provider
    # nothing in the URL says whose data: another person's is not reachable
    assert "firm-b@example.com" in client_for(firm_b_user).get("/account/privacy/data.json").content.decode()


def test_html_copy_is_a_readable_page(client_for, firm_a, firm_a_user):
    response = client_for(firm_a_user).get("/account/privacy/data.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data.html"')
    html = response.content.decode()
    assert html.startswith("\n<!DOCTYPE html>") or html.lstrip().startswith("<!DOCTYPE html>")
    assert "<h1>我的个人信息</h1>" in html and "firm-a@example.com" in html and "甲信用科技有限公司" in html
    assert "<script" not in html


def test_copies_need_a_login(client):
    for path in ("/account/privacy/", "/account/privacy/data.json", "/account/privacy/data.html"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path


def test_correcting_my_name_is_recorded(client_for, firm_a_user):
    client = client_for(firm_a_user)
    response = client.post("/account/privacy/details/", {"display_name": "  陈诚  "}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    firm_a_user.refresh_from_db()
    assert firm_a_user.display_name == "陈诚"
    entry = ModelLogEntry.objects.get(action="privacy.personal_data.correct")
    assert (entry.user_id, entry.object_id, entry.data["fields"], entry.data["ip"]) == (
        firm_a_user.pk, str(firm_a_user.pk), ["display_name"], "192.0.2.9")


# ------------------------------------------------------------------------------- staff access is logged


def _entries(action):
    return list(ModelLogEntry.objects.filter(action=action).values_list("user_id", "content_type", "object_id"))


def test_secretariat_viewing_a_person_is_logged(client_for, secretariat, firm_a, firm_a_user):
    response = client_for(secretariat).get(f"/admin/privacy/people/{firm_a_user.pk}/", REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 200
    assert "firm-a@example.com" in response.content.decode()
    user_type = ContentType.objects.get_for_model(firm_a_user).pk
    assert _entries("privacy.personal_data.view") == [(secretariat.pk, user_type, str(firm_a_user.pk))]


def test_secretariat_exporting_a_person_is_logged(client_for, secretariat, firm_a_user):
    response = client_for(secretariat).get(f"/admin/privacy/people/{firm_a_user.pk}/export.json")
    assert response.status_code == 200
    assert json.loads(response.content)["account_id"] == firm_a_user.pk
    user_type = ContentType.objects.get_for_model(firm_a_user).pk
    assert _entries("privacy.personal_data.export") == [(secretariat.pk, user_type, str(firm_a_user.pk))]


def test_other_staff_roles_cannot_see_a_person(client_for, editor, council, firm_a_user):
    for user in (editor, council):
        response = client_for(user).get(f"/admin/privacy/people/{firm_a_user.pk}/export.json")
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert _entries("privacy.personal_data.export") == []


def test_opening_a_user_in_wagtails_user_editor_is_logged(client, django_user_model, firm_a_user):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x-pass-42")
    client.force_login(admin)
    assert client.get(f"/admin/users/edit/{firm_a_user.pk}/").status_code == 200
    user_type = ContentType.objects.get_for_model(firm_a_user).pk
    assert _entries("privacy.personal_data.view") == [(admin.pk, user_type, str(firm_a_user.pk))]


def test_opening_a_service_request_in_the_admin_is_logged(client_for, secretariat, firm_a, firm_a_user):
    from portal.services.models import ServiceRequest

    request = _service_request(firm_a, firm_a_user)
    response = client_for(secretariat).get(f"/admin/services_requests/inspect/{request.pk}/")
    assert response.status_code == 200
    request_type = ContentType.objects.get_for_model(ServiceRequest).pk
    assert _entries("privacy.personal_data.view") == [(secretariat.pk, request_type, str(request.pk))]
