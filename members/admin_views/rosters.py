"""The member roster (会员名册), the arrears list (欠费催缴名单) and the accountant's money reports, as admin pages
with .xlsx downloads (council and secretariat)."""

from django import forms
from django.core.paginator import Paginator
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.roles import Role, role_required
from portal.core.exports import MONEY, xlsx_bytes
from portal.organisations.regions import city_name

from .. import ledger, rosters
from ..models import Membership, MembershipRules, MembershipTier

REVIEWERS = (Role.COUNCIL, Role.SECRETARIAT)
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


class RosterFilterForm(forms.Form):
    tier = forms.ModelChoiceField(queryset=MembershipTier.objects.all(), label=gettext_lazy("Tier"), required=False,
                                  empty_label=gettext_lazy("All tiers"))
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = (Membership.objects.annotate(city=Substr("organisation__region_code", 1, 4))
                  .values_list("city", flat=True).distinct())
        self.fields["region"].choices = [("", _("All regions")),
                                         *sorted({(c, city_name(c)) for c in cities if c}, key=lambda p: p[0])]
        self.fields["status"].choices = [("", _("All statuses")), *Membership.Status.choices]


@role_required(*REVIEWERS)
def roster_view(request):
    form = RosterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    memberships = rosters.roster_queryset(tier=filters.get("tier"), region=filters.get("region", ""),
                                          status=filters.get("status", ""))
    years = rosters.dues_years(memberships)
    if request.GET.get("export") == "xlsx":
        labels = rosters.roster_labels(years)
        money = {str(v): MONEY for k, v in labels.items() if k.startswith(rosters.ROSTER_MONEY_PREFIXES)}
        units = ledger.frame(rosters.roster_rows(memberships, years=years), labels)
        people = ledger.frame(rosters.individual_rows(status=filters.get("status", "")), rosters.INDIVIDUAL_LABELS)
        data = xlsx_bytes({_("Unit members"): units, _("Individual members"): people}, column_width=16,
                          number_formats=money)
        return xlsx_response(data, f"会员名册-{timezone.localdate():%Y%m%d}.xlsx")
    if request.GET.get("export"):
        raise Http404
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    query.pop("export", None)
    return render(request, "members/admin/roster.html", {
        "page_title": _("Member roster"), "header_icon": "list-ul", "form": form, "page_obj": page,
        "rows": rosters.roster_rows(memberships.filter(pk__in=[m.pk for m in page.object_list]), years=years),
        "years": years, "query": query.urlencode(), "total": page.paginator.count,
    })


@role_required(*REVIEWERS)
def arrears_view(request):
    today = timezone.localdate()
    rows = rosters.arrears_rows(today=today, the_rules=MembershipRules.load())
    if request.GET.get("export") == "xlsx":
        data = xlsx_bytes({_("Arrears list"): ledger.frame(rows, rosters.ARREARS_LABELS)}, column_width=16,
                          number_formats=ledger.money_formats(rosters.ARREARS_LABELS))
        return xlsx_response(data, f"欠费催缴名单-{today:%Y%m%d}.xlsx")
    if request.GET.get("export"):
        raise Http404
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(request, "members/admin/arrears.html", {
        "page_title": _("Arrears list"), "header_icon": "warning", "page_obj": page, "query": "", "today": today,
        "total": len(rows), "owed": sum((r["arrears"] for r in rows), ledger.ZERO),
    })


@role_required(*REVIEWERS)
def money_export(request, kind):
    """The accountant's downloads: a year's 收款明细, and receivables and arrears by member (xlsx)."""
    today = timezone.localdate()
    if kind == "receipts":
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
        rows = ledger.receipts_rows(year)
        data = xlsx_bytes({_("Receipts %(year)s") % {"year": year}: ledger.frame(rows, ledger.RECEIPT_LABELS)},
                          column_width=16, number_formats=ledger.money_formats(ledger.RECEIPT_LABELS))
        return xlsx_response(data, f"收款明细-{year}.xlsx")
    if kind == "receivable":
        rows = ledger.receivable_rows(today=today, the_rules=MembershipRules.load())
        data = xlsx_bytes({_("Receivable and arrears"): ledger.frame(rows, ledger.RECEIVABLE_LABELS)},
                          column_width=16, number_formats=ledger.money_formats(ledger.RECEIVABLE_LABELS))
        return xlsx_response(data, f"应收及欠费-{today:%Y%m%d}.xlsx")
    raise Http404
