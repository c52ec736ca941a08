"""The contents block (``Contents | 目录``): columns with their pages, and the ▲ entries under them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import IssueFormatError, ParsedColumn
from .patterns import (
    COLUMN_RE,
    COVER_RE,
    ENTRY_AUTHORS_RE,
    ENTRY_PAGE_RE,
    ENTRY_RE,
    PAGE_RE,
    PREAMBLE_COLUMNS,
)
from .source import SourceText
from .text import clean_title, is_prose, join_fragments, span, split_camel


@dataclass
class ContentsColumn:
    name_zh: str
    name_en: str
    page: int | None
    line: int
    is_cover: bool
    order: int = 0


@dataclass
class ContentsEntry:
    column: ContentsColumn | None
    title: str
    authors: list[str]
    page: int | None
    line: int
    order: int
    first_in_column: bool = False

    @property
    def start_page(self) -> int | None:
        """The page the contents gives for this entry: its own (``▲ 标题 …… P23``), or its
        column's for the column's first entry (a column starts with its first article).
        Other entries' pages are unknown: the contents does not say where they start."""
        if self.page is not None:
            return self.page
        return self.column.page if self.column is not None and self.first_in_column else None

    @property
    def column_name(self) -> str:
        return self.column.name_zh if self.column else ""

    @property
    def is_cover(self) -> bool:
        return bool(self.column and self.column.is_cover)

    @property
    def is_preamble(self) -> bool:
        col = self.column
        return bool(col and (col.name_zh in PREAMBLE_COLUMNS or col.name_en.lower() == "preamble"))


class ContentsReader:
    """Reads the contents: the lines from its header to the first line that is no longer contents."""

    def __init__(self, src: SourceText) -> None:
        self.src = src

    def _find_contents_header(self) -> int:
        for no in range(1, self.src.n + 1):
            k = re.sub(r"[|｜/]", "", self.src.key(no))
            if k in {"contents目录", "目录contents", "目录", "contents"}:
                return no
        raise IssueFormatError("读到文件末尾也没有找到目录（“Contents | 目录”），无法识别栏目和文章。", line=self.src.n)

    def read(self) -> tuple[int, int, list[ContentsColumn], list[ContentsEntry]]:
        header = self._find_contents_header()
        columns: list[ContentsColumn] = []
        entries: list[ContentsEntry] = []
        current: ContentsColumn | None = None
        last_recognised = header
        unknown_run: list[int] = []
        last_entry_line = -10
        no = header
        while no < self.src.n:
            no += 1
            text = self.src.s(no)
            if not text:
                continue
            m_col = COLUMN_RE.match(text)
            m_page = PAGE_RE.match(text)
            m_entry = ENTRY_RE.match(text)
            m_cover = COVER_RE.match(text)
            if m_col:
                current = ContentsColumn(
                    name_zh=m_col["zh"],
                    name_en=split_camel(m_col["en"] or ""),
                    page=int(m_col["page"]) if m_col["page"] else None,
                    line=no,
                    is_cover=False,
                )
                columns.append(current)
            elif m_page:
                if current is not None and current.page is None:
                    current.page = int(m_page["page"])
                else:
                    self.src.warn(f"第 {no} 行：目录中的页码“{text}”没有对应的栏目，已忽略。")
            elif m_cover:
                current = ContentsColumn(name_zh=m_cover["name"], name_en="", page=None, line=no, is_cover=True)
                columns.append(current)
                rest = m_cover["rest"].strip()
                if rest:
                    entries.append(self._make_entry(current, rest, no, len(entries)))
                    last_entry_line = no
            elif m_entry:
                if current is None:
                    self.src.warn(f"第 {no} 行：目录条目出现在任何栏目之前。")
                entries.append(self._make_entry(current, m_entry["rest"], no, len(entries)))
                last_entry_line = no
            elif last_entry_line == no - 1 and len(text) <= 40 and not unknown_run:
                # A long contents title wrapped onto the next line.
                entry = entries[-1]
                entry.title = clean_title(join_fragments(entry.title, text))
                last_entry_line = no
            else:
                # Labels (e.g. a QR-code caption) may interrupt the contents; running text or
                # a longer run of unknown lines means the articles have begun.
                unknown_run.append(no)
                if is_prose(text) or len(unknown_run) >= 4:
                    break
                continue
            if unknown_run:
                noise = "、".join(self.src.s(n) for n in unknown_run)
                self.src.warn(f"{span(unknown_run[0], unknown_run[-1])}：目录中无法识别的内容已忽略：{noise}")
                unknown_run = []
            last_recognised = no
        if not entries:
            raise IssueFormatError("目录中没有任何文章条目（以“▲”开头的行）。", line=header)
        seen: set[int] = set()
        for entry in entries:
            if entry.column is not None and id(entry.column) not in seen:
                entry.first_in_column = True
                seen.add(id(entry.column))
        return header, last_recognised, columns, entries

    def _make_entry(self, column: ContentsColumn | None, rest: str, no: int, order: int) -> ContentsEntry:
        rest = rest.strip()
        page = None
        m = ENTRY_PAGE_RE.search(rest)
        if m:
            page = int(m["page"])
            rest = rest[: m.start()].rstrip()
        authors: list[str] = []
        parts = ENTRY_AUTHORS_RE.split(rest, maxsplit=1)
        if len(parts) == 2 and parts[1].strip():
            rest = parts[0]
            authors = [a for a in re.split(r"[\s、，,]+", parts[1].strip()) if a]
        return ContentsEntry(column=column, title=clean_title(rest), authors=authors, page=page, line=no, order=order)


def final_columns(columns: list[ContentsColumn]) -> list[ParsedColumn]:
    """The columns in contents order, cover pages (封二/封三) last."""
    regular = [c for c in columns if not c.is_cover]
    cover = [c for c in columns if c.is_cover]
    result = []
    for order, col in enumerate([*regular, *cover], start=1):
        col.order = order
        result.append(
            ParsedColumn(
                name_zh=col.name_zh,
                name_en=col.name_en,
                start_page=col.page,
                order=order,
                is_cover_page=col.is_cover,
                line=col.line,
            )
        )
    return result
