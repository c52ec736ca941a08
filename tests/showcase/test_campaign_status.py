"""A campaign is opened and closed only through its table (showcase.workflows.CAMPAIGNS), on its page in the
admin: the edit form cannot change the status, the wrong role cannot, and opening needs an appointed agency."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from showcase.models import Campaign


@pytest.fixture
def planned(standard, make_organisation):
    today = timezone.localdate()
    agency_org = make_organisation(name="浙江信用评估咨询有限公司", unit_type="credit_agency")
    return Campaign.objects.create(year=today.year + 1, title=f"{today.year + 1}年度创建活动", opens_on=today,
                                   deadline=today + datetime.timedelta(days=60), standard=standard, agency=agency_org)


def _form(campaign, **changes):
    data = {"year": campaign.year, "title": campaign.title, "opens_on": campaign.opens_on.isoformat(),
            "deadline": campaign.deadline.isoformat(), "standard": campaign.standard_id,
            "agency": campaign.agency_id or "", "preliminary_review_days": 15, "reminder_days": 3,
            "introduction": "", "commitment_text": campaign.commitment_text}
    return {**data, **changes}


def test_the_edit_form_cannot_open_a_campaign(client_for, secretariat, planned):
    client = client_for(secretariat)
    edit = reverse("showcase_campaign:edit", args=[planned.pk])
    assert 'name="status"' not in client.get(edit).content.decode()
    response = client.post(edit, _form(planned, title="2027年度创建活动（修订）", status="open"))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.title, planned.status) == ("2027年度创建活动（修订）", "planned")


def test_secretariat_opens_and_closes_the_campaign_on_its_page(client_for, secretariat, planned):
    client = client_for(secretariat)
    page = reverse("showcase_campaign:inspect", args=[planned.pk])
    body = client.get(page).content.decode()
    assert 'value="open"' in body and 'value="close"' not in body
    response = client.post(page, {"action": "open"}, follow=True)
    planned.refresh_from_db()
    assert planned.status == "open" and "创建活动状态已变为“申报中”" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="showcase.campaign.open", object_id=str(planned.pk)).count() == 1
    # a second click on the stale page: refused with the table's message, nothing logged twice
    response = client.post(page, {"action": "open"}, follow=True)
    assert "该创建活动已在申报中。" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="showcase.campaign.open").count() == 1
    client.post(page, {"action": "close"})
    planned.refresh_from_db()
    assert planned.status == "closed" and not planned.accepts_applications()


def test_opening_needs_an_appointed_agency(client_for, secretariat, planned):
    Campaign.objects.filter(pk=planned.pk).update(agency=None)
    page = reverse("showcase_campaign:inspect", args=[planned.pk])
    response = client_for(secretariat).post(page, {"action": "open"}, follow=True)
    planned.refresh_from_db()
    assert planned.status == "planned"
    assert "请先指定第三方信用服务机构" in response.content.decode()


@pytest.mark.parametrize("role", ["council", "agency", "editor"])
def test_other_roles_cannot_open_a_campaign(client_for, request, planned, role):
    user = request.getfixturevalue(role)
    client_for(user).post(reverse("showcase_campaign:inspect", args=[planned.pk]), {"action": "open"})
    planned.refresh_from_db()
    assert planned.status == "planned"


def test_an_unknown_action_is_not_found(client_for, secretariat, planned):
    response = client_for(secretariat).post(reverse("showcase_campaign:inspect", args=[planned.pk]),
                                            {"action": "delete"})
    assert response.status_code == 404


def test_the_list_opens_the_campaigns_page_which_says_yes_or_no_in_words(client_for, secretariat, planned):
    client = client_for(secretariat)
    page = reverse("showcase_campaign:inspect", args=[planned.pk])
    assert f'href="{page}"' in client.get(reverse("showcase_campaign:index")).content.decode()
    body = client.get(page).content.decode()
    assert "False" not in body and "True" not in body
    assert re.search(r"常年申报\s*</[^>]+>\s*<[^>]+>\s*否", body)
    assert reverse("showcase_campaign:edit", args=[planned.pk]) in body
