"""ENGINE "portal.core.postgres": Django's PostgreSQL backend with a client-side deadline.

`settings.DB_CLIENT_TIMEOUT` (seconds, 0 = off; by default the statement timeout plus two
seconds, so a merely slow query is cancelled by the server first, cleanly) bounds every round
trip; the health check of a reused connection and a new connection's set-up get
DB_CONNECT_TIMEOUT. When a deadline passes, the watchdog shuts the connection's socket, the
call fails with `DatabaseUnavailable` (an OperationalError: the error page answers 503) and the
per-process circuit breaker opens: for `settings.DB_RETRY_SECONDS` every database call of the
process fails at once instead of tying up a thread, and then one request probes the server
again. A connection attempt that fails (refused, or libpq's connect_timeout) opens the breaker
too. Errors the server itself reports (statement timeout, constraint violations…) prove it is
alive and never open the breaker.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db.backends.postgresql import base as postgresql
from django.db.utils import OperationalError

from ..breaker import CircuitBreaker
from .watchdog import watchdog


class DatabaseUnavailable(OperationalError):
    """The database did not answer in time, or is being skipped after it did not."""


_breakers: dict[tuple, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(settings_dict) -> CircuitBreaker:
    key = (settings_dict.get("HOST"), settings_dict.get("PORT"), settings_dict.get("NAME"))
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            retry_after = float(getattr(settings, "DB_RETRY_SECONDS", 5))
            breaker = _breakers[key] = CircuitBreaker(f"database {key[0] or 'local'}:{key[1] or ''}", retry_after)
        return breaker


def client_timeout() -> float:
    return float(getattr(settings, "DB_CLIENT_TIMEOUT", 0) or 0)


def greeting_timeout() -> float:
    """For the round trips that start a request's use of the database (the health check of a
    reused connection, a new connection's set-up): as long as connecting may take. A server
    that cannot answer `SELECT 1` that fast is treated as unavailable, so the threads that find
    it hung are released after this, not after a whole statement's time."""
    timeout = client_timeout()
    connect = float(getattr(settings, "DB_CONNECT_TIMEOUT", 0) or 0)
    return min(timeout, connect) if timeout and connect else timeout


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.breaker = breaker_for(self.settings_dict)
        # Outermost wrapper (Django's execute_wrapper() context manager appends after it).
        self.execute_wrappers.append(self._guard_execute)

    # -- guards ----------------------------------------------------------------------------------

    def _refuse_if_skipped(self) -> None:
        if not self.breaker.allow():
            raise DatabaseUnavailable("database unavailable (skipped after a timeout; retrying shortly)")

    @contextmanager
    def _deadline(self, seconds: float | None = None):
        """Bound one round trip on the open connection; record the outcome in the breaker."""
        self._refuse_if_skipped()
        seconds = client_timeout() if seconds is None else seconds
        token = None
        if seconds > 0 and self.connection is not None:
            try:
                token = watchdog.watch(self.connection.fileno(), seconds)
            except Exception:  # noqa: BLE001 - a closed connection: the call itself will fail
                token = None
        try:
            yield
        except BaseException as exc:
            if token is not None and watchdog.unwatch(token):
                self.breaker.failed(exc)
                self.errors_occurred = True  # the socket is shut: drop this connection
                raise DatabaseUnavailable(f"database did not answer within {seconds:g} s") from exc
            self.breaker.succeeded()  # the server answered (with an error)
            raise
        if token is not None and watchdog.unwatch(token):
            # Cut, though the call returned (a driver method that reports errors as a value, like
            # psycopg's is_usable, or a reply that came just too late): same verdict.
            self.errors_occurred = True
            self.breaker.failed(None)
            return
        self.breaker.succeeded()

    def _guard_execute(self, execute, sql, params, many, context):
        with self._deadline():
            return execute(sql, params, many, context)

    # -- the points where Django talks to the server outside cursor.execute() ---------------------

    def get_new_connection(self, conn_params):
        self._refuse_if_skipped()
        try:
            connection = super().get_new_connection(conn_params)  # bounded by libpq's connect_timeout
        except self.Database.OperationalError as exc:  # refused, timed out, or refused by the server
            self.breaker.failed(exc)
            raise
        except BaseException:
            self.breaker.succeeded()
            raise
        self.breaker.succeeded()
        return connection

    def init_connection_state(self):
        with self._deadline(greeting_timeout()):
            super().init_connection_state()

    def _commit(self):
        with self._deadline():
            return super()._commit()

    def _rollback(self):
        with self._deadline():
            return super()._rollback()

    def is_usable(self):
        if self.connection is None or self.breaker.is_open:
            return False
        try:
            with self._deadline(greeting_timeout()):
                return super().is_usable()
        except OperationalError:
            return False
