import http.server
import runpy
import subprocess
import threading
from pathlib import Path

import pytest

from bench.common import Result, drive, free_port, markdown_table

ROOT = Path(__file__).resolve().parents[2]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"ok" if self.path == "/ok" else b"missing"
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_drive_counts_requests_latencies_and_errors(http_server):
    good = drive(http_server, "/ok", seconds=0.5, concurrency=3)
    assert good.errors == 0
    assert set(good.statuses) == {200}
    assert len(good.latencies) == sum(good.statuses.values()) > 10
    assert good.rps > 0
    bad = drive(http_server, "/nope", seconds=0.3, concurrency=2)
    assert set(bad.statuses) == {404}
    assert bad.errors == sum(bad.statuses.values())


def test_percentiles_and_table():
    result = Result(url="/", seconds=1.0, latencies=[i / 1000 for i in range(1, 101)])
    assert result.rps == 100
    assert result.percentile(50) == pytest.approx(50.0)
    assert result.percentile(95) == pytest.approx(95.0)
    assert markdown_table(["a", "b"], [[1, 2]]) == "| a | b |\n|---|---:|\n| 1 | 2 |"


def test_gunicorn_config_loads_with_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9999")
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] == 2
    assert config["bind"] == "127.0.0.1:9999"
    assert config["worker_class"] == "gthread"
    assert config["preload_app"] is True


@pytest.fixture
def master_ready():
    """gunicorn's when_ready hook, run here as in the master before it forks the workers (what it
    froze is given back to this process's garbage collector afterwards)."""
    import gc

    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    config["when_ready"](None)
    yield
    gc.unfreeze()


def test_gunicorn_master_loads_the_chinese_segmenter_before_forking(master_ready):
    from portal.magazine import search

    assert search._jieba is not None
    assert search.query_terms("信用修复") == ["信用", "修复"]


def test_gunicorn_master_keeps_what_it_loaded_out_of_the_workers_garbage_collections(master_ready):
    """A full collection in a worker used to walk everything the master had loaded (some 230,000
    objects, jieba's dictionary among them): about 90 ms with the worker's threads stopped."""
    import gc

    assert gc.get_freeze_count() > 100_000


def test_serve_prod_script_is_valid_bash():
    script = ROOT / "deploy" / "serve-prod.sh"
    assert script.stat().st_mode & 0o111
    subprocess.run(["bash", "-n", str(script)], check=True)
