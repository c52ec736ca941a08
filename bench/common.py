"""Shared pieces for the benchmark scripts (`bench/<area>.py`, `bench/load.py`).

- `GunicornServer`: serve the project with gunicorn on 127.0.0.1 (free port) under
  production settings against the current DATABASE_URL (SQLite file by default).
- `drive(...)`: a small asyncio HTTP/1.1 keep-alive load generator (used when `wrk`
  is not installed; nothing is installed at run time).
- `markdown_table(...)`.
"""

import asyncio
import atexit
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON", sys.executable)


def setup_django(*, settings_module: str, temp_db_prefix: str | None = None) -> Path | None:
    """Configure and start Django for an in-process benchmark script.

    With `temp_db_prefix`, DATABASE_URL points to a fresh SQLite file in a new temporary directory
    (removed at exit) and that directory is returned; when BENCH_TEMPLATE_DB names an already migrated,
    empty SQLite file (bench/run_all.py makes one), the new file starts as a copy of it, so `migrate`
    has nothing left to do. Importing a benchmark module never does this: only its `main()` does, so
    other scripts (bench/scale.py) can import the generators.
    """
    tmp = None
    if temp_db_prefix:
        tmp = Path(tempfile.mkdtemp(prefix=temp_db_prefix))
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        template = os.environ.get("BENCH_TEMPLATE_DB")
        if template and Path(template).is_file():
            shutil.copyfile(template, tmp / "bench.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        os.environ.setdefault("MEDIA_ROOT", str(tmp / "media"))
        os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(tmp / "private"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return tmp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**extra) -> dict:
    """Environment for running the site under production settings on loopback HTTP."""
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(ROOT),
    )
    env.setdefault("DB_CONN_MAX_AGE", "60")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(*args, env=None, check=True, quiet=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env or production_env(), check=check, text=True,
        capture_output=quiet,
    )


class GunicornServer:
    """Context manager: collectstatic into a temp dir, then gunicorn with N workers.

    Each worker holds at most its share of the load generator's `clients` connections (gunicorn's
    `worker_connections`): wrk's keep-alive connections stay with the worker that accepted them,
    and without the cap one run in four or so put 9 or 10 of them on one worker while the other
    idled (half the throughput, seen in the workers' CPU time). Behind a proxy that opens a
    connection per request (nginx's default) requests are spread anyway; the cap makes the bench
    measure that, not the luck of the accept race.
    """

    def __init__(self, *, workers: int = 2, threads: int = 4, env_extra: dict | None = None, static_root=None,
                 clients: int = 10):
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.worker_connections = max(-(-clients // workers), threads + 1)
        self.static_root = Path(static_root) if static_root else None
        self._own_static = static_root is None
        self.env_extra = env_extra or {}
        self.process = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        if self.static_root is None:
            self.static_root = Path(tempfile.mkdtemp(prefix="portal-bench-static-"))
            manage("collectstatic", "--noinput", "-v", "0", env=production_env(STATIC_ROOT=self.static_root))
        env = production_env(
            STATIC_ROOT=self.static_root, WEB_CONCURRENCY=self.workers, GUNICORN_THREADS=self.threads,
            GUNICORN_WORKER_CONNECTIONS=self.worker_connections,
            GUNICORN_ACCESS_LOG="/dev/null", GUNICORN_LOG_LEVEL="warning", GUNICORN_MAX_REQUESTS=0,
            **self.env_extra,
        )
        self.log = tempfile.NamedTemporaryFile(prefix="portal-bench-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "portal.wsgi"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {Path(self.log.name).read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.base_url + "/robots-check-not-found", timeout=2)
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.2)
                continue
            return self
        raise RuntimeError("gunicorn did not start within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self._own_static and self.static_root:
            shutil.rmtree(self.static_root, ignore_errors=True)
        if getattr(self, "log", None):
            self.log.close()
            if exc[0] is None:  # keep the server's log only when something went wrong
                os.unlink(self.log.name)

    def static_url(self, name: str) -> str:
        """The manifest (hashed) URL of a static file, as the pages link it."""
        code = (
            "import django; django.setup(); from django.templatetags.static import static; "
            f"print(static({name!r}))"
        )
        env = production_env(STATIC_ROOT=self.static_root, **self.env_extra)
        return subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                              text=True).stdout.strip()


@dataclass
class Result:
    url: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    bytes: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    fixed_percentiles: dict | None = None

    def percentile(self, q: float) -> float:
        if self.fixed_percentiles and q in self.fixed_percentiles:
            return self.fixed_percentiles[q]
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))  # nearest rank
        return ordered[index] * 1000


async def _read_response(reader) -> tuple[int, dict[str, str], int]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _sep, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    size = 0
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            chunk_size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(chunk_size + 2)
            size += chunk_size
            if chunk_size == 0:
                break
    else:
        size = len(await reader.read())
        headers["connection"] = "close"
    return status, headers, size


async def _client(host, port, path, deadline, result: Result, extra_headers: str):
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: portal-bench\r\n"
               f"Accept: */*\r\n{extra_headers}Connection: keep-alive\r\n\r\n").encode()
    reader = writer = None
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            status, headers, size = await _read_response(reader)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
            result.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        result.latencies.append(time.perf_counter() - started)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        result.bytes += size
        result.headers = headers
        if status >= 400:
            result.errors += 1
        if headers.get("connection", "").lower() == "close":
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def drive(base_url: str, path: str, *, seconds: float, concurrency: int, headers: dict | None = None) -> Result:
    """Bounded load: `concurrency` keep-alive clients request `path` back to back for `seconds`."""
    host, port = base_url.removeprefix("http://").split(":")
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    result = Result(url=path, seconds=seconds)

    async def main():
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*(_client(host, int(port), path, deadline, result, extra) for _ in range(concurrency)))
        result.seconds = time.monotonic() - started

    asyncio.run(main())
    return result


def markdown_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  local sock = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH %d %f %f %f %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, non2xx, sock))
end
"""


def drive_wrk(base_url: str, path: str, *, seconds: float, concurrency: int, threads: int = 2) -> Result:
    """The same measurement with `wrk` (Debian package), when installed."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        output = subprocess.run(
            ["wrk", f"-t{min(threads, concurrency)}", f"-c{concurrency}", f"-d{max(1, round(seconds))}s",
             "-s", script.name, base_url + path],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, duration, p50, p95, non2xx, sock = line.split()[1:]
    result = Result(url=path, seconds=float(duration))
    # wrk reports percentiles, not every latency: keep two representative values.
    result.latencies = [float(p50) / 1000] * (int(requests) // 2) + [float(p95) / 1000] * (int(requests) - int(requests) // 2)
    result.fixed_percentiles = {50: float(p50), 95: float(p95)}
    result.errors = int(non2xx) + int(sock)
    result.statuses = {0: int(requests)}
    return result


def have_wrk() -> bool:
    return shutil.which("wrk") is not None
