"""The client's network address, trusting forwarded headers only from our own proxies.

`X-Forwarded-For` is written by whoever sends the request: a client can put any address in
it. Only a reverse proxy we run appends the address it saw. So the header is read only when
the request comes from a network listed in `settings.PORTAL_TRUSTED_PROXIES` (CIDR networks;
default none, i.e. `REMOTE_ADDR` is the client), and then from the right: the first hop that is
not one of our proxies is the client. Everything that needs the address (the audit log,
allauth's rate limits, the objection limits) uses `client_address()`.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger("portal.network")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(value: str) -> IPAddress | None:
    """An IP address from a header value, or None for anything else (`unknown`, junk, empty).

    Accepts `[v6]`, `v4:port`, zone ids (dropped) and IPv4-mapped IPv6 (returned as IPv4),
    so that what is returned is always storable in a PostgreSQL `inet` column.
    """
    value = (value or "").strip().strip('"')
    if not value or len(value) > 100:
        return None
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    value = value.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def trusted_proxies() -> tuple:
    spec = getattr(settings, "PORTAL_TRUSTED_PROXIES", ()) or ()
    if isinstance(spec, str):
        spec = spec.split(",")
    return _networks(tuple(spec))


def _trusted(address: IPAddress, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request) -> str:
    """The client's IP address as a string, or "" when it cannot be known. Never raises."""
    if request is None:
        return ""
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    networks = trusted_proxies()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    # Several X-Forwarded-For headers arrive joined with commas: one list of hops.
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    address = remote
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # Only a misconfigured proxy of ours writes junk here (one that appends what it saw
            # never does): the client is unknown.
            logger.warning("unparsable forwarded address %r from proxy %s", hop[:100], remote)
            return ""
        if not _trusted(address, networks):
            return str(address)
    return str(address)


def limit_key(address: str) -> str:
    """The unit a per-address limit counts: the address, or its /64 for IPv6 (one subscriber
    usually holds a whole /64, so counting single IPv6 addresses would be no limit at all)."""
    parsed = parse_address(address)
    if parsed is None:
        return "unknown"
    if parsed.version == 6:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address) + "/64"
    return str(parsed)
