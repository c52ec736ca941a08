from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class AdminAccessMiddleware:
    """A logged-in user without admin access never sees the Wagtail admin chrome.

    Wagtail would show its own login page with a "no permission" message; a firm
    user is sent to their account page instead. Anonymous visitors fall through
    to Wagtail, which redirects them to the (allauth) login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            user = request.user
            if user.is_authenticated and not user.has_perm("wagtailadmin.access_admin"):
                messages.info(request, _("The administration area is for association staff only."))
                return redirect("account_home")
        return self.get_response(request)
