#!/usr/bin/env python
"""Ten times the archive and the members (issue #16): the scale curve at 1×, 5×, 10×.

    DATABASE_URL=… CACHE_URL=… python bench/curve.py [--steps 1,5,10] [--issues 50] [--members 5000] [--json PATH]

For each step k the database is grown with bench/scale.py to k × the base (issues re-imported through the
magazine importer, members with five years of dues), timing the import and reading its peak memory (the
child's maximum resident set, from wait4), then settled (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite),
and gunicorn (2 workers) is driven with 10 clients: search without page cache or fragments (the ranked
outcome of a query is kept until the next publication, as after any other write), the article without the
page cache (fragments on: what logged-in visitors get) and without either, the member directory without the
page cache (its counts and choices remembered until membership data changes, as the issue prescribes) and
without either (every count and choice read from the database: linear in the members, shown for reference). Then, one at a time, searches no one made since the last publication ("search, first time": the
magazine's version is bumped first; 15 words, each alone and within two years; for reference): the full-text query itself
at this size. The target: p95 at 10× within 1.5× of 1×.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, GunicornServer, drive, drive_wrk, have_wrk, markdown_table
from bench.magazine import QUERIES

SETTLE = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE')\n"
)
COLD = {"PORTAL_PAGE_CACHE_SECONDS": 0, "PORTAL_FRAGMENT_CACHE_SECONDS": 0}
UNCACHED = {"PORTAL_PAGE_CACHE_SECONDS": 0}


def grow(issues: int, members: int) -> tuple[float, float, str]:
    """bench/scale.py to this size: (seconds, peak MB of the import process, its last line)."""
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "bench/scale.py", "--issues", str(issues), "--members", str(members)],
                               cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"scale.py failed:\n{output[-3000:]}")
    subprocess.run([PYTHON, "manage.py", "shell", "-c", SETTLE], cwd=ROOT, env=dict(os.environ), check=True,
                   capture_output=True)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output.strip().splitlines()[-1]


BUMP_MAGAZINE = "from portal.core.cache import invalidate_public_pages; invalidate_public_pages('magazine')\n"
FIRST_SEARCHES = [f"/search/?q={q}" + (f"&year={y}" if y else "") for q in QUERIES for y in ("", "2020", "2022")]


def first_searches(base_url: str) -> dict:
    """Each search once, one at a time, right after the magazine's cached outcomes were dropped."""
    subprocess.run([PYTHON, "manage.py", "shell", "-c", BUMP_MAGAZINE], cwd=ROOT, env=dict(os.environ), check=True,
                   capture_output=True)
    timings, errors = [], 0
    for path in FIRST_SEARCHES:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base_url + quote(path, safe="/?=&%:+"), timeout=30) as response:
                response.read()
        except OSError:
            errors += 1
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, max(0, -(-95 * len(timings) // 100) - 1))]  # nearest rank
    return {"rps": len(timings) / (sum(timings) / 1000), "p95": p95, "errors": errors}


def measure(urls: dict, seconds: float) -> dict:
    run = drive_wrk if have_wrk() else drive
    static_root = os.environ.get("BENCH_STATIC_ROOT") or None
    figures = {}
    for label, env, path in (("search, cold", COLD, urls["search"]), ("article, fragments", UNCACHED, urls["article"]),
                             ("article, cold", COLD, urls["article"]),
                             ("member directory, uncached", UNCACHED, "/members/"),
                             ("member directory, cold", COLD, "/members/")):
        with GunicornServer(workers=2, env_extra=env, static_root=static_root) as server:
            quoted = quote(path, safe="/?=&%:+")
            drive(server.base_url, quoted, seconds=1, concurrency=2)
            result = run(server.base_url, quoted, seconds=seconds, concurrency=10)
            figures[label] = {"rps": result.rps, "p95": result.percentile(95), "errors": result.errors}
            if label == "search, cold":
                figures["search, first time (1 client)"] = first_searches(server.base_url)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", default=os.environ.get("BENCH_CURVE", "1,5,10"))
    parser.add_argument("--issues", type=int, default=50)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
    parser.add_argument("--json")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",") if s.strip()]
    report = []
    for k in steps:
        seconds, peak, last = grow(args.issues * k, args.members * k)
        urls = json.loads(subprocess.run([PYTHON, "bench/scale.py", "--urls"], cwd=ROOT, env=dict(os.environ),
                                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        load = os.getloadavg()[0]
        figures = measure(urls, args.seconds)
        report.append({"step": k, "issues": args.issues * k, "members": args.members * k, "import_s": seconds,
                       "import_peak_mb": peak, "load": load, "figures": figures})
        print(f"{k}×: grown in {seconds:.0f} s (peak {peak:.0f} MB; {last}); load average {load:.2f}; "
              + "; ".join(f"{name} {f['rps']:.0f} req/s p95 {f['p95']:.0f} ms" for name, f in figures.items()),
              flush=True)
    first = report[0]["figures"] if report else {}
    rows = []
    for entry in report:
        cells = [f"{entry['step']}× ({entry['issues']} issues, {entry['members']:,} members)",
                 f"{entry['import_s']:.0f} s, {entry['import_peak_mb']:.0f} MB"]
        for name, f in entry["figures"].items():
            base = first.get(name, {}).get("p95") or float("nan")
            cells.append(f"{f['rps']:.0f} / {f['p95']:.0f} ({f['p95'] / base:.2f}×)")
        cells.append(f"{entry['load']:.1f}")
        rows.append(cells)
    names = list(first)
    print(markdown_table(["scale", "grown in (import), peak memory", *(f"{n}: req/s / p95 ms (vs 1×)" for n in names),
                          "load"], rows))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if any(f["errors"] for e in report for f in e["figures"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
