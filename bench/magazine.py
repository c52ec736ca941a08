"""Magazine benchmark: import of the seed issue, and Chinese search over ~50 issues (SQLite).

Run from the repo root: `python bench/magazine.py` (part of `make bench`). Uses a throw-away
SQLite database in a temporary directory; prints a Markdown table.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-magazine-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

ISSUES = int(os.environ.get("BENCH_MAGAZINE_ISSUES", "50"))
QUERIES = ["信用修复", "信义金", "村民说事", "五类主体", "小微企业", "放管服", "数博会", "信用监管", "营商环境",
           "信用示范会员单位", "陈海盛", "入会须知", "金", "信用", "量子引力波"]


def shifted(text: str, year: int, number: int, cumulative: int) -> str:
    return (text.replace("2019年第3期", f"{year}年第{number}期").replace("总第044期", f"总第{cumulative:03d}期")
            .replace("出版日期：2019年6月", f"出版日期：{year}年6月"))


def main() -> int:
    path = settings.DEMO_ISSUE_PATH
    if not path.is_file():
        sys.stdout.write(f"seed issue not found at {path}; skipped\n")
        return 0
    call_command("migrate", verbosity=0)
    from portal.core.site import ensure_site_tree
    from portal.magazine.importer.build import import_text
    from portal.magazine.models import ArticlePage
    from portal.magazine.search import search_articles, segmenter

    ensure_site_tree()
    t0 = time.perf_counter()
    segmenter()
    jieba_init = time.perf_counter() - t0
    text = path.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    import_text(text, publish=True)
    first_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    import_text(text, publish=True)
    reimport = time.perf_counter() - t0

    t0 = time.perf_counter()
    for i in range(1, ISSUES):
        year, number = 2019 - i // 6 - 1, i % 6 + 1
        import_text(shifted(text, year, number, 44 - i), publish=True)
    bulk = time.perf_counter() - t0
    articles = ArticlePage.objects.live().count()

    timings = []
    for _round in range(5):
        for q in QUERIES:
            t0 = time.perf_counter()
            search_articles(q)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    p50 = statistics.median(timings)

    rows = [
        ("jieba initialisation (once per process)", f"{jieba_init:.2f} s", ""),
        ("import seed issue, publish (23 articles)", f"{first_import:.2f} s", "< 10 s"),
        ("re-import seed issue (update)", f"{reimport:.2f} s", "< 10 s"),
        (f"import {ISSUES - 1} more issues", f"{bulk:.1f} s ({bulk / max(ISSUES - 1, 1):.2f} s each)", ""),
        (f"search p50 over {articles} articles ({len(timings)} queries)", f"{p50:.1f} ms", ""),
        (f"search p95 over {articles} articles", f"{p95:.1f} ms", "< 200 ms"),
    ]
    sys.stdout.write("| measure | result | target |\n|---|---|---|\n")
    for row in rows:
        sys.stdout.write("| " + " | ".join(row) + " |\n")
    ok = first_import < 10 and p95 < 200
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
