"""A cache server for tests that can be switched off (refusing connections) or made to answer
with errors, like Redis when it is down or out of memory."""

from django.core.cache.backends.locmem import LocMemCache


class FlakyCache(LocMemCache):
    down = False  # class-wide: Django builds one cache object per thread
    answer_errors = False
    calls = 0

    def _server(self):
        FlakyCache.calls += 1
        if FlakyCache.down:
            raise ConnectionRefusedError("connection refused")
        if FlakyCache.answer_errors:
            from redis.exceptions import ResponseError

            raise ResponseError("OOM command not allowed when used memory > 'maxmemory'")

    def add(self, *args, **kwargs):
        self._server()
        return super().add(*args, **kwargs)

    def get(self, *args, **kwargs):
        self._server()
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        self._server()
        return super().set(*args, **kwargs)

    def touch(self, *args, **kwargs):
        self._server()
        return super().touch(*args, **kwargs)

    def incr(self, *args, **kwargs):
        self._server()
        return super().incr(*args, **kwargs)

    def has_key(self, *args, **kwargs):
        self._server()
        return super().has_key(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._server()
        return super().delete(*args, **kwargs)

    def clear(self):
        self._server()
        return super().clear()
