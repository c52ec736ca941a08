"""Flood defence of the public objection form, which no one client can use up (issue #12.5).

Anyone may object to a unit in public notice, without an account, so the form is limited:
- per client address (`portal.core.network.client_address`: forwarded headers count only from
  our own proxies; an IPv6 client counts per /64), per notice: `objections_per_address_hour`
  and `objections_per_address_day` (ShowcaseRules). They are checked before the upload is
  read, so a refused request costs little;
- per notice and day, `objections_per_notice_day` **confirmed** objections. An objector who
  gives an email address confirms with a 6-digit code sent there; until then (and for
  objectors who give only a phone number, since the portal has no SMS service) the objection
  is recorded, shown to the secretariat and holds the unit like any other, but does not count
  toward that ceiling. So made-up objections cannot shut the form for real objectors: each
  one that counts needs a mailbox that receives the code, and one address can file only a few.

Nothing here ever loses an objection: an unknown client address skips the per-address limit
(and is stored as empty), and a code typed wrong too often leaves the objection unconfirmed.
"""

import datetime
import logging
import secrets

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.core.network import limit_key, parse_address

logger = logging.getLogger("portal.awards")

CODE_DIGITS = 6
CODE_ATTEMPTS = 5  # wrong codes per objection; then it stays unconfirmed
CONFIRM_ATTEMPTS_PER_ADDRESS_HOUR = 20
HOUR, DAY = 3600, 86400


def storable_address(address: str) -> str | None:
    """The address as a PostgreSQL `inet` accepts it, or None (junk such as "unknown" is never stored)."""
    parsed = parse_address(address or "")
    return str(parsed) if parsed else None


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str, timeout: int) -> None:
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout)


def _address_keys(notice, address: str, now: datetime.datetime) -> list[tuple[str, int]] | None:
    if storable_address(address) is None:
        return None
    who = limit_key(address)
    day = timezone.localtime(now).date().isoformat()
    return [(f"awards:objection:{notice.pk}:{who}:hour", HOUR), (f"awards:objection:{notice.pk}:{who}:{day}", DAY)]


def address_limit_reached(*, notice, address: str, rules, now: datetime.datetime) -> bool:
    keys = _address_keys(notice, address, now)
    if keys is None:
        logger.warning("objection to notice %s from an unknown client address: no per-address limit", notice.pk)
        return False
    (hour_key, _h), (day_key, _d) = keys
    return _count(hour_key) >= rules.objections_per_address_hour or _count(day_key) >= rules.objections_per_address_day


def count_submission(*, notice, address: str, now: datetime.datetime) -> None:
    for key, timeout in _address_keys(notice, address, now) or []:
        _bump(key, timeout)


def confirmed_today(notice, now: datetime.datetime) -> int:
    """Confirmed objections to the notice on `now`'s local day (the ones that count toward its ceiling)."""
    from .models import Objection

    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return Objection.objects.filter(entry__notice=notice, confirmed_at__gte=start,
                                    confirmed_at__lt=start + datetime.timedelta(days=1)).count()


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(number: str, code: str) -> str:
    """Only a keyed digest of the code is stored (the code itself goes to the objector only)."""
    return salted_hmac("portal.awards.objection-code", f"{number}:{code}").hexdigest()


def code_matches(objection, code: str) -> bool:
    code = "".join(ch for ch in str(code) if ch.isdigit())
    return bool(objection.confirmation_digest) and len(code) == CODE_DIGITS and constant_time_compare(
        code_digest(objection.number, code), objection.confirmation_digest)


def confirm_attempt_allowed(address: str) -> bool:
    """Codes tried from one address per hour, over all objections (no guessing across many)."""
    if storable_address(address) is None:
        return True
    key = f"awards:objection-confirm:{limit_key(address)}"
    if _count(key) >= CONFIRM_ATTEMPTS_PER_ADDRESS_HOUR:
        return False
    _bump(key, HOUR)
    return True


def masked_email(email: str) -> str:
    """w***@example.com: enough for the objector to recognise, little for anyone else."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""
