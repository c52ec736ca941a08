"""The aggregation and decision rule (pure functions)."""

from decimal import Decimal

from showcase.scoring import DecisionRule, ItemRule, LevelRule, aggregate, aggregate_many, sheet_total

FULL, HALF, ZERO = LevelRule(0, Decimal("1")), LevelRule(1, Decimal("0.5")), LevelRule(2, Decimal("0"))
ITEMS = (
    [ItemRule(f"1.{i}", Decimal(6)) for i in range(1, 6)]
    + [ItemRule(c, Decimal(8)) for c in ("2.1", "2.2", "2.3a", "2.3b", "2.4")]
    + [ItemRule("3.1", Decimal(10), True), ItemRule("3.2", Decimal(10), True), ItemRule("3.3", Decimal(10))]
)
RULE = DecisionRule(threshold=Decimal(80), min_experts=3, divergence_levels=2)


def sheet(default=FULL, **levels):
    return {item.code: levels.get(item.code.replace(".", "_"), default) for item in ITEMS}


def test_weights_total_one_hundred():
    assert sum(i.weight for i in ITEMS) == 100
    assert sheet_total(ITEMS, sheet()) == Decimal("100.00")


def test_aggregate_exactly_threshold_passes():
    # 3.3 zero (−10), 2.1 half (−4), 1.1 and 1.2 half (−3 −3) → 80
    s = sheet(**{"3_3": ZERO, "2_1": HALF, "1_1": HALF, "1_2": HALF})
    agg = aggregate(ITEMS, [s, s, s], RULE)
    assert agg.mean_total == Decimal("80.00")
    assert agg.threshold_met is True
    assert agg.proposed_pass is True
    assert agg.reasons == ()


def test_aggregate_just_below_threshold_fails():
    s = sheet(**{"3_3": ZERO, "2_1": HALF, "1_1": HALF, "1_2": HALF, "1_3": HALF})
    agg = aggregate(ITEMS, [s, s, s], RULE)
    assert agg.mean_total == Decimal("77.00")
    assert agg.proposed_pass is False
    assert agg.reasons == ("below_threshold",)


def test_aggregate_failed_veto_with_high_mean_fails():
    # two of three experts rate 3.1 only 基本符合: mean 96.67 but the veto item lacks a majority of 符合
    sheets = [sheet(**{"3_1": HALF}), sheet(**{"3_1": HALF}), sheet()]
    agg = aggregate(ITEMS, sheets, RULE)
    assert agg.mean_total == Decimal("96.67")
    assert agg.veto_failed == ("3.1",)
    assert agg.proposed_pass is False
    assert agg.reasons == ("veto_failed",)


def test_aggregate_veto_majority_met_with_one_dissent():
    agg = aggregate(ITEMS, [sheet(**{"3_2": ZERO}), sheet(), sheet()], RULE)
    assert agg.veto_failed == ()
    assert agg.proposed_pass is True


def test_aggregate_veto_tie_is_not_a_majority():
    agg = aggregate(ITEMS, [sheet(**{"3_2": HALF}), sheet(**{"3_2": HALF}), sheet(), sheet()], RULE)
    assert agg.veto_failed == ("3.2",)


def test_aggregate_too_few_experts_fails_even_with_full_marks():
    agg = aggregate(ITEMS, [sheet(), sheet()], RULE)
    assert agg.mean_total == Decimal("100.00")
    assert agg.enough_experts is False
    assert agg.proposed_pass is False
    assert agg.reasons == ("too_few_experts",)


def test_aggregate_no_sheets():
    agg = aggregate(ITEMS, [], RULE)
    assert agg.mean_total is None
    assert agg.proposed_pass is False
    assert set(agg.reasons) == {"too_few_experts", "below_threshold", "veto_failed"}


def test_aggregate_divergence_flag_and_spread():
    agg = aggregate(ITEMS, [sheet(**{"2_2": ZERO, "2_4": HALF}), sheet(), sheet()], RULE)
    by_code = {i.code: i for i in agg.items}
    assert (by_code["2.2"].spread, by_code["2.2"].divergent) == (2, True)
    assert (by_code["2.4"].spread, by_code["2.4"].divergent) == (1, False)
    assert agg.divergent_items == ("2.2",)
    assert by_code["2.2"].mean_points == Decimal("5.33")


def test_aggregate_many_groups_by_application():
    rows = [(app, f"{app}-{e}", item.code, FULL) for app in ("a", "b") for e in range(3) for item in ITEMS]
    rows = [r if not (r[0] == "b" and r[2] == "3.1") else (*r[:3], ZERO) for r in rows]
    result = aggregate_many(ITEMS, rows, RULE)
    assert result["a"].proposed_pass is True
    assert result["b"].veto_failed == ("3.1",)
