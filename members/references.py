"""Payment references (缴费参考号): what a firm writes in the note (附言) of its bank transfer.

A reference names one dues item: a prefix (`HF` for a unit's dues, `HG` for an individual member's),
the digits of the member number, the dues year's last two digits and a check letter, e.g.
`HF2026000126K` for member ZJXY-2026-0001's dues of 2026. It is short enough to type into a bank's
note field, has no letters that read as digits (no I, O, Z), and the check letter (weighted sum
modulo 23, a prime larger than any weight's difference) catches any single wrong character and any
two neighbours swapped, so a typo never pays somebody else's dues.

Notes are typed by hand on phones and bank portals: `find_references` reads them tolerantly
(full-width characters, lower case, spaces and dashes inside the reference).
"""

from __future__ import annotations

import re
import unicodedata

UNIT_PREFIX = "HF"  # 会费 of a unit (单位会员)
PERSON_PREFIX = "HG"  # 会费 of an individual member (个人会员)
CHECK_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"  # 23 letters: no I, O (read as 1, 0) and no Z (read as 2)
_VALUES = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_SEPARATORS = re.compile(r"[\s\-_·.,，、:：/\\|#＃]+")
_CANDIDATE = re.compile(r"H[FG]\d{6,16}[A-Z]")


def check_letter(body: str) -> str:
    """The check letter of `body` (prefix and digits)."""
    total = sum((position + 1) * _VALUES[ch] for position, ch in enumerate(body))
    return CHECK_LETTERS[total % len(CHECK_LETTERS)]


def make_reference(prefix: str, member_number: str, year: int) -> str:
    digits = "".join(ch for ch in member_number if ch.isdigit())
    body = f"{prefix}{digits}{year % 100:02d}"
    return body + check_letter(body)


def is_valid(reference: str) -> bool:
    return bool(_CANDIDATE.fullmatch(reference)) and check_letter(reference[:-1]) == reference[-1]


def normalise_note(text: str) -> str:
    """A note as compared: full-width forms folded (NFKC), upper case, separators removed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "").upper())


def find_references(note: str) -> tuple[list[str], list[str]]:
    """(valid references, reference-like strings whose check letter is wrong) found in a note."""
    valid, broken = [], []
    for candidate in _CANDIDATE.findall(normalise_note(note)):
        (valid if is_valid(candidate) else broken).append(candidate)
    return list(dict.fromkeys(valid)), broken
