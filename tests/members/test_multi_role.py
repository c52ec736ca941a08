"""A person may hold several roles (SPEC "Who uses it", issue #13.11).

A council member who works for a member firm acts for that firm with the same account (the firm
pages and the admin) and is recused from every decision about it.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from members import domain
from members.models import Membership, MembershipApplication
from portal.accounts.roles import Role
from portal.organisations.models import OrganisationUser

from .conftest import admit


@pytest.fixture
def councillor_of_a(make_user, firm_a):
    """A council member registered with firm A."""
    user = make_user(Role.COUNCIL, email="council-a@example.com")
    OrganisationUser.objects.create(user=user, organisation=firm_a)
    return user


def test_council_member_of_a_firm_uses_the_firm_pages_and_the_admin(client_for, councillor_of_a, member_a):
    client = client_for(councillor_of_a)
    page = client.get(reverse("members:membership"))
    assert page.status_code == 200
    assert member_a.member_number in page.content.decode()
    assert client.get(reverse("members:certificate")).status_code == 200
    assert client.get(reverse("members:organisation")).status_code == 200
    assert member_a.member_number in client.get(reverse("account_home")).content.decode()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # and the admin, same account


def test_council_member_without_a_firm_still_kept_off_the_firm_pages(client_for, council):
    assert client_for(council).get(reverse("members:membership")).status_code == 403


def test_council_member_recused_from_approving_own_firm(councillor_of_a, submitted_application, make_user):
    with pytest.raises(PermissionDenied):
        admit(submitted_application, councillor_of_a)
    with pytest.raises(PermissionDenied):
        domain.return_application(application=submitted_application, user=councillor_of_a, message="补材料")
    assert MembershipApplication.objects.get(pk=submitted_application.pk).status == "submitted"
    admit(submitted_application, make_user(Role.COUNCIL))  # another councillor
    assert Membership.objects.filter(organisation=submitted_application.organisation).count() == 1


def test_council_member_recused_from_expelling_own_firm(councillor_of_a, member_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import pdf_bytes

    with pytest.raises(PermissionDenied):
        domain.expel_member(membership=member_a, user=councillor_of_a, meeting_date=member_a.started_on,
                            members_present=2, votes_for=2, votes_against=0, reason="违反章程",
                            minutes=SimpleUploadedFile("纪要.pdf", pdf_bytes()), minutes_name="纪要.pdf")
    assert Membership.objects.get(pk=member_a.pk).status == "active"


def test_secretariat_member_of_a_firm_recused_from_its_dues_and_tier(make_user, firm_a, member_a, tiers):
    clerk = make_user(Role.SECRETARIAT)
    OrganisationUser.objects.create(user=clerk, organisation=firm_a)
    with pytest.raises(PermissionDenied):
        domain.record_payment(dues_item=member_a.dues_items.get(), user=clerk, amount=100, paid_on=member_a.started_on,
                              method="bank")
    with pytest.raises(PermissionDenied):
        domain.change_tier(membership=member_a, tier=tiers["副会长单位"], user=clerk)
    assert member_a.dues_items.get().paid == 0


def test_recused_councillor_sees_no_decision_buttons(client_for, councillor_of_a, submitted_application):
    client = client_for(councillor_of_a)
    page = client.get(reverse("members_applications:inspect", args=[submitted_application.pk]))
    assert page.status_code == 200
    assert reverse("members_resolutions:record_admission") not in page.content.decode()
    screen = client.get(reverse("members_resolutions:record_admission")).content.decode()
    assert "甲信用科技有限公司" not in screen  # not offered on the resolution screen either
