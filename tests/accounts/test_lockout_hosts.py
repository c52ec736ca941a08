"""Failed logins count per account whatever Host header or server they reach (issue #16).

allauth keys its per-account counts with the request's site domain, which without
django.contrib.sites is the Host header *with its port*: behind a load balancer a server reached
under another name or port, or an attacker writing `Host: portal.example.org:1`, `:2`, … (Django
accepts any port for an allowed host), started a fresh count each time.
"""

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
TOO_MANY = "登录失败次数过多"
ATTACKER = "203.0.113.66"


def _login(client, email, password, host):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ATTACKER, HTTP_HOST=host)


def test_varying_the_hosts_port_does_not_reset_the_count(client, firm_a_user, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    for port in range(1, 6):
        response = _login(client, firm_a_user.email, "wrong", f"portal.example.org:{port}")
        assert response.status_code == 200 and TOO_MANY not in response.content.decode()
    refused = _login(client, firm_a_user.email, PASSWORD, "portal.example.org")
    assert TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_every_allowed_host_shares_the_count(client, firm_a_user, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org", "www.portal.example.org", "127.0.0.1"]
    for n in range(5):
        _login(client, firm_a_user.email, "wrong", settings.ALLOWED_HOSTS[n % 3])
    assert TOO_MANY in _login(client, firm_a_user.email, PASSWORD, "127.0.0.1").content.decode()
