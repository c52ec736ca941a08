"""The objection form asks for the objector's relationship without choosing it for them, and the secretariat's page
promises an email only to objectors who gave one (issue #14.19)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from showcase.awards import domain
from showcase.awards.models import Objection

from .test_objection_flood import REAL, objection_data


@pytest.fixture
def notice(firm_a, make_accepted, publish):
    return publish([make_accepted(firm_a)], timezone.now() - datetime.timedelta(hours=1))


def test_relationship_is_not_preselected_and_must_be_chosen(client, notice):
    entry = notice.entries.get()
    page = client.get(reverse("awards:notice", args=[notice.pk])).content.decode()
    select = re.search(r'<select name="relationship".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*selected[^>]*>([^<]*)<", select) == ["请选择"]
    assert '<option value="" selected>请选择</option>' in select
    response = client.post(reverse("awards:notice", args=[notice.pk]), objection_data(entry, relationship=""),
                           REMOTE_ADDR=REAL)
    assert response.status_code == 400
    assert Objection.objects.count() == 0
    assert 'id="id_relationship_error"><li>必需字段</li>' in response.content.decode()


def test_staff_page_promises_email_only_to_objectors_with_an_address(client_for, secretariat, notice):
    entry = notice.entries.get()
    by_phone = domain.submit_objection(entry=entry, name="赵六", phone="13900000000", relationship="supplier",
                                       content="拖欠货款。")
    by_email = domain.submit_objection(entry=entry, name="王五", email="wang@example.com", relationship="other",
                                       content="虚假宣传。")
    client = client_for(secretariat)
    phone_page = client.get(reverse("awards_admin:objection", args=[by_phone.pk])).content.decode()
    assert "通过邮件告知" not in phone_page
    assert "异议人只留了电话（13900000000），请致电告知处理结果和理由。" in phone_page
    email_page = client.get(reverse("awards_admin:objection", args=[by_email.pk])).content.decode()
    assert "处理结果和理由将通过邮件告知异议人。" in email_page
    response = client.post(reverse("awards_admin:objection", args=[by_phone.pk]),
                           {"outcome": "dismissed", "reason": "经核查不属实。"}, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == ["处理结果已记录。异议人只留了电话，请致电告知。"]
