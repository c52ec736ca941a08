"""Document numbers (member numbers, receipts, application and objection numbers): one service.

Each sequence is a `Counter` row, incremented under `select_for_update`, so concurrent requests
and several app servers never issue the same number, and a number is never reused even when the
transaction that took it is the only one that rolls back (then there is a gap, which is what
auditors expect from pre-numbered documents).
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Counter


def next_number(key: str, *, floor: Callable[[], int] | None = None) -> int:
    """The next value of sequence `key` (call inside the transaction that uses it).

    `floor()` gives the highest number already used when the sequence is first created (for data
    numbered before the sequence existed); it is called only then.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number")
    if not Counter.objects.filter(key=key).exists():
        try:
            with transaction.atomic():
                Counter.objects.create(key=key, last=floor() if floor else 0)
        except IntegrityError:  # created concurrently: it exists now
            pass
    counter = Counter.objects.select_for_update().get(key=key)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return counter.last


def formatted(key: str, template: str, *, floor: Callable[[], int] | None = None) -> str:
    """`template.format(n=next)`, e.g. formatted("receipt-2026", "SJ-2026-{n:05d}")."""
    return template.format(n=next_number(key, floor=floor))


def highest_suffix(queryset, field: str, prefix: str) -> int:
    """The largest integer after `prefix` in `field` among `queryset` (a `floor` for `next_number`)."""
    highest = 0
    for value in queryset.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True):
        tail = value[len(prefix):]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return highest
