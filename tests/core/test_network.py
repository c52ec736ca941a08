"""Issue #12.5: client addresses come from forwarded headers only when our own proxy sent them."""

import pytest

from portal.core import audit
from portal.core.network import client_address, parse_address

PROXY = "10.0.0.5"


def _request(rf, *, remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_forwarded_header_is_ignored_without_trusted_proxies(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    request = _request(rf, remote="198.51.100.7", forwarded="203.0.113.99")
    assert client_address(request) == "198.51.100.7"
    assert audit.client_address(request) == "198.51.100.7"


def test_forwarded_header_from_an_untrusted_address_is_ignored(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request(rf, remote="198.51.100.7", forwarded="203.0.113.99")) == "198.51.100.7"


def test_behind_our_proxy_the_address_it_appended_is_the_client(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # the client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended the address it saw
    assert client_address(_request(rf, forwarded="1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_a_chain_of_our_proxies_is_skipped(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = "10.0.0.0/24, 192.0.2.0/28"
    assert client_address(_request(rf, forwarded="1.2.3.4, 198.51.100.7, 192.0.2.3")) == "198.51.100.7"


def test_all_hops_trusted_gives_the_first(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request(rf, forwarded="10.1.1.1, 10.0.0.9")) == "10.1.1.1"


@pytest.mark.parametrize("junk", ["unknown", "", "not-an-ip", "1.2.3.4.5", "<script>", "x" * 500, "::zz"])
def test_junk_addresses_never_raise(rf, settings, junk):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request(rf, forwarded=junk)) in ("", PROXY)
    assert client_address(_request(rf, forwarded=f"{junk}, 198.51.100.7")) == "198.51.100.7"
    assert client_address(_request(rf, remote=junk)) == ""


def test_junk_from_our_own_proxy_means_unknown(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request(rf, forwarded="198.51.100.7, unknown")) == ""


@pytest.mark.parametrize(("value", "expected"), [
    ("198.51.100.7", "198.51.100.7"), (" 198.51.100.7 ", "198.51.100.7"), ("198.51.100.7:5123", "198.51.100.7"),
    ("[2001:db8::1]:443", "2001:db8::1"), ("2001:DB8::1", "2001:db8::1"), ("fe80::1%eth0", "fe80::1"),
    ("::ffff:198.51.100.7", "198.51.100.7"), ("unknown", None), ("", None),
])
def test_parse_address(value, expected):
    parsed = parse_address(value)
    assert (str(parsed) if parsed else None) == expected


def test_no_request_no_address():
    assert client_address(None) == ""
