"""Anchoring each contents entry to its title line in the text (exact, then near matches),
and finding the untitled passage of a 卷首语 whose title is not printed."""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass, field

from .blocks import heading_level
from .bylines import byline_authors, head_byline
from .contents import ContentsEntry
from .model import UnplacedEntry
from .patterns import BULLET_RE, NOTE_RE, SUBTITLE_RE
from .source import SourceText
from .text import bigrams, clean_title, is_prose, is_terminal, match_key, span


@dataclass
class Placement:
    entry: ContentsEntry
    start: int  # first title line, or first line of an untitled passage
    head_end: int  # last title line (start - 1 when untitled)
    titled: bool = True
    region: list[int] = field(default_factory=list)  # content lines after the title


class EntryPlacer:
    """Places every contents entry, or reports it as unplaced (never drops one silently)."""

    def __init__(self, src: SourceText) -> None:
        self.src = src

    def _candidates(self, first: int, last: int) -> list[int]:
        return [n for n in range(first, last + 1) if self.src.s(n) and n not in self.src.consumed]

    def _body_follows(self, last_title_line: int, claimed: set[int]) -> bool:
        """Whether the text after a candidate title line reads like the start of an article.

        Guards the fallback searches against cover teasers and other stray lines that
        happen to repeat a title: the next line must open a body (prose, byline,
        subtitle, editor's note, numbered heading, list or table), or be a second title
        line printed directly under the first and followed by such a line.
        """
        following = []
        for n in range(last_title_line + 1, min(self.src.n, last_title_line + 30) + 1):
            if n in self.src.consumed or n in claimed:
                break
            if self.src.s(n):
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
            and len(self.src.s(following[0])) <= 40
            and self._opens_body(following[1])
        )

    def _opens_body(self, no: int) -> bool:
        text = self.src.s(no)
        return bool(
            is_prose(text)
            or "\t" in self.src.lines[no]
            or byline_authors(text)
            or head_byline(text)
            or SUBTITLE_RE.match(text)
            or NOTE_RE.match(text)
            or BULLET_RE.match(text)
            or heading_level(text) is not None
        )

    def _exact(self, key: str, cands: list[int], lo: int, hi: int, claimed: set[int]) -> tuple[int, list[int]] | None:
        """First candidate index in [lo, hi) whose line(s) spell exactly ``key``."""
        for idx in range(lo, hi):
            no = cands[idx]
            if no in claimed:
                continue
            k = self.src.key(no)
            if k == key:
                return idx, [no]
            if len(k) >= 2 and key.startswith(k):
                acc, used = k, [no]
                for j in range(idx + 1, min(idx + 4, len(cands))):
                    nxt = cands[j]
                    if nxt in claimed or nxt - used[-1] > 4:
                        break
                    acc += self.src.key(nxt)
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
            if no in claimed or len(self.src.s(no)) > 90:
                continue
            options = [[no]]
            if idx + 1 < len(cands) and cands[idx + 1] - no <= 4 and cands[idx + 1] not in claimed:
                options.append([no, cands[idx + 1]])
            for used in options:
                k = "".join(self.src.key(n) for n in used)
                if is_terminal(self.src.s(used[-1])) and not is_terminal(key):
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

    def place(self, entries: list[ContentsEntry]) -> tuple[list[Placement], list[UnplacedEntry]]:
        body = self._candidates(self.src.contents_end + 1, self.src.n)
        pre = self._candidates(1, self.src.contents_start - 1)
        claimed: set[int] = set()
        placements: list[Placement] = []
        missing: list[ContentsEntry] = []
        cursor = 0

        def place(entry: ContentsEntry, used: list[int], how: str = "") -> None:
            claimed.update(used)
            placements.append(Placement(entry=entry, start=used[0], head_end=used[-1]))
            if how:
                self.src.warn(f"{span(used[0], used[-1])}：目录条目“{entry.title}”（目录第 {entry.line} 行）{how}。")

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
        still_missing: list[ContentsEntry] = []
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
                placements.append(Placement(entry=entry, start=passage[0], head_end=passage[0] - 1, titled=False))
                continue
            reason = "正文中未找到与目录标题对应的标题行"
            unplaced.append(UnplacedEntry(title=entry.title, column=entry.column_name, line=entry.line, reason=reason))
            self.src.warn(f"第 {entry.line} 行：目录条目“{entry.title}”{reason}，未导入。")
        placements.sort(key=lambda p: p.start)
        return placements, unplaced

    def _window(self, entry: ContentsEntry, placements: list[Placement], body: list[int]) -> tuple[int, int]:
        """Candidate indexes between the body articles placed before and after ``entry``."""
        in_body = [p for p in placements if p.start > self.src.contents_end and not p.entry.is_cover]
        before = max((p.head_end for p in in_body if p.entry.order < entry.order), default=0)
        after = min((p.start for p in in_body if p.entry.order > entry.order), default=self.src.n + 1)
        lo = bisect.bisect_right(body, before)
        hi = bisect.bisect_left(body, after)
        return lo, max(lo, hi)

    def _title_text(self, used: list[int]) -> str:
        return clean_title("".join(self.src.s(n) for n in used))

    def _untitled_passage(self, entry: ContentsEntry, placements: list[Placement]) -> list[int] | None:
        """Lines of the untitled passage for a 卷首语 entry whose title is not printed.

        First choice: the run of prose right before the masthead (or the contents);
        second: prose between the contents and the first article. When the run directly
        continues another article (no title in between), the boundary is put where the
        vocabulary turns from that article's title to this entry's title.
        """
        titles = {n for p in placements for n in range(p.start, p.head_end + 1)}
        boundary = self.src.contents_start
        mh_start = min((n for n in self.src.consumed if n < self.src.contents_start), default=None)
        if mh_start is not None:
            boundary = mh_start
        run: list[int] = []
        stop = 0
        for no in range(boundary - 1, 0, -1):
            text = self.src.s(no)
            if not text:
                continue
            if no in titles or no in self.src.consumed or not is_prose(text):
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
        first_title = min((p.start for p in placements if p.start > self.src.contents_end), default=self.src.n + 1)
        lines = [n for n in self._candidates(self.src.contents_end + 1, first_title - 1) if is_prose(self.src.s(n))]
        if lines:
            self._note_passage(entry, lines, None)
            return lines
        return None

    def _vocabulary_split(self, run: list[int], before_title: str, own_title: str, min_keep: int) -> int | None:
        if len(run) <= min_keep:
            return None
        before, own = bigrams(before_title), bigrams(own_title)
        total, best, best_k = 0.0, None, None
        for k in range(len(run)):
            if k >= min_keep and (best is None or total > best):
                best, best_k = total, k
            grams = bigrams(self.src.s(run[k]))
            total += len(grams & before) / max(1, len(before)) - len(grams & own) / max(1, len(own))
        return best_k

    def _note_passage(self, entry: ContentsEntry, passage: list[int], after: str | None) -> None:
        how = f"，与前一篇《{after}》按用词分界" if after else ""
        self.src.warn(
            f"{span(passage[0], passage[-1])}：目录条目“{entry.title}”在正文中没有标题行，"
            f"已把这段无标题文字作为该文正文{how}。"
        )
