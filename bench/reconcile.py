#!/usr/bin/env python
"""Bank reconciliation benchmark (issue #15): 5,000 statement lines read, matched and imported.

    .venv/bin/python bench/reconcile.py        # builds a temporary SQLite database, prints a table

5,000 member units owe two dues years; a bank statement (中国建设银行's layout, title rows, a totals
row) has 5,000 incoming lines: payment references typed every which way (full width, spaces,
lower case), payer name and amount, a credit code in the note, two years in one transfer, part and
over payments, duplicates, mistyped references and strangers. Target: the whole import (read the
xlsx, match every line, store the statement and its lines in one transaction) in under 5 s.
"""

import datetime
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MEMBERS, LINES, TARGET_S = 5000, 5000, 5.0


def statement_lines(memberships, rng) -> list[dict]:
    """5,000 incoming lines in the mix a real statement has, most of them for dues."""
    from members.references import make_reference

    lines = []
    for n in range(LINES):
        m = memberships[n % len(memberships)]
        org = m.organisation
        amount = m.tier.annual_dues
        ref = make_reference("HF", m.member_number, 2026)
        kind = rng.random()
        if kind < 0.40:
            note = f"{ref} 2026年会费"
        elif kind < 0.55:
            note = " ".join(ref[i:i + 4] for i in range(0, len(ref), 4)).lower()
        elif kind < 0.60:
            note = "".join(chr(ord(c) + 0xFEE0) for c in ref)
        elif kind < 0.75:
            note = "会费"  # payer name and amount
        elif kind < 0.80:
            note = f"代{org.credit_code}缴会费"
        elif kind < 0.85:
            note, amount = make_reference("HF", m.member_number, 2025), amount * 2  # two years at once
        elif kind < 0.90:
            note, amount = ref, (amount / 2).quantize(Decimal("1"))
        elif kind < 0.93:
            note, amount = ref, amount + 500
        elif kind < 0.96:
            note = ref[:-1] + ("A" if ref[-1] != "A" else "B")  # mistyped
        else:
            note, org = "培训费", None
        lines.append({"day": datetime.date(2026, 3, 1) + datetime.timedelta(days=n % 28),
                      "payer": org.name if org else f"学员{n}", "amount": f"{amount:,.2f}", "note": note,
                      "serial": f"CCB2026{n:08d}"})
    return lines


def xlsx(lines) -> bytes:
    from tests.members.statements import ccb_rows, line, xlsx_bytes

    return xlsx_bytes(ccb_rows([line(x["payer"], x["amount"], x["note"], day=x["day"], serial=x["serial"])
                                for x in lines]))


def main():
    from bench.common import setup_django

    setup_django(settings_module="portal.settings.test", temp_db_prefix="bench-reconcile-")
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.members import build

    start = time.perf_counter()
    build(members=MEMBERS, years=2, first_year=2025)
    build_s = time.perf_counter() - start

    from collections import Counter

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import F

    from members.domain import reconciliation
    from members.models import BankProfile, DuesItem, Membership, StatementLine
    from members.statements.matching import propose
    from portal.accounts.roles import Role

    # 2026 is owed by everyone; 2025 by every other unit (the others paid it), so that two-year transfers,
    # overpayments and duplicates all occur.
    DuesItem.objects.filter(year=2026).update(paid=0, status="unpaid")
    even = [pk for pk in Membership.objects.values_list("pk", flat=True) if pk % 2 == 0]
    DuesItem.objects.filter(year=2025, membership_id__in=even).update(paid=0, status="unpaid")
    DuesItem.objects.filter(year=2025).exclude(status="unpaid").update(paid=F("amount"), status="paid")
    memberships = list(Membership.objects.select_related("organisation", "tier").order_by("pk"))
    rng = random.Random(15)
    lines = statement_lines(memberships, rng)
    data = xlsx(lines)
    profile = BankProfile.objects.get(name="中国建设银行")
    staff = get_user_model().objects.create_user(username="bench", email="bench@example.com", password="x")
    staff.groups.add(Group.objects.get(name=str(Role.SECRETARIAT)))

    rows = []
    t0 = time.perf_counter()
    parsed = reconciliation.read_statement(profile=profile, data=data, file_name="对账单.xlsx")
    read_s = time.perf_counter() - t0
    rows.append(("read the xlsx (5,000 lines, header found below title rows)", read_s, None,
                 f"{len(parsed.lines)} lines, {len(data) // 1024} KB"))
    t0 = time.perf_counter()
    index = reconciliation.build_index()
    index_s = time.perf_counter() - t0
    rows.append(("load every dues item and payer (5,000 units × 2 years)", index_s, None,
                 f"{len(index.by_reference)} items"))
    t0 = time.perf_counter()
    proposals = [propose(amount=x.amount, payer_name=x.payer_name, note=x.note, index=index) for x in parsed.lines]
    match_s = time.perf_counter() - t0
    rows.append(("match 5,000 lines (rules only)", match_s, None,
                 f"{sum(1 for p in proposals if p.allocations)} with a proposal"))
    t0 = time.perf_counter()
    result = reconciliation.import_statement(profile=profile, upload=SimpleUploadedFile("对账单.xlsx", data),
                                             user=staff)
    import_s = time.perf_counter() - t0
    kinds = Counter(StatementLine.objects.values_list("match", flat=True))
    flags = Counter(f for x in StatementLine.objects.values_list("flags", flat=True) for f in x.split(",") if f)
    rows.append(("import: read + match + store in one transaction", import_s, TARGET_S,
                 f"{result.new} new; exact {kinds['exact']}, probable {kinds['probable']}, none {kinds['']}"))
    t0 = time.perf_counter()
    again = reconciliation.import_statement(profile=profile, upload=SimpleUploadedFile("对账单.xlsx", data),
                                            user=staff)
    reupload_s = time.perf_counter() - t0
    rows.append(("re-upload of the same statement", reupload_s, None, f"{again.new} new, {again.known} known"))
    sample = list(StatementLine.objects.filter(status="proposed", flags="").order_by("pk")[:50])
    t0 = time.perf_counter()
    confirmed, refused = reconciliation.confirm_lines(lines=sample, user=staff)
    confirm_s = time.perf_counter() - t0
    rows.append(("confirm 50 proposals (payment, receipt PDF, email each)", confirm_s, None,
                 f"{confirm_s / max(len(confirmed), 1) * 1000:.0f} ms per line, {len(refused)} refused"))

    out = sys.stdout.write  # a report table, not logging
    out(f"reconciliation benchmark — SQLite, {MEMBERS} member units × 2 dues years, {LINES} statement lines; "
        f"data {build_s:.1f} s\nflags: {dict(flags)}\n")
    out(f"{'measure':<60} {'s':>7} {'target':>8}  note\n")
    failed = False
    for name, seconds, target, note in rows:
        ok = "" if target is None else ("ok" if seconds < target else "SLOW")
        failed |= ok == "SLOW"
        out(f"{name:<60} {seconds:>7.2f} {('< ' + str(target)) if target else '':>8}  {ok} {note}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
