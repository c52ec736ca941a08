"""Cutting the text between anchored titles into article regions, dropping trailing noise and
moving a sentence's continuation that the extraction put into the next article."""

from __future__ import annotations

from .patterns import (
    ARTEFACT_RE,
    BULLET_RE,
    CHAPTER_RE,
    NOTE_RE,
    NUM_L2_RE,
    NUM_L3_RE,
    NUM_L4_RE,
    SUBTITLE_RE,
)
from .placement import Placement
from .source import SourceText
from .text import is_prose, is_terminal, span


class RegionCutter:
    def __init__(self, src: SourceText) -> None:
        self.src = src

    def assign(self, placements: list[Placement]) -> None:
        stops = sorted(
            {p.start for p in placements} | {self.src.contents_start, self.src.n + 1} | self._masthead_starts()
        )
        for p in placements:
            end = next(s for s in stops if s > max(p.start, p.head_end)) - 1
            p.region = [n for n in range(p.head_end + 1, end + 1) if n not in self.src.consumed]
        if placements:
            self._trim_trailing_noise(max(placements, key=lambda p: p.start))

    def _masthead_starts(self) -> set[int]:
        starts = set()
        for n in sorted(self.src.consumed):
            if n - 1 not in self.src.consumed:
                starts.add(n)
        return starts

    def _trim_trailing_noise(self, p: Placement) -> None:
        """Drop short non-prose lines after a page gap at the very end (ads, slogans)."""
        content = [n for n in p.region if self.src.s(n)]
        idx = len(content)
        while idx > 0 and not is_prose(self.src.s(content[idx - 1])) and len(self.src.s(content[idx - 1])) <= 20:
            idx -= 1
        if idx == len(content) or idx == 0:
            return
        last_prose, first_noise = content[idx - 1], content[idx]
        if first_noise - last_prose < 3:  # need at least two blank lines: a page gap
            return
        dropped = content[idx:]
        p.region = [n for n in p.region if n <= last_prose]
        self.src.warn(f"{span(dropped[0], dropped[-1])}：文末的非正文内容（广告、标语等）已忽略。")

    def fix_dangling_ends(self, placements: list[Placement]) -> None:
        """Move a paragraph's continuation that the extraction put inside the next article.

        When an article ends mid-sentence and the next article has a page gap (three or
        more blank lines) right after a finished sentence, the text after that gap is
        taken to be the rest of the first article.
        """
        for a, b in zip(placements, placements[1:], strict=False):
            if a.start < self.src.contents_end or not b.titled:
                continue
            a_lines = [n for n in a.region if self.src.s(n) and not ARTEFACT_RE.match(self.src.s(n))]
            if not a_lines:
                continue
            tail = self.src.s(a_lines[-1])
            if is_terminal(tail) or not is_prose(tail):
                continue
            b_lines = [n for n in b.region if self.src.s(n)]
            for prev, nxt in zip(b_lines, b_lines[1:], strict=False):
                if nxt - prev >= 4 and is_terminal(self.src.s(prev)) and self._plain_text(self.src.s(nxt)):
                    moved = [n for n in b.region if n >= nxt]
                    b.region = [n for n in b.region if n < nxt]
                    a.region = a.region + moved
                    last = max(n for n in moved if self.src.s(n))
                    self.src.warn(
                        f"{span(nxt, last)}：这段文字接续《{a.entry.title}》末尾未完的句子，"
                        f"已从《{b.entry.title}》移到该文末尾。"
                    )
                    break

    @staticmethod
    def _plain_text(text: str) -> bool:
        return not (
            NUM_L2_RE.match(text)
            or NUM_L3_RE.match(text)
            or NUM_L4_RE.match(text)
            or CHAPTER_RE.match(text)
            or BULLET_RE.match(text)
            or SUBTITLE_RE.match(text)
            or NOTE_RE.match(text)
        )
