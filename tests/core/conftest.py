import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached pages live in the (per-process) locmem cache."""
    cache.clear()
    yield
    cache.clear()
