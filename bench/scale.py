#!/usr/bin/env python
"""Build a scaled-up copy of the demo in the current DATABASE_URL (issue #8's load benchmark data).

    DATABASE_URL=sqlite:////tmp/x/scale.sqlite3 .venv/bin/python bench/scale.py
    DATABASE_URL=postgres://portal@127.0.0.1:54331/portal .venv/bin/python bench/scale.py
    .venv/bin/python bench/scale.py --urls      # print the load benchmark's URLs (JSON) for this database

Steps: migrate, `load_demo`, then
- magazine: `--issues` issues in all (default 50 ≈ 1,250 articles), the seed issue re-imported with shifted
  year/number through the magazine importer service (`bench/magazine.py`'s generator);
- membership: `--members` organisations with active memberships and `--years` dues items each
  (`bench/members.py`'s generator);
- 信用示范会员单位: a campaign of `--applications` applications scored by `--experts` experts each
  (`bench/showcase.py`'s generator).
Idempotent: every step checks what is already there (issues by year and number, the generated members and
campaign by their marker names) and only adds what is missing; the members and campaign steps each run in one
transaction, the importer writes each issue in one. Runs under dev settings (load_demo refuses production).
Prints progress and timings to stdout.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CAMPAIGN_YEAR, CAMPAIGN_PREFIX = 2031, "scale-bench"
SEARCH_URL = "/search/?q=信用修复"


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def setup() -> None:
    # load_demo refuses production settings; dev honours DATABASE_URL and CACHE_URL the same way.
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ.setdefault("PORTAL_PAGE_CACHE_SECONDS", "0")
    from bench.common import setup_django

    setup_django(settings_module="portal.settings.dev")
    from django.conf import settings

    settings.DEBUG = False  # no query log growing during tens of thousands of inserts


def database_label() -> str:
    from django.db import connection

    s = connection.settings_dict
    return f"{connection.vendor} {s.get('HOST') or ''}{':' if s.get('PORT') else ''}{s.get('PORT') or ''} {s['NAME']}"


def step_magazine(issues: int) -> None:
    from bench.magazine import import_generated_issues, seed_text
    from portal.magazine.models import ArticlePage, IssuePage

    text = seed_text()
    if text is None:
        raise SystemExit("scale: the seed issue is missing (DEMO_ISSUE_PATH); cannot generate the magazine archive")
    if not IssuePage.objects.filter(year=2019, number=3).exists():
        raise SystemExit("scale: load_demo did not import the seed issue (2019年第3期)")

    def progress(i, total, seconds):
        if i % 5 == 0 or i == total:
            say(f"  magazine: issue {i + 1}/{total + 1} imported, {seconds:.0f} s")

    started = time.perf_counter()
    done, seconds = import_generated_issues(text, issues - 1, skip_existing=True, progress=progress)
    say(f"  magazine: {done} issues imported in {seconds:.1f} s "
        f"({seconds / max(done, 1):.2f} s each); now {IssuePage.objects.live().count()} live issues, "
        f"{ArticlePage.objects.live().count()} live articles ({time.perf_counter() - started:.1f} s)")


def step_members(members: int, years: int) -> None:
    from django.db import transaction

    from bench.members import build
    from members.models import DuesItem
    from portal.organisations.models import Organisation

    existing = Organisation.objects.filter(name__startswith="基准测试").count()
    if existing >= members:
        say(f"  members: {existing} generated members already present; skipped")
        return
    started = time.perf_counter()
    with transaction.atomic():
        build(members - existing, years, start=existing)
    say(f"  members: {members} members × {years} years of dues built in {time.perf_counter() - started:.1f} s; "
        f"now {Organisation.objects.count()} organisations, {DuesItem.objects.count()} dues items")


def step_showcase(applications: int, experts: int) -> None:
    from bench.showcase import build_campaign
    from showcase.models import Application, Campaign, Rating

    if Campaign.objects.filter(year=CAMPAIGN_YEAR, title=CAMPAIGN_PREFIX).exists():
        say("  showcase: generated campaign already present; skipped")
        return
    if Campaign.objects.filter(year=CAMPAIGN_YEAR).exists():
        raise SystemExit(f"scale: a campaign for {CAMPAIGN_YEAR} exists that this script did not make; refusing")
    started = time.perf_counter()
    build_campaign(applications, experts, year=CAMPAIGN_YEAR, prefix=CAMPAIGN_PREFIX)  # one transaction
    say(f"  showcase: {applications} applications × {experts} experts built in {time.perf_counter() - started:.1f} s; "
        f"now {Application.objects.count()} applications, {Rating.objects.count()} ratings")


def load_urls() -> dict[str, str]:
    """The pages the load benchmark drives, looked up in this database."""
    from portal.magazine.models import ArticlePage, IssuePage

    issue = IssuePage.objects.live().get(year=2019, number=3)
    articles = ArticlePage.objects.live().descendant_of(issue)
    article = (articles.filter(title__contains="信用修复").first() or articles.order_by("path").first())
    archive = issue.get_parent().specific
    return {
        "home": "/",
        "archive": archive.get_url(),
        "issue": issue.get_url(),
        "article": article.get_url(),
        "search": SEARCH_URL,
        "members": "/members/",
        "units": "/showcase/units/",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=50)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--experts", type=int, default=5)
    parser.add_argument("--urls", action="store_true", help="only print the load benchmark's URLs as JSON")
    args = parser.parse_args()
    setup()
    if args.urls:
        sys.stdout.write(json.dumps(load_urls(), ensure_ascii=False) + "\n")
        return 0
    from django.core.management import call_command

    from portal.core.cache import invalidate_public_pages

    total = time.perf_counter()
    say(f"scale: building into {database_label()}")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"  migrate: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    say(f"  load_demo: {time.perf_counter() - t0:.1f} s")
    step_magazine(args.issues)
    step_members(args.members, args.years)
    step_showcase(args.applications, args.experts)
    invalidate_public_pages()  # outside a transaction: now
    say(f"scale: done in {time.perf_counter() - total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
