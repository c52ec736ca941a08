#!/usr/bin/env python
"""Load benchmark: gunicorn (2 workers) on 127.0.0.1 against the current DATABASE_URL.

    python bench/load.py                       # default pages, 5 s each, 10 clients, every mode
    python bench/load.py --seconds 10 /magazine/2019-3/ /magazine/2019-3/some-article/
    python bench/load.py --queries             # DB queries per URL (Django test client), no server
    DATABASE_URL=postgres://... python bench/load.py

For every URL it prints requests/s, p50, p95, errors and the ratio to a static
file (WhiteNoise, same server, same run) as a Markdown table — once per mode
(see MODES: page cache on; page cache off; page cache and fragments off).
Exits non-zero on any error response. Load comes from `wrk` when installed
(`--client wrk`), else from the built-in asyncio HTTP/1.1 keep-alive client
(installs nothing); the same client drives every row, so ratios compare like
with like. The database must be migrated and hold the demo (`--prepare` runs
migrate + load_demo first). The demo's size is the other benchmarks' business.
"""

import argparse
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    GunicornServer,
    drive,
    drive_wrk,
    have_wrk,
    manage,
    markdown_table,
    production_env,
)

DEFAULT_URLS = ["/", "/magazine/", "/search/?q=信用", "/members/", "/showcase/units/"]
STATIC_FILE = "css/portal.css"


def say(text: str = "", stream=sys.stdout) -> None:
    stream.write(text + "\n")
    stream.flush()


def quote(url: str) -> str:
    from urllib.parse import quote as q

    return q(url, safe="/?=&%:+")


# Modes: the anonymous page cache on ("cached"); off, with fragments and the routing memo as
# every logged-in visitor gets them ("uncached"); and with neither ("cold", the worst case:
# every page rendered from the database). Fragments need Redis: without it production
# settings turn them off and "uncached" is "cold".
MODES = {
    "cached": {"PORTAL_PAGE_CACHE_SECONDS": 300},
    "uncached": {"PORTAL_PAGE_CACHE_SECONDS": 0},
    "cold": {"PORTAL_PAGE_CACHE_SECONDS": 0, "PORTAL_FRAGMENT_CACHE_SECONDS": 0},
}


def run_mode(label: str, urls: list[str], args, env_extra: dict, report: list) -> tuple[list[list], int]:
    errors = 0
    static_root = os.environ.get("BENCH_STATIC_ROOT") or None  # collected once by bench/run_all.py
    with GunicornServer(workers=args.workers, env_extra=env_extra, static_root=static_root,
                        clients=args.concurrency) as server:
        static = server.static_url(STATIC_FILE)
        rows = []
        results = []
        for url in [*urls, static]:
            path = quote(url)
            drive(server.base_url, path, seconds=args.warmup, concurrency=2)  # warm up (and fill the cache)
            if args.client == "wrk":
                result = drive_wrk(server.base_url, path, seconds=args.seconds, concurrency=args.concurrency)
            else:
                result = drive(server.base_url, path, seconds=args.seconds, concurrency=args.concurrency)
            if not result.latencies:
                result.errors += 1  # not one response in the whole run counts as a failure
            if not result.headers:  # wrk does not report headers: look at one response's
                try:
                    with urllib.request.urlopen(server.base_url + path, timeout=10) as response:
                        result.headers = {k.lower(): v for k, v in response.headers.items()}
                except OSError:
                    pass
            results.append((url, result))
        static_rps = results[-1][1].rps or float("nan")
        for url, result in results:
            errors += result.errors
            statuses = ",".join(f"{s}×{n}" for s, n in sorted(result.statuses.items()))
            report.append({
                "mode": label, "url": url, "static": url == static, "rps": result.rps,
                "p50": result.percentile(50), "p95": result.percentile(95), "errors": result.errors,
                "ratio": result.rps / static_rps, "cache": result.headers.get("x-page-cache", "-"),
            })
            rows.append([
                f"`{url}`" + (" (static)" if url == static else ""),
                f"{result.rps:,.0f}", f"{result.percentile(50):.1f}", f"{result.percentile(95):.1f}",
                result.errors, statuses, f"{result.rps / static_rps:.0%}",
                result.headers.get("x-page-cache", "-"),
            ])
    say(f"\n### {label} ({', '.join(f'{k}={v}' for k, v in env_extra.items())})\n")
    say(markdown_table(["URL", "req/s", "p50 ms", "p95 ms", "errors", "statuses", "vs static", "X-Page-Cache"], rows))
    return rows, errors


QUERIES_CODE = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from portal.core.cache import clear_near_caches

out = []
for url in json.loads(sys.argv[1]):
    row = {"url": url}
    for label, seconds, fragments in (("cold", 0, 0), ("uncached", 0, 3600), ("cached", 300, 3600)):
        with override_settings(PORTAL_PAGE_CACHE_SECONDS=seconds, PORTAL_FRAGMENT_CACHE_SECONDS=fragments):
            cache.clear()
            clear_near_caches()
            client = Client(HTTP_HOST="127.0.0.1")
            client.get(url)  # warm up (imports, jieba dictionary, cache fill)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
        row[label] = len(ctx.captured_queries)
        row[label + "_status"] = response.status_code
    out.append(row)
print(json.dumps(out))
"""


def run_queries(urls: list[str], report: list) -> int:
    env = production_env(STATIC_ROOT=os.environ.get("STATIC_ROOT", "/nonexistent"))
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"  # DEBUG off is not needed to count queries
    result = subprocess.run([PYTHON, "-c", QUERIES_CODE, json.dumps([quote(u) for u in urls])], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    rows, errors = [], 0
    for row in json.loads(result.stdout.strip().splitlines()[-1]):
        bad = any(row[f"{mode}_status"] >= 400 for mode in ("cold", "uncached", "cached"))
        errors += bad
        report.append(row)
        rows.append([f"`{row['url']}`", row["cold"], row["uncached"], row["cached"],
                     f"{row['cold_status']}/{row['uncached_status']}/{row['cached_status']}"])
    say("\n### Queries per request (Django test client, warm)\n")
    say(markdown_table(["URL", "queries cold", "queries uncached", "queries cached", "status"], rows))
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="*", help=f"paths to measure (default: {' '.join(DEFAULT_URLS)})")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=["all", *MODES], default="all")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if have_wrk() else "python",
                        help="load generator (default: wrk when installed)")
    parser.add_argument("--queries", action="store_true", help="count DB queries per URL instead of load")
    parser.add_argument("--prepare", action="store_true", help="migrate and load the demo first")
    parser.add_argument("--json", metavar="PATH", help="also write the measurements to PATH (JSON)")
    args = parser.parse_args()
    urls = args.urls or DEFAULT_URLS
    report: list[dict] = []

    def write_json():
        if args.json:
            Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1))

    database = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}").split("@")[-1]
    if args.prepare:
        manage("migrate", "--noinput", "-v", "0")
        manage("load_demo", env={**production_env(), "DJANGO_SETTINGS_MODULE": "portal.settings.dev"})
    if args.queries:
        errors = run_queries(urls, report)
        write_json()
        return 1 if errors else 0
    say(f"Load: {args.concurrency} concurrent clients, {args.seconds:g} s per URL, gunicorn {args.workers} "
          f"workers (gthread), database {database}, client {args.client}")
    errors = 0
    for label, env_extra in MODES.items():
        if args.mode in ("all", label):
            errors += run_mode(label, urls, args, env_extra, report)[1]
    write_json()
    if errors:
        say(f"\n{errors} error response(s)", sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
