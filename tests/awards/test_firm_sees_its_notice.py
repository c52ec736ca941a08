"""The unit sees on its application and its account page that its public notice is running, until when, and
that objections were filed and how they stand, never who filed them (issue #14.15)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from showcase.awards import domain


@pytest.fixture
def notice(firm_a, make_accepted, publish):
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    return publish([make_accepted(firm_a)], start)


def _pages(client, application):
    return [client.get(reverse("showcase:detail", args=[application.pk])).content.decode(),
            client.get(reverse("account_home")).content.decode()]


def test_the_unit_sees_its_notice_running_and_until_when(client_for, firm_a_user, notice):
    entry = notice.entries.get()
    end = timezone.localtime(notice.ends_at).strftime("%Y-%m-%d %H:%M")
    for page in _pages(client_for(firm_a_user), entry.application):
        assert "贵单位正在公示" in page
        assert f"公示截止时间：{end}（北京时间）" in page
        assert reverse("awards:notice", args=[notice.pk]) in page
        assert "公示期间尚未收到异议。" in page


def test_the_unit_learns_of_objections_without_the_objectors_identity(client_for, firm_a_user, notice, secretariat):
    entry = notice.entries.get()
    domain.submit_objection(entry=entry, name="王建国", phone="13905710000", email="wangjianguo@example.com",
                            relationship="supplier", content="拖欠货款三十八万元。")
    second = domain.submit_objection(entry=entry, name="李四", phone="13800000001", relationship="customer",
                                     content="产品质量问题。")
    domain.decide_objection(objection=second, user=secretariat, outcome="dismissed", reason="经核查不属实。")
    for page in _pages(client_for(firm_a_user), entry.application):
        assert "公示期间收到 2 件异议：1 件正在核查，1 件不成立。" in page
        for secret in ("王建国", "13905710000", "wangjianguo", "拖欠货款", "李四", "产品质量", "供应商"):
            assert secret not in page, secret


def test_another_unit_sees_nothing_of_it(client_for, firm_b_user, notice):
    page = client_for(firm_b_user).get(reverse("account_home")).content.decode()
    assert "贵单位正在公示" not in page
    assert client_for(firm_b_user).get(
        reverse("showcase:detail", args=[notice.entries.get().application_id])).status_code == 404
