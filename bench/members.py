#!/usr/bin/env python
"""Membership benchmark: dues report over 5,000 members × 5 years, certificate and receipt PDFs, directory page.

    .venv/bin/python bench/members.py        # builds a temporary SQLite database, prints a table

Targets (issue #4): dues report < 2 s; certificate PDF < 300 ms each; directory ≤ 10 queries.
"""

import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MEMBERS, YEARS, FIRST_YEAR = 5000, 5, 2021


def timed(fn, repeat=3):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def build(members: int | None = None, years: int | None = None, first_year: int | None = None, start: int = 0):
    """`members` organisations with active memberships (tiers in turn) and `years` dues items each (~80% paid).

    Used by bench/scale.py too. Organisations are named 基准测试NNNNN…; member numbers ZJXY-<first_year>-NNNNN,
    numbered from `start` (to add members to an earlier build).
    """
    from stdnum.cn import uscc

    from members.models import DuesItem, Membership, MembershipTier
    from portal.organisations.models import Organisation

    members = MEMBERS if members is None else members
    years = YEARS if years is None else years
    first_year = FIRST_YEAR if first_year is None else first_year

    rng = random.Random(4)
    tiers = list(MembershipTier.objects.all())
    divisions = ["330102", "330106", "330203", "330302", "330402", "330502", "330602", "330702", "330802"]
    orgs = []
    for i in range(start, start + members):
        body = f"91{divisions[i % len(divisions)]}MA{i:07d}"
        orgs.append(Organisation(
            name=f"基准测试{i:05d}信用科技有限公司", credit_code=body + uscc.calc_check_digit(body),
            legal_representative="张三", established_on=datetime.date(2010, 1, 1), registered_address="杭州市",
            contact_person="李四", phone="0571-0", email=f"b{i}@example.com",
            region_code=divisions[i % len(divisions)], region_name="浙江省",
        ))
    orgs = Organisation.objects.bulk_create(orgs, batch_size=2000)
    memberships = Membership.objects.bulk_create([
        Membership(organisation=o, tier=tiers[i % 3], member_number=f"ZJXY-{first_year}-{i:05d}",
                   started_on=datetime.date(first_year, 1 + i % 12, 1))
        for i, o in enumerate(orgs, start)
    ], batch_size=2000)
    from members.references import UNIT_PREFIX, make_reference

    items = []
    for m in memberships:
        tier = tiers[(m.pk or 0) % 3]
        for year in range(first_year, first_year + years):
            paid = tier.annual_dues if rng.random() < 0.8 else (tier.annual_dues / 2).quantize(Decimal("1"))
            paid = min(paid, m.tier.annual_dues)
            status = "paid" if paid == m.tier.annual_dues else ("partial" if paid else "unpaid")
            items.append(DuesItem(membership=m, year=year, tier=m.tier, amount=m.tier.annual_dues, paid=paid,
                                  status=status, due_on=datetime.date(year, 1, 1),
                                  payment_reference=make_reference(UNIT_PREFIX, m.member_number, year)))
    DuesItem.objects.bulk_create(items, batch_size=5000)
    return memberships


def main():
    from bench.common import setup_django

    setup_django(settings_module="portal.settings.test", temp_db_prefix="bench-members-")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - start
    start = time.perf_counter()
    memberships = build()
    build_s = time.perf_counter() - start

    from members import reports
    from members.models import Membership, Payment
    from members.pdfs import certificate_pdf, receipt_pdf
    from portal.core.pdf import cjk_font

    today = datetime.date(FIRST_YEAR + YEARS - 1, 6, 30)
    rows = []
    dues_s, frame = timed(lambda: reports.dues_totals(reports.dues_frame(today=today)))
    rows.append(("dues report (5,000 × 5 years, by year and tier)", dues_s * 1000, 2000, f"{len(frame)} years"))
    members_s, mframe = timed(lambda: reports.members_frame(today=today))
    rows.append(("members by tier and region over time", members_s * 1000, 2000, f"{len(mframe)} rows"))
    xlsx_s, data = timed(lambda: reports.to_xlsx({"dues": reports.dues_frame(today=today), "members": mframe}), 1)
    rows.append(("xlsx export of both reports", xlsx_s * 1000, None, f"{len(data) // 1024} KB"))

    start = time.perf_counter()
    cjk_font()
    font_ms = (time.perf_counter() - start) * 1000
    from members.models import MemberCertificate

    sample = [  # the certificate as issued: its text on the row (members.domain.documents.issue_certificate)
        MemberCertificate(membership=m, version=1, reason="admission", member_number=m.member_number,
                          holder_name=m.organisation.name, credit_code=m.organisation.credit_code,
                          tier_name=m.tier.name, started_on=m.started_on, issued_on=today)
        for m in Membership.objects.select_related("organisation", "tier").filter(
            pk__in=[m.pk for m in memberships[:30]])
    ]
    certificate_pdf(sample[0])  # warm-up (seal lookup, QR widget import)
    times = []
    for m in sample:
        t0 = time.perf_counter()
        pdf = certificate_pdf(m)
        times.append((time.perf_counter() - t0) * 1000)
    rows.append(("certificate PDF, mean of 30", statistics.mean(times), 300, f"max {max(times):.1f} ms, {len(pdf) // 1024} KB"))

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from members import domain
    from portal.accounts.roles import Role

    staff = get_user_model().objects.create_user(username="bench", email="bench@example.com", password="x")
    staff.groups.add(Group.objects.get(name=str(Role.SECRETARIAT)))
    item = memberships[0].dues_items.order_by("year").last()
    if item.outstanding > 0:
        payment = domain.record_payment(dues_item=item, user=staff, amount=item.outstanding, paid_on=today, method="bank")
    else:
        payment = Payment.objects.create(dues_item=item, amount=1, paid_on=today, receipt_number="SJ-BENCH-1")
    payment = Payment.objects.select_related("dues_item__tier", "dues_item__membership__organisation").get(pk=payment.pk)
    receipt_s, _ = timed(lambda: receipt_pdf(payment), 10)
    rows.append(("receipt PDF", receipt_s * 1000, None, ""))

    client = Client()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = client.get("/members/", {"page": "40"})
        directory_ms = (time.perf_counter() - t0) * 1000
    assert response.status_code == 200
    rows.append(("directory page 40 (5,000 members)", directory_ms, None, f"{len(queries)} queries (limit 10)"))

    out = sys.stdout.write  # a report table, not logging
    out(f"members benchmark — SQLite, {MEMBERS} members × {YEARS} years ({MEMBERS * YEARS} dues items); "
          f"migrate {migrate_s:.1f} s, data {build_s:.1f} s, CJK font registration {font_ms:.0f} ms (once)\n")
    out(f"{'measure':<52} {'ms':>9} {'target':>8}  note\n")
    failed = False
    for name, ms, target, note in rows:
        ok = "" if target is None else ("ok" if ms < target else "SLOW")
        failed |= ok == "SLOW"
        out(f"{name:<52} {ms:>9.1f} {('< ' + str(target)) if target else '':>8}  {ok} {note}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
