#!/usr/bin/env python
"""`make bench`: every figure the issues ask for, in one run, on 127.0.0.1 only.

1. Builds (in parallel, nothing is timed against a target here):
   - a migrated empty SQLite template (the per-area scripts start from copies of it) and, from it, the
     scaled SQLite database (bench/scale.py: demo + 50 issues, 5,000 members × 5 years, 500 applications);
   - when PostgreSQL binaries are installed (/usr/lib/postgresql/*/bin): PostgreSQL (+ Redis when
     `redis-server` exists) through `deploy/serve-prod.sh start` in a private directory on free ports,
     and the same scaled data in it.
2. The per-area scripts one after another (each prints its table): magazine (search measured on a copy of
   the scaled SQLite database), members, services, showcase, awards, uploads (the PDF check of issue #12),
   and any other bench/*.py.
3. bench/load.py (queries per page, then cached, uncached and cold load) against the scaled SQLite database,
   then against PostgreSQL (+ Redis); bench/mixed.py (hit ratios per family under one write a second of each
   kind) and bench/curve.py (1×, 5×, 10× the archive and members: import time and memory, p95s) against
   PostgreSQL; a summary of issue #16's load targets and the SQLite/PostgreSQL ratio per page.
The load average (`uptime`) is printed before each measurement. Everything is removed at the end
(PostgreSQL and Redis stopped). Exits non-zero when a script fails, a page answers an error or a build
does not finish in time.

    BENCH_SECONDS=5        seconds of load per URL and mode (bench/load.py)
    BENCH_NO_POSTGRES=1    skip the PostgreSQL part
    BENCH_KEEP=1           keep the temp dir (scaled SQLite database, JSON results) and PostgreSQL/Redis
                           running for a closer look (prints how to stop them)
    BENCH_SCALE="--issues 5 --members 500"   other sizes for bench/scale.py (a quick trial run)
    BENCH_CURVE=1,5,10     steps of bench/curve.py (0 skips it; 10× re-imports 500 issues: most of the run)
    BENCH_BUILD_TIMEOUT=1200, BENCH_STEP_TIMEOUT=900   seconds before a build / a script is killed
"""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from glob import glob
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
ORDER = ["magazine.py", "members.py", "services.py", "showcase.py", "awards.py", "uploads.py"]
NOT_AREA = {"run_all.py", "common.py", "load.py", "scale.py", "mixed.py", "curve.py"}  # run in step 3
LOAD_PAGES = ["home", "archive", "issue", "article", "search", "members", "units"]
BUILD_TIMEOUT = int(os.environ.get("BENCH_BUILD_TIMEOUT", "1200"))
STEP_TIMEOUT = int(os.environ.get("BENCH_STEP_TIMEOUT", "900"))
STARTED = time.monotonic()
SCALE_ARGS = shlex.split(os.environ.get("BENCH_SCALE", ""))


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


def elapsed() -> str:
    return f"{time.monotonic() - STARTED:.0f} s"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra) -> dict:
    """The caller's environment without any database/cache/settings of its own, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE", "STATIC_ROOT", "MEDIA_ROOT",
                        "PRIVATE_MEDIA_ROOT", "PORTAL_PAGE_CACHE_SECONDS"}}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(args, *, env, timeout=STEP_TIMEOUT, log=None) -> int:
    """Run a command (output to our stdout, or to `log`); the return code, or -1 on timeout."""
    try:
        return subprocess.run(args, cwd=ROOT, env=env, timeout=timeout, stdout=log, stderr=subprocess.STDOUT
                              if log else None).returncode
    except subprocess.TimeoutExpired:
        say(f"!! timed out after {timeout} s: {' '.join(map(str, args))}")
        return -1


class Postgres:
    """PostgreSQL (+ Redis) via deploy/serve-prod.sh in a private directory on free loopback ports."""

    def __init__(self, tmp: Path):
        self.dir = tmp / "prod"
        self.env = clean_env(PORTAL_PROD_DIR=self.dir, PG_PORT=free_port(), REDIS_PORT=free_port(),
                             PYTHON=PYTHON, KEEP_SERVERS="1")
        self.started = False
        self.redis = shutil.which("redis-server") is not None

    def start(self, log) -> int:
        self.started = True
        return run(["bash", "deploy/serve-prod.sh", "start"], env=self.env, timeout=BUILD_TIMEOUT, log=log)

    def site_env(self) -> dict:
        out = subprocess.run(["bash", "deploy/serve-prod.sh", "env"], cwd=ROOT, env=self.env, check=True,
                             capture_output=True, text=True).stdout
        env = clean_env()
        for line in out.splitlines():
            if line.startswith("export "):
                name, _sep, value = line.removeprefix("export ").partition("=")
                env[name] = shlex.split(value)[0] if value else ""
        if not self.redis:
            env.pop("CACHE_URL", None)
        return env

    def stop(self) -> None:
        if self.started:
            run(["bash", "deploy/serve-prod.sh", "stop"], env=self.env, timeout=120, log=subprocess.DEVNULL)


def build_sqlite(tmp: Path, template: Path, scaled: Path, results: dict) -> None:
    env = clean_env(DATABASE_URL=f"sqlite:///{template}", DJANGO_SETTINGS_MODULE="portal.settings.dev",
                    MEDIA_ROOT=tmp / "media", PRIVATE_MEDIA_ROOT=tmp / "private")
    t0 = time.monotonic()
    code = run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, timeout=BUILD_TIMEOUT)
    say(f"[sqlite] migrated template in {time.monotonic() - t0:.0f} s")
    if code == 0:
        shutil.copyfile(template, scaled)
        env["DATABASE_URL"] = f"sqlite:///{scaled}"
        code = run([PYTHON, "bench/scale.py", *SCALE_ARGS], env=env, timeout=BUILD_TIMEOUT)
    results["sqlite"] = code


QUIESCE = (  # the site's role owns its tables but may not CHECKPOINT
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('VACUUM ANALYZE')\n"
)


def build_postgres(pg: Postgres, log_path: Path, results: dict) -> None:
    with open(log_path, "w") as log:
        t0 = time.monotonic()
        code = pg.start(log)
        log.write(f"[postgres] serve-prod.sh start: {time.monotonic() - t0:.0f} s (exit {code})\n")
        log.flush()
        if code == 0:
            code = run([PYTHON, "bench/scale.py", *SCALE_ARGS], env=pg.site_env(), timeout=BUILD_TIMEOUT, log=log)
        if code == 0:  # settle the bulk load now, not during a measurement (autovacuum)
            code = run([PYTHON, "manage.py", "shell", "-c", QUIESCE], env=pg.site_env(), timeout=BUILD_TIMEOUT, log=log)
    results["postgres"] = code


def load_urls(env: dict) -> dict:
    out = subprocess.run([PYTHON, "bench/scale.py", "--urls"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_load(label: str, env: dict, tmp: Path, failed: list) -> dict:
    urls = load_urls(env)
    say(f"\n## load.py — {label}\n\npages: {json.dumps(urls, ensure_ascii=False)}")
    paths = [urls[name] for name in LOAD_PAGES]
    queries_json, load_json = tmp / f"queries-{label}.json", tmp / f"load-{label}.json"
    if run([PYTHON, "bench/load.py", "--queries", "--json", queries_json, *paths], env=env) != 0:
        failed.append(f"load.py --queries ({label})")
    say(f"\n{load_average()}")
    if run([PYTHON, "bench/load.py", "--json", load_json, *paths], env=env) != 0:
        failed.append(f"load.py ({label})")
    say(f"{load_average()}")
    read = lambda p: json.loads(p.read_text()) if p.exists() else []  # noqa: E731
    return {"urls": urls, "queries": read(queries_json), "load": read(load_json)}


def targets(label: str, data: dict, *, postgres: bool) -> list[list]:
    """Issue #16's load targets against one run's measurements (PostgreSQL + Redis; SQLite for reference)."""
    urls, rows = data["urls"], []
    load = {(r["mode"], r["url"]): r for r in data["load"]}
    queries = {r["url"]: r for r in data["queries"]}
    from urllib.parse import quote

    def q(url):
        return quote(url, safe="/?=&%:+")

    def row(target, r, met):
        rows.append([label, target, f"{r['rps']:,.0f} req/s, p95 {r['p95']:.1f} ms" if r else "not measured",
                     ("yes" if met else "no") if r else "—"])

    static = next((r for r in data["load"] if r.get("static") and r["mode"] == "cached"), None)
    cached = [load.get(("cached", urls[name])) for name in LOAD_PAGES]
    if all(cached) and static:
        worst = min(cached, key=lambda r: r["ratio"])
        n = max(queries.get(q(urls[name]), {}).get("cached", 99) for name in LOAD_PAGES)
        rows.append([label, "cached pages ≥ 60 % of the static file's rate, 0 queries",
                     f"lowest {worst['ratio']:.0%} ({worst['url']}), {n} queries", "yes" if worst["ratio"] >= 0.6
                     and n == 0 else "no"])
    r = load.get(("uncached", urls["article"]))
    row("article with fragments ≥ 250 req/s, p95 ≤ 60 ms", r, r and r["rps"] >= 250 and r["p95"] <= 60)
    r = load.get(("cold", urls["article"]))
    row("cold article ≥ 150 req/s, p95 ≤ 80 ms", r, r and r["rps"] >= 150 and r["p95"] <= 80)
    r = load.get(("cold", urls["search"]))
    row("cold search p95 ≤ 100 ms", r, r and r["p95"] <= 100)
    for name in ("members", "units"):
        r = load.get(("uncached", urls[name]))
        row(f"{name} directory uncached ≥ 150 req/s", r, r and r["rps"] >= 150)
    errors = sum(r["errors"] for r in data["load"])
    rows.append([label, "no errors", str(errors), "yes" if errors == 0 and data["load"] else "no"])
    for name, limit in (("issue", 15), ("article", 15), ("members", 10), ("units", 10)):
        n = queries.get(q(urls[name]), {}).get("cold")
        if n is not None:
            rows.append([label, f"{name} page ≤ {limit} queries (cold)", str(n), "yes" if n <= limit else "no"])
    return rows


def sqlite_ratio(sqlite: dict, postgres: dict) -> list[list]:
    """Every public page on SQLite within 2× of its PostgreSQL figure (req/s), per mode."""
    rows = []
    pg = {(r["mode"], r["url"]): r for r in postgres["load"] if not r.get("static")}
    for r in sqlite["load"]:
        other = pg.get((r["mode"], r["url"]))
        if r.get("static") or not other or not other["rps"]:
            continue
        ratio = other["rps"] / r["rps"] if r["rps"] else float("inf")
        rows.append([r["mode"], r["url"], f"{r['rps']:,.0f}", f"{other['rps']:,.0f}", f"{ratio:.2f}",
                     "yes" if ratio <= 2 else "no"])
    return rows


def main() -> int:
    sys.path.insert(0, str(ROOT))
    failed: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    tmp.chmod(0o755)  # PostgreSQL runs as the postgres user under root and must reach its directory
    template, scaled = tmp / "template.sqlite3", tmp / "scale.sqlite3"
    pg_bin = glob("/usr/lib/postgresql/*/bin/pg_ctl")
    pg = Postgres(tmp) if pg_bin and os.environ.get("BENCH_NO_POSTGRES") != "1" else None
    say(f"# make bench — {time.strftime('%Y-%m-%d %H:%M:%S')}, {load_average()}, client "
        f"{'wrk' if shutil.which('wrk') else 'python (wrk not installed)'}, temp dir {tmp}")
    if not pg:
        say("PostgreSQL binaries not found (or BENCH_NO_POSTGRES=1): the PostgreSQL part is skipped")
    try:
        # 1. builds, in parallel
        say(f"\n## building the scaled databases (SQLite{' and PostgreSQL' if pg else ''})\n")
        builds: dict = {}
        threads = [threading.Thread(target=build_sqlite, args=(tmp, template, scaled, builds))]
        if pg:
            threads.append(threading.Thread(target=build_postgres, args=(pg, tmp / "postgres-build.log", builds)))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if pg:
            say((tmp / "postgres-build.log").read_text().rstrip())
        for name, code in builds.items():
            if code != 0:
                failed.append(f"build ({name})")
        say(f"builds done at {elapsed()}, {load_average()}")

        # 2. per-area scripts
        static_root = tmp / "static"
        area_env = clean_env(BENCH_TEMPLATE_DB=template if template.exists() else "",
                             BENCH_MAGAZINE_DB=scaled if builds.get("sqlite") == 0 else "")
        for name in ORDER + sorted(p.name for p in HERE.glob("*.py") if p.name not in set(ORDER) | NOT_AREA):
            if not (HERE / name).exists():
                continue
            say(f"\n## {name} — {load_average()}\n")
            t0 = time.monotonic()
            if run([PYTHON, str(HERE / name)], env=area_env) != 0:
                failed.append(name)
            say(f"({time.monotonic() - t0:.0f} s)")

        # 3. load
        summary, runs = [], {}
        if builds.get("sqlite") == 0:
            env = clean_env(DATABASE_URL=f"sqlite:///{scaled}", MEDIA_ROOT=tmp / "media",
                            PRIVATE_MEDIA_ROOT=tmp / "private", STATIC_ROOT=static_root,
                            BENCH_STATIC_ROOT=static_root, SECRET_KEY="bench-only-" + os.urandom(16).hex())
            code = run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                       env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "ALLOWED_HOSTS": "*"})
            if code != 0:
                failed.append("collectstatic")
            runs["sqlite"] = run_load("SQLite", env, tmp, failed)
            summary += targets("SQLite", runs["sqlite"], postgres=False)
        if pg and builds.get("postgres") == 0:
            env = pg.site_env()
            env["BENCH_STATIC_ROOT"] = env["STATIC_ROOT"]  # serve-prod.sh collected it
            label = "PostgreSQL + Redis" if pg.redis else "PostgreSQL"
            runs["postgres"] = run_load(label, env, tmp, failed)
            summary += targets(label, runs["postgres"], postgres=True)
            say(f"\n## mixed.py — reads with one write a second of each kind, {load_average()}\n")
            if run([PYTHON, "bench/mixed.py", "--json", tmp / "mixed.json"], env=env) != 0:
                failed.append("mixed.py")
            if os.environ.get("BENCH_CURVE", "1,5,10") != "0":
                say(f"\n## curve.py — 1×, 5×, 10× the archive and the members, {load_average()}\n")
                if run([PYTHON, "bench/curve.py", "--json", tmp / "curve.json"], env=env,
                       timeout=int(os.environ.get("BENCH_CURVE_TIMEOUT", "7200"))) != 0:
                    failed.append("curve.py")
        from bench.common import markdown_table

        if summary:
            say(f"\n## issue #16 load targets — {load_average()}\n")
            say(markdown_table(["database", "target", "measured", "met?"], summary))
        if "sqlite" in runs and "postgres" in runs:
            say("\n## SQLite within 2× of PostgreSQL (req/s)\n")
            say(markdown_table(["mode", "page", "SQLite", "PostgreSQL", "PG / SQLite", "within 2×?"],
                               sqlite_ratio(runs["sqlite"], runs["postgres"])))
    finally:
        keep = os.environ.get("BENCH_KEEP") == "1"
        if pg and keep and pg.started:
            say(f"kept PostgreSQL/Redis running: stop with PORTAL_PROD_DIR={pg.env['PORTAL_PROD_DIR']} "
                f"PG_PORT={pg.env['PG_PORT']} REDIS_PORT={pg.env['REDIS_PORT']} deploy/serve-prod.sh stop")
        elif pg:
            pg.stop()
        if keep:
            say(f"kept {tmp} (BENCH_KEEP=1)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    say(f"\nmake bench: {elapsed()} in all")
    if failed:
        say(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
