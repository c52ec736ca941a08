"""Magazine benchmark: import of the seed issue, and Chinese search over ~50 issues (SQLite).

Run from the repo root: `python bench/magazine.py` (part of `make bench`). Uses a throw-away
SQLite database in a temporary directory; prints a Markdown table.

    BENCH_MAGAZINE_ISSUES=50           issues in the archive (the seed + generated ones)
    BENCH_MAGAZINE_DB=/path/x.sqlite3  measure search on this already scaled database (bench/scale.py)
                                       instead of importing the generated issues again

The generators (`shifted`, `issue_numbers`, `import_generated_issues`) are also used by
bench/scale.py; importing this module has no side effects.
"""

import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ISSUES = int(os.environ.get("BENCH_MAGAZINE_ISSUES", "50"))
QUERIES = ["信用修复", "信义金", "村民说事", "五类主体", "小微企业", "放管服", "数博会", "信用监管", "营商环境",
           "信用示范会员单位", "陈海盛", "入会须知", "金", "信用", "量子引力波"]
# Monthly issues after the seed: 500 of them (10× the archive) stay within the years the importer accepts (19xx, 20xx).
SEED_YEAR, SEED_NUMBER, SEED_CUMULATIVE, NUMBERS_PER_YEAR = 2019, 3, 44, 12


def shifted(text: str, year: int, number: int, cumulative: int) -> str:
    """The seed issue's text relabelled as another issue (the importer keys issues on year and number)."""
    return (text.replace("2019年第3期", f"{year}年第{number}期").replace("总第044期", f"总第{cumulative:03d}期")
            .replace("出版日期：2019年6月", f"出版日期：{year}年6月"))


def issue_numbers(i: int) -> tuple[int, int, int]:
    """(year, number in the year, cumulative number) of the i-th issue after the seed (i >= 1)."""
    index = SEED_NUMBER - 1 + i
    return SEED_YEAR + index // NUMBERS_PER_YEAR, index % NUMBERS_PER_YEAR + 1, SEED_CUMULATIVE + i


def seed_text() -> str | None:
    from django.conf import settings

    path = Path(settings.DEMO_ISSUE_PATH)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def import_generated_issues(text: str, count: int, *, skip_existing: bool = False,
                            progress: Callable[[int, int, float], None] | None = None) -> tuple[int, float]:
    """Import `count` issues generated from the seed text through the magazine importer service.

    Returns (issues imported, seconds). With `skip_existing`, issues already present are left alone.
    """
    from portal.magazine.importer.build import import_text
    from portal.magazine.models import IssuePage

    existing = set(IssuePage.objects.values_list("year", "number")) if skip_existing else set()
    done, started = 0, time.perf_counter()
    for i in range(1, count + 1):
        year, number, cumulative = issue_numbers(i)
        if (year, number) in existing:
            continue
        import_text(shifted(text, year, number, cumulative), publish=True)
        done += 1
        if progress:
            progress(i, count, time.perf_counter() - started)
    return done, time.perf_counter() - started


def search_timings(rounds: int = 5) -> list[float]:
    """Each query searched afresh every round: the outcome `search_articles` keeps until the next
    publication is left out (`_search_articles` is what it runs the first time)."""
    from portal.magazine.search import _search_articles

    timings = []
    for _round in range(rounds):
        for q in QUERIES:
            t0 = time.perf_counter()
            _search_articles(q, year=None, column_id=None)
            timings.append((time.perf_counter() - t0) * 1000)
    return sorted(timings)


def main() -> int:
    from bench.common import setup_django

    tmp = setup_django(settings_module="portal.settings.dev", temp_db_prefix="bench-magazine-")
    os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "0"
    from django.core.management import call_command

    text = seed_text()
    if text is None:
        from django.conf import settings

        sys.stdout.write(f"seed issue not found at {settings.DEMO_ISSUE_PATH}; skipped\n")
        return 0
    call_command("migrate", verbosity=0)
    from portal.core.site import ensure_site_tree
    from portal.magazine.importer.build import import_text
    from portal.magazine.models import ArticlePage
    from portal.magazine.search import segmenter

    ensure_site_tree()
    t0 = time.perf_counter()
    segmenter()
    jieba_init = time.perf_counter() - t0
    t0 = time.perf_counter()
    import_text(text, publish=True)
    first_import = time.perf_counter() - t0
    seed_articles = ArticlePage.objects.live().count()
    t0 = time.perf_counter()
    import_text(text, publish=True)
    reimport = time.perf_counter() - t0

    rows = [
        ("jieba initialisation (once per process)", f"{jieba_init:.2f} s", ""),
        (f"import seed issue, publish ({seed_articles} articles)", f"{first_import:.2f} s", "< 10 s"),
        ("re-import seed issue (update)", f"{reimport:.2f} s", "< 10 s"),
    ]
    scaled = os.environ.get("BENCH_MAGAZINE_DB")
    if scaled:
        # Search over the scaled database built by bench/scale.py (a copy: nothing is written to it).
        from django.db import connections

        connections.close_all()
        shutil.copyfile(scaled, tmp / "bench.sqlite3")
        where = "scaled database (bench/scale.py)"
    else:
        done, bulk = import_generated_issues(text, ISSUES - 1)
        rows.append((f"import {done} more issues", f"{bulk:.1f} s ({bulk / max(done, 1):.2f} s each)", ""))
        where = "this run"
    from portal.magazine.models import IssuePage

    issues = IssuePage.objects.live().count()
    articles = ArticlePage.objects.live().count()
    timings = search_timings()
    p95 = timings[int(len(timings) * 0.95) - 1]
    p50 = statistics.median(timings)
    rows += [
        (f"search p50 over {issues} issues, {articles} articles ({len(timings)} queries, {where})",
         f"{p50:.1f} ms", ""),
        (f"search p95 over {issues} issues, {articles} articles", f"{p95:.1f} ms", "< 200 ms"),
    ]
    sys.stdout.write("| measure | result | target |\n|---|---|---|\n")
    for row in rows:
        sys.stdout.write("| " + " | ".join(row) + " |\n")
    ok = first_import < 10 and p95 < 200
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
