"""Two-factor authentication for staff roles (allauth.mfa: TOTP + recovery codes).

Holders of `roles.MFA_ROLES` (and superusers) must have a TOTP authenticator
before they may use the Wagtail admin or any `role_required` view, when
`settings.PORTAL_REQUIRE_STAFF_MFA` is on (base/production; off in dev and tests
so the printed demo accounts work). allauth itself then asks for the code at
every login of such an account.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import MFA_ROLES, has_role


def mfa_required_for(user) -> bool:
    """True if the setting is on and the user holds a role that must use 2FA."""
    if not getattr(settings, "PORTAL_REQUIRE_STAFF_MFA", True):
        return False
    return has_role(user, *MFA_ROLES)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_portal_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._portal_has_totp = cached
    return cached


def needs_mfa_setup(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and mfa_required_for(user) and not has_totp(user)


def redirect_to_mfa_setup(request):
    """Tell the user why (in Chinese through the catalogue) and send them to TOTP setup."""
    messages.warning(
        request,
        _("Your role requires two-factor authentication. Set up an authenticator app to continue."),
    )
    return redirect(reverse("mfa_activate_totp"))
