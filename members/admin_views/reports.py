"""Membership and dues reports (pandas, exports) and the members without recorded activity."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, role_required

from .. import domain, reports
from ..models import MembershipRules

REVIEWERS = (Role.COUNCIL, Role.SECRETARIAT)
PAGE_SIZE = 25


@role_required(*REVIEWERS)
def reports_view(request):
    today = timezone.localdate()
    the_rules = MembershipRules.load()
    dues = reports.dues_frame(today=today, the_rules=the_rules)
    members = reports.members_frame(today=today)
    export = request.GET.get("export", "")
    if export:
        return _export(export, dues, members, today)
    totals = reports.dues_totals(dues)
    by_tier = reports.pivot(members, index="year", columns="tier", values="members")
    by_region = reports.pivot(members, index="year", columns="region", values="members")
    return render(request, "members/admin/reports.html", {
        "page_title": _("Membership reports"), "header_icon": "table",
        "money_years": list(range(today.year, today.year - 6, -1)),
        "dues_rows": dues.to_dict("records"), "totals": totals.to_dict("records"),
        "by_tier": _table(by_tier), "by_region": _table(by_region),
        "chart": reports.bar_chart(totals.head(6).to_dict("records")), "today": today,
    })


def _table(frame) -> dict:
    if frame.empty:
        return {}
    return {"columns": [str(c) for c in frame.columns],
            "rows": [(index, [int(v) for v in row]) for index, row in zip(frame.index, frame.values.tolist(), strict=True)]}


def _export(kind: str, dues, members, today) -> HttpResponse:
    from django.utils.http import content_disposition_header

    dues_table = reports.labelled(reports.as_money(dues, reports.MONEY_COLUMNS), reports.DUES_LABELS)
    members_table = reports.labelled(members, reports.MEMBER_LABELS)
    stamp = today.strftime("%Y%m%d")
    if kind == "dues.csv":
        data, name, ctype = reports.to_csv(dues_table), f"会费报表-{stamp}.csv", "text/csv; charset=utf-8"
    elif kind == "members.csv":
        data, name, ctype = reports.to_csv(members_table), f"会员统计-{stamp}.csv", "text/csv; charset=utf-8"
    elif kind == "xlsx":
        data = reports.to_xlsx({_("Dues"): dues_table, _("Members"): members_table},
                               money=[str(reports.DUES_LABELS[c]) for c in reports.MONEY_COLUMNS])
        name = f"会员与会费报表-{stamp}.xlsx"
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@role_required(*REVIEWERS)
def inactive_view(request):
    """Active members by the day they lapse for want of activity, soonest first, with their last activity."""
    today = timezone.localdate()
    the_rules = MembershipRules.load()
    rows = domain.activity_watch(today=today, the_rules=the_rules)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(request, "members/admin/inactive.html", {
        "page_title": _("Activity watch"), "header_icon": "warning", "page_obj": page, "query": "",
        "days": the_rules.inactivity_days, "today": today,
    })
