"""Issue #12 check: failed-login limits must not let anyone lock anyone else out.

allauth's "5 per 5 minutes per account" alone lets a stranger lock any account by typing five
wrong passwords. The limits are now per (client address, account) — the attacker's address is
locked out of that account, the owner elsewhere is not — plus a looser cap per account over all
addresses (PORTAL: 60 an hour) that bounds a distributed guessing attack.
"""

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
TOO_MANY = "登录失败次数过多"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def _login(client, email, password, address, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=address, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_from_one_address_lock_only_that_address(client, firm_a_user):
    for _attempt in range(5):
        assert TOO_MANY not in _login(client, firm_a_user.email, "wrong", ATTACKER).content.decode()
    assert TOO_MANY in _login(client, firm_a_user.email, "wrong", ATTACKER).content.decode()
    assert TOO_MANY in _login(client, firm_a_user.email, PASSWORD, ATTACKER).content.decode()
    assert not _logged_in(client)
    response = _login(client, firm_a_user.email, PASSWORD, OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(firm_a_user.pk)


def test_a_forged_forwarded_address_does_not_reset_the_count(client, firm_a_user, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    for attempt in range(5):
        _login(client, firm_a_user.email, "wrong", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    response = _login(client, firm_a_user.email, PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert TOO_MANY in response.content.decode()
    assert not _logged_in(client)


def test_ipv6_neighbours_share_one_count(client, firm_a_user):
    for attempt in range(5):
        _login(client, firm_a_user.email, "wrong", f"2001:db8:1:2::{attempt + 1:x}")
    assert TOO_MANY in _login(client, firm_a_user.email, PASSWORD, "2001:db8:1:2::ff").content.decode()


def test_many_addresses_together_reach_the_account_cap(client, firm_a_user):
    for network in range(12):
        for _attempt in range(5):
            _login(client, firm_a_user.email, "wrong", f"192.0.2.{network + 1}")
    response = _login(client, firm_a_user.email, PASSWORD, OWNER)
    assert TOO_MANY in response.content.decode()
    assert not _logged_in(client)


def test_fewer_failures_than_the_account_cap_leave_the_owner_in(client, firm_a_user):
    for network in range(11):
        for _attempt in range(5):
            _login(client, firm_a_user.email, "wrong", f"192.0.2.{network + 1}")
    assert _login(client, firm_a_user.email, PASSWORD, OWNER).status_code == 302
    assert _logged_in(client)


def test_one_address_trying_many_accounts_is_slowed_down(client, make_user):
    users = [make_user(email=f"target{i}@example.com") for i in range(11)]
    for user in users[:10]:
        _login(client, user.email, "wrong", ATTACKER)
    assert TOO_MANY in _login(client, users[10].email, "wrong", ATTACKER).content.decode()

