"""Spreadsheet export of service requests per provider and category (pandas, imported lazily)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.exports import csv_bytes, xlsx_bytes

from .models import ServiceRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_frames(queryset):
    """(summary, detail) DataFrames: one row per provider × category with counts per status; one row per request."""
    import pandas as pd

    rows = list(
        queryset.order_by("created_at", "pk").values_list(
            "pk", "created_at", "provider__name", "item__category__number", "item__category__name",
            "item__name", "organisation__name", "is_member", "status",
        )
    )
    labels = dict(ServiceRequest.Status.choices)
    columns = {
        "provider": _("Provider"), "category": _("Category"), "item": _("Service"), "organisation": _("Organisation"),
        "member": _("Member unit"), "status": _("Status"), "submitted": _("Submitted"), "number": _("Number"),
    }
    detail = pd.DataFrame(
        [
            {
                columns["number"]: f"FW{timezone.localtime(created).year}{pk:05d}",
                columns["submitted"]: timezone.localtime(created).strftime("%Y-%m-%d %H:%M"),
                columns["provider"]: provider,
                columns["category"]: category,
                columns["item"]: item,
                columns["organisation"]: organisation,
                columns["member"]: _("yes") if member else _("no"),
                columns["status"]: str(labels[status]),
                "_order": number,
            }
            for pk, created, provider, number, category, item, organisation, member, status in rows
        ],
        columns=[columns[k] for k in ("number", "submitted", "provider", "category", "item", "organisation", "member", "status")]
        + ["_order"],
    )
    status_columns = [str(label) for label in labels.values()]
    if detail.empty:
        summary = pd.DataFrame(columns=[columns["provider"], columns["category"], *status_columns, _("Total"), _("Member units")])
    else:
        keys = [columns["provider"], "_order", columns["category"]]
        summary = detail.pivot_table(index=keys, columns=columns["status"], values=columns["number"], aggfunc="count", fill_value=0)
        summary = summary.reindex(columns=status_columns, fill_value=0)
        summary[_("Total")] = summary.sum(axis=1)
        members = detail[detail[columns["member"]] == _("yes")].groupby(keys)[columns["number"]].count()
        summary[_("Member units")] = members.reindex(summary.index, fill_value=0)
        summary = summary.reset_index().sort_values([columns["provider"], "_order"]).drop(columns="_order")
        summary.columns.name = None
    return summary.reset_index(drop=True), detail.drop(columns="_order")


def export_response(queryset, *, fmt: str = "xlsx") -> HttpResponse:
    summary, detail = request_frames(queryset)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="service-requests-{stamp}.csv"'
        response.write(csv_bytes(summary))
        return response
    response = HttpResponse(xlsx_bytes({_("Summary"): summary, _("Requests"): detail}), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="service-requests-{stamp}.xlsx"'
    return response
