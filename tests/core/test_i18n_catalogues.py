"""The per-area zh_Hans catalogues are complete and never disagree.

Django merges every app's catalogue into one, and for a msgid translated differently in two catalogues
the app earlier in INSTALLED_APPS wins on every page, so a disagreement shows one area's word in
another area (the magazine's 上一篇 on every pagination link, the membership 入会申请 for a showcase 申报…).
"""

import importlib.util
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "i18n.py"


@pytest.fixture(scope="module")
def i18n():
    spec = importlib.util.spec_from_file_location("i18n_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_area_has_a_catalogue(i18n):
    assert [area for area in i18n.AREAS if not i18n.po_path(area).exists()] == []


def test_catalogues_are_complete(i18n):
    assert i18n.incomplete() == []


def test_no_msgid_is_translated_differently_in_two_catalogues(i18n):
    assert i18n.conflicts() == {}


def test_conflicts_are_detected(i18n, tmp_path, monkeypatch):
    def catalogue(area, entries):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for msgctxt, msgid, msgstr in entries:
            po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr))
        path = tmp_path / f"{area}.po"
        po.save(str(path))
        return path

    paths = {
        "magazine": catalogue("magazine", [(None, "Next", "下一页"), ("magazine", "Next", "下一篇"), (None, "Cancel", "取消")]),
        "services": catalogue("services", [(None, "Next", "下一页"), (None, "Cancel", "返回")]),
        "showcase": catalogue("showcase", [("showcase", "Next", "下一步")]),
    }
    monkeypatch.setattr(i18n, "AREAS", dict.fromkeys(paths))
    monkeypatch.setattr(i18n, "po_path", paths.__getitem__)
    assert i18n.conflicts() == {(None, "Cancel"): {"magazine": "取消", "services": "返回"}}
    assert i18n.report_conflicts() == 1


@pytest.mark.parametrize(("context", "msgid", "expected"), [
    ("pagination", "Previous", "上一页"),
    (None, "Previous", "上一个"),  # Wagtail's own word, no longer replaced by ours (#14.8)
    ("pagination", "Pages", "分页"),
    (None, "Pages", "页面"),
    ("magazine", "Previous", "上一篇"),
    (None, "Cancel", "取消"),
    (None, "Membership", "入会与会员"),
    ("members", "Membership", "会员"),
    (None, "Application", "入会申请"),
    ("showcase", "Application", "申报推荐"),
    ("showcase", "Rejected", "初审未通过"),
    (None, "Rejected", "已驳回"),
    ("awards", "Evidence", "证据材料"),
    (None, "Evidence", "证明材料"),
])
def test_each_area_keeps_its_own_translation(context, msgid, expected):
    assert settings.LANGUAGE_CODE.lower().startswith("zh")
    with translation.override("zh-hans"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert text == expected
