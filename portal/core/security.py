"""Security headers: Content-Security-Policy (with a scoped relaxation for the Wagtail admin)
and Permissions-Policy.

The public site's policy (`settings.CONTENT_SECURITY_POLICY`) allows no inline
script. Wagtail 8's admin still renders a few inline `<script>` blocks (the
date/time choosers of filters and of the publishing schedule call
`initDateChooser(...)` inline, and chooser modals insert HTML fragments carrying
scripts), so under `/admin/` only, `script-src` additionally allows
`'unsafe-inline'`. The admin is reachable only by logged-in staff, and every
other directive (no objects, same-origin frames/forms/base) still applies there.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse

ADMIN_SCRIPT_SRC = [SELF, UNSAFE_INLINE]


class PortalCSPMiddleware(CSPMiddleware):
    _admin_prefix: str | None = None

    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.admin_prefix()):
            parts.replace = {**(parts.replace or {}), "script-src": ADMIN_SCRIPT_SRC}
        return parts


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response (pages, cached pages, static files, errors):
    the portal uses no camera, microphone, location, payment or device API, so a script
    injected into it, or a page framing it, cannot either (`settings.PERMISSIONS_POLICY`)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
