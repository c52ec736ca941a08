"""Emails name the association and greet the person by name, never a username or a host (issue #14.14)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.core.mail import queue_email
from portal.core.models import AssociationContact

PASSWORD = "Xin-yong-2026!"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _assert_no_system_names(body: str, *, username: str = "") -> None:
    for line in body.splitlines():
        if "http://" not in line:  # links carry the host, the words never do
            assert "testserver" not in line and "127.0.0.1" not in line, line
    assert "Hello from" not in body and "Thank you for using" not in body
    if username:
        assert username not in body


def test_signup_confirmation_email_names_the_association_not_the_host(client, home_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"),
                    {"email": "new-firm@example.com", "password1": PASSWORD, "password2": PASSWORD})
    message = mail.outbox[-1]
    body = message.body
    assert message.subject.startswith("【浙江省信用协会】")
    assert body.startswith("您好！\n")
    assert "浙江省信用协会网站" in body
    assert re.search(r"http://testserver/accounts/confirm-email/\S+", body)
    assert body.rstrip().endswith("浙江省信用协会\n电话：（0571）87056850　电子邮箱：zj_xyxh@126.com")
    _assert_no_system_names(body, username="new-firm")
    assert "用户" not in body


def test_password_reset_email_greets_the_person_by_name(client, home_page, django_capture_on_commit_callbacks, make_user):
    user = make_user(email="zhang@example.com", name="张三")
    user.username = "hzxinyuan"
    user.save(update_fields=["username"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "zhang@example.com"})
    body = mail.outbox[-1].body
    assert body.startswith("尊敬的张三：\n您好！\n")
    assert "hzxinyuan" not in body and user.username not in body
    _assert_no_system_names(body, username="hzxinyuan")


def test_english_email_greets_in_english(client, home_page, django_capture_on_commit_callbacks, make_user):
    make_user(email="li@example.com", name="Li Si")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "li@example.com"})
    body = mail.outbox[-1].body
    assert body.startswith("Dear Li Si,\n")
    assert "Zhejiang Credit Association" in body
    _assert_no_system_names(body)


def test_association_name_follows_site_settings(client, home_page, django_capture_on_commit_callbacks):
    contact = AssociationContact.load()
    contact.name = "浙江省信用协会秘书处"
    contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"),
                    {"email": "new-firm@example.com", "password1": PASSWORD, "password2": PASSWORD})
    assert "浙江省信用协会秘书处" in mail.outbox[-1].body


def test_queued_email_to_one_person_greets_them(make_user, django_capture_on_commit_callbacks):
    user = make_user(email="wang@example.com", name="王五")
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=[user.email], subject="测试", template="services/email/request_status.txt",
                    context={"service_request": None, "link": "/x/"})
    assert mail.outbox[-1].body.startswith("尊敬的王五：\n您好！\n")


def test_a_name_that_is_the_email_address_is_not_a_greeting(make_user):
    user = make_user(email="nobody@example.com")  # the fixture's default name is the address
    with translation.override("zh-hans"):
        text = render_to_string("core/email/greeting.txt", {"recipient": user})
    assert text.strip() == "您好！"


EMAIL_TEMPLATES = sorted(p for p in TEMPLATES.glob("*/email/*.txt") if not p.name.endswith("_subject.txt")
                         and p.parent.parent.name not in ("core",))


@pytest.mark.parametrize("path", EMAIL_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_email_template_uses_the_shared_greeting_and_signature(path):
    text = path.read_text()
    if path.parent.parent.name == "account" and "{% extends" in text:
        return  # allauth's messages extend account/email/base_message.txt, which includes both
    assert '{% include "core/email/greeting.txt"' in text, path
    assert '{% include "core/email/signature.txt"' in text, path
    assert "Dear {{" not in text, path


def test_account_page_links_to_setting_the_name_that_emails_use(client_for, make_user, home_page, django_capture_on_commit_callbacks):
    user = make_user(email="zhao@example.com")  # no name of their own yet
    client = client_for(user)
    html = client.get(reverse("account_home")).content.decode()
    assert "尚未填写" in html and f'<a href="{reverse("privacy:details")}">填写姓名</a>' in html
    response = client.post(reverse("privacy:details"), {"display_name": "赵六"})
    assert response.status_code == 302
    html = client.get(reverse("account_home")).content.decode()
    assert "赵六" in html and f'<a href="{reverse("privacy:details")}">修改姓名</a>' in html
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=user.email, subject="测试", template="services/email/request_status.txt",
                    context={"service_request": None, "link": "/x/"})
    assert mail.outbox[-1].body.startswith("尊敬的赵六：\n")
