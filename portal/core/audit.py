"""Who did what: one entry point to Wagtail's audit log for every workflow step.

Entries go to Wagtail's ModelLogEntry/PageLogEntry tables (shown in the admin's
"Site history" report, read-only). Apps register their action names in their
`wagtail_hooks.py` with `register_actions`.
"""

from wagtail.log_actions import log


def client_address(request) -> str:
    if request is None:
        return ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")) or ""


def record(instance, action: str, *, user=None, request=None, data: dict | None = None):
    """Write an audit entry for `instance`. Timestamps are stored in UTC."""
    payload = dict(data or {})
    if request is not None:
        payload.setdefault("ip", client_address(request))
        user = user or (request.user if request.user.is_authenticated else None)
    return log(instance, action, user=user, data=payload)


def register_actions(actions, definitions: dict[str, tuple[str, str]]) -> None:
    """Register {action: (label, message)} with Wagtail's log action registry."""
    for action, (label, message) in definitions.items():
        actions.register_action(action, label, message)
