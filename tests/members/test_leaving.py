import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import domain
from members.models import Membership, WithdrawalRequest
from portal.core.workflow import WorkflowError

from .conftest import admin_denied, pdf_bytes, png_bytes


def letter():
    return SimpleUploadedFile("退会函.pdf", pdf_bytes("退会函"))


def test_withdrawal_requested_then_confirmed_with_certificate_return(client, client_for, member_a, firm_a_user,
                                                                     secretariat):
    firm = client_for(firm_a_user)
    response = firm.post(reverse("members:withdraw"), {"letter": letter(), "reason": "业务调整", "confirm": "on"})
    assert response.status_code == 302
    withdrawal = WithdrawalRequest.objects.get()
    assert withdrawal.letter_name == "退会函.pdf"
    assert "正等待秘书处确认" in firm.get(reverse("members:membership")).content.decode()

    staff = client_for(secretariat)
    url = reverse("members_memberships:inspect", args=[member_a.pk])
    assert staff.get(reverse("members_admin:withdrawal_letter", args=[withdrawal.pk])).status_code == 200
    response = staff.post(url, {"action": "confirm_withdrawal", "wd-certificate_returned_on": "2026-11-01"})
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.status == "withdrawn"
    assert member_a.certificate_returned_on == datetime.date(2026, 11, 1)
    client.logout()
    assert "甲信用科技有限公司" not in client.get(reverse("members:directory")).content.decode()
    assert "已退会" in client.get(reverse("verify_certificate", args=[member_a.member_number])).content.decode()


def test_withdrawal_letter_must_be_real_pdf(client_for, member_a, firm_a_user):
    fake = SimpleUploadedFile("退会函.pdf", png_bytes())
    response = client_for(firm_a_user).post(reverse("members:withdraw"), {"letter": fake, "confirm": "on"})
    assert response.status_code == 200
    assert not WithdrawalRequest.objects.exists()


def test_second_withdrawal_notice_refused(member_a, firm_a_user):
    domain.request_withdrawal(membership=member_a, user=firm_a_user, letter=letter(), letter_name="a.pdf")
    with pytest.raises(WorkflowError):
        domain.request_withdrawal(membership=member_a, user=firm_a_user, letter=letter(), letter_name="b.pdf")


def test_other_firm_cannot_withdraw(member_a, firm_b, firm_b_user):
    from portal.core.workflow import NotFound

    with pytest.raises(NotFound):  # another unit's membership is not even confirmed to exist
        domain.request_withdrawal(membership=member_a, user=firm_b_user, letter=letter(), letter_name="a.pdf")


def test_withdraw_page_without_membership_is_404(client_for, firm_b, firm_b_user):
    assert client_for(firm_b_user).get(reverse("members:withdraw")).status_code == 404


def test_withdrawal_letter_wrong_role_forbidden(client_for, member_a, firm_a_user, editor):
    w = domain.request_withdrawal(membership=member_a, user=firm_a_user, letter=letter(), letter_name="a.pdf")
    assert admin_denied(client_for(editor).get(reverse("members_admin:withdrawal_letter", args=[w.pk])))


def expulsion_data(**overrides):
    data = {"action": "expel", "ex-meeting_date": "2026-10-20", "ex-members_present": "18", "ex-votes_for": "15",
            "ex-votes_against": "2",
            "ex-votes_abstaining": "1", "ex-reason": "提供虚假材料，严重违反章程。",
            "ex-minutes": SimpleUploadedFile("纪要.pdf", pdf_bytes("理事会会议纪要"))}
    data.update(overrides)
    return data


@pytest.fixture
def council_of_25(rules):
    rules.council_size = 25
    rules.save()


def test_council_expels_by_vote(client, client_for, member_a, council, council_of_25):
    response = client_for(council).post(reverse("members_memberships:inspect", args=[member_a.pk]), expulsion_data())
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.status == "expelled"
    assert member_a.ended_on == datetime.date(2026, 10, 20)
    resolution = member_a.expulsion.resolution
    assert (resolution.kind, resolution.members_present, resolution.votes_for, resolution.votes_against) == (
        "expulsion", 18, 15, 2)
    client.logout()
    assert "已除名" in client.get(reverse("verify_certificate", args=[member_a.member_number])).content.decode()


def test_expulsion_vote_not_passed_refused(client_for, member_a, council, council_of_25):
    response = client_for(council).post(reverse("members_memberships:inspect", args=[member_a.pk]),
                                        expulsion_data(**{"ex-votes_for": "5", "ex-votes_against": "5"}))
    assert response.status_code == 302
    assert "未获通过" in client_for(council).get(response["Location"]).content.decode()
    assert Membership.objects.get(pk=member_a.pk).status == "active"


def test_secretariat_records_the_councils_expulsion(client_for, member_a, secretariat, council_of_25):
    response = client_for(secretariat).post(reverse("members_memberships:inspect", args=[member_a.pk]), expulsion_data())
    assert response.status_code == 302
    assert Membership.objects.get(pk=member_a.pk).status == "expelled"


def test_expulsion_by_other_roles_forbidden(client_for, member_a, editor, expert, council_of_25):
    for user in (editor, expert):
        response = client_for(user).post(reverse("members_memberships:inspect", args=[member_a.pk]), expulsion_data())
        assert admin_denied(response)
    assert Membership.objects.get(pk=member_a.pk).status == "active"
