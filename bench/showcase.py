#!/usr/bin/env python
"""信用示范会员单位 benchmark: aggregate a campaign of 500 applications × 5 experts × 13 items.

    .venv/bin/python bench/showcase.py     # builds a temporary SQLite database, prints a table

Target (issue #6): aggregating the campaign < 1 s (pure aggregation and from the database).
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

N_APPS, N_EXPERTS = 500, 5


def out(line: str) -> None:
    sys.stdout.write(line + "\n")


def build_campaign(n_apps: int = N_APPS, n_experts: int = N_EXPERTS, *, year: int = 2030, prefix: str = "bench"):
    """A campaign of `n_apps` applications in acceptance review, each scored by `n_experts` experts on
    every item of the 2019 standard (submitted sheets). Used by bench/scale.py too. Returns the campaign."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from portal.organisations.models import Organisation
    from showcase.models import (
        Application,
        Campaign,
        ExpertAssignment,
        Rating,
        ReviewRound,
        ScoreSheet,
        Standard,
        items_of,
    )
    from tests.conftest import make_credit_code

    rng = random.Random(6)
    standard = Standard.objects.get(version="2019版")
    items = items_of(standard)
    levels = list(standard.levels.all())
    User = get_user_model()
    with transaction.atomic():
        creator = User.objects.create(username=prefix, email=f"{prefix}@example.com")
        experts = [User.objects.create(username=f"{prefix}-e{i}", email=f"{prefix}-e{i}@example.com")
                   for i in range(n_experts)]
        campaign = Campaign.objects.create(year=year, title=prefix, opens_on=datetime.date(year, 1, 1),
                                           deadline=datetime.date(year, 6, 30), standard=standard)
        orgs = Organisation.objects.bulk_create(
            Organisation(name=f"企业{i}", credit_code=make_credit_code("330106", f"MB{i:07d}"), region_code="330106",
                         legal_representative="张", established_on=datetime.date(2000, 1, 1), registered_address="杭州",
                         contact_person="李", phone="1", email=f"o{i}@example.com") for i in range(n_apps))
        apps = Application.objects.bulk_create(
            Application(campaign=campaign, organisation=o, created_by=creator, status="acceptance", number=f"B{i}")
            for i, o in enumerate(orgs))
        rounds = ReviewRound.objects.bulk_create(
            ReviewRound(application=a, standard=standard, opened_by=creator, report="x.pdf", report_name="x.pdf")
            for a in apps)
        assignments = ExpertAssignment.objects.bulk_create(
            ExpertAssignment(round=r, expert=e, assigned_by=creator, status="active") for r in rounds for e in experts)
        sheets = ScoreSheet.objects.bulk_create(ScoreSheet(assignment=a, status="submitted") for a in assignments)
        Rating.objects.bulk_create(
            (Rating(sheet=s, item=i, level=rng.choices(levels, weights=(8, 3, 1))[0]) for s in sheets for i in items),
            batch_size=5000)
    return campaign


def main():
    from bench.common import setup_django

    setup_django(settings_module="portal.settings.test", temp_db_prefix="bench-showcase-")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from showcase.models import Rating, Standard, items_of
    from showcase.scoring import aggregate_campaign, aggregate_many, rules_for

    standard = Standard.objects.get(version="2019版")
    items = items_of(standard)
    t0 = time.perf_counter()
    campaign = build_campaign()
    build = time.perf_counter() - t0
    n_ratings = Rating.objects.count()

    t0 = time.perf_counter()
    result = aggregate_campaign(campaign)
    db_time = time.perf_counter() - t0

    item_rules, level_rules, rule = rules_for(standard)
    rows = list(Rating.objects.values_list("sheet__assignment__round_id", "sheet_id", "item__code", "level_id"))
    rows = [(r, s, c, level_rules[lv]) for r, s, c, lv in rows]
    t0 = time.perf_counter()
    pure = aggregate_many(item_rules, rows, rule)
    pure_time = time.perf_counter() - t0
    passed = sum(1 for a in result.values() if a.proposed_pass)
    assert len(pure) == len(result) == N_APPS
    mean = sum((a.mean_total for a in result.values()), Decimal(0)) / len(result)

    out("| measure | value | target |\n|---|---|---|")
    out(f"| ratings ({N_APPS} applications × {N_EXPERTS} experts × {len(items)} items) | {n_ratings:,} | |")
    out(f"| build fixture | {build:.2f} s | |")
    out(f"| aggregate campaign from the database | {db_time * 1000:.0f} ms | < 1000 ms |")
    out(f"| aggregate campaign, pure function | {pure_time * 1000:.0f} ms | < 1000 ms |")
    out(f"| proposed pass / mean total | {passed} / {mean:.2f} | |")
    if db_time >= 1:
        sys.exit("aggregation too slow")


if __name__ == "__main__":
    main()
