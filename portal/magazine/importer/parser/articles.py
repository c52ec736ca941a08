"""One article from its anchored region: head (subtitle, bylines, editor's note), body, footnotes, source."""

from __future__ import annotations

from .blocks import BlockBuilder, Logical
from .model import Block, ParsedArticle, ParsedAuthor
from .patterns import ARTEFACT_RE, FOOTNOTE_RE, FOOTNOTE_SPLIT_RE, MARKER_RE, SOURCE_LINE_RE, SOURCE_TAIL_RE
from .placement import Placement
from .source import SourceText
from .text import looks_like_org


class ArticleBuilder:
    def __init__(self, src: SourceText) -> None:
        self.src = src

    def build(self, p: Placement) -> ParsedArticle:
        entry = p.entry
        art = ParsedArticle(
            column=entry.column_name,
            title=entry.title,
            start_page=entry.start_page,
            contents_line=entry.line,
            order=entry.order,
            title_found=p.titled,
        )
        region_text = [n for n in p.region if self.src.s(n) and not ARTEFACT_RE.match(self.src.s(n))]
        art.line_start = p.start if p.titled else (region_text[0] if region_text else p.start)
        art.line_end = region_text[-1] if region_text else p.head_end

        uses_markers = any(MARKER_RE.search(self.src.s(n)) for n in region_text[:6])
        logical, footnotes, sources = self._logical_lines(p.region, uses_markers)
        first = logical[0] if logical else None
        blocks = BlockBuilder(
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
                m = SOURCE_TAIL_RE.search(value)
                if m and m.start() > 0:
                    sources.append(m["src"].strip())
                    body[i] = ("paragraph", value[: m.start()].rstrip())
        art.source = "；".join(dict.fromkeys(sources))
        art.body = [b for b in body if b[1] not in ("", None)]

        if not authors and entry.authors:
            authors = [ParsedAuthor(name=a, is_organisation=looks_like_org(a)) for a in entry.authors]
        elif entry.authors:
            printed = [a.name for a in authors]
            if printed[: len(entry.authors)] != entry.authors:
                self.src.warn(
                    f"第 {entry.line} 行：目录作者“{' '.join(entry.authors)}”与正文署名“{' '.join(printed)}”不一致，以正文为准。"
                )
        for author in authors:
            if author.note.startswith("[") and author.note.endswith("]"):
                marker = author.note[1:-1]
                author.note = footnotes.get(marker, "")
                if not author.note:
                    self.src.warn(f"第 {art.line_start} 行：作者“{author.name}”的注释[{marker}]未找到。")
        art.authors = authors
        art.byline_org = next((a.name for a in authors if a.is_organisation), "")
        return art

    def _logical_lines(self, region: list[int], uses_markers: bool) -> tuple[list[Logical], dict[str, str], list[str]]:
        footnotes: dict[str, str] = {}
        sources: list[str] = []
        kept: list[int] = []
        for n in region:
            text = self.src.s(n)
            if not text:
                continue
            if ARTEFACT_RE.match(text):
                continue
            if uses_markers and FOOTNOTE_RE.match(text) and "\t" not in self.src.lines[n]:
                parts = FOOTNOTE_SPLIT_RE.split(text)
                for num, note in zip(parts[1::2], parts[2::2], strict=False):
                    footnotes[num] = note.strip()
                continue
            m = SOURCE_LINE_RE.match(text)
            if m:
                sources.append(m["src"].strip())
                continue
            kept.append(n)
        position = {n: i for i, n in enumerate(region)}
        logical = []
        for i, n in enumerate(kept):
            gap = position[kept[i + 1]] - position[n] - 1 if i + 1 < len(kept) else 0
            logical.append(Logical(no=n, text=self.src.s(n), raw=self.src.lines[n], gap_after=gap))
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
