"""Request one matrix case and compare the response with the expected outcome."""

from __future__ import annotations

from django.urls import reverse

from .matrix import MATRIX, Outcome


class StatusMismatch(AssertionError):
    """The response's status (or redirect target) is not the expected one (known bugs xfail on this only)."""


def url_for(world, key: str) -> str:
    entry = MATRIX[key]
    url = reverse(key, kwargs=entry.kwargs(world) if entry.kwargs else None)
    return f"{url}?{entry.query}" if entry.query else url


def login(client, world, role: str):
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def matches(response, outcome: Outcome, world) -> bool:
    if response.status_code != outcome.status:
        return False
    if outcome.status != 302:
        return True
    target = outcome.target(world)
    location = response["Location"]
    return location == target if outcome.exact else location.startswith(target)


def actual(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code}→{response['Location']}"
    return str(response.status_code)


def check_get(client, world, key: str, role: str, expected: Outcome) -> None:
    url = url_for(world, key)
    response = login(client, world, role).get(url)
    if not matches(response, expected, world):
        raise StatusMismatch(f"{key} as {role}: GET {url} expected {expected.describe(world)}, got {actual(response)}")
