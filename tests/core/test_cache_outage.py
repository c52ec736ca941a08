"""Redis down or hung (issue #18): pages degrade to uncached, login keeps working.

The cache is configured as production configures it (portal.settings.base.redis_caches, which
test_resilience_settings checks production uses) against a port nobody listens on (refused), a
socket that accepts and never answers (hung), or FlakyCache (switched off and on in-process).
"""

import socket
import threading

import pytest
from django.core.cache import cache
from django.test import Client

from bench.common import free_port
from portal.core import cache as page_cache
from portal.core import resilient_cache
from portal.core.breaker import CircuitBreaker
from portal.core.cache import HEADER, VERSION_KEYS, invalidate_public_pages, near_cache
from tests.conftest import PASSWORD


@pytest.fixture(scope="module")
def production_caches():
    """fn(url, **options) -> CACHES as production builds them for that Redis URL."""
    from portal.settings.base import redis_caches

    def for_url(url: str, **options):
        caches = redis_caches(url)
        caches["default"]["OPTIONS"].update(options)
        return caches

    return for_url


@pytest.fixture(autouse=True)
def _fresh_breakers():
    resilient_cache._breakers.clear()
    near_cache.clear()
    yield
    resilient_cache._breakers.clear()
    near_cache.clear()


@pytest.fixture
def caches_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 3600
    return settings


@pytest.fixture
def redis_refused(caches_on, production_caches):
    caches_on.CACHES = production_caches(f"redis://127.0.0.1:{free_port()}/0")
    return caches_on


class HungServer:
    """Accepts connections and never answers (a Redis stopped with SIGSTOP, a black hole)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        except OSError:
            pass
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def redis_hung(caches_on, production_caches):
    server = HungServer()
    caches = production_caches(f"redis://127.0.0.1:{server.port}/0", RETRY_AFTER=60)
    caches["default"]["OPTIONS"]["OPTIONS"].update(SOCKET_CONNECT_TIMEOUT=0.2, SOCKET_TIMEOUT=0.2)
    caches_on.CACHES = caches
    yield server
    server.close()


@pytest.fixture
def flaky(caches_on):
    from tests.core.flaky_cache import FlakyCache

    FlakyCache.down = FlakyCache.answer_errors = False
    caches_on.CACHES = {"default": {
        "BACKEND": "portal.core.resilient_cache.ResilientCache", "LOCATION": "flaky",
        "OPTIONS": {"BACKEND": "tests.core.flaky_cache.FlakyCache", "RETRY_AFTER": 60,
                    "LOCAL_FALLBACK_PREFIXES": ["allauth:rl:"]},
    }}
    yield FlakyCache
    FlakyCache.down = FlakyCache.answer_errors = False


PUBLIC = ["/", "/search/?q=信用", "/members/", "/showcase/units/", "/services/", "/accounts/login/"]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_answer_uncached_when_redis_refuses_connections(redis_refused, home_page, url):
    client = Client()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response.get(HEADER) in (None, "miss")  # never a hit: nothing can be stored


def test_not_found_page_answers_404_when_redis_refuses_connections(redis_refused, home_page):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_public_pages_answer_when_redis_hangs_and_only_one_call_waits(redis_hung, home_page):
    client = Client()
    for url in ["/", "/", "/members/", "/search/?q=信用", "/accounts/login/"]:
        assert client.get(url).status_code == 200
    # The first cache call waited for the socket timeout and opened the breaker: every later
    # call of this process skipped Redis instead of waiting again.
    assert len(redis_hung.accepted) == 1
    assert resilient_cache._breakers[
        f"django_redis.cache.RedisCache@redis://127.0.0.1:{redis_hung.port}/0"].is_open


def test_login_works_while_redis_is_down(redis_refused, client, firm_a_user):
    response = client.post("/accounts/login/", {"login": firm_a_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


def test_login_rate_limit_holds_per_process_while_redis_is_down(redis_refused, client, firm_a_user):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": firm_a_user.email, "password": "wrong-password"})
        assert response.status_code == 200
        assert "登录失败次数过多" not in response.content.decode()
    sixth = client.post("/accounts/login/", {"login": firm_a_user.email, "password": PASSWORD})
    assert sixth.status_code == 200  # refused even with the right password
    assert "登录失败次数过多" in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_recovered_cache_drops_pages_cached_before_the_outage(flaky, home_page, client,
                                                             django_capture_on_commit_callbacks):
    assert client.get("/")[HEADER] == "miss"
    assert client.get("/")[HEADER] == "hit"
    before = cache.get_many(VERSION_KEYS.values())
    flaky.down = True
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_public_pages()  # e.g. a page published during the outage: the write is lost
    assert client.get("/").status_code == 200
    flaky.down = False
    breaker = next(iter(resilient_cache._breakers.values()))
    breaker._open_until = 0  # the retry interval has passed
    # The first call that reaches the cache again bumps the version: the old copy is not served.
    assert client.get("/")[HEADER] == "miss"
    after = cache.get_many(VERSION_KEYS.values())
    assert len(after) == len(VERSION_KEYS) and not set(after.values()) & set(before.values())  # every family
    assert client.get("/")[HEADER] == "hit"


def test_unavailable_cache_reads_miss_and_writes_are_dropped(flaky):
    cache.set("k", "v")
    flaky.down = True
    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    assert cache.add("k2", "v") is False
    assert cache.get_many(["k", "k2"]) == {}
    assert cache.set_many({"k3": 1}) == ["k3"]
    assert cache.has_key("k") is False
    assert cache.get_or_set("k4", "computed") == "computed"
    with pytest.raises(ValueError):
        cache.incr("counter")
    cache.delete("k")
    cache.clear()
    calls = flaky.calls
    cache.get("k")
    assert flaky.calls == calls  # the breaker is open: the server is not even tried


def test_rate_limit_keys_are_kept_in_process_while_the_cache_is_down(flaky):
    flaky.down = True
    assert cache.add("allauth:rl:login:lock", True, 10) is True
    assert cache.add("allauth:rl:login:lock", True, 10) is False
    cache.set("allauth:rl:login", [1.0, 2.0], 300)
    assert cache.get("allauth:rl:login") == [1.0, 2.0]
    cache.delete("allauth:rl:login:lock")
    assert cache.add("allauth:rl:login:lock", True, 10) is True
    assert cache.get("portal:other") is None


def test_cache_answering_errors_degrades_without_opening_the_breaker(flaky):
    flaky.answer_errors = True
    assert cache.set("k", "v") is False
    assert cache.get("k") is None
    assert not next(iter(resilient_cache._breakers.values())).is_open
    flaky.answer_errors = False
    cache.set("k", "v")
    assert cache.get("k") == "v"


def test_other_errors_are_raised(flaky):
    with pytest.raises(ValueError):
        cache.incr("missing-counter")  # a missing key, not an outage
    with pytest.raises(Exception):  # noqa: B017 - whatever pickle raises for a lock
        cache.set("unpicklable", threading.Lock())


def test_breaker_opens_lets_one_probe_through_and_closes():
    breaker = CircuitBreaker("test", retry_after=60)
    assert breaker.allow()
    breaker.failed(ConnectionRefusedError())
    assert breaker.is_open and not breaker.allow()
    breaker._open_until = 0  # the interval passed
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # everyone else keeps skipping while it runs
    breaker.failed(TimeoutError())
    assert not breaker.allow()
    breaker._open_until = 0
    assert breaker.allow()
    assert breaker.succeeded() is True
    assert breaker.allow() and not breaker.is_open
    assert breaker.succeeded() is False


def test_page_cache_key_survives_an_unavailable_version(flaky, rf):
    flaky.down = True
    request = rf.get("/")
    assert page_cache.cache_key(request) == page_cache.cache_key(request)  # one version per request
