"""An article's lines → body blocks: paragraphs joined across page breaks, headings, lists, tables, quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .bylines import byline_authors, head_byline
from .model import Block
from .patterns import (
    BULLET_RE,
    CHAPTER_RE,
    NOTE_RE,
    NUM_L2_RE,
    NUM_L3_RE,
    NUM_L4_RE,
    OPEN_END_RE,
    PARA_STARTER_RE,
    SENTENCE_PUNCT_RE,
    SUBTITLE_RE,
)
from .text import is_prose, is_terminal, join_fragments


@dataclass
class Logical:
    no: int
    text: str  # stripped
    raw: str
    gap_after: int  # blank (or dropped) lines before the next logical line


def heading_level(text: str) -> int | None:
    """Level of a numbered heading, or None when the line is running text."""
    m = CHAPTER_RE.match(text)
    if m:
        return 2 if m["kind"] in "章编" else 3
    if len(text) > 40 or SENTENCE_PUNCT_RE.search(text) or OPEN_END_RE.search(text):
        return None
    if PARA_STARTER_RE.match(text):
        return None
    if NUM_L2_RE.match(text):
        return 2
    if NUM_L3_RE.match(text):
        return 3
    if NUM_L4_RE.match(text):
        return 4
    return None


def is_numbered(text: str) -> bool:
    return bool(NUM_L2_RE.match(text) or NUM_L3_RE.match(text) or NUM_L4_RE.match(text))


def table_rows(lines: list[Logical]) -> dict[str, Any]:
    rows = [[cell.strip() for cell in ln.raw.strip(" \u3000").split("\t")] for ln in lines]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    while width > 1 and all(not r[width - 1] for r in rows):
        width -= 1
        rows = [r[:width] for r in rows]
    first = [c for c in rows[0] if c]
    header = (
        len(rows) > 1 and len(first) >= 2 and all(len(c) <= 12 and not re.search(r"\d|[。，；,;]", c) for c in first)
    )
    return {"rows": rows, "header": header}


class BlockBuilder:
    """Turns the logical lines of one article into body blocks.

    Special blocks (``_byline``, ``_subtitle``, ``_note``) are resolved by the caller.
    """

    def __init__(self, lines: list[Logical], *, head_byline: bool = False, title_continues: bool = False) -> None:
        self.lines = lines
        self.head_byline = head_byline
        self.title_continues = title_continues
        self.blocks: list[Block] = []
        self.last_heading_line: int | None = None  # index of the line of the last unnumbered heading

    def build(self) -> list[Block]:
        i = 0
        lines = self.lines
        if lines and self.title_continues and self._title_line(lines[0].text):
            # Second line of a two-line title printed right under the first one.
            self.blocks.append(("_subtitle", lines[0].text))
            i = 1
        if i < len(lines) and self.head_byline and (author := head_byline(lines[i].text)):
            self.blocks.append(("_byline", {"authors": [author], "text": lines[i].text}))
            i += 1
        while i < len(lines):
            ln = lines[i]
            text = ln.text
            if "\t" in ln.raw.strip(" \u3000"):
                j = i
                while j + 1 < len(lines) and "\t" in lines[j + 1].raw.strip(" \u3000") and lines[j].gap_after <= 1:
                    j += 1
                self.blocks.append(("table", table_rows(lines[i : j + 1])))
                i = j + 1
                continue
            if BULLET_RE.match(text):
                j = i
                while j + 1 < len(lines) and BULLET_RE.match(lines[j + 1].text) and lines[j].gap_after <= 1:
                    j += 1
                items = [BULLET_RE.match(x.text)["text"] for x in lines[i : j + 1]]
                self.blocks.append(("list", items))
                i = j + 1
                continue
            if is_numbered(text) and ln.gap_after == 0 and i + 1 < len(lines) and is_numbered(lines[i + 1].text):
                j = i
                while j + 1 < len(lines) and lines[j].gap_after == 0 and is_numbered(lines[j + 1].text):
                    j += 1
                self.blocks.append(("list", [x.text for x in lines[i : j + 1]]))
                i = j + 1
                continue
            m = NOTE_RE.match(text)
            if m:
                self.blocks.append(("_note", {"inline": m["rest"].strip(), "text": text}))
                i += 1
                continue
            authors = byline_authors(text)
            if authors:
                self.blocks.append(("_byline", {"authors": authors, "text": text}))
                i += 1
                continue
            if SUBTITLE_RE.match(text):
                self.blocks.append(("_subtitle", text))
                i += 1
                continue
            level = heading_level(text)
            if level is None and self._unnumbered_heading(i):
                level = 2
                if self._merge_with_previous_heading(i):
                    i += 1
                    continue
                self.last_heading_line = i
            if level is not None:
                i = self._heading(i, level)
                continue
            i = self._paragraph(i)
        return self.blocks

    def _title_line(self, text: str) -> bool:
        return (
            len(text) <= 40
            and not is_prose(text)
            and not OPEN_END_RE.search(text)
            and self._plain_continuation(text)
            and head_byline(text) is None
            and heading_level(text) is None
        )

    def _next_kind_is(self, i: int, pattern: re.Pattern[str]) -> bool:
        return i + 1 < len(self.lines) and bool(pattern.match(self.lines[i + 1].text))

    def _next_is_byline(self, i: int) -> bool:
        return i + 1 < len(self.lines) and byline_authors(self.lines[i + 1].text) is not None

    def _unnumbered_heading(self, i: int) -> bool:
        ln = self.lines[i]
        text = ln.text
        # Title of a sub-article: followed by "——subtitle" or a byline.
        introduces = self._next_kind_is(i, SUBTITLE_RE) or self._next_is_byline(i)
        if (
            len(text) > (40 if introduces else 30)
            or SENTENCE_PUNCT_RE.search(text)
            or OPEN_END_RE.search(text)
            or is_terminal(text)
        ):
            return False
        if PARA_STARTER_RE.match(text) or i + 1 >= len(self.lines):
            return False
        if introduces:
            return True
        if self.blocks and self.blocks[-1][0] == "heading":
            return False
        return not (ln.gap_after >= 3 and re.search(r"[，、,]", text))

    def _merge_with_previous_heading(self, i: int) -> bool:
        """Two-line sub-article title right before its ——subtitle: keep one heading."""
        if (
            self.last_heading_line == i - 1
            and self.blocks
            and self.blocks[-1][0] == "heading"
            and self.lines[i - 1].gap_after <= 1
            and self._next_kind_is(i, SUBTITLE_RE)
        ):
            heading = self.blocks[-1][1]
            heading["text"] = f"{heading['text']} {self.lines[i].text}"
            return True
        return False

    def _heading(self, i: int, level: int) -> int:
        text = self.lines[i].text
        # A long heading wrapped by a page break: "…智慧治理新" + "模式".
        if len(text) >= 12 and i + 1 < len(self.lines) and self.lines[i].gap_after <= 3:
            nxt = self.lines[i + 1].text
            if (
                len(nxt) <= 8
                and not re.search(r"[，、。；：！？,.;:!?]", nxt)
                and self._plain_continuation(nxt)
                and not (i + 2 < len(self.lines) and SUBTITLE_RE.match(self.lines[i + 2].text))
            ):
                text = join_fragments(text, nxt)
                i += 1
        self.blocks.append(("heading", {"level": level, "text": text}))
        return i + 1

    @staticmethod
    def _plain_continuation(text: str) -> bool:
        return (
            "\t" not in text
            and not is_numbered(text)
            and not CHAPTER_RE.match(text)
            and not BULLET_RE.match(text)
            and not SUBTITLE_RE.match(text)
            and not NOTE_RE.match(text)
            and byline_authors(text) is None
        )

    def _paragraph(self, i: int) -> int:
        lines = self.lines
        text = lines[i].text
        while (
            not is_terminal(text)
            and i + 1 < len(lines)
            and "\t" not in lines[i + 1].raw.strip(" \u3000")
            and self._plain_continuation(lines[i + 1].text)
        ):
            i += 1
            text = join_fragments(text, lines[i].text)
        if len(text) >= 2 and text[0] in "“「" and text[-1] in "”」" and text.count("“") + text.count("「") == 1:
            self.blocks.append(("quote", text[1:-1]))
        else:
            self.blocks.append(("paragraph", text))
        return i + 1
