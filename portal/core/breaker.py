"""A per-process circuit breaker for a dependency that can hang (Redis, PostgreSQL).

Once a call to the dependency fails with a connection error or a timeout, the breaker opens:
for `retry_after` seconds every caller is told to skip the dependency at once instead of
waiting for its own timeout. Then one caller (and only one, across the threads of the
process) probes it again; success closes the breaker, failure keeps it open for another
interval. A hung dependency therefore costs each worker process one short timeout per
interval, not one per request.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("portal.resilience")


class CircuitBreaker:
    def __init__(self, name: str, retry_after: float):
        self.name = name
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._open_until: float | None = None  # None: closed
        self._probing = False

    @property
    def is_open(self) -> bool:
        return self._open_until is not None

    def allow(self) -> bool:
        """May the caller use the dependency now? (False: skip it and degrade.)"""
        if self._open_until is None:
            return True
        with self._lock:
            if self._open_until is None:
                return True
            if self._probing or time.monotonic() < self._open_until:
                return False
            self._probing = True  # this caller probes; the others keep skipping meanwhile
            return True

    def succeeded(self) -> bool:
        """Record a call that reached the dependency; True when this closes an open breaker."""
        if self._open_until is None:
            return False
        with self._lock:
            recovered = self._open_until is not None
            if recovered:
                logger.warning("%s is available again", self.name)
            self._open_until = None
            self._probing = False
            return recovered

    def failed(self, exc: BaseException | None = None) -> None:
        with self._lock:
            if self._open_until is None:
                logger.error("%s unavailable (%s), skipping it for %s s", self.name,
                             type(exc).__name__ if exc else "no answer in time", self.retry_after)
            self._open_until = time.monotonic() + self.retry_after
            self._probing = False

    def reset(self) -> None:
        with self._lock:
            self._open_until = None
            self._probing = False
