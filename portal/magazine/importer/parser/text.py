"""Text cleaning and matching: normalised keys, prose detection, page-break joins, title clean-up."""

import re
import unicodedata

from .patterns import CLEAN_TITLE_SPACES_RE, ORG_SUFFIX_RE, QUOTE_TABLE, TERMINAL_RE


def match_key(text: str) -> str:
    """Normalise text for matching only: NFKC, no whitespace, unified quotes and dashes."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTE_TABLE)
    text = re.sub(r"\s+", "", text)
    return text.lstrip("▲△").lower()


def is_terminal(text: str) -> bool:
    return bool(TERMINAL_RE.search(text.rstrip()))


def is_prose(text: str) -> bool:
    """A line that reads as running text rather than a title or label."""
    text = text.strip()
    if is_terminal(text) and len(text) >= 8:
        return True
    return len(text) >= 30 and bool(re.search(r"[，。,]", text))


def join_fragments(left: str, right: str) -> str:
    """Join two halves of a paragraph split by a page break."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return CLEAN_TITLE_SPACES_RE.sub("", text)


def split_camel(name: str) -> str:
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name.strip())
    return re.sub(r"\s+", " ", name)


def bigrams(text: str) -> set[str]:
    chars = [ch for ch in match_key(text) if ch.isalnum()]
    return {chars[i] + chars[i + 1] for i in range(len(chars) - 1)}


def span(first: int, last: int) -> str:
    return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"


def looks_like_org(name: str) -> bool:
    return bool(ORG_SUFFIX_RE.search(name)) or len(name) > 5
