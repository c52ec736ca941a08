"""Error pages: Chinese, in the site's design, rendered without the database or the cache.

`handler500` (portal/urls.py) answers **503 with Retry-After** when the request failed because a
dependency was unavailable — the database refused, timed out or is being skipped
(portal.core.postgres) — and 500 otherwise. Both render a plain template (no context
processors, no query, no cache: only static CSS), and fall back to a fixed Chinese page if even
that fails. 404 is Django's own view with templates/404.html, which needs nothing either.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("portal.resilience")
RETRY_AFTER_SECONDS = 30
FALLBACK = (
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>浙江省信用协会</title></head>'
    "<body><h1>{heading}</h1><p>请稍后再试。</p><p><a href=\"/\">返回首页</a></p></body></html>"
)


def dependency_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


def server_error(request, template_name="500.html"):
    """handler500: 503 + Retry-After for an unavailable database, else 500."""
    if dependency_unavailable(sys.exc_info()[1]):
        return unavailable_response()
    return _render(template_name, 500, "服务器出现错误")


def unavailable_response(retry_after: int = RETRY_AFTER_SECONDS) -> HttpResponse:
    response = _render("503.html", 503, "服务暂时不可用", {"retry_after": retry_after})
    response["Retry-After"] = str(retry_after)
    return response


def _render(template_name: str, status: int, heading: str, context: dict | None = None) -> HttpResponse:
    try:
        content = loader.get_template(template_name).render(context or {})
    except Exception:
        logger.exception("rendering %s failed", template_name)
        content = FALLBACK.format(heading=heading)
    response = HttpResponse(content, status=status)
    response["Cache-Control"] = "no-store"
    return response
