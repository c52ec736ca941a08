"""Chinese typography of the magazine's pages (#14.18) and the English contents heading (#14.21)."""

import re
from pathlib import Path

import polib
from django.conf import settings

from portal.magazine.models import ArticlePage, Column

from .conftest import needs_seed

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "portal" / "magazine" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK = "\u4e00-\u9fff《》（）：，。、；！？“”"
#: A space between Chinese and a number or a placeholder (第 22 页), or ASCII punctuation next to Chinese.
#: Digits inside Latin words (UTF-8, GB18030) are not numbers here.
NUMBER = r"(?:%\(\w+\)[sd]|(?<![A-Za-z\-\d])\d+(?![\dA-Za-z\-]))"
SPACED = re.compile(rf"[{CJK}] +{NUMBER}|{NUMBER} +[{CJK}]")
ASCII_PUNCTUATION = re.compile(rf"[{CJK}][,:;!?()]|[,:;!?()][{CJK}]")


def translations():
    for entry in polib.pofile(str(CATALOGUE)):
        yield entry.msgid, entry.msgstr or entry.msgstr_plural.get(0, "")
        for text in entry.msgstr_plural.values():
            yield entry.msgid, text


def test_magazine_translations_set_numbers_without_spaces_and_use_full_width_punctuation():
    spaced = [(msgid, text) for msgid, text in translations() if SPACED.search(text)]
    ascii = [(msgid, text) for msgid, text in translations() if ASCII_PUNCTUATION.search(text)]
    assert spaced == [] and ascii == []


def test_magazine_templates_put_no_spaces_inside_chinese_page_numbers():
    offenders = []
    for path in (ROOT / "templates" / "magazine").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(rf"[{CJK}] +\{{\{{|\}}\}} +[{CJK}]", text):
            offenders.append(path.name)
    assert offenders == []


@needs_seed
def test_reader_pages_read_chinese_numbers_tightly(client, seed):
    research = ArticlePage.objects.get(title="大数据时代下信用监管机制构建研究")
    assert "第22页" in client.get(research.url).content.decode()
    column = Column.objects.get(name_zh="信用动态")
    assert "各期共3篇文章" in client.get(f"/magazine/column/{column.pk}/").content.decode()


@needs_seed
def test_contents_heading_is_bilingual_in_chinese_only(client, seed):
    html = client.get(seed.url).content.decode()
    assert re.search(r'<h2 id="contents-h">目录 <small>CONTENTS</small></h2>', html)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switcher's choice
    html = client.get(seed.url).content.decode()
    heading = re.search(r'<h2 id="contents-h">(.*?)</h2>', html).group(1)
    assert heading == "Contents"
