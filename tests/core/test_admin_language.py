"""The Wagtail admin reads Chinese (issue #14.8): our catalogues never override Wagtail's or Django's own words
with another meaning (Wagtail's 页面 "Pages" had become the pagination's 分页), and the words Wagtail's zh_Hans
catalogue lacks are provided by core's catalogue."""

import importlib.util
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "i18n.py"
UNTRANSLATED = ["Search all pages", "Root", "Date updated", "Edited by", "Shortcuts", "Pages"]


@pytest.fixture(scope="module")
def i18n():
    spec = importlib.util.spec_from_file_location("i18n_script_upstream", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def superuser_client(client, home_page, make_user):
    user = make_user(is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def _visible_english(html: str) -> list[str]:
    """Which of the words a person saw in English are still there: as text, in a label, placeholder or title,
    in the sidebar's menu data, or quoted inside a title ('Root')."""
    found = []
    for word in UNTRANSLATED:
        w = re.escape(word)
        patterns = [rf">\s*{w}\b[^<]*<", rf'(placeholder|aria-label|title)="{w}', rf'"label": "{w}"', rf"&#x27;{w}&#x27;"]
        if any(re.search(p, html) for p in patterns):
            found.append(word)
    return found


def test_pages_menu_reads_as_wagtails_pages(superuser_client):
    with translation.override("zh-hans"):
        assert translation.gettext("Pages") == "页面"
    html = superuser_client.get("/admin/").content.decode()
    assert '"label": "\\u9875\\u9762"' in html or "页面" in html  # the sidebar's "Pages" menu
    assert "分页" not in html


def test_dashboard_and_page_explorer_have_no_english_left(superuser_client, home_page):
    dashboard = superuser_client.get("/admin/").content.decode()
    explorer = superuser_client.get("/admin/pages/").content.decode()
    children = superuser_client.get(f"/admin/pages/{home_page.pk}/").content.decode()
    assert _visible_english(dashboard) == []
    assert _visible_english(explorer) == []
    assert _visible_english(children) == []
    assert "检索全部页面…" in dashboard


def test_our_catalogues_agree_with_django_and_wagtail(i18n):
    assert i18n.upstream_differences() == {}


def test_upstream_differences_are_detected(i18n, tmp_path, monkeypatch):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Pages", msgstr="分页"))
    po.append(polib.POEntry(msgctxt="pagination", msgid="Pages", msgstr="分页"))
    po.append(polib.POEntry(msgid="Documents", msgstr="文档"))
    path = tmp_path / "magazine.po"
    po.save(str(path))
    monkeypatch.setattr(i18n, "AREAS", {"magazine": None})
    monkeypatch.setattr(i18n, "po_path", {"magazine": path}.__getitem__)
    monkeypatch.setattr(i18n, "UPSTREAM_DIFFERENCES_ALLOWED", {})
    found = i18n.upstream_differences()
    assert found == {"Pages": {"magazine": "分页", "upstream": {"页面"}}}
    assert i18n.report_upstream_differences() == 1
