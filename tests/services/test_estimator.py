from decimal import Decimal

import pytest

from portal.services.forms import EstimateForm


def test_estimator_shown_only_on_rate_based_items(client, seed_providers, audit_item):
    assert client.get(audit_item.get_absolute_url()).context["estimate_form"] is not None
    range_item = seed_providers["杭州中奥质量认证有限公司"].items.get()
    response = client.get(range_item.get_absolute_url())
    assert response.context["estimate_form"] is None
    assert "费用估算" not in response.content.decode()


def test_estimator_base_in_wan_yuan_rate_applies(client, audit_item):
    # 5000 万元 = 50,000,000 元 × 0.39‰ = 19,500 元
    response = client.get(audit_item.get_absolute_url(), {"base": "5000"})
    estimate = response.context["estimate"]
    assert estimate.amount == Decimal("19500.00")
    html = response.content.decode()
    assert "<strong>19,500.00 元</strong>" in html
    assert "资产总额 50,000,000.00 元 × 0.39‰ = 19,500.00 元（不低于起收额 1,560.00 元）" in html


def test_estimator_minimum_applies_for_small_base(client, audit_item):
    response = client.get(audit_item.get_absolute_url(), {"base": "100"})
    assert response.context["estimate"].amount == Decimal("1560.00")
    assert "低于起收额 1,560.00 元，按起收额收取" in response.content.decode()


def test_estimator_percent_rate_for_law_firm(client, law_item):
    response = client.get(law_item.get_absolute_url(), {"base": "12.5"})  # 125,000 元 × 5% = 6,250 元
    assert response.context["estimate"].amount == Decimal("6250.00")
    assert "涉案金额（万元）" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请输入资产总额（单位：万元），例如 1200。"),
        ("   ", "请输入资产总额（单位：万元），例如 1200。"),
        ("-5", "金额不能为负数。"),
        ("abc", "“abc”不是有效数字，请只输入数字，例如 1200 或 1200.5。"),
        ("1e5", "“1e5”不是有效数字，请只输入数字，例如 1200 或 1200.5。"),
        ("NaN", "“NaN”不是有效数字，请只输入数字，例如 1200 或 1200.5。"),
        ("100000001", "金额过大，请输入不超过 100,000,000 万元的数值。"),
        ("1.1234567", "最多保留六位小数。"),
    ],
)
def test_estimator_bad_input_gets_chinese_message(client, audit_item, raw, message):
    response = client.get(audit_item.get_absolute_url(), {"base": raw})
    assert response.status_code == 200
    assert response.context["estimate"] is None
    assert response.context["estimate_form"].errors["base"] == [message]
    assert message in response.content.decode()


@pytest.mark.parametrize(("raw", "value"), [("１２００", "1200"), ("1,200.5", "1200.5"), (" +3 ", "3"), ("0", "0")])
def test_estimator_accepts_full_width_digits_and_separators(raw, value):
    form = EstimateForm({"base": raw}, base_name="资产总额")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["base"] == Decimal(value)
    assert form.base_yuan == Decimal(value) * 10000
