"""The fee rate is entered as the provider prints it, with its unit (issue #14.4): 0.39 beside ‰ means 0.39‰.

Before, the form wanted a fraction ("0.39‰ 填 0.00039") beside a ‰ selector, and 0.39 typed as printed made the
public catalogue say "按资产总额的 390‰ 计收" — a thousand times the real fee."""

from decimal import Decimal

import pytest
from django.urls import reverse

from portal.services.models import ServiceCategory, ServiceItem


def _item_form(provider, **fee):
    data = {"provider": provider.pk, "category": ServiceCategory.objects.get(number=3).pk, "name": "年报审计",
            "description": "", "fee_kind": "minimum_rate", "fee_amount": "1560", "fee_amount_max": "",
            "fee_period": "", "fee_rate": "0.39", "fee_rate_unit": "permille", "fee_base_name": "资产总额",
            "fee_rule": "greater", "order": "0", "is_active": "on"}
    return {**data, **fee}


def test_rate_typed_as_printed_reads_as_printed_in_the_catalogue(client_for, secretariat, seed_providers, client):
    provider = seed_providers["浙江新中天信用评估咨询有限公司"]
    response = client_for(secretariat).post(reverse("services_items:add"), _item_form(provider))
    assert response.status_code == 302
    item = provider.items.get(name="年报审计")
    assert item.fee.render() == "1560 元起，按资产总额的 0.39‰ 计收"
    assert item.fee.estimate(Decimal("10000000")).amount == Decimal("3900.00")  # 0.39‰ of 1000万
    page = client.get(reverse("services:item", args=[item.pk])).content.decode()
    assert "按资产总额的 0.39‰ 计收" in page and "390‰" not in page


def test_admin_form_says_to_type_the_printed_figure(client_for, secretariat, seed_providers, audit_item):
    body = client_for(secretariat).get(reverse("services_items:add")).content.decode()
    assert "0.00039" not in body
    assert "按服务机构公布的数字填写" in body
    edit = client_for(secretariat).get(reverse("services_items:edit", args=[audit_item.pk])).content.decode()
    assert 'name="fee_rate" value="0.39"' in edit  # as printed, not 0.39000000


def test_a_percent_rate_of_one_hundred_or_more_is_refused(client_for, secretariat, seed_providers):
    provider = seed_providers["浙江久丰律师事务所"]
    response = client_for(secretariat).post(reverse("services_items:add"), _item_form(
        provider, fee_rate="100", fee_rate_unit="percent", fee_base_name="涉案金额"))
    assert response.status_code == 200
    assert not provider.items.filter(name="年报审计").exists()
    response = client_for(secretariat).post(reverse("services_items:add"), _item_form(
        provider, fee_rate="5", fee_rate_unit="percent", fee_base_name="涉案金额"))
    assert response.status_code == 302
    assert provider.items.get(name="年报审计").fee.render() == "1560 元起，按涉案金额的 5% 计收"


def test_seed_items_read_as_printed(seed_providers, client):
    audit = seed_providers["浙江新中天信用评估咨询有限公司"].items.get(name="审计、验资")
    assert (audit.fee_rate, audit.fee_rate_unit) == (Decimal("0.39"), "permille")
    body = client.get(reverse("services:catalogue")).content.decode()
    assert "1560 元起，按资产总额的 0.39‰ 计收" in body
    assert "2000 元起，按涉案金额的 5% 计收" in body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_turns_stored_fractions_into_printed_figures():
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("services", "0003_registration_status")]
    after = [("services", "0004_fee_rate_as_printed")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Provider, Item, Category = (old.get_model("services", n) for n in ("Provider", "ServiceItem", "ServiceCategory"))
    provider = Provider.objects.create(name="迁移测试机构", contact_person="甲", phone="1")
    category = Category.objects.first()
    for name, rate, unit in [("千分比", "0.00039", "permille"), ("百分比", "0.05", "percent"), ("协商", None, "percent")]:
        Item.objects.create(provider=provider, category=category, name=name, fee_kind="minimum_rate" if rate else
                            "negotiable", fee_amount=Decimal("1") if rate else None,
                            fee_rate=Decimal(rate) if rate else None, fee_rate_unit=unit,
                            fee_base_name="资产总额" if rate else "")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    rates = dict(ServiceItem.objects.filter(provider__name="迁移测试机构").values_list("name", "fee_rate"))
    assert rates == {"千分比": Decimal("0.39"), "百分比": Decimal("5"), "协商": None}
    executor = MigrationExecutor(connection)
    executor.migrate(before)  # and back
    old = executor.loader.project_state(before).apps
    back = dict(old.get_model("services", "ServiceItem").objects.filter(provider__name="迁移测试机构")
                .values_list("name", "fee_rate"))
    assert back == {"千分比": Decimal("0.00039"), "百分比": Decimal("0.05"), "协商": None}
    call_command("migrate", verbosity=0)
