"""English mode shows English chrome (issue #14.21): the brand is not doubled, data with an English name
shows it, amounts read "yuan"."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _brand(html: str) -> str:
    return re.search(r'<span class="brand__text">(.*?)</span>', html, re.S).group(1)


def test_brand_subtitle_is_the_other_language(client, home_page):
    assert _brand(client.get("/").content.decode()) == (
        '<strong>浙江省信用协会</strong><small lang="en">Zhejiang Credit Association</small>')
    assert _brand(_english(client).get("/").content.decode()) == (
        '<strong>Zhejiang Credit Association</strong><small lang="zh-Hans">浙江省信用协会</small>')


class Named:
    def __init__(self, name, name_en=""):
        self.name, self.name_en = name, name_en


@pytest.mark.parametrize(("language", "thing", "expected"), [
    ("zh-hans", Named("理事单位", "Council unit"), "理事单位"),
    ("en", Named("理事单位", "Council unit"), "Council unit"),
    ("en", Named("理事单位", ""), "理事单位"),  # no English name yet: the Chinese one
    ("en", None, ""),
])
def test_local_name_picks_the_english_name_in_english(language, thing, expected):
    with translation.override(language):
        assert Template("{% load portal_tags %}{{ thing|local_name }}").render(Context({"thing": thing})) == expected


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "15,000 元"), ("en", "15,000 yuan")])
def test_yuan_reads_in_the_current_language(language, expected):
    with translation.override(language):
        assert Template("{% load portal_tags %}{{ 15000|yuan }}").render(Context()) == expected


def test_join_page_in_english_names_tiers_and_dues_in_english(client, home_page):
    html = _english(client).get("/members/join/").content.decode()
    assert "Vice-president unit" in html and "Council unit" in html and "Member unit" in html
    assert "副会长单位" not in html and "理事单位" not in html
    assert "15,000 yuan</strong> / year" in html
    assert " 元" not in html
