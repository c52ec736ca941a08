"""Content-Security-Policy with a scoped relaxation for the Wagtail admin.

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
