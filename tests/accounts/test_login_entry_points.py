"""Issue #12.1: every login entry point the URLconf exposes is allauth's one guarded login.

The URLconf is walked for views that authenticate (Django `LoginView` subclasses, and any view
whose module, class, function or URL name speaks of login/authentication). Each one found must be
listed in ENTRY_POINTS with what it is, and each one is attacked the same way: eleven wrong
passwords then the right one, the password alone of staff who use TOTP, and the password of an
account whose email address was never verified. None of them may log anyone in.
"""

import re

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.conftest import PASSWORD

from .test_logins import _add_totp

LOGIN = "/accounts/login/"

# url name -> what the view is. A view that authenticates and is not listed here fails
# test_every_authenticating_view_is_known: decide what it is, then add it.
ENTRY_POINTS = {
    "account_login": "allauth's login: rate limits, mandatory email verification, TOTP",
    "wagtailadmin_login": "Wagtail's admin login: redirected to account_login (AdminAccessMiddleware)",
    "wagtailcore_login": "Django's LoginView from wagtail.urls: replaced by a redirect to account_login",
    "account_reauthenticate": "allauth: a logged-in user re-enters the password (rate limit 'reauthenticate')",
    "account_confirm_login_code": "allauth's login by code: off (ACCOUNT_LOGIN_BY_CODE_ENABLED is False)",
    "mfa_authenticate": "allauth: the second step of account_login, only after a correct password",
    "mfa_reauthenticate": "allauth: a logged-in user re-enters a TOTP code",
    "wagtailcore_authenticate_with_password": "page privacy password: a shared password, no user account",
    "wagtaildocs_authenticate_with_password": "document privacy password: a shared password, no user account",
}
AUTH_WORDS = re.compile(r"login|authenticat", re.IGNORECASE)


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _authenticates(pattern: URLPattern) -> bool:
    view = pattern.callback
    view_class = getattr(view, "view_class", None)
    if view_class is not None and issubclass(view_class, (DjangoLoginView, AllauthLoginView)):
        return True
    words = [pattern.name or "", getattr(view, "__module__", ""), getattr(view, "__name__", "")]
    if view_class is not None:
        words += [view_class.__module__, view_class.__name__]
    return any(AUTH_WORDS.search(word) for word in words)


def _sample_path(route: str) -> str:
    """A concrete path for a route: every converter gets 1."""
    assert "^" not in route, f"regex route {route}: give it a sample path"
    return "/" + re.sub(r"<[^>]+>", "1", route)


def authenticating_views() -> list[tuple[str, str]]:
    return [(pattern.name, _sample_path(route)) for route, pattern in _walk(get_resolver()) if _authenticates(pattern)]


def _post_credentials(client, path, email, password):
    """Every field name a login form might use."""
    return client.post(path, {"login": email, "username": email, "email": email, "password": password})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_every_authenticating_view_is_known():
    found = {name for name, _path in authenticating_views()}
    assert found == set(ENTRY_POINTS)


def test_no_path_is_answered_by_djangos_login_view():
    """Wagtail's admin login still resolves, but AdminAccessMiddleware answers before it runs."""
    for name, path in authenticating_views():
        view_class = getattr(resolve(path).func, "view_class", None)
        if view_class is not None and issubclass(view_class, DjangoLoginView):
            assert name == "wagtailadmin_login", f"{path} is served by {view_class.__name__}"


@pytest.mark.parametrize("name", ["wagtailcore_login", "wagtailadmin_login"])
def test_other_login_views_redirect_to_allauth_keeping_safe_next(client, name):
    path = reverse(name)
    assert client.get(f"{path}?next=/showcase/apply/")["Location"] == f"{LOGIN}?next=%2Fshowcase%2Fapply%2F"
    response = client.post(f"{path}?next=https://evil.example/", {"username": "x", "password": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=%2F")
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(("name", "path"), authenticating_views())
def test_entry_point_refuses_the_right_password_after_eleven_wrong_ones(client, firm_a_user, name, path):
    for _attempt in range(11):
        _post_credentials(client, path, firm_a_user.email, "wrong-password")
        assert not _logged_in(client)
    _post_credentials(client, path, firm_a_user.email, PASSWORD)
    assert not _logged_in(client), name


@pytest.mark.parametrize(("name", "path"), authenticating_views())
def test_entry_point_asks_staff_with_totp_for_the_second_factor(client, expert, name, path):
    _add_totp(expert)
    response = _post_credentials(client, path, expert.email, PASSWORD)
    assert not _logged_in(client), name
    if name == "account_login":
        assert response["Location"] == reverse("mfa_authenticate")
        assert client.get("/admin/")["Location"].startswith(LOGIN)
        assert client.get(reverse("showcase_admin:my_assignments"))["Location"].startswith(LOGIN)


@pytest.mark.parametrize(("name", "path"), authenticating_views())
def test_entry_point_refuses_an_unverified_account(client, make_user, name, path):
    user = make_user(email="unverified@example.com", verified=False)
    response = _post_credentials(client, path, user.email, PASSWORD)
    assert not _logged_in(client), name
    if name == "account_login":
        assert response["Location"] == reverse("account_email_verification_sent")


def test_allauth_login_refuses_the_sixth_wrong_password(client, firm_a_user):
    for _attempt in range(5):
        response = _post_credentials(client, LOGIN, firm_a_user.email, "wrong-password")
        assert "登录失败次数过多" not in response.content.decode()
    sixth = _post_credentials(client, LOGIN, firm_a_user.email, "wrong-password")
    assert "登录失败次数过多" in sixth.content.decode()


def test_allauth_login_still_logs_in_a_verified_firm_user(client, firm_a_user):
    response = _post_credentials(client, LOGIN, firm_a_user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(firm_a_user.pk)


def test_only_allauths_backend_authenticates(settings):
    """Django's ModelBackend (username + password, no allauth checks) is not configured."""
    assert settings.AUTHENTICATION_BACKENDS == ["allauth.account.auth_backends.AuthenticationBackend"]
