"""The issue text as numbered lines, shared by every step of the parser.

Every step reads lines through it, adds its warnings to it, and marks the lines it
owns (contents, masthead) as consumed so later steps skip them.
"""

from __future__ import annotations

from .model import IssueFormatError
from .patterns import BAD_CHARS_RE
from .text import match_key


class SourceText:
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
        self.consumed: set[int] = set()  # lines owned by the contents or the masthead
        self.contents_start = 0
        self.contents_end = 0

    def s(self, no: int) -> str:
        return self.lines[no].strip()

    def key(self, no: int) -> str:
        k = self.keys.get(no)
        if k is None:
            k = self.keys[no] = match_key(self.lines[no])
        return k

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def check_content(self) -> None:
        """Refuse empty, binary or garbled text; warn about stray undecodable characters."""
        if not self.text.strip():
            raise IssueFormatError("文件为空，没有可导入的内容。", line=1)
        for no in range(1, self.n + 1):
            line = self.lines[no]
            if not line:
                continue
            if "\x00" in line:
                raise IssueFormatError("包含二进制数据（NUL 字符），请上传 UTF-8 编码的纯文本文件。", line=no)
            bad = len(BAD_CHARS_RE.findall(line))
            if bad >= 3 and bad > 0.1 * len(line):
                raise IssueFormatError("包含乱码或无法识别的字符，请确认文件是 UTF-8 编码的纯文本。", line=no)
            if bad:
                self.warn(f"第 {no} 行：含有 {bad} 个无法识别的字符。")
