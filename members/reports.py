"""Membership and dues reports (pandas), exports (.csv/.xlsx) and a server-side SVG chart."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.exports import csv_bytes, xlsx_bytes
from portal.organisations.regions import city_name

from .models import DuesItem, Membership, MembershipEvent, MembershipRules, MembershipTier


def _pd():
    import pandas as pd  # heavy import kept out of module import time

    return pd


def dues_frame(*, today: datetime.date, years: int | None = None, the_rules=None):
    """Dues by year and tier: receivable, received, outstanding and arrears (earlier dues years)."""
    pd = _pd()
    the_rules = the_rules or MembershipRules.load()
    current = the_rules.dues_year_of(today)
    qs = DuesItem.objects.all()
    if years:
        qs = qs.filter(year__gt=current - years)
    rows = list(qs.values_list("year", "tier__name", "tier__order", "amount", "paid"))
    columns = ["year", "tier", "tier_order", "receivable", "received"]
    df = pd.DataFrame.from_records(rows, columns=columns)
    if df.empty:
        return pd.DataFrame(columns=["year", "tier", "receivable", "received", "outstanding", "arrears", "items"])
    df["receivable"] = df["receivable"].astype(float)
    df["received"] = df["received"].astype(float)
    df["outstanding"] = df["receivable"] - df["received"]
    df["arrears"] = df["outstanding"].where(df["year"] < current, 0.0)
    out = (
        df.groupby(["year", "tier_order", "tier"], as_index=False)
        .agg(receivable=("receivable", "sum"), received=("received", "sum"), outstanding=("outstanding", "sum"),
             arrears=("arrears", "sum"), items=("receivable", "size"))
        .sort_values(["year", "tier_order"], ascending=[False, True])
        .drop(columns="tier_order")
    )
    return out.reset_index(drop=True)


def dues_totals(frame):
    """Per-year totals of a dues frame."""
    if frame.empty:
        return frame
    return (
        frame.groupby("year", as_index=False)[["receivable", "received", "outstanding", "arrears", "items"]].sum()
        .sort_values("year", ascending=False)
        .reset_index(drop=True)
    )


def members_frame(*, today: datetime.date):
    """Members at the end of each year (today for the current year) by tier and prefecture.

    A membership counts from its start date until it ended (withdrawal, expulsion) or lapsed
    (its last lapse, if not reinstated).
    """
    pd = _pd()
    rows = list(
        Membership.objects.values_list(
            "pk", "started_on", "ended_on", "status", "tier__name", "tier__order", "organisation__region_code"
        )
    )
    columns = ["pk", "started_on", "ended_on", "status", "tier", "tier_order", "region_code"]
    df = pd.DataFrame.from_records(rows, columns=columns)
    if df.empty:
        return pd.DataFrame(columns=["year", "tier", "region", "members"])
    lapses = dict(
        MembershipEvent.objects.filter(kind=MembershipEvent.Kind.LAPSED, membership__status=Membership.Status.LAPSED)
        .order_by("membership_id", "on")
        .values_list("membership_id", "on")
    )
    df["end"] = df["ended_on"]
    lapsed = df["status"] == Membership.Status.LAPSED
    df.loc[lapsed, "end"] = df.loc[lapsed, "pk"].map(lapses)
    df["region"] = df["region_code"].fillna("").str[:4].map(lambda c: city_name(c) if c else _("Unknown"))
    frames = []
    for year in range(min(d.year for d in df["started_on"]), today.year + 1):
        at = today if year == today.year else datetime.date(year, 12, 31)
        alive = df[(df["started_on"] <= at) & (df["end"].isna() | (df["end"].map(lambda e, at=at: e is None or e > at)))]
        if alive.empty:
            continue
        counts = alive.groupby(["tier_order", "tier", "region"], as_index=False).size().rename(columns={"size": "members"})
        counts.insert(0, "year", year)
        frames.append(counts)
    if not frames:
        return pd.DataFrame(columns=["year", "tier", "region", "members"])
    out = pd.concat(frames, ignore_index=True).sort_values(["year", "tier_order", "region"], ascending=[False, True, True])
    return out.drop(columns="tier_order").reset_index(drop=True)


def pivot(frame, *, index: str, columns: str, values: str):
    """A wide table (rows `index`, one column per `columns` value, plus a total)."""
    if frame.empty:
        return frame
    table = frame.pivot_table(index=index, columns=columns, values=values, aggfunc="sum", fill_value=0, sort=False)
    table = table.sort_index(ascending=False)
    table[_("Total")] = table.sum(axis=1)
    return table


DUES_LABELS = {
    "year": gettext_lazy("Dues year"), "tier": gettext_lazy("Tier"), "receivable": gettext_lazy("Receivable"),
    "received": gettext_lazy("Received"), "outstanding": gettext_lazy("Outstanding"),
    "arrears": gettext_lazy("Arrears"), "items": gettext_lazy("Items"),
}
MEMBER_LABELS = {
    "year": gettext_lazy("Year"), "tier": gettext_lazy("Tier"), "region": gettext_lazy("Region"),
    "members": gettext_lazy("Members"),
}


def labelled(frame, labels: dict):
    return frame.rename(columns={k: str(v) for k, v in labels.items()})


MONEY_COLUMNS = ("receivable", "received", "outstanding", "arrears")


def as_money(frame, columns):
    """A copy with the money columns as Decimal yuan with two decimals (7000.00, never 7000.0) for the files."""
    from decimal import Decimal

    frame = frame.copy()
    for column in columns:
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v: Decimal(repr(float(v))).quantize(Decimal("0.01")))
    return frame


def to_csv(frame) -> bytes:
    return csv_bytes(frame)


def to_xlsx(sheets: dict, *, money=()) -> bytes:
    from portal.core.exports import MONEY

    return xlsx_bytes(sheets, column_width=16, number_formats=dict.fromkeys(money, MONEY))


def yearly_totals(*, years: int = 6) -> list[dict]:
    """Receivable and received per dues year, last `years` years, in one SQL query (for the dashboard)."""
    from django.db.models import Sum

    rows = list(
        DuesItem.objects.values("year").annotate(receivable=Sum("amount"), received=Sum("paid")).order_by("-year")[:years]
    )
    return sorted(rows, key=lambda r: r["year"])


def bar_chart(records: list[dict], *, width: int = 560, height: int = 220) -> dict:
    """Geometry for a grouped SVG bar chart of receivable vs received per dues year (no JavaScript)."""
    if not records:
        return {}
    data = sorted(records, key=lambda r: r["year"])
    top = float(max(max(float(r["receivable"]) for r in data), 1.0))
    left, bottom, plot_h = 56, height - 28, height - 48
    group_w = (width - left - 10) / len(data)
    bar_w = max(min(group_w / 3, 40), 6)
    groups = []
    for i, row in enumerate(data):
        receivable, received = float(row["receivable"]), float(row["received"])
        x = left + i * group_w + (group_w - 2 * bar_w) / 2
        rh = plot_h * receivable / top
        ph = plot_h * received / top
        groups.append({
            "year": int(row["year"]), "label_x": x + bar_w,
            "bars": [
                {"x": x, "y": bottom - rh, "h": rh, "w": bar_w, "cls": "receivable", "value": receivable},
                {"x": x + bar_w, "y": bottom - ph, "h": ph, "w": bar_w, "cls": "received", "value": received},
            ],
        })
    ticks = [{"y": bottom - plot_h * f, "label": f"{top * f / 10000:,.1f}"} for f in (0, 0.5, 1)]
    return {"width": width, "height": height, "groups": groups, "ticks": ticks, "left": left, "bottom": bottom,
            "label_y": height - 10}


def members_by_tier_now() -> list[tuple[str, int]]:
    from django.db.models import Count, Q

    return list(
        MembershipTier.objects.annotate(n=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)))
        .values_list("name", "n")
    )
