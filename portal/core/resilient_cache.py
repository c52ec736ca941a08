"""A cache backend that keeps the site up when its cache server (Redis) is down or hung.

Production wraps django-redis in `ResilientCache` (see portal/settings/base.py):

    CACHES = {"default": {
        "BACKEND": "portal.core.resilient_cache.ResilientCache",
        "LOCATION": "redis://…",
        "OPTIONS": {
            "BACKEND": "django_redis.cache.RedisCache",          # the real cache
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},  # its options
            "RETRY_AFTER": 5,                                     # seconds between probes
            "LOCAL_FALLBACK_PREFIXES": ["allauth:rl:"],           # keys kept per process meanwhile
        },
    }}

When the real cache refuses connections or does not answer within its socket timeout, the
operation degrades instead of raising: a read is a miss, a write is dropped. A per-process
circuit breaker (portal.core.breaker) then skips the cache for RETRY_AFTER seconds, so a hung
Redis costs each worker one short timeout per interval, not one per cache call. Pages are then
rendered uncached; nothing stale is served, because no page, fragment or version is kept
anywhere else.

Keys starting with one of LOCAL_FALLBACK_PREFIXES go to a small in-process cache while the real
one is unavailable: allauth's rate-limit counters and used-TOTP-code markers, so login keeps
working with its limits enforced per worker process instead of site-wide (README "Operations").

A cache server that answers with an error (e.g. Redis out of memory refusing a write) degrades
that one operation without opening the breaker. Other exceptions (a value that cannot be
pickled, `incr` of a missing key) are raised as usual.
"""

from __future__ import annotations

import logging
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.dispatch import Signal
from django.utils.module_loading import import_string
from django_redis.exceptions import ConnectionInterrupted
from redis import exceptions as redis_errors

from .breaker import CircuitBreaker

logger = logging.getLogger("portal.resilience")

# Sent (with `cache=`) when a cache that was skipped as unavailable answers again. Writes made
# meanwhile were dropped, invalidations included: receivers start afresh (portal.core.cache
# bumps the public-data version, so nothing cached before the outage is served after it).
cache_recovered = Signal()

PROBE_KEY = "portal:cache-probe"
_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, retry_after: float) -> CircuitBreaker:
    """One breaker per cache server and process (Django creates a cache object per thread)."""
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None:
            breaker = _breakers[location] = CircuitBreaker(f"cache {location.split('@')[-1]}", retry_after)
        return breaker


# Refused, reset, timed out: the server is down or hung. (django-redis re-raises redis' own
# errors as ConnectionInterrupted, with the original as __cause__.)
UNREACHABLE = (OSError, redis_errors.ConnectionError, redis_errors.TimeoutError)


def classify(exc: BaseException) -> str | None:
    """"unreachable" (refused, hung, reset), "answered" (the server replied with an error) or None."""
    if isinstance(exc, ConnectionInterrupted):
        exc = exc.__cause__ or exc
        if not isinstance(exc, redis_errors.RedisError) or isinstance(exc, UNREACHABLE):
            return "unreachable"
        return "answered"
    if isinstance(exc, UNREACHABLE):
        return "unreachable"
    if isinstance(exc, redis_errors.RedisError):
        return "answered"
    return None


class ResilientCache(BaseCache):
    def __init__(self, location, params):
        options = dict(params.get("OPTIONS") or {})
        backend = options.pop("BACKEND")
        primary_params = {**params, "OPTIONS": options.pop("OPTIONS", {})}
        retry_after = float(options.pop("RETRY_AFTER", 5))
        self.local_prefixes = tuple(options.pop("LOCAL_FALLBACK_PREFIXES", ()))
        super().__init__({**params, "OPTIONS": {}})
        self.primary = import_string(backend)(location, primary_params)
        self.breaker = breaker_for(f"{backend}@{location}", retry_after)
        # Shared by the threads of the process (LocMemCache keeps its data per name).
        self.local = LocMemCache(f"portal-resilient:{location}", {"OPTIONS": {"MAX_ENTRIES": 5000}})

    # -- the guard ---------------------------------------------------------------------------

    def _run(self, method: str, args: tuple, kwargs: dict, degraded):
        """`primary.<method>(*args, **kwargs)`, or `degraded()` while the cache is unavailable."""
        if not self.breaker.allow():
            return degraded()
        if self.breaker.is_open and not self._probe():
            return degraded()
        try:
            result = getattr(self.primary, method)(*args, **kwargs)
        except Exception as exc:
            kind = classify(exc)
            if kind == "unreachable":
                self.breaker.failed(exc)
                return degraded()
            self._reached()  # the server answered
            if kind == "answered":
                logger.warning("cache %s failed: %s", method, exc)
                return degraded()
            raise
        self._reached()
        return result

    def _probe(self) -> bool:
        """This call is the first since an outage: check the cache with a harmless read, so
        that receivers of cache_recovered run before anything is read from it."""
        try:
            self.primary.has_key(PROBE_KEY)
        except Exception as exc:  # noqa: BLE001 - any answer, even an error, shows the server is back
            if classify(exc) == "unreachable":
                self.breaker.failed(exc)
                return False
        self._reached()
        return True

    def _reached(self) -> None:
        if self.breaker.succeeded():
            cache_recovered.send(sender=type(self), cache=self)

    def _kept_locally(self, key) -> bool:
        return bool(self.local_prefixes) and isinstance(key, str) and key.startswith(self.local_prefixes)

    # -- Django's cache API --------------------------------------------------------------------

    def make_key(self, key, version=None):
        return self.primary.make_key(key, version=version)

    def validate_key(self, key):
        return self.primary.validate_key(key)

    def get(self, key, default=None, version=None):
        def degraded():
            return self.local.get(key, default, version) if self._kept_locally(key) else default

        return self._run("get", (key, default), {"version": version}, degraded)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def degraded():
            if self._kept_locally(key):
                self.local.set(key, value, self.local_timeout(timeout), version)
            return False

        return self._run("set", (key, value, timeout), {"version": version}, degraded)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def degraded():
            if self._kept_locally(key):
                return self.local.add(key, value, self.local_timeout(timeout), version)
            return False

        return self._run("add", (key, value, timeout), {"version": version}, degraded)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        def degraded():
            return self._kept_locally(key) and self.local.touch(key, self.local_timeout(timeout), version)

        return self._run("touch", (key, timeout), {"version": version}, degraded)

    def delete(self, key, version=None):
        if self._kept_locally(key):
            self.local.delete(key, version)  # a lock taken during an outage must not outlive it
        return self._run("delete", (key,), {"version": version}, lambda: False)

    def has_key(self, key, version=None):
        def degraded():
            return self._kept_locally(key) and self.local.has_key(key, version)

        return self._run("has_key", (key,), {"version": version}, degraded)

    def get_many(self, keys, version=None):
        keys = list(keys)

        def degraded():
            return self.local.get_many([k for k in keys if self._kept_locally(k)], version)

        return self._run("get_many", (keys,), {"version": version}, degraded)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        def degraded():
            local = {k: v for k, v in data.items() if self._kept_locally(k)}
            if local:
                self.local.set_many(local, self.local_timeout(timeout), version)
            return [k for k in data if k not in local]

        return self._run("set_many", (data, timeout), {"version": version}, degraded)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self.local.delete_many([k for k in keys if self._kept_locally(k)], version)
        return self._run("delete_many", (keys,), {"version": version}, lambda: None)

    def incr(self, key, delta=1, version=None):
        def degraded():
            if self._kept_locally(key):
                return self.local.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found (cache unavailable)")

        return self._run("incr", (key, delta), {"version": version}, degraded)

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    def incr_version(self, key, delta=1, version=None):
        def degraded():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")

        return self._run("incr_version", (key, delta), {"version": version}, degraded)

    def decr_version(self, key, delta=1, version=None):
        return self.incr_version(key, -delta, version)

    def clear(self):
        self.local.clear()
        return self._run("clear", (), {}, lambda: None)

    def close(self, **kwargs):
        try:
            self.primary.close(**kwargs)
        except Exception as exc:  # noqa: BLE001 - closing a dead connection must not fail a request
            logger.debug("cache close failed: %s", exc)

    def local_timeout(self, timeout):
        """The timeout for the in-process copy (this object's default when none is given)."""
        return self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout

    @property
    def available(self) -> bool:
        """False while the breaker skips the real cache (for the health check)."""
        return not self.breaker.is_open
