"""A hung database fails requests fast with a 503 page; cached pages need no database (issue #18).

PostgreSQL-only tests (`make test-postgres`) run a query through a TCP proxy that can stop
forwarding (a server that accepts and never answers) and hold a table lock from a second
connection (a statement that waits), against the real backend `portal.core.postgres`.
"""

import socket
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from portal.core.cache import HEADER
from portal.core.postgres.watchdog import Watchdog


def test_watchdog_cuts_a_call_blocked_past_its_deadline():
    watchdog = Watchdog()
    ours, server = socket.socketpair()
    try:
        token = watchdog.watch(ours.fileno(), 0.2)
        assert ours.recv(10) == b""  # woken by the shutdown (the server never wrote)
        assert watchdog.unwatch(token) is True
    finally:
        ours.close()
        server.close()


def test_watchdog_leaves_calls_that_finished_in_time_alone():
    watchdog = Watchdog()
    ours, server = socket.socketpair()
    try:
        token = watchdog.watch(ours.fileno(), 0.5)
        server.sendall(b"answer")
        assert ours.recv(10) == b"answer"
        assert watchdog.unwatch(token) is False
        watchdog.watch(server.fileno(), 30)  # a later, longer deadline: nothing to cut now
        server.sendall(b"again")
        assert ours.recv(10) == b"again"
    finally:
        ours.close()
        server.close()


def test_cached_page_is_served_without_the_database(client, home_page, settings, django_db_blocker):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    assert client.get("/")[HEADER] == "miss"
    with django_db_blocker.block():  # any query would raise
        response = client.get("/")
    assert (response.status_code, response[HEADER]) == (200, "hit")


class FreezableProxy:
    """Forwards TCP to PostgreSQL until frozen; then it keeps the connections open and silent."""

    def __init__(self, host, port):
        self.target = (host, int(port))
        self.frozen = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.frozen.is_set():
                continue  # swallowed: the client waits for an answer that never comes
            try:
                sink.sendall(data)
            except OSError:
                return

    def close(self):
        self.sock.close()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the pipes blocked in recv, ends the server session
            except OSError:
                pass
            sock.close()


@pytest.fixture
def proxied_connection(db, settings):
    from portal.core.postgres import base

    settings.DB_CLIENT_TIMEOUT = 0.5
    proxy = FreezableProxy(connection.settings_dict["HOST"] or "127.0.0.1", connection.settings_dict["PORT"])
    base._breakers.clear()
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": str(proxy.port)}
    wrapper.breaker = base.breaker_for(wrapper.settings_dict)
    yield wrapper, proxy
    wrapper.close()
    proxy.close()
    base._breakers.clear()


@pytest.mark.postgres
def test_unanswered_query_fails_within_the_client_timeout_then_the_database_is_skipped(proxied_connection):
    from portal.core.postgres.base import DatabaseUnavailable

    wrapper, proxy = proxied_connection
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    proxy.frozen.set()
    with pytest.raises(DatabaseUnavailable, match="did not answer within 0.5 s"):
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 2")
    assert wrapper.breaker.is_open
    wrapper.close()
    with pytest.raises(DatabaseUnavailable, match="skipped"):
        wrapper.ensure_connection()  # no new connection attempt while the breaker is open
    assert not wrapper.is_usable()


@pytest.mark.postgres
def test_health_check_of_a_reused_connection_is_bounded(proxied_connection):
    wrapper, proxy = proxied_connection
    wrapper.ensure_connection()
    proxy.frozen.set()
    assert wrapper.is_usable() is False  # Django's health check would wait forever
    assert wrapper.breaker.is_open  # so the reconnection that follows fails at once


@pytest.mark.postgres
def test_statements_a_connection_repeats_are_prepared_once(db):
    """DB_SERVER_SIDE_BINDING (on by default): psycopg prepares a statement the connection has run
    a few times, so PostgreSQL no longer parses and plans it on every request."""
    from wagtail.models import Site

    for _ in range(8):
        list(Site.objects.filter(hostname="localhost").values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"wagtailcore_site"' in statement for statement in prepared), prepared


@pytest.mark.postgres
def test_connection_has_the_statement_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("5s",)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_query_waiting_on_a_lock_answers_503_with_retry_after(home_page, settings):
    import psycopg

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    s = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 300")
    try:
        with psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=s["NAME"]) as blocker:
            blocker.execute("LOCK TABLE wagtailcore_page IN ACCESS EXCLUSIVE MODE")
            response = Client(raise_request_exception=False).get("/")
            blocker.rollback()
    finally:
        connection.close()  # the next test starts with the configured timeout
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode()
