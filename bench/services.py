"""Catalogue render time with 50 providers × 300 items (services area).

Runs against a fresh in-memory test database (or a copy of BENCH_TEMPLATE_DB, a migrated SQLite file); prints one table row per page:
queries per request and median / p95 wall time over N requests through Django's test client.

    .venv/bin/python bench/services.py [--runs 50]
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROVIDERS, ITEMS_PER_PROVIDER = 50, 6


def build():
    from django.contrib.auth import get_user_model

    from portal.services.models import Provider, ServiceCategory, ServiceItem

    categories = list(ServiceCategory.objects.all())
    providers = Provider.objects.bulk_create(
        [Provider(name=f"服务机构{n:02d}", contact_person="联系人", phone="0571-1234567",
                  description="提供企业信用管理咨询、信用评价与信用报告服务。" * 3) for n in range(PROVIDERS)]
    )
    kinds = [
        {"fee_kind": "range", "fee_amount": Decimal("5000"), "fee_amount_max": Decimal("100000"), "fee_period": "year"},
        {"fee_kind": "minimum_rate", "fee_amount": Decimal("1560"), "fee_rate": Decimal("0.39"),
         "fee_rate_unit": "permille", "fee_base_name": "资产总额"},
        {"fee_kind": "negotiable"},
    ]
    ServiceItem.objects.bulk_create(
        [
            ServiceItem(provider=provider, category=categories[(p * 6 + i) % 8], name=f"服务项目{p:02d}-{i}",
                        description="服务说明" * 20, **kinds[i % 3])
            for p, provider in enumerate(providers)
            for i in range(ITEMS_PER_PROVIDER)
        ]
    )
    user = get_user_model().objects.create_user(username="bench", email="bench@example.com", password="x")
    item = ServiceItem.objects.filter(fee_kind="minimum_rate").first()
    return providers, item, user


def measure(client, url, params, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm-up (template loading, translations)
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx)
    times.sort()
    return queries, statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    from bench.common import setup_django

    # With a migrated template (bench/run_all.py), start from a copy of it instead of migrating a test database.
    template = os.environ.get("BENCH_TEMPLATE_DB")
    setup_django(settings_module="portal.settings.test", temp_db_prefix="bench-services-" if template else None)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    # No setup_test_environment(): its instrumented template rendering would inflate the timings.
    old_name = None if template else connection.creation.create_test_db(verbosity=0)
    try:
        providers, item, user = build()
        anonymous, logged_in = Client(), Client()
        logged_in.force_login(user)
        catalogue = reverse("services:catalogue")
        rows = [
            ("catalogue, page 1", anonymous, catalogue, {}),
            ("catalogue, page 1 (logged in)", logged_in, catalogue, {}),
            ("catalogue, category + page 2", anonymous, catalogue, {"category": "credit", "page": "2"}),
            ("catalogue, search + fee filter", anonymous, catalogue, {"q": "服务项目1", "fee": "minimum_rate"}),
            ("catalogue, last page", anonymous, catalogue, {"page": "15"}),
            ("provider list, page 1", anonymous, reverse("services:providers"), {}),
            ("provider page (6 items)", logged_in, reverse("services:provider", args=[providers[0].pk]), {}),
            ("item page + estimate", anonymous, reverse("services:item", args=[item.pk]), {"base": "5000"}),
        ]
        out = sys.stdout.write  # a report table, not logging
        out(f"{PROVIDERS} providers × {ITEMS_PER_PROVIDER} items = {PROVIDERS * ITEMS_PER_PROVIDER} items, "
            f"{args.runs} requests per row, SQLite ({'template copy' if template else 'in memory'}), Django test client\n\n")
        out(f"| {'page':<32} | queries | median ms | p95 ms | KB |\n")
        out(f"|{'-' * 34}|---------|-----------|--------|-----|\n")
        for label, client, url, params in rows:
            queries, median, p95, size = measure(client, url, params, args.runs)
            out(f"| {label:<32} | {queries:>7} | {median:>9.1f} | {p95:>6.1f} | {size / 1024:>3.0f} |\n")
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
