#!/usr/bin/env python
"""Several app servers, proven (issue #16): `make scale-test`.

Starts the production profile as deploy/fault_test.py does (PostgreSQL and Redis on loopback in a private
directory, migrated, with the demo) and two gunicorn servers on two loopback ports sharing them, then checks:

  1. a publication through server A shows on server B's next request (anonymous page cache, fragments and
     the routing memo of B's workers);
  2. a session started on A continues on B (and a logout on B ends it on A);
  3. the login rate limit counts failed logins on both servers together;
  4. `run_due_jobs` started on both servers' environments at the same moment (two processes, a start
     barrier) produces each effect exactly once: the database is copied first, the job runs once on the
     copy, twice at once on the original, and every table's row count and every email must match (dues
     raised, reminders, lapses, notices closed, awards, history and audit rows, emails), on three days of
     the coming year (dues raised, notice closed and award; first reminders; second reminders).

Prints one table (PASS/FAIL) and exits 1 if any check fails (about 2 minutes). Environment: SCALE_DIR
(/tmp/portal-scale, made afresh each time: the jobs change the demo's data), SCALE_PG_PORT, SCALE_REDIS_PORT, SCALE_HTTP_PORTS,
SCALE_SMTP_PORT (54362, 63812, "8063,8064", 8065). Needs what serve-prod.sh needs and installs nothing.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("FAULT_DIR", os.environ.get("SCALE_DIR", "/tmp/portal-scale"))
os.environ.setdefault("FAULT_PG_PORT", os.environ.get("SCALE_PG_PORT", "54362"))
os.environ.setdefault("FAULT_REDIS_PORT", os.environ.get("SCALE_REDIS_PORT", "63812"))
os.environ.setdefault("FAULT_SMTP_PORT", os.environ.get("SCALE_SMTP_PORT", "8065"))
PORTS = [int(p) for p in os.environ.get("SCALE_HTTP_PORTS", "8063,8064").split(",")]
os.environ.setdefault("FAULT_HTTP_PORT", str(PORTS[0]))
# Staff log in with a password only here (the TOTP step is not what this test is about).
os.environ["PORTAL_REQUIRE_STAFF_MFA"] = "0"

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fault_test as ft  # noqa: E402  (the same scaffolding, pointed at this test's directory and ports)
from fault_test import PY, ROOT, Browser, Gunicorn, SmtpSink, record, say  # noqa: E402

A, B = PORTS
CHIEF, FIRM_A = "chief@demo.zjxyxh.org", "firm-a@demo.zjxyxh.org"
GUESSED = "expert3@demo.zjxyxh.org"  # the account whose login the rate-limit check locks for 5 minutes
SINGLE_DB = "portal_single"


def manage_shell(env: dict, code: str) -> str:
    result = subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    if result.returncode:
        raise SystemExit(f"manage.py shell failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def psql(sql: str, database: str = "portal") -> str:
    result = subprocess.run([ft.psql_path(), "-h", "127.0.0.1", "-p", str(ft.PG_PORT), "-U", "postgres", "-d",
                             database, "-qtAX", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True,
                            timeout=120)
    if result.returncode:
        raise SystemExit(f"psql failed: {result.stderr}")
    return result.stdout.strip()


# -- 1. publication --------------------------------------------------------------------------------------

PREPARE_DRAFT = """
from portal.magazine.models import ArticlePage, IssuePage
issue = IssuePage.objects.live().get(year=2019, number=3)
article = ArticlePage.objects.live().child_of(issue).order_by("path")[2]
draft = article.get_latest_revision_as_object()
draft.title = article.title.split("（")[0] + "（{mark}）"
draft.save_revision()
print(issue.pk, article.url, issue.url)
"""


def check_publication(env: dict) -> None:
    s = "publication on A, read on B"
    mark = f"规模测试{time.strftime('%H%M%S')}"
    issue_pk, article_url, issue_url = manage_shell(env, PREPARE_DRAFT.replace("{mark}", mark)).split()[-3:]
    anonymous_b, member_b = Browser(B), Browser(B)
    member_b.login(FIRM_A)
    for url in (article_url, issue_url, "/"):  # B's page cache, fragments and memos hold the old version
        anonymous_b.get(url)
        member_b.get(url)
    before = anonymous_b.get(article_url)
    chief = Browser(A)
    login = chief.login(CHIEF)
    published = chief.submit(f"/admin/magazine/issue/{issue_pk}/publish/", {})
    after_anonymous = anonymous_b.get(article_url)
    after_member = member_b.get(article_url)
    issue_page = anonymous_b.get(issue_url)
    record(s, "chief editor publishes the issue's draft article through A",
           f"login {login.status}, publish {published.status} → {published.header('location')}",
           login.status == 302 and published.status == 302)
    record(s, "B's next anonymous request shows it (was a page-cache hit before)",
           f"before: {before.header('x-page-cache') or '-'}, after: {after_anonymous.status} "
           f"{after_anonymous.header('x-page-cache') or '-'}, new title {'shown' if mark in after_anonymous.body else 'MISSING'}",
           before.header("x-page-cache") == "hit" and mark not in before.body and mark in after_anonymous.body)
    record(s, "B's next logged-in request (fragments, routing memo) and the issue's contents show it",
           f"article {'shown' if mark in after_member.body else 'MISSING'}, issue contents "
           f"{'shown' if mark in issue_page.body else 'MISSING'}", mark in after_member.body and mark in issue_page.body)


# -- 2. sessions -------------------------------------------------------------------------------------------

def check_sessions() -> None:
    s = "session across servers"
    visitor = Browser(A)
    login = visitor.login(FIRM_A)
    visitor.port = B
    on_b = visitor.get("/account/")
    record(s, "logged in on A, /account/ on B", f"login {login.status}, B answers {on_b.status}",
           login.status == 302 and on_b.status == 200)
    logout = visitor.submit("/account/", {}, post_path="/accounts/logout/")
    visitor.port = A
    on_a = visitor.get("/account/")
    record(s, "logged out on B, /account/ on A", f"logout {logout.status}, A answers {on_a.status} → "
           f"{on_a.header('location')}", on_a.status == 302 and "/accounts/login/" in on_a.header("location"))


# -- 3. rate limit -----------------------------------------------------------------------------------------

def check_rate_limit() -> None:
    s = "login rate limit across servers"
    statuses = []
    for n in range(5):  # 5 failures per 5 minutes per address and account: 3 on A, 2 on B
        attempt = Browser(A if n % 2 == 0 else B).submit(
            "/accounts/login/", {"login": GUESSED, "password": f"wrong-{n}"})
        statuses.append(attempt.status)
    right = Browser(B).submit("/accounts/login/", {"login": GUESSED, "password": ft.DEMO_PASSWORD})
    refused = right.status == 200 and "登录失败次数过多" in right.body
    record(s, "5 wrong passwords alternating A and B, then the right one on B",
           f"failures answered {statuses}; right password {'refused (too many failures)' if refused else right.status}",
           statuses == [200] * 5 and refused)


# -- 4. run_due_jobs exactly once --------------------------------------------------------------------------

JOB = """
import os, sys, time
import django
django.setup()
from django.core.management import call_command
time.sleep(max(0.0, float(os.environ["SCALE_START_AT"]) - time.time()))
call_command("run_due_jobs", today=sys.argv[1])
"""


def run_jobs(envs: list[dict], day: str) -> list[tuple[int, str]]:
    """run_due_jobs in one process per environment, all starting at the same moment."""
    start_at = time.time() + 4  # after Django has started in every process
    processes = [subprocess.Popen([PY, "-c", JOB, day], cwd=ROOT, env={**env, "SCALE_START_AT": str(start_at)},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for env in envs]
    return [(p.wait(300), p.stdout.read()) for p in processes]


def table_counts(database: str) -> dict[str, int]:
    tables = psql("select tablename from pg_tables where schemaname = 'public' order by 1", database).split()
    query = " union all ".join(f"select '{t}', count(*) from \"{t}\"" for t in tables)
    return {name: int(n) for name, n in (line.split("|") for line in psql(query, database).splitlines())}


def mails(messages: list[str]) -> Counter:
    """(recipients, subject) of each delivered email."""
    found = Counter()
    for raw in messages:
        message = email.message_from_string(raw, policy=email.policy.default)
        found[(str(message["To"]), str(message["Subject"]))] += 1
    return found


EFFECTS = {  # readable names of tables the jobs write (others are compared all the same)
    "members_duesitem": "dues items", "members_duesreminder": "dues reminders",
    "members_membershipevent": "membership events (lapses)", "showcase_awards_title": "titles awarded",
    "core_outboundemail": "emails queued", "wagtailcore_modellogentry": "audit entries",
}


def check_jobs(env: dict) -> None:
    s = "run_due_jobs on both servers at once"
    env = {**env, "PORTAL_EMAIL_IN_BACKGROUND": "0"}  # sent before the process ends, so they can be counted
    single_env = {**env, "DATABASE_URL": env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{SINGLE_DB}"}
    psql(f"drop database if exists {SINGLE_DB}", "postgres")
    psql(f"create database {SINGLE_DB} owner portal template portal", "postgres")
    year = datetime.date.today().year + 1
    days = [f"{year}-02-01", f"{year}-11-15", f"{year}-12-15"]
    sink = SmtpSink()
    try:
        for day in days:
            start = len(sink.messages)
            single = run_jobs([single_env], day)
            middle = len(sink.messages)
            both = run_jobs([env, env], day)
            codes = [code for code, _out in single + both]
            lines = [line for _code, out in single for line in out.splitlines() if line.startswith("[")]
            say(f"{day}: " + "; ".join(lines))
            counts_single, counts_both = table_counts(SINGLE_DB), table_counts("portal")
            differing = {t: (counts_single.get(t), counts_both.get(t)) for t in counts_single.keys() | counts_both.keys()
                         if counts_single.get(t) != counts_both.get(t)}
            once, twice = mails(sink.messages[start:middle]), mails(sink.messages[middle:])
            duplicates = [key for key, n in twice.items() if n > 1]
            record(s, f"{day}: both processes finish", f"exit codes {codes}", codes == [0, 0, 0])
            record(s, f"{day}: every table as after one run",
                   "row counts equal in all tables" if not differing else
                   "; ".join(f"{t}: {a} once, {b} twice at once" for t, (a, b) in sorted(differing.items())),
                   not differing)
            record(s, f"{day}: each email sent once", f"{sum(once.values())} after one run, {sum(twice.values())} "
                   f"after two at once" + (f"; duplicates: {duplicates[:3]}" if duplicates else ""),
                   once == twice and not duplicates)
            effects = ", ".join(f"{label} {counts_both.get(t, 0)}" for t, label in EFFECTS.items() if t in counts_both)
            say(f"  after {day}: {effects}")
        # Something must have happened, or the check proves nothing.
        record(s, "the three days had work to do (dues raised, notice closed, award, reminders, emails)",
               ", ".join(f"{label} {counts_both.get(t, 0)}" for t, label in EFFECTS.items() if t in counts_both)
               + f", emails delivered {len(sink.messages)}", len(sink.messages) > 0)
    finally:
        sink.stop()
        psql(f"drop database if exists {SINGLE_DB}", "postgres")


def main() -> int:
    started = time.monotonic()
    if ft.RUN_DIR.exists():  # the jobs change the demo's data: always start from a fresh demo
        ft.serve_prod("stop", check=False)
        shutil.rmtree(ft.RUN_DIR)
    say(f"preparing the production profile in {ft.RUN_DIR} (PostgreSQL :{ft.PG_PORT}, Redis :{ft.REDIS_PORT})")
    prepared = ft.serve_prod("start", check=False)
    if prepared.returncode:
        print(prepared.stdout + prepared.stderr)
        return 1
    env = ft.site_env()
    env.update(WEB_CONCURRENCY="2", GUNICORN_THREADS="2")
    servers = []
    try:
        say(f"two servers: A on :{A}, B on :{B} (2 workers x 2 threads each), sharing PostgreSQL and Redis")
        servers = [Gunicorn(env, port=A, log_name="gunicorn-a.log"), Gunicorn(env, port=B, log_name="gunicorn-b.log")]
        check_publication(env)
        check_sessions()
        check_rate_limit()
        for server in servers:  # the databases are copied next: no connections may be open
            server.stop()
        servers = []
        check_jobs(env)
    finally:
        for server in servers:
            server.stop()
        ft.serve_prod("stop", check=False)
    print()
    print("| scenario | check | figures | result |")
    print("|---|---|---|---|")
    for row in ft.ROWS:
        print(f"| {row.scenario} | {row.check} | {row.figure} | {'PASS' if row.ok else '**FAIL**'} |")
    failed = [row for row in ft.ROWS if not row.ok]
    say(f"{len(ft.ROWS) - len(failed)} of {len(ft.ROWS)} checks passed in {time.monotonic() - started:.0f} s "
        f"(logs in {ft.RUN_DIR})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
