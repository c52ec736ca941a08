"""The access matrix's world: built once per module inside a transaction rolled back at its end.

Each test runs in its own nested transaction (pytest-django's `db`), so a POST case that changes
state is undone before the next case: the world is shared but every case starts from the same rows.
"""

import pytest
from django.core.cache import cache
from django.db import transaction


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from .world import build_world

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # Wagtail caches site root paths
