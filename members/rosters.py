"""The member roster (会员名册) and the arrears list (欠费催缴名单), for the secretariat.

The roster lists each unit with its registered details, its contacts (the unit's contact person and the
people acting for it), when it joined, its status, and for each dues year what it paid and still owes;
filtered by tier, region (prefecture) and status. The arrears list is who to phone: members that owe
dues of earlier years, the most urgent (the soonest to lapse) first.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from portal.organisations.models import OrganisationUser

from .ledger import money
from .models import DuesItem, DuesReminder, IndividualMember, Membership

ROSTER_LABELS = {
    "member_number": gettext_lazy("Member number"), "name": gettext_lazy("Unit"),
    "credit_code": gettext_lazy("Credit code"), "tier": gettext_lazy("Tier"), "region": gettext_lazy("Region"),
    "contact": gettext_lazy("Contact person"), "phone": gettext_lazy("Phone"), "email": gettext_lazy("Email"),
    "people": gettext_lazy("People acting for the unit"), "joined": gettext_lazy("Joined on"),
    "status": gettext_lazy("Status"),
}
INDIVIDUAL_LABELS = {
    "member_number": gettext_lazy("Member number"), "name": gettext_lazy("Name"), "tier": gettext_lazy("Tier"),
    "work_unit": gettext_lazy("Work unit"), "phone": gettext_lazy("Phone"), "email": gettext_lazy("Email"),
    "joined": gettext_lazy("Joined on"), "status": gettext_lazy("Status"),
}


def roster_queryset(*, tier=None, region: str = "", status: str = ""):
    memberships = Membership.objects.select_related("organisation", "tier").order_by("member_number")
    if tier:
        memberships = memberships.filter(tier=tier)
    if region:
        memberships = memberships.filter(organisation__region_code__startswith=region)
    if status:
        memberships = memberships.filter(status=status)
    return memberships


def dues_years(memberships) -> list[int]:
    years = DuesItem.objects.filter(membership__in=memberships).values_list("year", flat=True).distinct()
    return sorted(set(years))


def roster_rows(memberships, *, years: list[int]) -> list[dict]:
    """One row per membership; `paid_<year>` and `owed_<year>` per dues year (three queries in all)."""
    memberships = list(memberships.prefetch_related(Prefetch(
        "organisation__user_links", queryset=OrganisationUser.objects.select_related("user").order_by("pk"))))
    dues = defaultdict(dict)
    for membership_id, year, amount, paid in DuesItem.objects.filter(
            membership_id__in=[m.pk for m in memberships]).values_list("membership_id", "year", "amount", "paid"):
        dues[membership_id][year] = (paid, amount - paid)
    rows = []
    for m in memberships:
        org = m.organisation
        people = [f"{link.user.display_name or link.user.email}（{link.get_role_display()}）<{link.user.email}>"
                  for link in org.user_links.all() if link.user.is_active]
        row = {
            "pk": m.pk, "member_number": m.member_number, "name": org.name, "credit_code": org.credit_code,
            "tier": m.tier.name, "region": org.region_name, "contact": org.contact_person, "phone": org.phone,
            "email": org.email, "people": "；".join(people), "joined": m.started_on,
            "status": m.get_status_display(), "status_code": m.status,
        }
        for year in years:
            paid, owed = dues[m.pk].get(year, (None, None))
            row[f"paid_{year}"] = money(paid) if paid is not None else None
            row[f"owed_{year}"] = money(owed) if owed is not None else None
        row["dues"] = [(year, row[f"paid_{year}"], row[f"owed_{year}"]) for year in years]
        rows.append(row)
    return rows


def roster_labels(years: list[int]) -> dict:
    from django.utils.translation import gettext as _

    labels = dict(ROSTER_LABELS)
    for year in years:
        labels[f"paid_{year}"] = _("%(year)s paid (yuan)") % {"year": year}
        labels[f"owed_{year}"] = _("%(year)s owed (yuan)") % {"year": year}
    return labels


def individual_rows(*, status: str = "") -> list[dict]:
    members = IndividualMember.objects.select_related("tier").order_by("member_number")
    if status in (IndividualMember.Status.ACTIVE, IndividualMember.Status.WITHDRAWN):
        members = members.filter(status=status)
    return [{"member_number": m.member_number, "name": m.name, "tier": m.tier.name, "work_unit": m.work_unit,
             "phone": m.phone, "email": m.email, "joined": m.joined_on, "status": m.get_status_display()}
            for m in members]


# ------------------------------------------------------------------------------------------ arrears

ARREARS_LABELS = {
    "member_number": gettext_lazy("Member number"), "name": gettext_lazy("Unit"),
    "contact": gettext_lazy("Contact person"), "phone": gettext_lazy("Phone"), "email": gettext_lazy("Email"),
    "years": gettext_lazy("Years owed"), "arrears": gettext_lazy("Arrears of earlier years (yuan)"),
    "current": gettext_lazy("Unpaid this dues year (yuan)"), "lapse_on": gettext_lazy("Lapses after"),
    "reminded_on": gettext_lazy("Last reminder"), "status": gettext_lazy("Status"),
}


def arrears_rows(*, today: datetime.date, the_rules) -> list[dict]:
    """Current members owing dues of earlier years, soonest to lapse first (four queries)."""
    current_year = the_rules.dues_year_of(today)
    lapse_days = datetime.timedelta(days=the_rules.lapse_after_days)
    owing = (DuesItem.objects.filter(membership__status__in=[Membership.Status.ACTIVE, Membership.Status.LAPSED])
             .exclude(status=DuesItem.Status.PAID).values_list("pk", "membership_id", "year", "amount", "paid",
                                                               "due_on"))
    by_member = defaultdict(list)
    for pk, membership_id, year, amount, paid, due_on in owing:
        by_member[membership_id].append((pk, year, amount - paid, due_on))
    late = {mid: items for mid, items in by_member.items() if any(year < current_year for _pk, year, _o, _d in items)}
    reminders = dict(DuesReminder.objects.filter(dues_item_id__in=[pk for items in late.values() for pk, *_ in items])
                     .order_by("sent_on").values_list("dues_item__membership_id", "sent_on"))
    rows = []
    for m in Membership.objects.filter(pk__in=list(late)).select_related("organisation"):
        items = sorted(late[m.pk], key=lambda i: i[1])
        earlier = [i for i in items if i[1] < current_year]
        org = m.organisation
        rows.append({
            "pk": m.pk, "member_number": m.member_number, "name": org.name, "contact": org.contact_person,
            "phone": org.phone, "email": org.email, "years": "、".join(str(i[1]) for i in earlier),
            "arrears": money(sum((i[2] for i in earlier), Decimal(0))),
            "current": money(sum((i[2] for i in items if i[1] == current_year), Decimal(0))),
            "lapse_on": earlier[0][3] + lapse_days, "reminded_on": reminders.get(m.pk),
            "status": m.get_status_display(),
        })
    rows.sort(key=lambda r: (r["lapse_on"], r["member_number"]))
    return rows


ROSTER_MONEY_PREFIXES = ("paid_", "owed_")
