"""The parser's steps in order: validate, contents, issue number and masthead, anchor the entries,
cut regions, build the articles."""

from __future__ import annotations

from .articles import ArticleBuilder
from .contents import ContentsReader, final_columns
from .masthead import MastheadReader
from .model import ParsedIssue
from .patterns import YEAR_MONTH_RE
from .placement import EntryPlacer
from .regions import RegionCutter
from .source import SourceText


class IssueParser:
    def __init__(self, text: str, source_name: str) -> None:
        self.src = SourceText(text, source_name)

    def parse(self) -> ParsedIssue:
        src = self.src
        src.check_content()
        cs, ce, columns, entries = ContentsReader(src).read()
        src.contents_start, src.contents_end = cs, ce
        src.consumed.update(range(cs, ce + 1))
        reader = MastheadReader(src)
        year, number, cumulative, issue_line = reader.issue_number(cs)
        masthead = reader.masthead(cs)
        publication = None
        if masthead.publication_text:
            m = YEAR_MONTH_RE.search(masthead.publication_text)
            if m:
                publication = (int(m["y"]), int(m["m"]))
        if publication is None:
            src.warn(f"第 {issue_line} 行：未找到出版日期（如“出版日期：2019年6月”）。")

        placements, unplaced = EntryPlacer(src).place(entries)
        cutter = RegionCutter(src)
        cutter.assign(placements)
        cutter.fix_dangling_ends(placements)
        builder = ArticleBuilder(src)
        articles = [builder.build(p) for p in placements]
        articles.sort(key=lambda a: a.order)

        owned = {n for p in placements for n in range(p.start, p.head_end + 1)}
        owned.update(n for p in placements for n in p.region)
        cover_lines = [
            src.s(n)
            for n in range(1, src.contents_start)
            if src.s(n) and n not in owned and n not in src.consumed and n != issue_line
        ]

        parsed_columns = final_columns(columns)
        return ParsedIssue(
            year=year,
            number=number,
            cumulative_number=cumulative,
            publication=publication,
            masthead=masthead,
            columns=parsed_columns,
            articles=articles,
            unplaced=unplaced,
            warnings=src.warnings,
            source_name=src.source_name,
            cover_lines=cover_lines,
        )


def parse_issue(text: str, *, source_name: str = "") -> ParsedIssue:
    """Parse the plain text of one issue.

    Raises :class:`IssueFormatError` (message in Chinese, with the line number) when the
    text is empty, binary, or lacks the contents block or the ``YYYY年第N期`` line.
    """
    return IssueParser(text, source_name).parse()
