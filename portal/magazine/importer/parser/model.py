"""What the parser produces: the parsed issue, its masthead, columns, articles and authors,
and the one error it raises. Plain dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .text import match_key

#: A body block: ``("paragraph", str)``, ``("heading", {"level": int, "text": str})``,
#: ``("table", {"rows": list[list[str]], "header": bool})``, ``("list", list[str])``
#: or ``("quote", str)``.
Block = tuple[str, Any]


class IssueFormatError(ValueError):
    """The text is not a usable issue; ``str(error)`` is a Chinese message with the line."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line is not None else message)


@dataclass
class ParsedAuthor:
    name: str
    note: str = ""  # affiliation / position, e.g. from a ``[1] 浙江省信用中心`` footnote
    is_organisation: bool = False


@dataclass
class Masthead:
    sponsor: str = ""
    #: Editorial board in printed order: ``[("主编", ["蒋秀东"]), ("副主编", [...]), ...]``.
    board: list[tuple[str, list[str]]] = field(default_factory=list)
    address: str = ""
    postcode: str = ""
    phone: str = ""
    fax: str = ""
    website: str = ""
    email: str = ""
    publication_text: str = ""  # e.g. ``2019年6月``
    permit_number: str = ""  # 准印证号
    printer: str = ""
    circulation_note: str = ""  # e.g. ``内部资料 免费交流``
    line_start: int | None = None
    line_end: int | None = None

    def members(self, role: str) -> list[str]:
        """Names listed under ``role`` (empty if the role is absent)."""
        for name, names in self.board:
            if name == role:
                return names
        return []


@dataclass
class ParsedColumn:
    name_zh: str
    name_en: str
    start_page: int | None
    order: int
    is_cover_page: bool = False
    line: int = 0  # line of the column in the contents


@dataclass
class ParsedArticle:
    column: str  # name_zh of its column
    title: str  # as printed in the contents
    subtitle: str = ""
    authors: list[ParsedAuthor] = field(default_factory=list)
    byline_org: str = ""  # first organisation in a byline such as ``文/杭州市信用办``
    source: str = ""  # e.g. ``金华市信用办供稿``
    start_page: int | None = None
    editors_note: str = ""
    body: list[Block] = field(default_factory=list)
    line_start: int = 0
    line_end: int = 0
    contents_line: int = 0
    order: int = 0  # position of the entry in the contents (0-based, whole issue)
    title_found: bool = True  # False for an untitled passage (e.g. 卷首语)


@dataclass
class UnplacedEntry:
    title: str
    column: str
    line: int  # line of the entry in the contents
    reason: str


@dataclass
class ParsedIssue:
    year: int
    number: int  # number in the year
    cumulative_number: int | None
    publication: tuple[int, int] | None  # (year, month)
    masthead: Masthead
    columns: list[ParsedColumn]
    articles: list[ParsedArticle]
    unplaced: list[UnplacedEntry]
    warnings: list[str]
    source_name: str = ""
    cover_lines: list[str] = field(default_factory=list)  # cover text not in any article

    def article(self, title: str) -> ParsedArticle | None:
        """The article whose title matches ``title`` (normalised), if any."""
        key = match_key(title)
        for art in self.articles:
            if match_key(art.title) == key:
                return art
        return None
