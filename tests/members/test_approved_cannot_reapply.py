"""Issue #12 check, membership side: approval makes a membership, so no second application opens."""

import pytest
from django.urls import reverse

from members import domain
from members.models import MembershipApplication
from portal.core.workflow import WorkflowError


def test_member_with_an_approved_application_cannot_open_another(client_for, member_a, firm_a_user):
    response = client_for(firm_a_user).get(reverse("members:apply"))
    assert (response.status_code, response["Location"]) == (302, reverse("members:membership"))


def test_domain_refuses_a_new_draft_after_approval(member_a, firm_a, firm_a_user, tiers):
    with pytest.raises(WorkflowError):
        domain.save_application_draft(application=MembershipApplication(organisation=firm_a, tier=tiers["理事单位"]),
                                      user=firm_a_user)
    assert MembershipApplication.objects.filter(organisation=firm_a).count() == 1
