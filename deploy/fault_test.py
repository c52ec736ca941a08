#!/usr/bin/env python
"""Fault injection against the production profile (issue #18): `make fault-test`.

Starts what `deploy/serve-prod.sh start` starts — PostgreSQL and Redis on loopback in a private
directory, migrated, with the demo — plus gunicorn (2 workers x 4 threads) with SMTP mail to a
port this script controls, then makes each dependency fail and measures what visitors get:

  Redis refused (stopped), Redis hung (SIGSTOP), Redis restarted, a flood of distinct URLs
  into a Redis with 3 MB of memory, PostgreSQL hung (every server process SIGSTOPped),
  PostgreSQL waiting on a lock, SMTP refused (no listener), SMTP hung (accepts, never answers).

Prints one table (figures, PASS/FAIL) and exits 1 if any check fails. Environment:
FAULT_DIR (/tmp/portal-fault; reused when present, FAULT_FRESH=1 starts over), FAULT_PG_PORT,
FAULT_REDIS_PORT, FAULT_HTTP_PORT, FAULT_SMTP_PORT (54361, 63811, 8061, 8062). Needs what
serve-prod.sh needs (Debian's postgresql and redis-server) and installs nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = os.environ.get("PYTHON") or str(ROOT / ".venv" / "bin" / "python")
RUN_DIR = Path(os.environ.get("FAULT_DIR", "/tmp/portal-fault"))
PG_PORT = int(os.environ.get("FAULT_PG_PORT", "54361"))
REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "63811"))
HTTP_PORT = int(os.environ.get("FAULT_HTTP_PORT", "8061"))
SMTP_PORT = int(os.environ.get("FAULT_SMTP_PORT", "8062"))
WORKERS, THREADS = 2, 4
EMAIL_TIMEOUT = 5
DEMO_PASSWORD = "demo-2026"
FIRM_A, FIRM_B = "firm-a@demo.zjxyxh.org", "firm-b@demo.zjxyxh.org"
RUN_ID = time.strftime("%H%M%S")

PAGES = ["/", "/magazine/", "/magazine/2019-3/", "/search/?q=信用修复", "/members/", "/showcase/units/"]


def say(text: str) -> None:
    print(f"[fault-test] {text}", flush=True)


# -- results ---------------------------------------------------------------------------------------------

@dataclass
class Row:
    scenario: str
    check: str
    figure: str
    ok: bool


ROWS: list[Row] = []


def record(scenario: str, check: str, figure: str, ok: bool) -> None:
    ROWS.append(Row(scenario, check, figure, ok))
    say(f"{'PASS' if ok else 'FAIL'}  {scenario}: {check} — {figure}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def spread(times: list[float]) -> str:
    if not times:
        return "no requests"
    return f"median {ms(statistics.median(times))}, max {ms(max(times))}"


# -- HTTP ----------------------------------------------------------------------------------------------

@dataclass
class Response:
    status: int  # 0: no answer (timeout, connection error)
    headers: dict
    body: str
    seconds: float

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class Browser:
    """One visitor: keeps cookies (the session, the CSRF token) across requests (to `port`, or to
    the server its `port` attribute names at the time: deploy/scale_test.py switches it)."""

    def __init__(self, port: int | None = None):
        self.cookies: dict[str, str] = {}
        self.port = port

    def request(self, method: str, path: str, data: dict | None = None, timeout: float = 30) -> Response:
        port = self.port or HTTP_PORT
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {"Host": f"127.0.0.1:{port}", "User-Agent": "portal-fault-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            conn.request(method, quote_path(path), body=body, headers=headers)
            raw = conn.getresponse()
            content = raw.read().decode("utf-8", "replace")
        except OSError:
            return Response(0, {}, "", time.perf_counter() - started)
        finally:
            conn.close()
        seconds = time.perf_counter() - started
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                val = rest.split(";", 1)[0]
                if val in ("", '""') or "max-age=0" in value.lower():
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, content, seconds)

    def get(self, path: str, timeout: float = 30) -> Response:
        return self.request("GET", path, timeout=timeout)

    def submit(self, form_path: str, data: dict, post_path: str | None = None) -> Response:
        """GET a form page, then POST `data` with its CSRF token (timing the POST)."""
        page = self.get(form_path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        token = match.group(1) if match else ""
        return self.request("POST", post_path or form_path, {**data, "csrfmiddlewaretoken": token})

    def login(self, email: str) -> Response:
        return self.submit("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})

    def logged_in(self) -> bool:
        return self.get("/account/").status == 200


def quote_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/?=&%:+")


def anonymous(path: str, timeout: float = 30) -> Response:
    return Browser().get(path, timeout=timeout)


def health() -> dict:
    response = anonymous("/healthz", timeout=30)
    try:
        return {"http": response.status, **json.loads(response.body)}
    except ValueError:
        return {"http": response.status}


# -- servers ---------------------------------------------------------------------------------------------

def serve_prod(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "deploy" / "serve-prod.sh"), *args], env=env or base_env(), check=check,
                          text=True, capture_output=True)


def base_env() -> dict:
    return {**os.environ, "PORTAL_PROD_DIR": str(RUN_DIR), "PG_PORT": str(PG_PORT), "REDIS_PORT": str(REDIS_PORT),
            "PORT": str(HTTP_PORT), "PYTHON": PY}


def site_env() -> dict:
    """The production settings gunicorn and run_due_jobs run with (serve-prod.sh's, mail to our port)."""
    env = dict(base_env())
    for line in serve_prod("env").stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = shlex.split(value)[0] if value else ""
    env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(SMTP_PORT), EMAIL_USE_TLS="0", EMAIL_TIMEOUT=str(EMAIL_TIMEOUT),
        WEB_CONCURRENCY=str(WORKERS), GUNICORN_THREADS=str(THREADS), GUNICORN_MAX_REQUESTS="0",
        GUNICORN_ACCESS_LOG=str(RUN_DIR / "access.log"), GUNICORN_LOG_LEVEL="warning",
    )
    return env


class Gunicorn:
    def __init__(self, env: dict, port: int | None = None, log_name: str = "gunicorn.log"):
        port = port or HTTP_PORT
        self.log = open(RUN_DIR / log_name, "a")
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind",
             f"127.0.0.1:{port}", "--chdir", str(ROOT), "portal.wsgi"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {RUN_DIR / log_name}")
            if Browser(port).get("/healthz", timeout=5).status == 200:
                return
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 90 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 fault-test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.strip().split(b" ", 1)[0].upper()
            if command in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 fault-test\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 end with <CRLF>.<CRLF>\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                self.server.messages.append(b"".join(lines).decode("utf-8", "replace"))
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 OK\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    """A mail server that accepts everything and keeps the messages."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", SMTP_PORT), _SmtpHandler)
        self.messages: list[str] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()


class HungSmtp:
    """Accepts connections and never says a word (a mail server that hangs)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", SMTP_PORT), reuse_port=False)
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def stop(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept(), frees the port
        except OSError:
            pass
        self.sock.close()
        for conn in self.connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()


def redis_cli(*args: str) -> str:
    return subprocess.run(["redis-cli", "-p", str(REDIS_PORT), *args], capture_output=True, text=True).stdout.strip()


def redis_pid() -> int:
    return int((RUN_DIR / "redis.pid").read_text().strip())


def postgres_pids() -> list[int]:
    """The postmaster and its children (backends, background workers), from /proc."""
    postmaster = int((RUN_DIR / "pgdata" / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:  # the parent pid
            children.append(int(stat.parent.name))
    return [postmaster, *children]


STOPPED: list[int] = []


def stop_processes(pids: list[int]) -> None:
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
        STOPPED.append(pid)


def continue_processes() -> None:
    while STOPPED:
        try:
            os.kill(STOPPED.pop(), signal.SIGCONT)
        except ProcessLookupError:
            pass


def psql_path() -> str:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"), reverse=True):
        return str(candidate)
    return shutil.which("psql") or "psql"


def run_due_jobs(env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([PY, "manage.py", "run_due_jobs"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    return time.perf_counter() - started, (result.stdout + result.stderr).strip()


def wait_until(predicate, seconds: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


# -- the scenarios -----------------------------------------------------------------------------------------

def cache_answers() -> bool:
    """The page cache works again (the workers' breakers closed): a page is stored, then hit."""
    anonymous("/")
    return anonymous("/").header("x-page-cache") == "hit"


def measure_pages(scenario: str, label: str, pages=PAGES, rounds: int = 3, expect=200, limit: float = 1.0,
                  browser: Browser | None = None) -> list[float]:
    times, statuses = [], []
    for _ in range(rounds):
        for path in pages:
            response = browser.get(path) if browser else anonymous(path)
            times.append(response.seconds)
            statuses.append(response.status)
    bad = sorted({s for s in statuses if s != expect})
    ok = not bad and max(times) < limit
    record(scenario, f"{label}: {len(times)} requests answer {expect}", f"{spread(times)}"
           + (f"; other statuses {bad}" if bad else ""), ok)
    return times


def scenario_baseline(firm: Browser) -> None:
    s = "baseline"
    for path in PAGES:  # fill the page cache
        anonymous(path)
    measure_pages(s, "anonymous pages (page cache)", limit=1.0)
    measure_pages(s, "logged-in pages (no page cache)", rounds=2, browser=firm, limit=2.0)
    state = health()
    record(s, "/healthz", f"{state.get('http')} {state.get('status')}", state.get("status") == "ok")
    sink = SmtpSink()
    try:
        user_actions(s, "baseline")
        delivered = wait_until(lambda: outbox().get("pending") == 0 and len(sink.messages) >= 3, EMAIL_TIMEOUT + 5)
        record(s, "emails sent right after commit", f"{len(sink.messages)} delivered, "
               f"{outbox().get('pending')} pending", delivered)
    finally:
        sink.stop()


def scenario_redis_refused() -> None:
    s = "Redis refused"
    redis_cli("shutdown", "nosave")
    wait_until(lambda: redis_cli("ping") != "PONG", 5)
    measure_pages(s, "anonymous pages, uncached", limit=1.0)
    missing = anonymous("/no-such-page/")
    record(s, "unknown URL: Chinese 404 page", f"{missing.status} in {ms(missing.seconds)}",
           missing.status == 404 and "页面不存在" in missing.body)
    visitor = Browser()
    login = visitor.login(FIRM_B)
    record(s, "login (rate limits kept per process)", f"{login.status} → {login.header('location')} in "
           f"{ms(login.seconds)}", login.status == 302 and visitor.logged_in())
    state = health()
    record(s, "/healthz names the cache", f"{state.get('http')} {state.get('status')}, cache ok="
           f"{state.get('checks', {}).get('cache', {}).get('ok')}",
           state.get("http") == 200 and state.get("status") == "degraded")
    serve_prod("redis")
    wait_until(lambda: redis_cli("ping") == "PONG", 10)


def scenario_redis_hung() -> None:
    s = "Redis hung"
    wait_until(cache_answers, 15)
    for path in PAGES:
        anonymous(path)
    stop_processes([redis_pid()])
    try:
        times = measure_pages(s, "anonymous pages, uncached", rounds=4, limit=1.5)
        slow = sum(1 for t in times if t > 0.45)
        record(s, "requests that waited for Redis' 0.5 s timeout", f"{slow} of {len(times)} "
               f"(at most one per worker per 5 s)", slow <= WORKERS * 2)
        visitor = Browser()
        login = visitor.login(FIRM_B)
        record(s, "login", f"{login.status} in {ms(login.seconds)}", login.status == 302 and visitor.logged_in())
        state = health()
        record(s, "/healthz names the cache", f"{state.get('http')} {state.get('status')}",
               state.get("http") == 200 and state.get("status") == "degraded")
    finally:
        continue_processes()
    started = time.monotonic()
    recovered = wait_until(cache_answers, 15)
    record(s, "page cache back after SIGCONT", f"after {time.monotonic() - started:.1f} s (retry every 5 s)",
           recovered)


def scenario_redis_restart(firm: Browser) -> None:
    s = "Redis restart"
    before = firm.logged_in()
    redis_cli("shutdown", "nosave")
    wait_until(lambda: redis_cli("ping") != "PONG", 5)
    serve_prod("redis")
    wait_until(lambda: redis_cli("ping") == "PONG", 10)
    after = firm.logged_in()
    record(s, "logged-in visitor keeps the session", f"before {before}, after restart {after}", before and after)


def cache_versions() -> str:
    keys = sorted(redis_cli("--scan", "--pattern", "*portal:pagecache:version:*").split())
    return redis_cli("--no-raw", "mget", *keys) if keys else ""  # pickled values, escaped as text


def settle_workers(rounds: int = 4) -> bool:
    """Every worker has seen Redis answer again. Each worker's breaker closes on its own next probe
    (at most RETRY_AFTER seconds apart) and bumps every family version once when it does, so a worker
    that served nothing since the restart would do it in the middle of the next scenario. Bursts of
    concurrent requests reach every worker; the versions are settled once a burst after the retry
    interval changes nothing."""
    def burst() -> None:
        threads = [threading.Thread(target=anonymous, args=("/",)) for _ in range(WORKERS * THREADS * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    for _ in range(rounds):
        burst()
        before = cache_versions()
        time.sleep(6)  # RETRY_AFTER is 5 s
        burst()
        if cache_versions() == before:
            return True
    return False


def page_entries() -> int:
    return len(redis_cli("--scan", "--pattern", "*portal:pagecache:*").split())


def scenario_flood(firm: Browser, other: Browser) -> None:
    s = "URL flood"
    issue = anonymous("/magazine/2019-3/").body
    articles = sorted(set(re.findall(r'href="(/magazine/2019-3/[\w-]+/)"', issue)))
    wait_until(cache_answers, 15)
    settled = settle_workers()
    for path in articles:
        anonymous(path)
    names_before = set(redis_cli("--scan").split())
    keys_before, pages_before = len(names_before), page_entries()
    for n in range(200):  # query strings the pages do not read: answered from the entry without them
        anonymous(f"{articles[n % len(articles)]}?utm_source=crawler&n={n}")
    names_after = set(redis_cli("--scan").split())
    keys_after, pages_after = len(names_after), page_entries()
    new = sorted(names_after - names_before)
    record(s, f"200 requests for the {len(articles)} articles with junk query strings",
           f"Redis keys {keys_before} → {keys_after}{' (new: ' + ', '.join(new[:5]) + ')' if new else ''}, "
           f"cached pages {pages_before} → {pages_after}{'' if settled else ', page-cache versions still changing'}",
           settled and pages_before > len(articles) and not new and pages_after == pages_before)
    redis_cli("config", "set", "maxmemory", "3mb")
    try:
        evicted_before = int(re.search(r"evicted_keys:(\d+)", redis_cli("info", "stats")).group(1))
        statuses = set()
        for n in range(300):  # distinct searches are distinct pages: they fill the cache
            statuses.add(anonymous(f"/search/?q=信用{n}").status)
        evicted = int(re.search(r"evicted_keys:(\d+)", redis_cli("info", "stats")).group(1)) - evicted_before
        version = redis_cli("--scan", "--pattern", "*portal:pagecache:version*")
        kept = firm.logged_in() and other.logged_in()
        record(s + ", Redis maxmemory 3 MB", "300 distinct searches: sessions and the page-cache version survive",
               f"{evicted} keys evicted, statuses {sorted(statuses)}, both sessions kept: {kept}, "
               f"version key kept: {bool(version)}", kept and bool(version) and statuses == {200} and evicted > 0)
    finally:
        redis_cli("config", "set", "maxmemory", "256mb")


def scenario_postgres_hung(firm: Browser) -> None:
    s = "PostgreSQL hung (SIGSTOP)"
    for path in PAGES:
        anonymous(path)
    stop_processes(postgres_pids())
    results: list[Response] = []
    try:
        # As many logged-in (database) requests as there are threads: every thread waits on the
        # database until the deadline, so cached pages queue for a free thread meanwhile.
        slow = [threading.Thread(target=lambda: results.append(firm.get("/account/", timeout=30)))
                for _ in range(THREADS * WORKERS)]
        for thread in slow:
            thread.start()
        time.sleep(0.3)
        measure_pages(s, "cached pages while all 8 threads wait on the database", rounds=1, limit=8.0)
        for thread in slow:
            thread.join(40)
        times = [r.seconds for r in results]
        statuses = sorted({r.status for r in results})
        record(s, f"{len(results)} concurrent logged-in requests fail with 503",
               f"statuses {statuses}, {spread(times)} (deadlines: 3 s to connect or check a connection, "
               f"7 s per statement)", statuses == [503] and max(times) < 8)
        measure_pages(s, "cached pages once the database is being skipped", limit=1.0)
        pages = [firm.get("/account/") for _ in range(10)]
        times = [p.seconds for p in pages]
        probes = sum(1 for t in times if t >= 1)  # a worker's one probe per 5 s (3 s connect timeout)
        page = min(pages, key=lambda p: p.seconds)
        record(s, "10 more logged-in requests: Chinese 503 page with Retry-After, at once",
               f"statuses {sorted({p.status for p in pages})}, {spread(times)}, {probes} probing the database; "
               f"Retry-After {page.header('retry-after')}",
               all(p.status == 503 for p in pages) and probes <= WORKERS and statistics.median(times) < 0.5
               and page.header("retry-after") == "30" and "服务暂时不可用" in page.body)
        state = health()
        record(s, "/healthz", f"{state.get('http')} {state.get('status')}",
               state.get("http") == 503 and state.get("status") == "unavailable")
    finally:
        continue_processes()
    started = time.monotonic()
    recovered = wait_until(lambda: firm.get("/account/").status == 200, 20, step=0.5)
    record(s, "logged-in pages back after SIGCONT", f"after {time.monotonic() - started:.1f} s (retry every 5 s)",
           recovered)


def scenario_postgres_lock(firm: Browser) -> None:
    s = "PostgreSQL lock wait"
    holder = subprocess.Popen(
        [psql_path(), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "portal", "-qc",
         "BEGIN; LOCK TABLE wagtailcore_page IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(9); COMMIT;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        page = firm.get("/magazine/2019-3/", timeout=30)
        record(s, "page needing the locked table: 503 after the statement timeout",
               f"{page.status} in {ms(page.seconds)} (statement_timeout 5 s)",
               page.status == 503 and page.seconds < 7)
        account = firm.get("/account/")
        record(s, "pages not touching the locked table keep working", f"{account.status} in {ms(account.seconds)}",
               account.status == 200)
    finally:
        holder.terminate()
        holder.wait(10)


def user_actions(s: str, label: str) -> list[Response]:
    """Sign-up, password reset and a public objection; each sends email."""
    signup = Browser().submit("/accounts/signup/", {
        "email": f"fault-{RUN_ID}-{label}@example.com", "password1": "Zj-fault-test-2026!",
        "password2": "Zj-fault-test-2026!", "agree": "on"})  # consent to the published policies (portal.privacy)
    reset = Browser().submit("/accounts/password/reset/", {"email": FIRM_A})
    actions = [("sign-up", signup, "/accounts/confirm-email/"), ("password reset", reset, "/accounts/password/reset/done/")]
    notices = anonymous("/showcase/notices/").body
    match = re.search(r'href="(/showcase/notices/\d+/)"', notices)
    if match:
        visitor = Browser()
        page = visitor.get(match.group(1)).body
        entry = re.search(r'name="entry"[^>]*>\s*<option value="(\d+)"', page) or re.search(
            r'<option value="(\d+)"[^>]*>[^<]*</option>\s*</select>', page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if entry and token:
            objection = visitor.request("POST", match.group(1), {
                "csrfmiddlewaretoken": token.group(1), "entry": entry.group(1), "name": "故障测试",
                "email": f"objector-{RUN_ID}-{label}@example.com", "relationship": "other",
                "content": "故障注入测试提交的异议（可忽略）。", "agree": "on"})
            actions.append(("public objection", objection, "/received/"))
    for name, response, target in actions:
        record(s, f"{name} succeeds", f"{response.status} in {ms(response.seconds)}",
               response.status == 302 and target in response.header("location") and response.seconds < 2)
    return [response for _name, response, _target in actions]


def outbox() -> dict:
    return health().get("checks", {}).get("email_outbox", {})


def pending_emails() -> int:
    return outbox().get("pending", -1)


def scenario_smtp(env: dict, hung: bool) -> None:
    s = "SMTP hung" if hung else "SMTP refused"
    blocker = HungSmtp() if hung else None
    try:
        before = pending_emails()
        actions = user_actions(s, "hung" if hung else "refused")
        if hung:  # the background sends are waiting for the server: a retry now must not wait for them
            seconds, _ = run_due_jobs(env)
            record(s, "run_due_jobs while the server hangs finishes", f"in {seconds:.1f} s "
                   f"(EMAIL_TIMEOUT {EMAIL_TIMEOUT} s)", seconds < EMAIL_TIMEOUT + 20)
    finally:
        if blocker:
            blocker.stop()
    # The background senders give up (refused, or the hung connections just closed).
    wait_until(lambda: outbox().get("sending") == 0, EMAIL_TIMEOUT + 10)
    queued = pending_emails() - before
    sink = SmtpSink()
    try:
        seconds, _ = run_due_jobs(env)
        # An email a background sender claimed meanwhile is sent by it, not by the job.
        wait_until(lambda: pending_emails() == 0, EMAIL_TIMEOUT + 10)
        verification = any("/accounts/confirm-email/" in m for m in sink.messages)
        left = pending_emails()
        record(s, "every queued email delivered by the next run_due_jobs",
               f"{queued} queued, {len(sink.messages)} delivered in {seconds:.1f} s, sign-up verification "
               f"{'included' if verification else 'missing'}, {left} left",
               queued >= len(actions) and len(sink.messages) >= queued and verification and left == 0)
    finally:
        sink.stop()


# -- main --------------------------------------------------------------------------------------------------

def main() -> int:
    started = time.monotonic()
    if os.environ.get("FAULT_FRESH") == "1" and RUN_DIR.exists():
        serve_prod("stop", check=False)
        shutil.rmtree(RUN_DIR)
    say(f"preparing the production profile in {RUN_DIR} (PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT})")
    prepared = serve_prod("start", check=False)
    if prepared.returncode:
        print(prepared.stdout + prepared.stderr)
        return 1
    env = site_env()
    gunicorn = None
    try:
        say(f"gunicorn {WORKERS} workers x {THREADS} threads on :{HTTP_PORT}, mail to :{SMTP_PORT}")
        gunicorn = Gunicorn(env)
        firm, other = Browser(), Browser()
        for browser, email in ((firm, FIRM_A), (other, FIRM_B)):
            if browser.login(email).status != 302:
                raise SystemExit(f"demo login of {email} failed")
        scenario_baseline(firm)
        scenario_redis_refused()
        scenario_redis_hung()
        scenario_redis_restart(firm)
        scenario_flood(firm, other)
        scenario_postgres_hung(firm)
        scenario_postgres_lock(firm)
        scenario_smtp(env, hung=False)
        scenario_smtp(env, hung=True)
    finally:
        continue_processes()
        if gunicorn:
            gunicorn.stop()
        serve_prod("stop", check=False)
    print()
    print("| scenario | check | figures | result |")
    print("|---|---|---|---|")
    for row in ROWS:
        print(f"| {row.scenario} | {row.check} | {row.figure} | {'PASS' if row.ok else '**FAIL**'} |")
    failed = [row for row in ROWS if not row.ok]
    say(f"{len(ROWS) - len(failed)} of {len(ROWS)} checks passed in {time.monotonic() - started:.0f} s "
        f"(logs in {RUN_DIR})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
