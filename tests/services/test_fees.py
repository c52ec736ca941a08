from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.services.fees import Fee, FeeKind, FeePeriod, FeeRule, RateUnit
from portal.services.models import ServiceItem

D = Decimal

# Every fee of the seed's service list (L1219–L1226), as the catalogue shows it.
SEED_FEES = {
    "中国经济信息社浙江中心": "5000–100000 元/年",
    "杭州中奥质量认证有限公司": "4500–12000 元",
    "浙江新中天信用评估咨询有限公司": "1560 元起，按资产总额的 0.39‰ 计收",
    "浙江久丰律师事务所": "2000 元起，按涉案金额的 5% 计收",
    "浙江汇信科技有限公司": "自行协商",
}


def test_seed_fees_render_exactly_in_chinese(seed_providers):
    with translation.override("zh-hans"):
        rendered = {
            (item.provider.name, item.name): item.fee.render()
            for item in ServiceItem.objects.select_related("provider")
        }
    assert len(rendered) == 14
    for (provider, _item), text in rendered.items():
        assert text == SEED_FEES[provider]


def test_seed_items_per_provider(seed_providers):
    counts = {name: p.items.count() for name, p in seed_providers.items()}
    assert counts == {
        "中国经济信息社浙江中心": 4,
        "杭州中奥质量认证有限公司": 1,
        "浙江新中天信用评估咨询有限公司": 3,
        "浙江久丰律师事务所": 3,
        "浙江汇信科技有限公司": 3,
    }


def test_rate_display_keeps_published_unit():
    assert Fee(kind=FeeKind.MINIMUM_RATE, amount=D("1560"), rate=D("0.00039"), rate_unit=RateUnit.PERMILLE).rate_display == "0.39‰"
    assert Fee(kind=FeeKind.MINIMUM_RATE, amount=D("2000"), rate=D("0.05"), rate_unit=RateUnit.PERCENT).rate_display == "5%"
    assert Fee(kind=FeeKind.MINIMUM_RATE, amount=D("0"), rate=D("0.125"), rate_unit=RateUnit.PERCENT).rate_display == "12.5%"


@pytest.mark.parametrize(
    ("fee", "text"),
    [
        (Fee(kind=FeeKind.FIXED, amount=D("3000.00")), "3000 元"),
        (Fee(kind=FeeKind.FIXED, amount=D("800.50"), period=FeePeriod.MONTH), "800.5 元/月"),
        (Fee(kind=FeeKind.RANGE, amount=D("5000.00"), amount_max=D("100000.00"), period=FeePeriod.YEAR), "5000–100000 元/年"),
        (
            Fee(kind=FeeKind.MINIMUM_RATE, amount=D("1560"), rate=D("0.00039"), rate_unit=RateUnit.PERMILLE,
                base_name="资产总额", rule=FeeRule.SUM),
            "1560 元另加资产总额的 0.39‰",
        ),
        (Fee(kind=FeeKind.NEGOTIABLE), "自行协商"),
    ],
)
def test_fee_render_other_shapes(fee, text):
    with translation.override("zh-hans"):
        assert fee.render() == text


def test_fee_render_in_english():
    fee = Fee(kind=FeeKind.RANGE, amount=D("5000"), amount_max=D("100000"), period=FeePeriod.YEAR)
    with translation.override("en"):
        assert fee.render() == "5000–100000 yuan/year"


AUDIT = Fee(kind=FeeKind.MINIMUM_RATE, amount=D("1560"), rate=D("0.00039"), rate_unit=RateUnit.PERMILLE, base_name="资产总额")
LAW = Fee(kind=FeeKind.MINIMUM_RATE, amount=D("2000"), rate=D("0.05"), rate_unit=RateUnit.PERCENT, base_name="涉案金额")


def test_estimate_greater_rule_minimum_applies_below_threshold():
    # 0.39‰ × 1,000,000 = 390 < 1560
    estimate = AUDIT.estimate(D("1000000"))
    assert (estimate.rate_amount, estimate.amount, estimate.minimum_applies) == (D("390.00"), D("1560.00"), True)


def test_estimate_greater_rule_rate_applies_above_threshold():
    # 0.39‰ × 50,000,000 = 19,500 > 1560
    estimate = AUDIT.estimate(D("50000000"))
    assert (estimate.rate_amount, estimate.amount, estimate.minimum_applies) == (D("19500.00"), D("19500.00"), False)


def test_estimate_threshold_is_exact_at_four_million():
    # 1560 / 0.00039 = 4,000,000: both give 1560, the minimum does not "apply" (not higher)
    estimate = AUDIT.estimate(D("4000000"))
    assert (estimate.amount, estimate.minimum_applies) == (D("1560.00"), False)


def test_estimate_percent_rate():
    assert LAW.estimate(D("30000")).amount == D("2000.00")  # 5% = 1500 < 2000
    assert LAW.estimate(D("1234567.89")).amount == D("61728.39")  # 61728.3945 rounded half-up


def test_estimate_sum_rule_adds_minimum():
    fee = Fee(kind=FeeKind.MINIMUM_RATE, amount=D("1560"), rate=D("0.00039"), rate_unit=RateUnit.PERMILLE,
              base_name="资产总额", rule=FeeRule.SUM)
    estimate = fee.estimate(D("1000000"))
    assert (estimate.amount, estimate.minimum_applies) == (D("1950.00"), False)


def test_estimate_rounds_half_up_to_fen():
    fee = Fee(kind=FeeKind.MINIMUM_RATE, amount=D("0"), rate=D("0.05"), base_name="x")
    assert fee.estimate(D("0.1")).amount == D("0.01")  # 0.005 → 0.01


def test_estimate_refuses_other_kinds_and_negative_base():
    with pytest.raises(ValueError):
        Fee(kind=FeeKind.NEGOTIABLE).estimate(D("1"))
    with pytest.raises(ValueError):
        AUDIT.estimate(D("-1"))


def test_item_clean_requires_fields_of_its_kind(seed_providers):
    item = ServiceItem.objects.first()
    item.fee_kind, item.fee_amount, item.fee_amount_max = FeeKind.RANGE, D("5000"), None
    with pytest.raises(ValidationError) as info:
        item.clean()
    assert "fee_amount_max" in info.value.message_dict


def test_item_clean_rejects_inverted_range_and_rate_of_one(seed_providers):
    item = ServiceItem.objects.first()
    item.fee_kind, item.fee_amount, item.fee_amount_max = FeeKind.RANGE, D("5000"), D("100")
    with pytest.raises(ValidationError) as info:
        item.clean()
    assert list(info.value.message_dict) == ["fee_amount_max"]
    item.fee_kind, item.fee_amount_max, item.fee_rate, item.fee_base_name = FeeKind.MINIMUM_RATE, None, D("100"), "资产总额"
    item.fee_rate_unit = "percent"
    with pytest.raises(ValidationError) as info:
        item.clean()
    assert list(info.value.message_dict) == ["fee_rate"]


def test_item_clean_rejects_stray_fields_on_negotiable(seed_providers):
    item = ServiceItem.objects.get(name="提供信用修复培训服务")
    item.fee_amount = D("100")
    with pytest.raises(ValidationError) as info:
        item.clean()
    assert list(info.value.message_dict) == ["fee_amount"]
