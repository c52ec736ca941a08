"""Parser for plain-text extractions of back issues of 《信用浙江》.

Pure Python (stdlib only), so it can be tested and reused without Django; the
Django importer turns a :class:`ParsedIssue` into pages.

The text is a PDF extraction: a cover, sometimes an inside-cover (封二) article
and an untitled 卷首语 before the masthead, the masthead, the contents
(``Contents | 目录``), then the articles, each starting with its title. Line
breaks inside paragraphs are page-break artefacts. The parser anchors every
contents entry to its title line in the text and cuts the text between anchors
into articles. Every contents entry ends up either as a :class:`ParsedArticle`
or as an :class:`UnplacedEntry`, never silently dropped.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Block",
    "IssueFormatError",
    "Masthead",
    "ParsedArticle",
    "ParsedAuthor",
    "ParsedColumn",
    "ParsedIssue",
    "UnplacedEntry",
    "match_key",
    "parse_issue",
]

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


# --------------------------------------------------------------------------- model


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


# --------------------------------------------------------------------------- patterns

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CN_NUM = "一二三四五六七八九十百零〇两"

_QUOTE_TABLE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "—": "-",
        "–": "-",
        "・": "·",
    }
)

# Control characters other than tab, and the replacement character left by a failed decode.
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
_TERMINAL_RE = re.compile(r"(?:[。！？；：…!?;:]|[。！？!?…][”’」』）)\]】]+)$")
_SENTENCE_PUNCT_RE = re.compile(r"[。！？；!?;]")
_OPEN_END_RE = re.compile(r"[，、,：:（(“‘《〈—\-]$")

_ISSUE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*第\s*(?P<n>\d{1,2})\s*期")
_CUMULATIVE_RE = re.compile(r"总\s*第\s*(?P<c>\d{1,4})\s*期")
_YEAR_MONTH_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月")

_COLUMN_RE = re.compile(
    rf"^[☆★●○◆◇■□◎◉]\s*(?P<zh>[{_CJK}·]+)\s*(?P<en>[A-Za-z][A-Za-z&'’.\- ]*?)?"
    r"\s*(?:P\s*(?P<page>\d{1,3}))?$"
)
_PAGE_RE = re.compile(r"^P\s*(?P<page>\d{1,3})$", re.IGNORECASE)
_ENTRY_RE = re.compile(r"^[▲△]\s*(?P<rest>\S.*)$")
_COVER_RE = re.compile(r"^(?P<name>封[面二三四底])\s*[:：]\s*(?P<rest>.*)$")
_ENTRY_PAGE_RE = re.compile(r"(?:\s*[.…·]{2,}\s*P?\s*|\s+P\s*)(?P<page>\d{1,3})$")
_ENTRY_AUTHORS_RE = re.compile(r"\s+[/／]\s*|\s*[/／]\s+")

_PREAMBLE_COLUMNS = {"卷首语", "卷首", "刊首语", "卷首寄语", "开卷语"}

_MASTHEAD_FIELDS = {
    "主办单位": "sponsor",
    "主办": "sponsor",
    "地址": "address",
    "编辑部地址": "address",
    "邮编": "postcode",
    "邮政编码": "postcode",
    "电话": "phone",
    "联系电话": "phone",
    "传真": "fax",
    "网址": "website",
    "网站": "website",
    "电子邮箱": "email",
    "邮箱": "email",
    "E-mail": "email",
    "Email": "email",
    "出版日期": "publication_text",
    "准印证号": "permit_number",
    "内部准印证号": "permit_number",
    "印刷": "printer",
    "印刷单位": "printer",
    "承印": "printer",
}
_BOARD_ROLES = (
    "编委会主任",
    "编委会副主任",
    "副主任",
    "编委会委员",
    "编委成员",
    "编委",
    "主编",
    "执行主编",
    "副主编",
    "编辑",
    "责任编辑",
    "美术编辑",
    "编辑出版",
)
_MASTHEAD_KEY_RE = re.compile(
    r"^(?P<key>"
    + "|".join(sorted(map(re.escape, [*_MASTHEAD_FIELDS, *_BOARD_ROLES]), key=len, reverse=True))
    + r")\s*[:：]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_NAMES_LINE_RE = re.compile(rf"^[{_CJK}·]{{2,4}}(?:\s+[{_CJK}·]{{2,4}})*$")
_CIRCULATION_RE = re.compile(r"内部资料|免费交流|内部刊物|内部交流")

_NUM_L2_RE = re.compile(rf"^[{_CN_NUM}]+、\s*")
_NUM_L3_RE = re.compile(rf"^[（(][{_CN_NUM}]+[）)]\s*")
_NUM_L4_RE = re.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])\s*")
_CHAPTER_RE = re.compile(rf"^第[{_CN_NUM}\d]+(?P<kind>[章节编])(?:\s|$)")
_PARA_STARTER_RE = re.compile(rf"^(?:[{_CN_NUM}]+是|一方面|另一方面|首先|其次|再次|同时|此外|另外|第[{_CN_NUM}\d]+条)")
_BULLET_RE = re.compile(r"^[-•·▪◦*]\s+(?P<text>\S.*)$")
_SUBTITLE_RE = re.compile(r"^(?:——|--|－－|—)\s*\S")
_NOTE_RE = re.compile(r"^(?:[\[【〔［]\s*编\s*者\s*按\s*[\]】〕］]|编者按\s*[:：])\s*[:：]?\s*(?P<rest>.*)$")
_ARTEFACT_RE = re.compile(
    r"^[（(]\s*(?:(?:接|转|续|下转|上接)\s*(?:第\s*)?\d{1,3}\s*[页版]|未完待续|待续|接上页|转下页)\s*[）)]$"
)
_FOOTNOTE_RE = re.compile(r"^\[\d{1,2}\]\s*\S")
_FOOTNOTE_SPLIT_RE = re.compile(r"\[(\d{1,2})\]")
_MARKER_RE = re.compile(r"\^?\[(\d{1,2})\]")
_SOURCE_LINE_RE = re.compile(
    r"^[（(]\s*(?P<src>[^（()）]{2,80}?供稿|(?:摘自|来源[:：]|转载自|转自|选自).{2,160})\s*[）)]$"
)
_SOURCE_TAIL_RE = re.compile(
    r"[（(]\s*(?P<src>[^（()）]{2,80}?供稿|(?:摘自|来源[:：]|转载自|转自|选自)[^（()）]{2,160})\s*[）)]\s*$"
)
_BYLINE_WEN_RE = re.compile(r"^(?:文|撰文|作者|撰稿|执笔)\s*[/／:：]\s*(?P<names>\S.{0,60})$")
_BYLINE_REPORTER_RE = re.compile(
    rf"^(?P<role>(?:本刊)?(?:特约)?(?:记者|通讯员))\s*(?P<names>[{_CJK}·]{{2,4}}(?:[\s、，,]+[{_CJK}·]{{2,4}})*)$"
)
_BYLINE_NAME_TITLE_RE = re.compile(rf"^(?P<name>[{_CJK}·]{{2,4}})\s*[/／]\s*(?P<note>[^/／\s].{{1,40}})$")
_JOB_WORDS = (
    "书记|市长|省长|县长|区长|主任|局长|厅长|部长|主席|会长|秘书长|委员|处长|院长|校长|"
    "教授|研究员|经理|董事长|总裁|理事长|行长|社长|总编"
)
_BYLINE_TITLE_NAME_RE = re.compile(rf"^(?P<note>\S.{{2,30}}?(?:{_JOB_WORDS}))\s+(?P<name>[{_CJK}·]{{2,4}})$")
_ORG_SUFFIX_RE = re.compile(
    r"(?:办|局|委|会|中心|公司|部|院|厅|处|室|社|行|所|组|集团|大学|学院|学校|政府|办公室|编辑部|协会|研究会)$"
)
_CLEAN_TITLE_SPACES_RE = re.compile(r"(?<=[，。：；！？、（《“])\s+|\s+(?=[，。：；！？、）》”])")


# --------------------------------------------------------------------------- helpers


def match_key(text: str) -> str:
    """Normalise text for matching only: NFKC, no whitespace, unified quotes and dashes."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_TABLE)
    text = re.sub(r"\s+", "", text)
    return text.lstrip("▲△").lower()


def _is_terminal(text: str) -> bool:
    return bool(_TERMINAL_RE.search(text.rstrip()))


def _is_prose(text: str) -> bool:
    """A line that reads as running text rather than a title or label."""
    text = text.strip()
    if _is_terminal(text) and len(text) >= 8:
        return True
    return len(text) >= 30 and bool(re.search(r"[，。,]", text))


def _join_fragments(left: str, right: str) -> str:
    """Join two halves of a paragraph split by a page break."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return _CLEAN_TITLE_SPACES_RE.sub("", text)


def _split_camel(name: str) -> str:
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name.strip())
    return re.sub(r"\s+", " ", name)


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in match_key(text) if ch.isalnum()]
    return {chars[i] + chars[i + 1] for i in range(len(chars) - 1)}


def _span(first: int, last: int) -> str:
    return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"


def _looks_like_org(name: str) -> bool:
    return bool(_ORG_SUFFIX_RE.search(name)) or len(name) > 5


# --------------------------------------------------------------------------- internal records


@dataclass
class _Column:
    name_zh: str
    name_en: str
    page: int | None
    line: int
    is_cover: bool
    order: int = 0


@dataclass
class _Entry:
    column: _Column | None
    title: str
    authors: list[str]
    page: int | None
    line: int
    order: int

    @property
    def column_name(self) -> str:
        return self.column.name_zh if self.column else ""

    @property
    def is_cover(self) -> bool:
        return bool(self.column and self.column.is_cover)

    @property
    def is_preamble(self) -> bool:
        col = self.column
        return bool(col and (col.name_zh in _PREAMBLE_COLUMNS or col.name_en.lower() == "preamble"))


@dataclass
class _Placement:
    entry: _Entry
    start: int  # first title line, or first line of an untitled passage
    head_end: int  # last title line (start - 1 when untitled)
    titled: bool = True
    region: list[int] = field(default_factory=list)  # content lines after the title


@dataclass
class _Logical:
    no: int
    text: str  # stripped
    raw: str
    gap_after: int  # blank (or dropped) lines before the next logical line


# --------------------------------------------------------------------------- parser


class _IssueParser:
    def __init__(self, text: str, source_name: str) -> None:
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.source_name = source_name
        self.lines: list[str] = ["", *text.split("\n")]  # 1-based
        if len(self.lines) > 2 and self.lines[-1] == "":
            self.lines.pop()
        self.n = len(self.lines) - 1
        self.keys: dict[int, str] = {}
        self.warnings: list[str] = []
        self.consumed: set[int] = set()

    # -- small utilities ---------------------------------------------------
    def s(self, no: int) -> str:
        return self.lines[no].strip()

    def key(self, no: int) -> str:
        k = self.keys.get(no)
        if k is None:
            k = self.keys[no] = match_key(self.lines[no])
        return k

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    # -- entry point --------------------------------------------------------
    def parse(self) -> ParsedIssue:
        self._check_content()
        cs, ce, columns, entries = self._parse_contents()
        self.contents_start, self.contents_end = cs, ce
        self.consumed.update(range(cs, ce + 1))
        year, number, cumulative, issue_line = self._parse_issue_number(cs)
        masthead = self._parse_masthead(cs)
        publication = None
        if masthead.publication_text:
            m = _YEAR_MONTH_RE.search(masthead.publication_text)
            if m:
                publication = (int(m["y"]), int(m["m"]))
        if publication is None:
            self.warn(f"第 {issue_line} 行：未找到出版日期（如“出版日期：2019年6月”）。")

        placements, unplaced = self._place_entries(entries)
        self._assign_regions(placements)
        self._fix_dangling_ends(placements)
        articles = [self._build_article(p) for p in placements]
        articles.sort(key=lambda a: a.order)

        owned = {n for p in placements for n in range(p.start, p.head_end + 1)}
        owned.update(n for p in placements for n in p.region)
        cover_lines = [
            self.s(n)
            for n in range(1, self.contents_start)
            if self.s(n) and n not in owned and n not in self.consumed and n != issue_line
        ]

        parsed_columns = self._final_columns(columns)
        return ParsedIssue(
            year=year,
            number=number,
            cumulative_number=cumulative,
            publication=publication,
            masthead=masthead,
            columns=parsed_columns,
            articles=articles,
            unplaced=unplaced,
            warnings=self.warnings,
            source_name=self.source_name,
            cover_lines=cover_lines,
        )

    # -- validation ---------------------------------------------------------
    def _check_content(self) -> None:
        if not self.text.strip():
            raise IssueFormatError("文件为空，没有可导入的内容。", line=1)
        for no in range(1, self.n + 1):
            line = self.lines[no]
            if not line:
                continue
            if "\x00" in line:
                raise IssueFormatError("包含二进制数据（NUL 字符），请上传 UTF-8 编码的纯文本文件。", line=no)
            bad = len(_BAD_CHARS_RE.findall(line))
            if bad >= 3 and bad > 0.1 * len(line):
                raise IssueFormatError("包含乱码或无法识别的字符，请确认文件是 UTF-8 编码的纯文本。", line=no)
            if bad:
                self.warn(f"第 {no} 行：含有 {bad} 个无法识别的字符。")

    # -- contents -----------------------------------------------------------
    def _find_contents_header(self) -> int:
        for no in range(1, self.n + 1):
            k = re.sub(r"[|｜/]", "", self.key(no))
            if k in {"contents目录", "目录contents", "目录", "contents"}:
                return no
        raise IssueFormatError("读到文件末尾也没有找到目录（“Contents | 目录”），无法识别栏目和文章。", line=self.n)

    def _parse_contents(self) -> tuple[int, int, list[_Column], list[_Entry]]:
        header = self._find_contents_header()
        columns: list[_Column] = []
        entries: list[_Entry] = []
        current: _Column | None = None
        last_recognised = header
        unknown_run: list[int] = []
        last_entry_line = -10
        no = header
        while no < self.n:
            no += 1
            text = self.s(no)
            if not text:
                continue
            m_col = _COLUMN_RE.match(text)
            m_page = _PAGE_RE.match(text)
            m_entry = _ENTRY_RE.match(text)
            m_cover = _COVER_RE.match(text)
            if m_col:
                current = _Column(
                    name_zh=m_col["zh"],
                    name_en=_split_camel(m_col["en"] or ""),
                    page=int(m_col["page"]) if m_col["page"] else None,
                    line=no,
                    is_cover=False,
                )
                columns.append(current)
            elif m_page:
                if current is not None and current.page is None:
                    current.page = int(m_page["page"])
                else:
                    self.warn(f"第 {no} 行：目录中的页码“{text}”没有对应的栏目，已忽略。")
            elif m_cover:
                current = _Column(name_zh=m_cover["name"], name_en="", page=None, line=no, is_cover=True)
                columns.append(current)
                rest = m_cover["rest"].strip()
                if rest:
                    entries.append(self._make_entry(current, rest, no, len(entries)))
                    last_entry_line = no
            elif m_entry:
                if current is None:
                    self.warn(f"第 {no} 行：目录条目出现在任何栏目之前。")
                entries.append(self._make_entry(current, m_entry["rest"], no, len(entries)))
                last_entry_line = no
            elif last_entry_line == no - 1 and len(text) <= 40 and not unknown_run:
                # A long contents title wrapped onto the next line.
                entry = entries[-1]
                entry.title = _clean_title(_join_fragments(entry.title, text))
                last_entry_line = no
            else:
                # Labels (e.g. a QR-code caption) may interrupt the contents; running text or
                # a longer run of unknown lines means the articles have begun.
                unknown_run.append(no)
                if _is_prose(text) or len(unknown_run) >= 4:
                    break
                continue
            if unknown_run:
                noise = "、".join(self.s(n) for n in unknown_run)
                self.warn(f"{_span(unknown_run[0], unknown_run[-1])}：目录中无法识别的内容已忽略：{noise}")
                unknown_run = []
            last_recognised = no
        if not entries:
            raise IssueFormatError("目录中没有任何文章条目（以“▲”开头的行）。", line=header)
        return header, last_recognised, columns, entries

    def _make_entry(self, column: _Column | None, rest: str, no: int, order: int) -> _Entry:
        rest = rest.strip()
        page = None
        m = _ENTRY_PAGE_RE.search(rest)
        if m:
            page = int(m["page"])
            rest = rest[: m.start()].rstrip()
        authors: list[str] = []
        parts = _ENTRY_AUTHORS_RE.split(rest, maxsplit=1)
        if len(parts) == 2 and parts[1].strip():
            rest = parts[0]
            authors = [a for a in re.split(r"[\s、，,]+", parts[1].strip()) if a]
        return _Entry(column=column, title=_clean_title(rest), authors=authors, page=page, line=no, order=order)

    def _final_columns(self, columns: list[_Column]) -> list[ParsedColumn]:
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

    # -- issue number and masthead -----------------------------------------
    def _parse_issue_number(self, contents_start: int) -> tuple[int, int, int | None, int]:
        year = number = None
        issue_line = 0
        cumulative = None
        for no in range(1, contents_start):
            text = self.s(no)
            if year is None:
                m = _ISSUE_RE.search(text)
                if m and len(text) <= 30:
                    year, number, issue_line = int(m["y"]), int(m["n"]), no
            if cumulative is None:
                m = _CUMULATIVE_RE.search(text)
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
            self.warn(f"第 {issue_line} 行：未找到总期号（形如“总第044期”）。")
        return year, number, cumulative, issue_line

    def _parse_masthead(self, contents_start: int) -> Masthead:
        masthead = Masthead()
        key_lines = [no for no in range(1, self.n + 1) if _MASTHEAD_KEY_RE.match(self.s(no))]
        start = None
        for i, no in enumerate(key_lines):
            if no in self.consumed:
                continue
            if len([k for k in key_lines[i : i + 3] if k - no <= 24]) >= 3:
                start = no
                break
        if start is None:
            self.warn(f"第 {contents_start} 行：未找到刊物版权信息（主办单位、主编等）。")
            return masthead
        role: str | None = None
        last = start
        unknown = 0
        no = start - 1
        while no < self.n:
            no += 1
            text = self.s(no)
            if not text:
                continue
            if no in self.consumed:
                break
            m = _MASTHEAD_KEY_RE.match(text)
            if m:
                key = next(k for k in [*_MASTHEAD_FIELDS, *_BOARD_ROLES] if k.lower() == m["key"].lower())
                value = m["value"].strip()
                if key in _BOARD_ROLES:
                    role = key
                    value = re.sub(r"[（(][^）)]*[）)]", "", value).strip()
                    if key == "编辑出版":
                        names = [value] if value else []
                    else:
                        names = [v for v in re.split(r"[\s、，,]+", value) if v]
                    masthead.board.append((key, names))
                else:
                    role = None
                    attr = _MASTHEAD_FIELDS[key]
                    if not getattr(masthead, attr):
                        setattr(masthead, attr, value)
            elif role and _NAMES_LINE_RE.match(text):
                masthead.board[-1][1].extend(text.split())
            elif _CIRCULATION_RE.search(text) and len(text) <= 20:
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
        self.consumed.update(range(start, last + 1))
        return masthead

    # -- anchoring contents entries in the text -----------------------------
    def _candidates(self, first: int, last: int) -> list[int]:
        return [n for n in range(first, last + 1) if self.s(n) and n not in self.consumed]

    def _body_follows(self, last_title_line: int, claimed: set[int]) -> bool:
        """Whether the text after a candidate title line reads like the start of an article.

        Guards the fallback searches against cover teasers and other stray lines that
        happen to repeat a title: the next line must open a body (prose, byline,
        subtitle, editor's note, numbered heading, list or table), or be a second title
        line printed directly under the first and followed by such a line.
        """
        following = []
        for n in range(last_title_line + 1, min(self.n, last_title_line + 30) + 1):
            if n in self.consumed or n in claimed:
                break
            if self.s(n):
                following.append(n)
                if len(following) == 2:
                    break
        if not following:
            return False
        if self._opens_body(following[0]):
            return True
        return (
            following[0] == last_title_line + 1
            and len(following) == 2
            and len(self.s(following[0])) <= 40
            and self._opens_body(following[1])
        )

    def _opens_body(self, no: int) -> bool:
        text = self.s(no)
        return bool(
            _is_prose(text)
            or "\t" in self.lines[no]
            or _byline_authors(text)
            or _head_byline(text)
            or _SUBTITLE_RE.match(text)
            or _NOTE_RE.match(text)
            or _BULLET_RE.match(text)
            or _heading_level(text) is not None
        )

    def _exact(self, key: str, cands: list[int], lo: int, hi: int, claimed: set[int]) -> tuple[int, list[int]] | None:
        """First candidate index in [lo, hi) whose line(s) spell exactly ``key``."""
        for idx in range(lo, hi):
            no = cands[idx]
            if no in claimed:
                continue
            k = self.key(no)
            if k == key:
                return idx, [no]
            if len(k) >= 2 and key.startswith(k):
                acc, used = k, [no]
                for j in range(idx + 1, min(idx + 4, len(cands))):
                    nxt = cands[j]
                    if nxt in claimed or nxt - used[-1] > 4:
                        break
                    acc += self.key(nxt)
                    used.append(nxt)
                    if acc == key:
                        return idx, used
                    if not key.startswith(acc):
                        break
        return None

    def _fuzzy(self, key: str, cands: list[int], lo: int, hi: int, claimed: set[int]) -> tuple[int, list[int]] | None:
        """Best near-match of ``key`` among title-like lines (one line or two joined)."""
        best: tuple[float, int, list[int]] | None = None
        for idx in range(lo, hi):
            no = cands[idx]
            if no in claimed or len(self.s(no)) > 90:
                continue
            options = [[no]]
            if idx + 1 < len(cands) and cands[idx + 1] - no <= 4 and cands[idx + 1] not in claimed:
                options.append([no, cands[idx + 1]])
            for used in options:
                k = "".join(self.key(n) for n in used)
                if _is_terminal(self.s(used[-1])) and not _is_terminal(key):
                    continue
                if k.startswith(key) and len(k) - len(key) <= 20:
                    score = 0.95
                elif key.startswith(k) and len(k) >= max(6, 0.7 * len(key)):
                    score = 0.9
                elif 0.75 <= len(k) / max(1, len(key)) <= 1.33:
                    matcher = difflib.SequenceMatcher(None, key, k, autojunk=False)
                    if matcher.quick_ratio() < 0.85:
                        continue
                    score = matcher.ratio()
                    if score < 0.85:
                        continue
                else:
                    continue
                if best is None or score > best[0]:
                    best = (score, idx, used)
        return (best[1], best[2]) if best else None

    def _place_entries(self, entries: list[_Entry]) -> tuple[list[_Placement], list[UnplacedEntry]]:
        body = self._candidates(self.contents_end + 1, self.n)
        pre = self._candidates(1, self.contents_start - 1)
        claimed: set[int] = set()
        placements: list[_Placement] = []
        missing: list[_Entry] = []
        cursor = 0

        def place(entry: _Entry, used: list[int], how: str = "") -> None:
            claimed.update(used)
            placements.append(_Placement(entry=entry, start=used[0], head_end=used[-1]))
            if how:
                self.warn(f"{_span(used[0], used[-1])}：目录条目“{entry.title}”（目录第 {entry.line} 行）{how}。")

        def checked(hit: tuple[int, list[int]] | None) -> tuple[int, list[int]] | None:
            return hit if hit and self._body_follows(hit[1][-1], claimed) else None

        regular = [e for e in entries if not e.is_cover]
        # Pass 1: contents order, searching forward through the body.
        for entry in regular:
            hit = self._exact(match_key(entry.title), body, cursor, len(body), claimed)
            if hit:
                place(entry, hit[1])
                cursor = hit[0] + len(hit[1])
            else:
                missing.append(entry)

        # Pass 2: cover pages (封二 usually before the contents, 封三 at the end).
        for entry in (e for e in entries if e.is_cover):
            key = match_key(entry.title)
            hit = checked(self._exact(key, pre, 0, len(pre), claimed)) or checked(
                self._exact(key, body, 0, len(body), claimed)
            )
            if hit:
                place(entry, hit[1])
                continue
            hit = checked(self._fuzzy(key, pre, 0, len(pre), claimed)) or checked(
                self._fuzzy(key, body, 0, len(body), claimed)
            )
            if hit:
                place(entry, hit[1], f"与正文标题“{self._title_text(hit[1])}”近似匹配")
                continue
            missing.append(entry)

        # Pass 3: what is left, anywhere, then by near-match.
        still_missing: list[_Entry] = []
        for entry in missing:
            if entry.is_cover:
                still_missing.append(entry)
                continue
            key = match_key(entry.title)
            lo, hi = self._window(entry, placements, body)
            hit = checked(self._exact(key, body, lo, hi, claimed))
            if hit:
                place(entry, hit[1], "在正文中的位置与目录顺序不一致")
                continue
            hit = checked(self._exact(key, body, 0, len(body), claimed))
            if hit:
                place(entry, hit[1], "在正文中的位置与目录顺序不一致")
                continue
            hit = checked(self._exact(key, pre, 0, len(pre), claimed))
            if hit:
                place(entry, hit[1], "出现在目录之前")
                continue
            hit = checked(self._fuzzy(key, body, lo, hi, claimed)) or checked(
                self._fuzzy(key, body, 0, len(body), claimed)
            )
            if hit:
                place(entry, hit[1], f"与正文标题“{self._title_text(hit[1])}”近似匹配")
                continue
            still_missing.append(entry)
        missing = still_missing

        unplaced: list[UnplacedEntry] = []
        for entry in sorted(missing, key=lambda e: e.order):
            passage = self._untitled_passage(entry, placements) if entry.is_preamble else None
            if passage:
                placements.append(_Placement(entry=entry, start=passage[0], head_end=passage[0] - 1, titled=False))
                continue
            reason = "正文中未找到与目录标题对应的标题行"
            unplaced.append(UnplacedEntry(title=entry.title, column=entry.column_name, line=entry.line, reason=reason))
            self.warn(f"第 {entry.line} 行：目录条目“{entry.title}”{reason}，未导入。")
        placements.sort(key=lambda p: p.start)
        return placements, unplaced

    def _window(self, entry: _Entry, placements: list[_Placement], body: list[int]) -> tuple[int, int]:
        """Candidate indexes between the body articles placed before and after ``entry``."""
        in_body = [p for p in placements if p.start > self.contents_end and not p.entry.is_cover]
        before = max((p.head_end for p in in_body if p.entry.order < entry.order), default=0)
        after = min((p.start for p in in_body if p.entry.order > entry.order), default=self.n + 1)
        lo = bisect.bisect_right(body, before)
        hi = bisect.bisect_left(body, after)
        return lo, max(lo, hi)

    def _title_text(self, used: list[int]) -> str:
        return _clean_title("".join(self.s(n) for n in used))

    # -- the untitled preamble ----------------------------------------------
    def _untitled_passage(self, entry: _Entry, placements: list[_Placement]) -> list[int] | None:
        """Lines of the untitled passage for a 卷首语 entry whose title is not printed.

        First choice: the run of prose right before the masthead (or the contents);
        second: prose between the contents and the first article. When the run directly
        continues another article (no title in between), the boundary is put where the
        vocabulary turns from that article's title to this entry's title.
        """
        titles = {n for p in placements for n in range(p.start, p.head_end + 1)}
        boundary = self.contents_start
        mh_start = min((n for n in self.consumed if n < self.contents_start), default=None)
        if mh_start is not None:
            boundary = mh_start
        run: list[int] = []
        stop = 0
        for no in range(boundary - 1, 0, -1):
            text = self.s(no)
            if not text:
                continue
            if no in titles or no in self.consumed or not _is_prose(text):
                stop = no
                break
            run.append(no)
        run.reverse()
        if run:
            owner = max((p for p in placements if p.start < run[0]), key=lambda p: p.start, default=None)
            if owner is None or stop < owner.start:
                self._note_passage(entry, run, None)
                return run
            min_keep = 1 if stop <= owner.head_end else 0
            split = self._vocabulary_split(run, owner.entry.title, entry.title, min_keep)
            if split is not None:
                passage = run[split:]
                self._note_passage(entry, passage, owner.entry.title)
                return passage
        # Prose between the contents and the first titled article in the body.
        first_title = min((p.start for p in placements if p.start > self.contents_end), default=self.n + 1)
        lines = [n for n in self._candidates(self.contents_end + 1, first_title - 1) if _is_prose(self.s(n))]
        if lines:
            self._note_passage(entry, lines, None)
            return lines
        return None

    def _vocabulary_split(self, run: list[int], before_title: str, own_title: str, min_keep: int) -> int | None:
        if len(run) <= min_keep:
            return None
        before, own = _bigrams(before_title), _bigrams(own_title)
        total, best, best_k = 0.0, None, None
        for k in range(len(run)):
            if k >= min_keep and (best is None or total > best):
                best, best_k = total, k
            grams = _bigrams(self.s(run[k]))
            total += len(grams & before) / max(1, len(before)) - len(grams & own) / max(1, len(own))
        return best_k

    def _note_passage(self, entry: _Entry, passage: list[int], after: str | None) -> None:
        how = f"，与前一篇《{after}》按用词分界" if after else ""
        self.warn(
            f"{_span(passage[0], passage[-1])}：目录条目“{entry.title}”在正文中没有标题行，"
            f"已把这段无标题文字作为该文正文{how}。"
        )

    # -- cutting the text into article regions -------------------------------
    def _assign_regions(self, placements: list[_Placement]) -> None:
        stops = sorted({p.start for p in placements} | {self.contents_start, self.n + 1} | self._masthead_starts())
        for p in placements:
            end = next(s for s in stops if s > max(p.start, p.head_end)) - 1
            p.region = [n for n in range(p.head_end + 1, end + 1) if n not in self.consumed]
        if placements:
            self._trim_trailing_noise(max(placements, key=lambda p: p.start))

    def _masthead_starts(self) -> set[int]:
        starts = set()
        for n in sorted(self.consumed):
            if n - 1 not in self.consumed:
                starts.add(n)
        return starts

    def _trim_trailing_noise(self, p: _Placement) -> None:
        """Drop short non-prose lines after a page gap at the very end (ads, slogans)."""
        content = [n for n in p.region if self.s(n)]
        idx = len(content)
        while idx > 0 and not _is_prose(self.s(content[idx - 1])) and len(self.s(content[idx - 1])) <= 20:
            idx -= 1
        if idx == len(content) or idx == 0:
            return
        last_prose, first_noise = content[idx - 1], content[idx]
        if first_noise - last_prose < 3:  # need at least two blank lines: a page gap
            return
        dropped = content[idx:]
        p.region = [n for n in p.region if n <= last_prose]
        self.warn(f"{_span(dropped[0], dropped[-1])}：文末的非正文内容（广告、标语等）已忽略。")

    def _fix_dangling_ends(self, placements: list[_Placement]) -> None:
        """Move a paragraph's continuation that the extraction put inside the next article.

        When an article ends mid-sentence and the next article has a page gap (three or
        more blank lines) right after a finished sentence, the text after that gap is
        taken to be the rest of the first article.
        """
        for a, b in zip(placements, placements[1:], strict=False):
            if a.start < self.contents_end or not b.titled:
                continue
            a_lines = [n for n in a.region if self.s(n) and not _ARTEFACT_RE.match(self.s(n))]
            if not a_lines:
                continue
            tail = self.s(a_lines[-1])
            if _is_terminal(tail) or not _is_prose(tail):
                continue
            b_lines = [n for n in b.region if self.s(n)]
            for prev, nxt in zip(b_lines, b_lines[1:], strict=False):
                if nxt - prev >= 4 and _is_terminal(self.s(prev)) and self._plain_text(self.s(nxt)):
                    moved = [n for n in b.region if n >= nxt]
                    b.region = [n for n in b.region if n < nxt]
                    a.region = a.region + moved
                    last = max(n for n in moved if self.s(n))
                    self.warn(
                        f"{_span(nxt, last)}：这段文字接续《{a.entry.title}》末尾未完的句子，"
                        f"已从《{b.entry.title}》移到该文末尾。"
                    )
                    break

    @staticmethod
    def _plain_text(text: str) -> bool:
        return not (
            _NUM_L2_RE.match(text)
            or _NUM_L3_RE.match(text)
            or _NUM_L4_RE.match(text)
            or _CHAPTER_RE.match(text)
            or _BULLET_RE.match(text)
            or _SUBTITLE_RE.match(text)
            or _NOTE_RE.match(text)
        )

    # -- one article ----------------------------------------------------------
    def _build_article(self, p: _Placement) -> ParsedArticle:
        entry = p.entry
        column = entry.column
        art = ParsedArticle(
            column=entry.column_name,
            title=entry.title,
            start_page=entry.page if entry.page is not None else (column.page if column else None),
            contents_line=entry.line,
            order=entry.order,
            title_found=p.titled,
        )
        region_text = [n for n in p.region if self.s(n) and not _ARTEFACT_RE.match(self.s(n))]
        art.line_start = p.start if p.titled else (region_text[0] if region_text else p.start)
        art.line_end = region_text[-1] if region_text else p.head_end

        uses_markers = any(_MARKER_RE.search(self.s(n)) for n in region_text[:6])
        logical, footnotes, sources = self._logical_lines(p.region, uses_markers)
        first = logical[0] if logical else None
        blocks = _BlockBuilder(
            logical,
            head_byline=p.titled,
            title_continues=bool(p.titled and first and first.no == p.head_end + 1),
        ).build()

        authors: list[ParsedAuthor] = []
        blocks = self._take_head(art, blocks, authors, p.titled)
        body: list[Block] = []
        for kind, value in blocks:
            if kind == "_byline":
                authors.extend(a for a in value["authors"] if a.name not in {x.name for x in authors})
                body.append(("paragraph", value["text"]))
            elif kind == "_subtitle":
                body.append(("paragraph", value))
            elif kind == "_note":
                body.append(("paragraph", value["text"]))
            else:
                body.append((kind, value))

        # Sources glued to the end of a paragraph: "...突破。（金华市信用办供稿）".
        for i, (kind, value) in enumerate(body):
            if kind == "paragraph":
                m = _SOURCE_TAIL_RE.search(value)
                if m and m.start() > 0:
                    sources.append(m["src"].strip())
                    body[i] = ("paragraph", value[: m.start()].rstrip())
        art.source = "；".join(dict.fromkeys(sources))
        art.body = [b for b in body if b[1] not in ("", None)]

        if not authors and entry.authors:
            authors = [ParsedAuthor(name=a, is_organisation=_looks_like_org(a)) for a in entry.authors]
        elif entry.authors:
            printed = [a.name for a in authors]
            if printed[: len(entry.authors)] != entry.authors:
                self.warn(
                    f"第 {entry.line} 行：目录作者“{' '.join(entry.authors)}”与正文署名“{' '.join(printed)}”不一致，以正文为准。"
                )
        for author in authors:
            if author.note.startswith("[") and author.note.endswith("]"):
                marker = author.note[1:-1]
                author.note = footnotes.get(marker, "")
                if not author.note:
                    self.warn(f"第 {art.line_start} 行：作者“{author.name}”的注释[{marker}]未找到。")
        art.authors = authors
        art.byline_org = next((a.name for a in authors if a.is_organisation), "")
        return art

    def _logical_lines(self, region: list[int], uses_markers: bool) -> tuple[list[_Logical], dict[str, str], list[str]]:
        footnotes: dict[str, str] = {}
        sources: list[str] = []
        kept: list[int] = []
        for n in region:
            text = self.s(n)
            if not text:
                continue
            if _ARTEFACT_RE.match(text):
                continue
            if uses_markers and _FOOTNOTE_RE.match(text) and "\t" not in self.lines[n]:
                parts = _FOOTNOTE_SPLIT_RE.split(text)
                for num, note in zip(parts[1::2], parts[2::2], strict=False):
                    footnotes[num] = note.strip()
                continue
            m = _SOURCE_LINE_RE.match(text)
            if m:
                sources.append(m["src"].strip())
                continue
            kept.append(n)
        position = {n: i for i, n in enumerate(region)}
        logical = []
        for i, n in enumerate(kept):
            gap = position[kept[i + 1]] - position[n] - 1 if i + 1 < len(kept) else 0
            logical.append(_Logical(no=n, text=self.s(n), raw=self.lines[n], gap_after=gap))
        return logical, footnotes, sources

    def _take_head(
        self, art: ParsedArticle, blocks: list[Block], authors: list[ParsedAuthor], titled: bool
    ) -> list[Block]:
        """Consume subtitle, bylines and the editor's note at the top of the article."""
        i = 0
        while i < len(blocks):
            kind, value = blocks[i]
            if kind == "_subtitle" and not art.subtitle and titled:
                art.subtitle = value
            elif kind == "_byline":
                authors.extend(value["authors"])
            elif kind == "_note":
                inline = value.get("inline", "")
                notes = [inline] if inline else []
                j = i + 1
                limit = j + 3
                while j < len(blocks) and blocks[j][0] == "paragraph" and j < limit:
                    j += 1
                follows_structure = j < len(blocks) and blocks[j][0] in {"heading", "_byline", "_subtitle"}
                count = (j - i - 1) if follows_structure else min(1, j - i - 1)
                if inline:  # "【编者按】text…" on one line: that line is the whole note
                    count = 0
                notes.extend(blocks[k][1] for k in range(i + 1, i + 1 + count))
                art.editors_note = "\n\n".join(notes)
                i += count
            else:
                break
            i += 1
        return blocks[i:]


def _head_byline(text: str) -> ParsedAuthor | None:
    """``陈安/金华市发改委副主任`` or ``中共衢州市委副书记、市长 汤飞帆`` under a title."""
    m = _BYLINE_NAME_TITLE_RE.match(text)
    if m and not _looks_like_org(m["name"]):
        return ParsedAuthor(name=m["name"], note=m["note"].strip())
    m = _BYLINE_TITLE_NAME_RE.match(text)
    if m and not _SENTENCE_PUNCT_RE.search(text):
        return ParsedAuthor(name=m["name"], note=m["note"].strip())
    return None


def _byline_authors(text: str) -> list[ParsedAuthor] | None:
    m = _BYLINE_WEN_RE.match(text)
    role = ""
    if not m:
        m = _BYLINE_REPORTER_RE.match(text)
        if not m:
            return None
        role = m["role"]
    names = m["names"].strip()
    if _is_terminal(names) or _SENTENCE_PUNCT_RE.search(names):
        return None
    authors = []
    for token in re.split(r"[\s、，,；;]+", names):
        if not token:
            continue
        mk = _MARKER_RE.search(token)
        name = _MARKER_RE.sub("", token).strip()
        if not name:
            continue
        note = f"[{mk[1]}]" if mk else role
        authors.append(ParsedAuthor(name=name, note=note, is_organisation=_looks_like_org(name)))
    return authors or None


# --------------------------------------------------------------------------- blocks


def _heading_level(text: str) -> int | None:
    """Level of a numbered heading, or None when the line is running text."""
    m = _CHAPTER_RE.match(text)
    if m:
        return 2 if m["kind"] in "章编" else 3
    if len(text) > 40 or _SENTENCE_PUNCT_RE.search(text) or _OPEN_END_RE.search(text):
        return None
    if _PARA_STARTER_RE.match(text):
        return None
    if _NUM_L2_RE.match(text):
        return 2
    if _NUM_L3_RE.match(text):
        return 3
    if _NUM_L4_RE.match(text):
        return 4
    return None


def _is_numbered(text: str) -> bool:
    return bool(_NUM_L2_RE.match(text) or _NUM_L3_RE.match(text) or _NUM_L4_RE.match(text))


def _table_rows(lines: list[_Logical]) -> dict[str, Any]:
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


class _BlockBuilder:
    """Turns the logical lines of one article into body blocks.

    Special blocks (``_byline``, ``_subtitle``, ``_note``) are resolved by the caller.
    """

    def __init__(self, lines: list[_Logical], *, head_byline: bool = False, title_continues: bool = False) -> None:
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
        if i < len(lines) and self.head_byline and (author := _head_byline(lines[i].text)):
            self.blocks.append(("_byline", {"authors": [author], "text": lines[i].text}))
            i += 1
        while i < len(lines):
            ln = lines[i]
            text = ln.text
            if "\t" in ln.raw.strip(" \u3000"):
                j = i
                while j + 1 < len(lines) and "\t" in lines[j + 1].raw.strip(" \u3000") and lines[j].gap_after <= 1:
                    j += 1
                self.blocks.append(("table", _table_rows(lines[i : j + 1])))
                i = j + 1
                continue
            if _BULLET_RE.match(text):
                j = i
                while j + 1 < len(lines) and _BULLET_RE.match(lines[j + 1].text) and lines[j].gap_after <= 1:
                    j += 1
                items = [_BULLET_RE.match(x.text)["text"] for x in lines[i : j + 1]]
                self.blocks.append(("list", items))
                i = j + 1
                continue
            if _is_numbered(text) and ln.gap_after == 0 and i + 1 < len(lines) and _is_numbered(lines[i + 1].text):
                j = i
                while j + 1 < len(lines) and lines[j].gap_after == 0 and _is_numbered(lines[j + 1].text):
                    j += 1
                self.blocks.append(("list", [x.text for x in lines[i : j + 1]]))
                i = j + 1
                continue
            m = _NOTE_RE.match(text)
            if m:
                self.blocks.append(("_note", {"inline": m["rest"].strip(), "text": text}))
                i += 1
                continue
            authors = _byline_authors(text)
            if authors:
                self.blocks.append(("_byline", {"authors": authors, "text": text}))
                i += 1
                continue
            if _SUBTITLE_RE.match(text):
                self.blocks.append(("_subtitle", text))
                i += 1
                continue
            level = _heading_level(text)
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
            and not _is_prose(text)
            and not _OPEN_END_RE.search(text)
            and self._plain_continuation(text)
            and _head_byline(text) is None
            and _heading_level(text) is None
        )

    def _next_kind_is(self, i: int, pattern: re.Pattern[str]) -> bool:
        return i + 1 < len(self.lines) and bool(pattern.match(self.lines[i + 1].text))

    def _next_is_byline(self, i: int) -> bool:
        return i + 1 < len(self.lines) and _byline_authors(self.lines[i + 1].text) is not None

    def _unnumbered_heading(self, i: int) -> bool:
        ln = self.lines[i]
        text = ln.text
        # Title of a sub-article: followed by "——subtitle" or a byline.
        introduces = self._next_kind_is(i, _SUBTITLE_RE) or self._next_is_byline(i)
        if (
            len(text) > (40 if introduces else 30)
            or _SENTENCE_PUNCT_RE.search(text)
            or _OPEN_END_RE.search(text)
            or _is_terminal(text)
        ):
            return False
        if _PARA_STARTER_RE.match(text) or i + 1 >= len(self.lines):
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
            and self._next_kind_is(i, _SUBTITLE_RE)
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
                and not (i + 2 < len(self.lines) and _SUBTITLE_RE.match(self.lines[i + 2].text))
            ):
                text = _join_fragments(text, nxt)
                i += 1
        self.blocks.append(("heading", {"level": level, "text": text}))
        return i + 1

    @staticmethod
    def _plain_continuation(text: str) -> bool:
        return (
            "\t" not in text
            and not _is_numbered(text)
            and not _CHAPTER_RE.match(text)
            and not _BULLET_RE.match(text)
            and not _SUBTITLE_RE.match(text)
            and not _NOTE_RE.match(text)
            and _byline_authors(text) is None
        )

    def _paragraph(self, i: int) -> int:
        lines = self.lines
        text = lines[i].text
        while (
            not _is_terminal(text)
            and i + 1 < len(lines)
            and "\t" not in lines[i + 1].raw.strip(" \u3000")
            and self._plain_continuation(lines[i + 1].text)
        ):
            i += 1
            text = _join_fragments(text, lines[i].text)
        if len(text) >= 2 and text[0] in "“「" and text[-1] in "”」" and text.count("“") + text.count("「") == 1:
            self.blocks.append(("quote", text[1:-1]))
        else:
            self.blocks.append(("paragraph", text))
        return i + 1


def parse_issue(text: str, *, source_name: str = "") -> ParsedIssue:
    """Parse the plain text of one issue.

    Raises :class:`IssueFormatError` (message in Chinese, with the line number) when the
    text is empty, binary, or lacks the contents block or the ``YYYY年第N期`` line.
    """
    return _IssueParser(text, source_name).parse()
