"""Issue #12 check: a unit whose application was accepted may not open a new draft in the same campaign."""

import pytest
from django.urls import reverse

from portal.core.workflow import WorkflowError
from showcase import domain
from showcase.eligibility import eligibility_problems
from showcase.models import Application

from .conftest import fill, said


@pytest.fixture
def accepted(draft):
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.ACCEPTED)
    draft.refresh_from_db()
    return draft


def test_create_application_refused_after_acceptance_in_the_campaign(accepted, campaign, firm_a_user):
    with pytest.raises(WorkflowError) as refused:
        domain.create_application(campaign=campaign, user=firm_a_user)
    assert "已通过验收" in said(refused)
    assert Application.objects.filter(organisation=accepted.organisation).count() == 1


def test_apply_page_explains_and_post_creates_nothing(client_for, accepted, firm_a_user):
    client = client_for(firm_a_user)
    page = client.get(reverse("showcase:apply")).content.decode()
    assert "已通过验收" in page
    response = client.post(reverse("showcase:apply"))
    assert response.status_code == 200
    assert Application.objects.filter(organisation=accepted.organisation).count() == 1


def test_a_draft_made_before_acceptance_cannot_be_submitted_after_it(accepted, campaign, firm_a, firm_a_user):
    second = Application.objects.create(campaign=campaign, organisation=firm_a, created_by=firm_a_user,
                                        unit_name=firm_a.name, established_on=firm_a.established_on)
    fill(second)
    assert "accepted_in_campaign" in {p.code for p in eligibility_problems(second, campaign.opens_on)}


def test_not_accepted_unit_may_apply_again(draft, campaign, firm_a_user):
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.NOT_ACCEPTED)
    assert domain.create_application(campaign=campaign, user=firm_a_user).status == Application.Status.DRAFT

