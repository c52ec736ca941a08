from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from wagtail import hooks

from .display import person_name


def redirect_to_allauth_login(request, *, default_next: str = "/"):
    """Send any login attempt to allauth's login, keeping `next` if it stays on this site.

    allauth's login is the only one that rate-limits failed passwords, refuses accounts
    whose email address is unverified and asks staff for their second factor.
    """
    target = request.GET.get("next") or default_next
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = default_next
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


@csrf_exempt  # it reads no posted data and changes nothing: a POST is redirected like a GET
def login_elsewhere(request):
    """Replaces Django's LoginView that `wagtail.urls` mounts at `/_util/login/` (issue #12.1)."""
    return redirect_to_allauth_login(request)


def account_panels(request) -> list[dict]:
    """Panels other apps add to "my account" through the `register_account_panel` hook.

    A hook function takes the request and returns None (nothing to show) or a dict
    with `title`, `template` and `context`; `order` sorts them.
    """
    panels = []
    for fn in hooks.get_hooks("register_account_panel"):
        panel = fn(request)
        if panel:
            panels.append(panel)
    return sorted(panels, key=lambda p: p.get("order", 100))


@login_required
def account_home(request):
    return render(request, "accounts/account_home.html",
                  {"panels": account_panels(request), "account_name": person_name(request.user)})
