"""The access-control matrix (issue #8): every URL pattern of our views × eight roles.

- `test_every_url_has_an_entry`: a new view without an entry fails, and so does a stale entry.
- `test_access[<key>]`: one test per URL key; the eight roles are requested in turn (each in a
  rolled-back savepoint) and every mismatch of the key is reported in one message.
- `test_known_access_bug[<key>-<role>]`: the cases listed in `matrix.KNOWN_BUGS`, one strict xfail
  each (expected = the rule; they xpass, and fail, once the owner fixes the view).
- `test_post[...]`: state-changing POSTs by a wrong role are refused and change nothing; the
  allowed role's control POST changes the state (so the refusals are not just invalid forms).
- `test_extra[...]`: provider accounts and an unassigned expert.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from .checks import StatusMismatch, actual, check_get, login, matches, url_for
from .matrix import EXTRA_CASES, KNOWN_BUGS, MATRIX, POST_CASES
from .urls import our_routes
from .world import ROLES


def test_every_url_has_an_entry():
    routes = our_routes()
    missing = sorted(set(routes) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(routes))
    assert not missing and not stale, (
        "Access matrix out of date. "
        + (f"URLs without an entry in tests/access/matrix.py: {[f'{k} ({routes[k].view})' for k in missing]}. "
           if missing else "")
        + (f"Entries for URLs that no longer exist: {stale}." if stale else "")
    )


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_access(key, world, db, client):
    failures = []
    for role in ROLES:
        if (key, role) in KNOWN_BUGS:
            continue  # test_known_access_bug
        with transaction.atomic():
            try:
                check_get(client, world, key, role, MATRIX[key].expect[role])
            except StatusMismatch as exc:
                failures.append(str(exc))
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "key,role",
    [pytest.param(key, role, id=f"{key}-{role}",
                  marks=pytest.mark.xfail(strict=True, raises=StatusMismatch,
                                          reason=f"{bug.reason}; actual {bug.actual.describe()}"))
     for (key, role), bug in sorted(KNOWN_BUGS.items())],
)
def test_known_access_bug(key, role, world, db, client):
    check_get(client, world, key, role, MATRIX[key].expect[role])


def _post_param(case):
    marks = []
    bug = KNOWN_BUGS.get((case.key, case.role))
    if bug is not None and not case.changes:
        marks.append(pytest.mark.xfail(strict=True, raises=StatusMismatch,
                                       reason=f"{bug.reason}; actual {bug.actual.describe()}"))
    return pytest.param(case, id=f"{case.key}-{case.role}{'-allowed' if case.changes else ''}", marks=marks)


@pytest.mark.parametrize("case", [_post_param(c) for c in POST_CASES])
def test_post(case, world, db, client):
    url = reverse(case.key, kwargs=case.kwargs(world))
    before = case.state(world)
    response = login(client, world, case.role).post(url, case.data(world))
    after = case.state(world)
    if case.changes:
        assert after != before, (f"{case.key} as {case.role}: the allowed POST changed nothing ({before}); "
                                 f"response {actual(response)}")
    else:
        assert after == before, f"{case.key} as {case.role}: a refused POST changed the state {before} → {after}"
    assert matches(response, case.expect, world), (
        f"{case.key} as {case.role}: POST {url} expected {case.expect.describe(world)}, got {actual(response)}")


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.key}-{c.user}") for c in EXTRA_CASES])
def test_extra(case, world, db, client):
    url = reverse(case.key, kwargs=case.kwargs(world) if case.kwargs else None)
    client.force_login(world.users.get(case.user) or getattr(world, case.user))
    response = client.get(url)
    assert matches(response, case.expect, world), (
        f"{case.key} as {case.user}: GET {url} expected {case.expect.describe(world)}, got {actual(response)}")


def test_url_for_builds_every_key(world, db):
    for key in MATRIX:
        assert url_for(world, key).startswith("/")
