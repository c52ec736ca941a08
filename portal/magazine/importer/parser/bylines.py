"""Bylines under a title: ``文/…``, ``本刊记者 …``, ``陈安/金华市发改委副主任``, ``…市长 汤飞帆``."""

from __future__ import annotations

import re

from .model import ParsedAuthor
from .patterns import (
    BYLINE_NAME_TITLE_RE,
    BYLINE_REPORTER_RE,
    BYLINE_TITLE_NAME_RE,
    BYLINE_WEN_RE,
    MARKER_RE,
    SENTENCE_PUNCT_RE,
)
from .text import is_terminal, looks_like_org


def head_byline(text: str) -> ParsedAuthor | None:
    """``陈安/金华市发改委副主任`` or ``中共衢州市委副书记、市长 汤飞帆`` under a title."""
    m = BYLINE_NAME_TITLE_RE.match(text)
    if m and not looks_like_org(m["name"]):
        return ParsedAuthor(name=m["name"], note=m["note"].strip())
    m = BYLINE_TITLE_NAME_RE.match(text)
    if m and not SENTENCE_PUNCT_RE.search(text):
        return ParsedAuthor(name=m["name"], note=m["note"].strip())
    return None


def byline_authors(text: str) -> list[ParsedAuthor] | None:
    m = BYLINE_WEN_RE.match(text)
    role = ""
    if not m:
        m = BYLINE_REPORTER_RE.match(text)
        if not m:
            return None
        role = m["role"]
    names = m["names"].strip()
    if is_terminal(names) or SENTENCE_PUNCT_RE.search(names):
        return None
    authors = []
    for token in re.split(r"[\s、，,；;]+", names):
        if not token:
            continue
        mk = MARKER_RE.search(token)
        name = MARKER_RE.sub("", token).strip()
        if not name:
            continue
        note = f"[{mk[1]}]" if mk else role
        authors.append(ParsedAuthor(name=name, note=note, is_organisation=looks_like_org(name)))
    return authors or None
