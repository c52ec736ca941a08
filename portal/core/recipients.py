"""Who gets an email: one place for every process.

Addresses are de-duplicated, empty ones dropped, inactive accounts skipped. Processes combine
these with the addresses they hold on their own records (an application's contact email).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model


def unique(addresses: Iterable[str]) -> list[str]:
    """Non-empty addresses, each once, in order."""
    return list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))


def of_users(users) -> list[str]:
    """The addresses of active users (a queryset or an iterable of users)."""
    if hasattr(users, "filter"):
        return unique(users.filter(is_active=True).values_list("email", flat=True))
    return unique(u.email for u in users if u is not None and u.is_active)


def with_roles(*roles) -> list[str]:
    """Everyone holding any of `roles` (portal.accounts.roles.Role)."""
    users = get_user_model().objects.filter(groups__name__in=[str(r) for r in roles]).distinct()
    return of_users(users)
