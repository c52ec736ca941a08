"""`/healthz`: which dependency is down, for load balancers and monitoring; never raises.

JSON with one entry per dependency — the database (a `SELECT 1`), the cache (a write and a
read back, or "skipped" while its circuit breaker is open) and the email outbox (pending
emails, those being sent right now, the age of the oldest pending one — a backlog means the
mail server has been unreachable — and those given up after eight attempts) —
and an overall status: "ok"; "degraded" (the site serves, e.g. uncached or with mail queued);
"unavailable" when the database is down (HTTP 503, so a load balancer stops sending traffic
to a server that can only answer error pages). Nothing but exception class names is shown.
"""

import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

EMAIL_BACKLOG_ALERT_MINUTES = 60


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not fail
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache() -> dict:
    if not getattr(cache, "available", True):
        return {"ok": False, "error": "skipped (unavailable, retrying shortly)"}
    token = uuid.uuid4().hex
    key = f"portal:healthz:{token}"
    cache.set(key, token, 10)
    ok = cache.get(key) == token
    cache.delete(key)
    return {"ok": ok} if ok else {"ok": False, "error": "no answer"}


def _outbox() -> dict:
    from .models import OutboundEmail

    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    minutes = round((timezone.now() - oldest).total_seconds() / 60, 1) if oldest else 0
    failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).count()
    sending = pending.filter(claimed_until__gt=timezone.now()).count()
    return {"ok": minutes < EMAIL_BACKLOG_ALERT_MINUTES, "pending": pending.count(), "sending": sending,
            "oldest_pending_minutes": minutes, "failed": failed}


@never_cache
def healthz(request):
    database = _timed(_database)
    checks = {
        "database": database,
        "cache": _timed(_cache),
        "email_outbox": _timed(_outbox) if database["ok"] else {"ok": False, "error": "database unavailable"},
    }
    if not database["ok"]:
        status = "unavailable"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "unavailable" else 200,
                        json_dumps_params={"ensure_ascii": False})
