from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from portal.core.mail import OutboxAccountAdapterMixin

from .roles import is_staff_member


class PortalAccountAdapter(OutboxAccountAdapterMixin, DefaultAccountAdapter):
    """Staff land in the Wagtail admin after login, firm users on their account page.

    Emails go through the portal's outbox (queued, sent after commit, retried).
    """

    def get_login_redirect_url(self, request):
        if is_staff_member(request.user) or request.user.is_superuser:
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)
