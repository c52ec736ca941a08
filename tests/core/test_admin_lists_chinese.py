"""Every list in the admin that our apps register shows yes/no in words a person reads, never Python's raw
True/False (issue #14.8), and our menus do not rename Wagtail's own (Groups, Reports).

The demo loads one of everything (services, requests, campaigns, the standard, tiers, titles …), and the
superuser opens every index view of our viewsets: the cells and the screen-reader text of icons included."""

import io
import re

import pytest
from django.test.utils import override_settings
from django.utils import translation

OURS = ("portal.", "members.", "showcase.")


def _our_viewsets():
    from django.apps import apps
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    found = []
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, str):
            model = apps.get_model(model)
        if model is not None and model.__module__.startswith(OURS) and not isinstance(viewset, ChooserViewSet):
            found.append(viewset)
    return found


@pytest.fixture
def demo(home_page):
    from portal.core.demo import Demo
    from portal.core.management.commands.load_demo import Command

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        Command(stdout=io.StringIO()).load(Demo(stdout=io.StringIO()))


def _text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_raw_true_or_false_in_our_admin_lists(client, demo, django_user_model):
    admin = django_user_model.objects.get(email="admin@demo.zjxyxh.org")
    client.force_login(admin)
    checked, found = [], {}
    for viewset in _our_viewsets():
        url = viewset.menu_url
        response = client.get(url)
        assert response.status_code == 200, url
        rows = response.content.decode().count("<tr")
        checked.append((url, rows))
        raw = sorted(set(re.findall(r"(?<![\w-])(True|False)(?![\w-])", _text(response.content.decode()))))
        if raw:
            found[url] = raw
    assert found == {}
    assert len(checked) >= 15, checked  # services, showcase, titles, members, organisations, magazine
    listed = dict(checked)
    for url in ("/admin/services_items/", "/admin/showcase-items/", "/admin/showcase-campaigns/",
                "/admin/showcase-standards/", "/admin/services_requests/", "/admin/members_tiers/"):
        assert listed.get(url, 0) > 2, (url, checked)  # a header and rows were rendered


def test_our_words_do_not_rename_wagtails_menus(client, demo, django_user_model):
    admin = django_user_model.objects.get(email="admin@demo.zjxyxh.org")
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        assert gettext("Groups") == "组"  # Wagtail's own word for user groups, not the programme's 创建项目
        assert gettext("Reports") == "报告"
    labels = re.findall(r'"label": "([^"]+)"', body.encode().decode("unicode_escape"))
    assert "报告" in labels and "会员统计报表" in labels, labels  # Wagtail's Reports and ours, named apart
    assert labels.count("统计报表") == 0, labels
    assert "创建项目" not in labels
