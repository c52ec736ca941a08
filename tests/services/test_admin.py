import io

import pytest
from django.urls import reverse

from portal.services.models import ServiceRequest

ADMIN_INDEXES = [
    "services_requests:index",
    "services_items:index",
    "services_providers:index",
    "services_categories:index",
    "services_events:index",
    "services_registrations:index",
]


@pytest.mark.parametrize("name", ADMIN_INDEXES)
def test_secretariat_sees_admin_listings(client_for, secretariat, submitted_request, name):
    response = client_for(secretariat).get(reverse(name))
    assert response.status_code == 200


def test_admin_item_form_validates_fee(client_for, secretariat, seed_providers):
    from portal.services.models import ServiceCategory

    provider = seed_providers["浙江汇信科技有限公司"]
    data = {"provider": provider.pk, "category": ServiceCategory.objects.get(number=8).pk, "name": "新项目",
            "description": "", "fee_kind": "range", "fee_amount": "5000", "fee_amount_max": "",
            "fee_period": "", "fee_rate": "", "fee_rate_unit": "percent", "fee_base_name": "", "fee_rule": "greater",
            "order": "0", "is_active": "on"}
    response = client_for(secretariat).post(reverse("services_items:add"), data)
    assert response.status_code == 200
    assert provider.items.filter(name="新项目").count() == 0
    data["fee_amount_max"] = "8000"
    response = client_for(secretariat).post(reverse("services_items:add"), data)
    assert response.status_code == 302
    assert provider.items.get(name="新项目").fee.render() == "5000–8000 元"


def test_secretariat_moves_request_in_admin(client_for, secretariat, submitted_request, django_capture_on_commit_callbacks):
    client = client_for(secretariat)
    url = reverse("services_requests:inspect", args=[submitted_request.pk])
    assert "更新状态" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "contact", "note": "秘书处已协调"})
    assert response.status_code == 302
    submitted_request.refresh_from_db()
    assert submitted_request.status == ServiceRequest.Status.CONTACTED


def test_request_admin_has_no_generic_add_or_edit(client_for, secretariat, submitted_request):
    client = client_for(secretariat)
    assert client.get(reverse("services_requests:add")).status_code in (302, 403)
    assert client.get(reverse("services_requests:edit", args=[submitted_request.pk])).status_code in (302, 403)


def test_other_staff_roles_cannot_use_services_admin(client_for, editor, submitted_request):
    client = client_for(editor)
    assert client.get(reverse("services_requests:index")).status_code in (302, 403)
    response = client.get(reverse("services_export"))
    assert response.status_code in (302, 403)
    assert "Content-Disposition" not in response


def test_export_xlsx_has_summary_per_provider_and_category(client_for, secretariat, submitted_request, law_item, firm_b, firm_b_user):
    import pandas as pd

    from portal.services import domain

    domain.submit_request(item=law_item, user=firm_b_user, message="合同纠纷", contact_name="林", contact_phone="1",
                          preferred_contact="phone")
    response = client_for(secretariat).get(reverse("services_export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = pd.read_excel(io.BytesIO(response.content), sheet_name=None)
    assert list(sheets) == ["汇总", "申请明细"]
    summary = sheets["汇总"]
    assert list(summary["服务机构"]) == ["浙江久丰律师事务所", "浙江新中天信用评估咨询有限公司"]
    assert list(summary["服务类别"]) == ["提供企业法律咨询服务", "提升企业经营管理能力"]
    assert list(summary["已提交"]) == [1, 1]
    assert list(summary["合计"]) == [1, 1]
    assert list(summary["会员单位数"]) == [0, 1]
    assert len(sheets["申请明细"]) == 2


def test_export_csv(client_for, secretariat, submitted_request):
    response = client_for(secretariat).get(reverse("services_export"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "服务机构,服务类别,已提交,已联系,办理中,已完成,已取消,合计,会员单位数"
    assert text.splitlines()[1] == "浙江新中天信用评估咨询有限公司,提升企业经营管理能力,1,0,0,0,0,1,1"


def test_export_empty(client_for, secretariat, db):
    response = client_for(secretariat).get(reverse("services_export"), {"format": "csv"})
    assert response.content.decode("utf-8-sig").splitlines() == [
        "服务机构,服务类别,已提交,已联系,办理中,已完成,已取消,合计,会员单位数"
    ]
