"""Who did what: one entry point to Wagtail's audit log for every workflow step.

Entries go to Wagtail's ModelLogEntry/PageLogEntry tables (shown in the admin's
"Site history" report and each object's history, both read-only: no view edits
or deletes a log entry, and no ModelViewSet/SnippetViewSet may be registered for
them). Every entry carries the user, the client address (`data["ip"]`) and a UTC
timestamp. Apps register their action names in their `wagtail_hooks.py` with
`register_actions`.

- `record(obj, "area.thing.verb", user=..., request=..., data=...)` for workflow steps.
- `refused(request, obj_or_label)` when a view answers 404/403 for a record the
  user may not see (call it just before raising Http404/PermissionDenied).
- Role changes (a user added to or removed from a role group) are logged by
  `portal.accounts.signals` through `current_request()`.
"""

import logging
from contextvars import ContextVar

from django.db import models
from wagtail.log_actions import log

from .network import client_address  # also imported from here by views

logger = logging.getLogger("portal.audit")

_current_request: ContextVar = ContextVar("portal_audit_request", default=None)

REFUSED = "core.access.refused"
ROLE_ADDED = "accounts.role.add"
ROLE_REMOVED = "accounts.role.remove"


class AuditContextMiddleware:
    """Makes the current request available to audit code that has no request
    argument (signal handlers), so entries still get the user and address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()


def request_user(request):
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def record(instance, action: str, *, user=None, request=None, data: dict | None = None):
    """Write an audit entry for `instance`. Timestamps are stored in UTC."""
    payload = dict(data or {})
    if request is not None:
        payload.setdefault("ip", client_address(request))
        user = user or request_user(request)
    return log(instance, action, user=user, data=payload)


def refused(request, obj_or_label, *, reason: str = ""):
    """Log that `request.user` was refused access to a record.

    `obj_or_label` is the model instance (preferred: the entry then shows in that
    object's history) or a short label such as "members.application 42" when the
    view has no instance. A label is logged against the requesting user; an
    anonymous refusal with only a label goes to the `portal.audit` logger.
    Returns the log entry (or None).
    """
    user = request_user(request)
    data = {"path": request.get_full_path()[:500], "method": request.method}
    if reason:
        data["reason"] = reason
    target = obj_or_label if isinstance(obj_or_label, models.Model) else None
    if target is None:
        data["object"] = str(obj_or_label)[:200]
        target = user
    logger.info(
        "access refused: user=%s ip=%s object=%s path=%s",
        getattr(user, "pk", None), client_address(request), obj_or_label, data["path"],
    )
    if target is None:
        return None
    return record(target, REFUSED, user=user, request=request, data=data)


def register_actions(actions, definitions: dict[str, tuple[str, str]]) -> None:
    """Register {action: (label, message)} with Wagtail's log action registry."""
    for action, (label, message) in definitions.items():
        actions.register_action(action, label, message)
