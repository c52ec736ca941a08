"""Annual summary (年度总结, L1262/L1372) of a campaign year, computed with pandas.

Figures: applications and results, pass rate (accepted ÷ decided), days spent per stage (from the
application timeline, the notice and the award), mean score per standard item over the experts'
submitted initial sheets, the weakest items, objections and revocations. Exports: .xlsx, server-rendered
SVG charts (no script), and a PDF report the secretariat can publish.
"""

from dataclasses import dataclass, field

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role
from portal.core.audit import record
from portal.core.cache import invalidate_public_pages
from portal.core.exports import xlsx_bytes
from showcase.models import Application, ApplicationEvent, Campaign, Rating, ReviewRound, ScoreSheet, items_of

from .models import NoticeEntry, Objection, Revocation, SummaryReport, Title

S = Application.Status
K = ApplicationEvent.Kind
STAGES = [
    # (key, label, from, to)
    ("preliminary", "初审", "submitted", "preliminary_passed"),
    ("creation", "创建实施", "preliminary_passed", "report"),
    ("acceptance", "评审验收", "report", "decided"),
    ("to_notice", "验收至公示", "decided", "notice_start"),
    ("notice_award", "公示至授牌", "notice_start", "awarded"),
]
WEAKEST = 3


@dataclass
class Summary:
    year: int
    campaign: object = None
    counts: dict = field(default_factory=dict)
    applications: int = 0
    accepted: int = 0
    decided: int = 0
    pass_rate: float | None = None
    stages: list = field(default_factory=list)
    items: list = field(default_factory=list)
    weakest: list = field(default_factory=list)
    objections: dict = field(default_factory=dict)
    objections_total: int = 0
    revocations: list = field(default_factory=list)
    awarded: int = 0


def years() -> list[int]:
    return list(Campaign.objects.order_by("-year").values_list("year", flat=True))


def _stage_frame(app_ids) -> pd.DataFrame:
    """One row per application, one column per milestone (first time reached)."""
    events = pd.DataFrame.from_records(
        ApplicationEvent.objects.filter(application_id__in=app_ids, kind__in=[K.SUBMITTED, K.PRELIMINARY_PASSED,
                                                                              K.REPORT, K.DECIDED])
        .values("application_id", "kind", "created_at"),
        columns=["application_id", "kind", "created_at"],
    )
    if events.empty:
        frame = pd.DataFrame(index=pd.Index(app_ids, name="application_id"))
    else:
        frame = events.groupby(["application_id", "kind"])["created_at"].min().unstack("kind")
    extra = pd.DataFrame.from_records(
        NoticeEntry.objects.filter(application_id__in=app_ids).values("application_id", "notice__starts_at"),
        columns=["application_id", "notice__starts_at"],
    ).set_index("application_id").rename(columns={"notice__starts_at": "notice_start"})
    awarded = pd.DataFrame.from_records(
        Title.objects.filter(application_id__in=app_ids).values("application_id", "awarded_at"),
        columns=["application_id", "awarded_at"],
    ).set_index("application_id").rename(columns={"awarded_at": "awarded"})
    frame = frame.join(extra, how="outer").join(awarded, how="outer")
    for column in ("submitted", "preliminary_passed", "report", "decided", "notice_start", "awarded"):
        if column not in frame:
            frame[column] = pd.NaT
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def compute(year: int) -> Summary:
    result = Summary(year=year)
    campaign = Campaign.objects.filter(year=year).select_related("standard").first()
    result.campaign = campaign
    if campaign is None:
        return result
    apps = Application.objects.filter(campaign=campaign).exclude(status=S.DRAFT)
    counts = dict(apps.values_list("status").annotate(n=Count("pk")))
    result.counts = {str(S(k).label): v for k, v in sorted(counts.items(), key=lambda kv: list(S.values).index(kv[0]))}
    result.applications = sum(counts.values())
    result.accepted = counts.get(S.ACCEPTED, 0)
    result.decided = result.accepted + counts.get(S.NOT_ACCEPTED, 0)
    result.pass_rate = round(result.accepted / result.decided * 100, 1) if result.decided else None
    app_ids = list(apps.values_list("pk", flat=True))

    # time per stage (days, from the timeline)
    frame = _stage_frame(app_ids)
    for key, label, start, end in STAGES:
        days = ((frame[end] - frame[start]).dt.total_seconds() / 86400).dropna()
        result.stages.append({"key": key, "label": label, "n": int(days.count()),
                              "mean": round(float(days.mean()), 1) if len(days) else None,
                              "median": round(float(days.median()), 1) if len(days) else None})

    # mean score per item over submitted initial sheets
    items = items_of(campaign.standard)
    ratings = pd.DataFrame.from_records(
        Rating.objects.filter(sheet__assignment__round__application__in=app_ids,
                              sheet__assignment__round__kind=ReviewRound.Kind.INITIAL,
                              sheet__status=ScoreSheet.Status.SUBMITTED).values("item_id", "level__fraction"),
        columns=["item_id", "level__fraction"],
    )
    if not ratings.empty:
        ratings["fraction"] = ratings["level__fraction"].astype(float)
        per_item = ratings.groupby("item_id")["fraction"].agg(["mean", "count"])
    else:
        per_item = pd.DataFrame(columns=["mean", "count"])
    for item in items:
        share = float(per_item.loc[item.pk, "mean"]) if item.pk in per_item.index else None
        result.items.append({
            "code": item.code, "title": item.title, "weight": float(item.weight),
            "n": int(per_item.loc[item.pk, "count"]) if item.pk in per_item.index else 0,
            "share": round(share * 100, 1) if share is not None else None,
            "mean_points": round(float(item.weight) * share, 2) if share is not None else None,
        })
    rated = [i for i in result.items if i["share"] is not None]
    result.weakest = sorted(rated, key=lambda i: (i["share"], i["code"]))[:WEAKEST]

    # objections and revocations
    objections = dict(Objection.objects.filter(entry__application__in=app_ids).values_list("status")
                      .annotate(n=Count("pk")))
    result.objections = {str(Objection.Status(k).label): objections.get(k, 0) for k in Objection.Status.values}
    result.objections_total = sum(objections.values())
    result.revocations = [
        {"unit": r.unit_name, "ground": r.get_ground_display(), "date": r.revoked_on.isoformat()}
        for r in Revocation.objects.filter(application__in=app_ids).order_by("revoked_on")
    ]
    result.awarded = Title.objects.filter(application__in=app_ids).count()
    return result


# ---------------------------------------------------------------- charts (server-rendered SVG)


def bar_chart(rows: list[tuple[str, float | None]], *, unit: str, title: str, max_value: float | None = None,
              width: int = 560) -> str:
    """A horizontal bar chart as inline SVG with a <title> and an accessible label (no script, no CDN)."""
    values = [v for _l, v in rows if v is not None]
    top = max_value or (max(values) if values else 1) or 1
    bar_h, gap, label_w, pad = 18, 8, 190, 60
    height = len(rows) * (bar_h + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="aw-chart" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
             f"<title>{escape(title)}</title>"]
    span = width - label_w - pad
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12" fill="#1f2328">'
                     f"{escape(label)}</text>")
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 13}" font-size="12" fill="#5b6470">—</text>')
            continue
        w = max(1, round(span * value / top))
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#1d3557" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 13}" font-size="12" fill="#1f2328">'
                     f"{value:g}{escape(unit)}</text>")
    parts.append("</svg>")
    # every interpolated text is escaped above
    return mark_safe("".join(parts))


def charts(data: Summary) -> dict:
    return {
        "items": bar_chart([(f"{i['code']} {i['title'][:10]}", i["share"]) for i in data.items], unit="%",
                           title=_("Mean rating per item (% of full marks)"), max_value=100),
        "stages": bar_chart([(s["label"], s["mean"]) for s in data.stages], unit=_(" days"),
                            title=_("Mean days per stage")),
    }


# ---------------------------------------------------------------- exports


def _frames(data: Summary) -> dict[str, pd.DataFrame]:
    overview = pd.DataFrame([
        ("年度", data.year), ("申报数", data.applications), ("验收通过", data.accepted), ("已作验收决定", data.decided),
        ("通过率(%)", data.pass_rate), ("授予称号", data.awarded), ("异议数", data.objections_total),
        ("取消认定", len(data.revocations)),
    ] + [(f"状态：{k}", v) for k, v in data.counts.items()], columns=["指标", "数值"])
    stages = pd.DataFrame([{"阶段": s["label"], "样本数": s["n"], "平均天数": s["mean"], "中位天数": s["median"]}
                           for s in data.stages])
    items = pd.DataFrame([{"条目": i["code"], "名称": i["title"], "分值": i["weight"], "评分数": i["n"],
                           "平均得分": i["mean_points"], "得分率(%)": i["share"]} for i in data.items],
                         columns=["条目", "名称", "分值", "评分数", "平均得分", "得分率(%)"])
    objections = pd.DataFrame(list(data.objections.items()), columns=["处理结果", "数量"])
    revocations = pd.DataFrame([{"单位": r["unit"], "情形": r["ground"], "日期": r["date"]}
                                for r in data.revocations], columns=["单位", "情形", "日期"])
    return {"概况": overview, "各阶段用时": stages, "各条目得分": items, "异议": objections, "取消认定": revocations}


def to_xlsx(data: Summary) -> bytes:
    return xlsx_bytes(_frames(data))


def to_pdf(data: Summary) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from portal.core.pdf import paragraph, render_document, table

    def rows(frame):
        return [list(map(str, frame.columns))] + [["—" if pd.isna(v) else str(v) for v in r]
                                                  for r in frame.itertuples(index=False)]

    frames = _frames(data)
    story = [paragraph(f"浙江省信用协会信用示范会员单位创建工作{data.year}年度总结", "title"),
             paragraph(f"统计时间：{timezone.localtime():%Y-%m-%d %H:%M}", "small"), Spacer(1, 4 * mm)]
    weakest = "、".join(f"{i['code']} {i['title']}（得分率 {i['share']}%）" for i in data.weakest) or "—"
    story.append(paragraph(
        f"本年度共受理申报 {data.applications} 家，验收通过 {data.accepted} 家"
        f"（通过率 {data.pass_rate if data.pass_rate is not None else '—'}%），授予称号 {data.awarded} 家；"
        f"公示期间收到异议 {data.objections_total} 件，取消认定 {len(data.revocations)} 家。"
        f"得分率最低的条目：{weakest}。"))
    for name, widths in (("概况", [60 * mm, 60 * mm]), ("各阶段用时", None), ("各条目得分", [16 * mm, 70 * mm, 14 * mm, 16 * mm, 20 * mm, 22 * mm]),
                         ("异议", None), ("取消认定", None)):
        story += [paragraph(name, "h2"), table(rows(frames[name]), col_widths=widths)]
    return render_document(story, title=f"信用示范会员单位{data.year}年度总结")


def save_report(*, year: int, user, publish: bool = False, request=None) -> SummaryReport:
    """Generate (and optionally publish) the PDF report of a year."""
    if not has_role(user, Role.SECRETARIAT):
        raise PermissionDenied(_("You do not have the role required for this action."))
    data = compute(year)
    content = to_pdf(data)
    with transaction.atomic():
        report = SummaryReport.objects.select_for_update().filter(year=year).first() or SummaryReport(year=year)
        if report.pdf:
            report.pdf.delete(save=False)
        report.pdf.save(f"summary-{year}.pdf", ContentFile(content), save=False)
        report.generated_at, report.generated_by = timezone.now(), user
        if publish and report.published_at is None:
            report.published_at = timezone.now()
        report.save()
        record(report, "awards.summary.publish" if publish else "awards.summary.generate", user=user, request=request,
               data={"year": year})
        if publish:
            invalidate_public_pages()
    return report


__all__ = ["compute", "charts", "to_xlsx", "to_pdf", "save_report", "years"]
