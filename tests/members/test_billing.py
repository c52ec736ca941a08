"""Lapse first; never bill a member that is not active (issue #13.6)."""

import datetime
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from members import domain, reports
from members.models import DuesItem, Membership


def run_jobs(day: datetime.date) -> str:
    out = StringIO()
    call_command("run_due_jobs", today=day.isoformat(), stdout=out)
    return out.getvalue()


def test_new_year_job_lapses_before_it_bills(make_member, make_organisation, make_user, member_a, secretariat):
    # three members who joined on 1 January 2026 and never paid, one (member_a) who paid
    lapsing = []
    for tier in ("副会长单位", "会员单位", "会员单位"):
        user = make_user()
        lapsing.append(make_member(make_organisation(users=[user]), user, tier=tier, joined=datetime.date(2026, 1, 1)))
    domain.record_payment(dues_item=member_a.dues_items.get(), user=secretariat, amount=Decimal("7000"),
                          paid_on=datetime.date(2026, 4, 1), method="bank")
    output = run_jobs(datetime.date(2027, 1, 2))
    assert "lapsed 3 membership" in output
    assert set(Membership.objects.filter(status="lapsed").values_list("pk", flat=True)) == {m.pk for m in lapsing}
    assert not DuesItem.objects.filter(membership__in=lapsing, year=2027).exists()
    totals = {r["year"]: r for r in reports.dues_totals(reports.dues_frame(today=datetime.date(2027, 1, 2)))
              .to_dict("records")}
    assert totals[2027]["receivable"] == 7000.0  # member_a's only, not 7,000 + 15,000 + 2 × 2,000


def test_reinstated_member_is_not_billed_for_the_year_it_spent_lapsed(make_member, firm_a, firm_a_user, secretariat):
    membership = make_member(firm_a, firm_a_user, joined=datetime.date(2025, 1, 1))
    run_jobs(datetime.date(2026, 1, 2))  # 2025 unpaid for a year: lapsed, and 2026 not billed
    run_jobs(datetime.date(2026, 6, 1))
    membership.refresh_from_db()
    assert membership.status == "lapsed"
    assert list(membership.dues_items.values_list("year", flat=True)) == [2025]
    domain.record_payment(dues_item=membership.dues_items.get(year=2025), user=secretariat, amount=Decimal("7000"),
                          paid_on=datetime.date(2026, 11, 1), method="bank")
    # reinstated once the arrears (2025) are paid: billed again from the year of reinstatement
    domain.reinstate_membership(membership=membership, user=secretariat, today=datetime.date(2027, 3, 1))
    run_jobs(datetime.date(2027, 3, 2))
    run_jobs(datetime.date(2028, 1, 1))
    assert list(membership.dues_items.order_by("year").values_list("year", flat=True)) == [2025, 2027, 2028]
