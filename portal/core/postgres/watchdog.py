"""One thread per process that cuts database calls which outlive their deadline.

A call registers its connection's socket with `watch()` and unregisters with `unwatch()`.
If the deadline passes first, the watchdog shuts the socket down (both directions): the
blocked driver call wakes up at once with "server closed the connection unexpectedly". The
socket is shut only while the call is still registered, i.e. while the thread that owns the
connection is blocked inside it, so the descriptor cannot have been reused meanwhile.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
import time

logger = logging.getLogger("portal.resilience")


class Watchdog:
    def __init__(self):
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._cond = threading.Condition()
        self._calls: dict[int, tuple[float, int]] = {}  # token -> (deadline, fd)
        self._expired: set[int] = set()
        self._tokens = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._wake_at: float | None = None  # when the thread looks next (None: when told)

    def watch(self, fd: int, seconds: float) -> int:
        if self._pid != os.getpid():  # forked (gunicorn preloads the app in the master)
            self._reset()
        with self._cond:
            token = next(self._tokens)
            deadline = time.monotonic() + seconds
            self._calls[token] = (deadline, fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="portal-db-watchdog", daemon=True)
                self._thread.start()
            if self._wake_at is None or deadline < self._wake_at:
                self._cond.notify()  # rarely: deadlines are mostly later than the one it waits for
        return token

    def unwatch(self, token: int) -> bool:
        """Stop watching; True if the deadline had passed and the socket was shut."""
        with self._cond:
            self._calls.pop(token, None)
            if token in self._expired:
                self._expired.discard(token)
                return True
            return False

    def _run(self) -> None:
        while True:
            with self._cond:
                now = time.monotonic()
                for token, (deadline, fd) in list(self._calls.items()):
                    if deadline <= now:
                        del self._calls[token]
                        self._expired.add(token)
                        shut_down(fd)
                self._wake_at = min((deadline for deadline, _fd in self._calls.values()), default=None)
                self._cond.wait(None if self._wake_at is None else max(0.0, self._wake_at - now))


def shut_down(fd: int) -> None:
    """Shut down the socket behind `fd` (the caller keeps the descriptor and closes it later)."""
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError as exc:
        logger.warning("database watchdog: cannot shut fd %s: %s", fd, exc)
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError as exc:
        logger.warning("database watchdog: shutdown of fd %s failed: %s", fd, exc)
    finally:
        sock.close()  # closes the duplicate only


watchdog = Watchdog()
