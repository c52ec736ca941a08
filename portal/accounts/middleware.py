from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import needs_mfa_setup, redirect_to_mfa_setup
from .views import redirect_to_allauth_login


class AdminAccessMiddleware:
    """Guards the Wagtail admin.

    - `/admin/login/` (Wagtail's own login form, which allauth's rate limits do not
      cover) is never served: every method is redirected to allauth's login,
      keeping a safe `next`.
    - A logged-in user without admin access never sees the admin chrome: a firm
      user is sent to their account page instead.
    - Staff who must use two-factor authentication but have no authenticator yet
      are sent to the TOTP setup page (`PORTAL_REQUIRE_STAFF_MFA`).
    Anonymous visitors fall through to Wagtail, which redirects them to the
    (allauth) login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    @property
    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix

    def __call__(self, request):
        path = request.path
        if path.startswith(self.admin_prefix):
            if path == reverse("wagtailadmin_login"):
                return redirect_to_allauth_login(request, default_next=self.admin_prefix)
            user = request.user
            if user.is_authenticated:
                if not user.has_perm("wagtailadmin.access_admin"):
                    messages.info(request, _("The administration area is for association staff only."))
                    return redirect("account_home")
                if needs_mfa_setup(user):
                    return redirect_to_mfa_setup(request)
        return self.get_response(request)
