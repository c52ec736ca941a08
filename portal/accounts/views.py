from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from wagtail import hooks


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
    return render(request, "accounts/account_home.html", {"panels": account_panels(request)})
