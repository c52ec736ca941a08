from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.core.mail import OutboxAccountAdapterMixin
from portal.core.network import client_address, limit_key

from .roles import is_staff_member

# Failed logins per account over all addresses (ACCOUNT_RATE_LIMITS); see login_attempts_key.
ACCOUNT_CAP = "login_failed_account"


class PortalAccountAdapter(OutboxAccountAdapterMixin, DefaultAccountAdapter):
    """Staff land in the Wagtail admin after login, firm users on their account page.

    Failed-login limits (issue #12): allauth counts `login_failed` per address and per "key",
    the key being the account. A per-account limit alone lets a stranger lock any account by
    typing wrong passwords, so here the key is the account *and* the client address: the
    attacker's address is locked out of that account, its owner elsewhere is not. A looser
    cap per account over every address (`ACCOUNT_RATE_LIMITS["login_failed_account"]`) still
    bounds a guessing attack spread over many addresses; a password reset clears both.

    Emails go through the portal's outbox (queued, sent after commit, retried).
    """

    def get_login_redirect_url(self, request):
        if is_staff_member(request.user) or request.user.is_superuser:
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        """The one notion of client address (trusted proxies only; portal.core.network)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def account_key(self, request, **credentials) -> str:
        """The account's login (email address), lowercased. allauth prefixes it with the request's
        site domain, which without django.contrib.sites is the Host header with its port: every
        allowed name or made-up port (`Host: portal.example.org:1`, `:2` …), or another app server
        reached by another name, would start a fresh count (issue #16). One site, one count."""
        return credentials.get("email", credentials.get("username", "")).lower()

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth 65 keys the "…/key" rates of `login_failed` with this (and clears it after a
        # password reset): make it per client address (IPv6: per /64) and account.
        return f"{self.account_key(request, **credentials)}:{limit_key(self.get_client_ip(request))}"

    def pre_authenticate(self, request, **credentials) -> None:
        if not ratelimit.consume(request, action=ACCOUNT_CAP, key=self.account_key(request, **credentials),
                                 dry_run=True):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        ratelimit.consume(request, action=ACCOUNT_CAP, key=self.account_key(request, **credentials))

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, action=ACCOUNT_CAP, key=self.account_key(request, **credentials))
