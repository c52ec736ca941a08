"""Chinese typography on the portal's forms (issue #14.18): labels end with a full-width colon, required fields
carry a visible marker and the `required` attribute; English labels keep the ASCII colon."""

import re

from django import forms
from django.utils import translation


class ContactForm(forms.Form):
    name = forms.CharField(label="单位名称")
    note = forms.CharField(label="备注", required=False)
    agree = forms.BooleanField(label="我已阅读", label_suffix="")


def _labels(html: str) -> list[str]:
    return re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)


def test_chinese_labels_end_with_a_full_width_colon_and_required_fields_are_marked():
    with translation.override("zh-hans"):
        html = ContactForm().as_div()
    assert _labels(html) == [
        '单位名称<span class="required-mark" aria-hidden="true">*</span>：',
        "备注：",
        '我已阅读<span class="required-mark" aria-hidden="true">*</span>',
    ]
    assert re.search(r'<input type="text" name="name"[^>]* required[^>]*>', html)
    assert not re.search(r'<input type="text" name="note"[^>]* required', html)


def test_english_labels_keep_the_ascii_colon():
    with translation.override("en"):
        html = ContactForm().as_div()
    assert _labels(html)[:2] == ['单位名称<span class="required-mark" aria-hidden="true">*</span>:', "备注:"]


def test_login_page_labels_are_chinese_with_full_width_colons(client, home_page):
    html = client.get("/accounts/login/").content.decode()
    labels = _labels(html)
    assert labels and all(not label.rstrip().endswith(":") for label in labels), labels


def test_login_page_marks_required_fields(client, home_page):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_login">电子邮箱<span class="required-mark" aria-hidden="true">*</span>：</label>' in html
    assert '<label for="id_remember">记住我：</label>' in html
