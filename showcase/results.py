"""Read models of a review round's results, for the applicant (anonymised) and the panel/secretariat."""

from dataclasses import dataclass

from .models import ExpertAssignment, Rating, ScoreSheet, items_of
from .scoring import aggregate, rules_for


@dataclass
class ItemRow:
    item: object
    result: object  # scoring.ItemResult
    outcome: str  # the level name nearest below the mean
    comments: list
    cells: list  # per expert (staff view only)


def _load(review_round):
    standard = review_round.standard
    items = items_of(standard)
    levels = list(standard.levels.all())
    item_rules, level_rules, rule = rules_for(standard, items, levels)
    ratings = list(
        Rating.objects.filter(sheet__assignment__round=review_round, sheet__status=ScoreSheet.Status.SUBMITTED)
        .select_related("level")
        .only("sheet_id", "item_id", "level_id", "comment", "level__name", "level__fraction")
    )
    by_sheet = {}
    for r in ratings:
        by_sheet.setdefault(r.sheet_id, {})[r.item_id] = r
    codes = {i.pk: i.code for i in items}
    agg = aggregate(item_rules, [{codes[k]: level_rules[r.level_id] for k, r in s.items()} for s in by_sheet.values()], rule)
    return items, levels, agg, by_sheet


def _outcome(levels, mean_fraction):
    if mean_fraction is None:
        return "—"
    for level in sorted(levels, key=lambda lv: -lv.fraction):
        if mean_fraction >= level.fraction:
            return level.name
    return levels[-1].name if levels else "—"


def applicant_result(review_round) -> dict:
    """What the unit sees: per-item outcome and comments, never an expert's individual ratings or totals."""
    items, levels, agg, by_sheet = _load(review_round)
    rows = []
    for item, result in zip(items, agg.items, strict=True):
        comments = sorted({s[item.pk].comment for s in by_sheet.values() if item.pk in s and s[item.pk].comment})
        rows.append(ItemRow(item, result, _outcome(levels, result.mean_fraction), comments, []))
    return {"aggregate": agg, "rows": rows, "round": review_round, "standard": review_round.standard}


def panel_result(review_round, *, with_experts: bool) -> dict:
    """The panel view: aggregate, divergence and veto flags; per-expert columns for the secretariat."""
    items, levels, agg, by_sheet = _load(review_round)
    columns = []
    if with_experts:
        sheets = (ScoreSheet.objects.filter(assignment__round=review_round)
                  .select_related("assignment__expert").order_by("assignment__assigned_at"))
        columns = list(sheets)
    rows = []
    for item, result in zip(items, agg.items, strict=True):
        cells = [by_sheet.get(sheet.pk, {}).get(item.pk) for sheet in columns]
        comments = sorted({s[item.pk].comment for s in by_sheet.values() if item.pk in s and s[item.pk].comment})
        rows.append(ItemRow(item, result, _outcome(levels, result.mean_fraction), comments, cells))
    pending = list(
        ExpertAssignment.objects.filter(round=review_round, status__in=ExpertAssignment.ACTIVE_STATUSES)
        .exclude(sheet__status=ScoreSheet.Status.SUBMITTED).select_related("expert")
    ) if with_experts else []
    return {"aggregate": agg, "rows": rows, "columns": columns, "pending": pending, "round": review_round,
            "standard": review_round.standard}
