"""The issue number line (``2019年第3期``, ``总第044期``) and the masthead (sponsor, board, address…)."""

from __future__ import annotations

import re

from .model import IssueFormatError, Masthead
from .patterns import (
    BOARD_ROLES,
    CIRCULATION_RE,
    CUMULATIVE_RE,
    ISSUE_RE,
    MASTHEAD_FIELDS,
    MASTHEAD_KEY_RE,
    NAMES_LINE_RE,
)
from .source import SourceText


class MastheadReader:
    """Reads the issue number before the contents and the masthead block wherever it is printed."""

    def __init__(self, src: SourceText) -> None:
        self.src = src

    def issue_number(self, contents_start: int) -> tuple[int, int, int | None, int]:
        year = number = None
        issue_line = 0
        cumulative = None
        for no in range(1, contents_start):
            text = self.src.s(no)
            if year is None:
                m = ISSUE_RE.search(text)
                if m and len(text) <= 30:
                    year, number, issue_line = int(m["y"]), int(m["n"]), no
            if cumulative is None:
                m = CUMULATIVE_RE.search(text)
                if m and len(text) <= 30:
                    cumulative = int(m["c"])
            if year is not None and cumulative is not None:
                break
        if year is None or number is None:
            raise IssueFormatError(
                "目录之前没有找到期号行（形如“2019年第3期”），无法确定年份和期号。",
                line=contents_start,
            )
        if not 1 <= number <= 24:
            raise IssueFormatError(f"期号“第{number}期”不合理。", line=issue_line)
        if cumulative is None:
            self.src.warn(f"第 {issue_line} 行：未找到总期号（形如“总第044期”）。")
        return year, number, cumulative, issue_line

    def masthead(self, contents_start: int) -> Masthead:
        masthead = Masthead()
        key_lines = [no for no in range(1, self.src.n + 1) if MASTHEAD_KEY_RE.match(self.src.s(no))]
        start = None
        for i, no in enumerate(key_lines):
            if no in self.src.consumed:
                continue
            if len([k for k in key_lines[i : i + 3] if k - no <= 24]) >= 3:
                start = no
                break
        if start is None:
            self.src.warn(f"第 {contents_start} 行：未找到刊物版权信息（主办单位、主编等）。")
            return masthead
        role: str | None = None
        last = start
        unknown = 0
        no = start - 1
        while no < self.src.n:
            no += 1
            text = self.src.s(no)
            if not text:
                continue
            if no in self.src.consumed:
                break
            m = MASTHEAD_KEY_RE.match(text)
            if m:
                key = next(k for k in [*MASTHEAD_FIELDS, *BOARD_ROLES] if k.lower() == m["key"].lower())
                value = m["value"].strip()
                if key in BOARD_ROLES:
                    role = key
                    value = re.sub(r"[（(][^）)]*[）)]", "", value).strip()
                    if key == "编辑出版":
                        names = [value] if value else []
                    else:
                        names = [v for v in re.split(r"[\s、，,]+", value) if v]
                    masthead.board.append((key, names))
                else:
                    role = None
                    attr = MASTHEAD_FIELDS[key]
                    if not getattr(masthead, attr):
                        setattr(masthead, attr, value)
            elif role and NAMES_LINE_RE.match(text):
                masthead.board[-1][1].extend(text.split())
            elif CIRCULATION_RE.search(text) and len(text) <= 20:
                masthead.circulation_note = re.sub(r"\s+", " ", text)
                role = None
            else:
                unknown += 1
                if unknown >= 2:
                    break
                continue
            unknown = 0
            last = no
        masthead.line_start, masthead.line_end = start, last
        self.src.consumed.update(range(start, last + 1))
        return masthead
