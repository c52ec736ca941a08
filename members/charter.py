"""The charter (章程) page's text for the demo: the association's own published excerpts.

The seed issue of 《信用浙江》 prints the association's introduction (宗旨, 职责, 业务范围: the charter's
opening articles) and the 入会须知 (members' conditions, procedure, rights, obligations, leaving and
expulsion: the charter's membership chapter), not the full charter. The page says so at the top;
editors replace it with the full text in the CMS. Without the seed, a summary of the same rules
(`members.content`), marked as such, stands in.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

START, MEMBERSHIP, END = "浙江省信用协会简介", "会员单位入会须知", "“信用浙江” 系列公益广告"
NOTE = ("<p><strong>说明：</strong>以下内容摘录自《信用浙江》2019年第3期（总第044期）刊载的《浙江省信用协会简介》"
        "与《会员单位入会须知》，不是章程全文；章程全文以协会正式印发的文本为准，由编辑在内容管理系统中维护。</p>")
SUMMARY_NOTE = ("<p><strong>说明：</strong>本页为章程有关会员条款的摘要（根据协会公布的入会须知整理），不是章程全文；"
                "章程全文以协会正式印发的文本为准。</p>")
_ENDS_PARAGRAPH = re.compile(r"[。；;！？!?：:]$")
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines as paragraphs: a line that does not end a sentence continues on the next (page-break artefacts)."""
    paragraphs: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if paragraphs and not _ENDS_PARAGRAPH.search(paragraphs[-1]) and not _SECTION.match(line) \
                and not line.startswith("(") and paragraphs[-1] not in (START, MEMBERSHIP) \
                and not _SECTION.match(paragraphs[-1]):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def excerpt_from_seed(path: Path) -> str | None:
    """The charter excerpts of the seed issue as rich text (None if the file or the passage is missing)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    stripped = [line.strip() for line in lines]
    if START not in stripped or END not in stripped:
        return None
    start, end = stripped.index(START), stripped.index(END)
    html = [NOTE]
    for text in _paragraphs(lines[start:end]):
        if text in (START, MEMBERSHIP):
            html.append(f"<h2>{escape(text)}</h2>")
        elif _SECTION.match(text):
            html.append(f"<h3>{escape(text)}</h3>")
        else:
            html.append(f"<p>{escape(text)}</p>")
    return "".join(html)


def summary() -> str:
    """A clearly marked summary from the joining rules (when the seed is not available)."""
    from django.utils import translation

    from . import content

    with translation.override("zh-hans"):
        parts = [SUMMARY_NOTE]
        for title, items in (("会员条件", content.CONDITIONS), ("入会程序", content.PROCEDURE),
                             ("会员权利", content.RIGHTS), ("会员义务", content.OBLIGATIONS),
                             ("退会与除名", content.LEAVING)):
            parts.append(f"<h3>{title}</h3><ol>{''.join(f'<li>{escape(str(i))}</li>' for i in items)}</ol>")
    return "".join(parts)
