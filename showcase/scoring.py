"""Aggregation of expert score sheets: pure functions, no database (O(items × sheets)).

The rule (SPEC §4 default, stored with the standard): an application passes when at least
`min_experts` sheets are submitted, the mean total reaches `threshold`, and every veto item is
rated at full marks by a strict majority of the scoring experts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ItemRule:
    code: str
    weight: Decimal
    is_veto: bool = False


@dataclass(frozen=True)
class LevelRule:
    rank: int  # 0 = best (full marks), increasing downwards
    fraction: Decimal


@dataclass(frozen=True)
class DecisionRule:
    threshold: Decimal
    min_experts: int
    divergence_levels: int = 2


@dataclass(frozen=True)
class ItemResult:
    code: str
    weight: Decimal
    n: int
    mean_points: Decimal | None
    mean_fraction: Decimal | None
    spread: int  # max rank - min rank
    divergent: bool
    full_count: int
    is_veto: bool
    veto_passed: bool | None  # None when not a veto item


@dataclass(frozen=True)
class Aggregate:
    n_sheets: int
    totals: tuple[Decimal, ...]
    mean_total: Decimal | None
    items: tuple[ItemResult, ...]
    enough_experts: bool
    threshold_met: bool
    veto_failed: tuple[str, ...]
    proposed_pass: bool
    reasons: tuple[str, ...] = field(default=())

    @property
    def divergent_items(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items if i.divergent)


def q(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def sheet_total(items: Sequence[ItemRule], sheet: Mapping[str, LevelRule]) -> Decimal:
    """Points of one sheet: Σ weight × fraction over the rated items."""
    return q(sum((item.weight * sheet[item.code].fraction for item in items if item.code in sheet), Decimal(0)))


def aggregate(items: Sequence[ItemRule], sheets: Iterable[Mapping[str, LevelRule]], rule: DecisionRule) -> Aggregate:
    """Aggregate submitted sheets ({item code: level}) into per-item results and the proposed result."""
    sheets = list(sheets)
    n = len(sheets)
    totals = tuple(sheet_total(items, s) for s in sheets)
    item_results = []
    veto_failed = []
    for item in items:
        ranks = []
        fraction_sum = Decimal(0)
        full = 0
        for sheet in sheets:
            level = sheet.get(item.code)
            if level is None:
                continue
            ranks.append(level.rank)
            fraction_sum += level.fraction
            if level.fraction >= 1:
                full += 1
        count = len(ranks)
        spread = (max(ranks) - min(ranks)) if ranks else 0
        mean_fraction = fraction_sum / count if count else None
        veto_passed = None
        if item.is_veto:
            veto_passed = n > 0 and full * 2 > n
            if not veto_passed:
                veto_failed.append(item.code)
        item_results.append(
            ItemResult(
                code=item.code,
                weight=item.weight,
                n=count,
                mean_points=q(item.weight * mean_fraction) if mean_fraction is not None else None,
                mean_fraction=mean_fraction,
                spread=spread,
                divergent=count > 1 and spread >= rule.divergence_levels,
                full_count=full,
                is_veto=item.is_veto,
                veto_passed=veto_passed,
            )
        )
    mean_total = q(sum(totals, Decimal(0)) / n) if n else None
    enough = n >= rule.min_experts
    threshold_met = mean_total is not None and mean_total >= rule.threshold
    reasons = []
    if not enough:
        reasons.append("too_few_experts")
    if not threshold_met:
        reasons.append("below_threshold")
    if veto_failed:
        reasons.append("veto_failed")
    return Aggregate(
        n_sheets=n,
        totals=totals,
        mean_total=mean_total,
        items=tuple(item_results),
        enough_experts=enough,
        threshold_met=threshold_met,
        veto_failed=tuple(veto_failed),
        proposed_pass=enough and threshold_met and not veto_failed,
        reasons=tuple(reasons),
    )


def aggregate_many(
    items: Sequence[ItemRule], rows: Iterable[tuple[object, object, str, LevelRule]], rule: DecisionRule
) -> dict[object, Aggregate]:
    """Aggregate many applications at once from flat rows (application key, sheet key, item code, level).

    One pass to group the rows, one aggregate per application: linear in the number of ratings.
    """
    grouped: dict[object, dict[object, dict[str, LevelRule]]] = {}
    for app_key, sheet_key, code, level in rows:
        grouped.setdefault(app_key, {}).setdefault(sheet_key, {})[code] = level
    return {key: aggregate(items, sheets.values(), rule) for key, sheets in grouped.items()}


# ------------------------------------------------------------ adapters from the models


def rules_for(standard, items=None, levels=None):
    """(item rules, {level id: LevelRule}, DecisionRule) for a Standard (2 queries unless given)."""
    from .models import items_of

    items = items if items is not None else items_of(standard)
    levels = levels if levels is not None else list(standard.levels.all())
    ordered = sorted(levels, key=lambda lv: -lv.fraction)
    level_rules = {lv.pk: LevelRule(rank=i, fraction=Decimal(lv.fraction)) for i, lv in enumerate(ordered)}
    item_rules = [ItemRule(code=i.code, weight=Decimal(i.weight), is_veto=i.is_veto) for i in items]
    rule = DecisionRule(
        threshold=Decimal(standard.pass_threshold),
        min_experts=standard.min_experts,
        divergence_levels=standard.divergence_levels,
    )
    return item_rules, level_rules, rule


def aggregate_round(review_round) -> Aggregate:
    """Aggregate the submitted sheets of one review round (3 queries)."""
    from .models import Rating, ScoreSheet

    item_rules, level_rules, rule = rules_for(review_round.standard)
    rows = Rating.objects.filter(
        sheet__assignment__round=review_round, sheet__status=ScoreSheet.Status.SUBMITTED
    ).values_list("sheet_id", "item__code", "level_id")
    sheets: dict[int, dict[str, LevelRule]] = {}
    for sheet_id, code, level_id in rows:
        sheets.setdefault(sheet_id, {})[code] = level_rules[level_id]
    return aggregate(item_rules, sheets.values(), rule)


def aggregate_campaign(campaign) -> dict[int, Aggregate]:
    """Aggregates of the latest initial round of every application of a campaign, keyed by round id."""
    from .models import Rating, ReviewRound, ScoreSheet

    item_rules, level_rules, rule = rules_for(campaign.standard)
    rows = Rating.objects.filter(
        sheet__assignment__round__application__campaign=campaign,
        sheet__assignment__round__kind=ReviewRound.Kind.INITIAL,
        sheet__status=ScoreSheet.Status.SUBMITTED,
    ).values_list("sheet__assignment__round_id", "sheet_id", "item__code", "level_id")
    return aggregate_many(item_rules, ((r, s, c, level_rules[lv]) for r, s, c, lv in rows.iterator(chunk_size=5000)), rule)
