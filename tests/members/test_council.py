"""Council decisions are resolutions of a quorate meeting (issue #13.10).

Admission is recorded as a council resolution (meeting date, members present, votes for / against /
abstaining) covering one or several applications, each approved (at the tier the council decides) or
rejected. Quorum and majority are settings (default: two thirds of the council present, two thirds of
those present in favour); expulsion follows the same rules.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import domain
from members.models import CouncilResolution, Membership, MembershipApplication
from members.workflows import APPLICATIONS
from portal.accounts.roles import Role
from portal.core.workflow import WorkflowError
from portal.organisations.models import OrganisationUser

from .conftest import pdf_bytes

MEETING = datetime.date(2026, 3, 2)


@pytest.fixture
def council_of_15(rules):
    rules.council_size = 15
    rules.save()
    return rules


def decide(application, decision="approve", tier=None, reason=""):
    return {"application": application, "decision": decision, "tier": tier or application.tier, "reason": reason}


def resolve(user, *decisions, present=12, votes_for=10, against=1, abstaining=1, **extra):
    return domain.record_admission_resolution(
        user=user, meeting_date=MEETING, members_present=present, votes_for=votes_for, votes_against=against,
        votes_abstaining=abstaining, decisions=list(decisions), **extra)


def test_one_click_approval_is_not_a_council_decision(submitted_application, council):
    """The bypass: the approval step without a resolution covering the application."""
    with pytest.raises(WorkflowError) as info:
        APPLICATIONS.transition(submitted_application, "approve", user=council)
    assert "理事会决议" in " ".join(info.value.messages_for_user)
    assert not hasattr(domain, "approve_application")  # one path per outcome: the resolution
    assert MembershipApplication.objects.get(pk=submitted_application.pk).status == "submitted"
    assert not Membership.objects.exists()


def test_resolution_admits_several_applications_one_at_another_tier(council_of_15, make_application, firm_a,
                                                                    firm_a_user, firm_b, firm_b_user, secretariat,
                                                                    tiers, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    app_a = make_application(firm_a, firm_a_user, tier="理事单位")
    app_b = make_application(firm_b, firm_b_user, tier="副会长单位")
    with django_capture_on_commit_callbacks(execute=True):
        resolution = resolve(secretariat, decide(app_a), decide(app_b, tier=tiers["会员单位"]))
    assert resolution.decisions.count() == 2 and resolution.kind == "admission"
    assert (resolution.council_size, resolution.members_present, resolution.votes_for) == (15, 12, 10)
    a, b = (Membership.objects.get(organisation=o) for o in (firm_a, firm_b))
    assert (a.tier.name, b.tier.name) == ("理事单位", "会员单位")
    assert a.started_on == b.started_on == MEETING
    assert [(i.year, i.amount) for i in b.dues_items.all()] == [(2026, 2000)]
    assert {a.member_number, b.member_number} == {"ZJXY-2026-0001", "ZJXY-2026-0002"}
    notice = next(m for m in mailoutbox if m.to and "firm-b@example.com" in m.to)
    assert notice.subject == "入会申请已获批准" and "会员单位" in notice.body and "副会长单位" in notice.body


def test_resolution_rejects_with_a_reason(council_of_15, submitted_application, council):
    resolve(council, decide(submitted_application, "reject", reason="不符合入会条件。"))
    submitted_application.refresh_from_db()
    assert (submitted_application.status, submitted_application.decision_note) == ("rejected", "不符合入会条件。")
    with pytest.raises(WorkflowError):
        resolve(council, decide(submitted_application, "reject"))  # decided already


@pytest.mark.parametrize(("present", "votes_for", "against", "abstaining", "problem"), [
    (9, 9, 0, 0, "法定人数"),  # 9 of 15 present: fewer than two thirds (10)
    (12, 7, 4, 1, "未获通过"),  # 7 of 12 in favour: fewer than two thirds (8)
    (12, 10, 2, 1, "多于到会人数"),  # 13 votes from 12 present
    (16, 16, 0, 0, "理事会共有"),  # more present than the council has
])
def test_resolution_needs_quorum_and_majority(council_of_15, submitted_application, council, present, votes_for,
                                              against, abstaining, problem):
    with pytest.raises(WorkflowError) as info:
        resolve(council, decide(submitted_application), present=present, votes_for=votes_for, against=against,
                abstaining=abstaining)
    assert problem in " ".join(info.value.messages_for_user)
    assert not CouncilResolution.objects.exists() and not Membership.objects.exists()


def test_the_edge_of_two_thirds_passes(council_of_15, submitted_application, council):
    resolve(council, decide(submitted_application), present=10, votes_for=7, against=3, abstaining=0)
    assert Membership.objects.count() == 1  # 10 = ⌈2/3 × 15⌉ present, 7 = ⌈2/3 × 10⌉ for


def test_quorum_and_majority_are_settings(council_of_15, submitted_application, council):
    council_of_15.quorum_numerator, council_of_15.quorum_denominator = 1, 2
    council_of_15.majority_numerator, council_of_15.majority_denominator = 1, 2
    council_of_15.save()
    resolve(council, decide(submitted_application), present=8, votes_for=4, against=4, abstaining=0)
    assert Membership.objects.count() == 1


def test_council_size_defaults_to_the_council_role_holders(rules, submitted_application, council, make_user):
    make_user(Role.COUNCIL), make_user(Role.COUNCIL)  # three council members: quorum 2
    with pytest.raises(WorkflowError):
        resolve(council, decide(submitted_application), present=1, votes_for=1, against=0, abstaining=0)
    resolve(council, decide(submitted_application), present=2, votes_for=2, against=0, abstaining=0)
    assert CouncilResolution.objects.get().council_size == 3


def test_recorder_recused_from_one_application_records_nothing(council_of_15, make_application, firm_a, firm_a_user,
                                                               firm_b, firm_b_user, make_user):
    councillor = make_user(Role.COUNCIL)
    OrganisationUser.objects.create(user=councillor, organisation=firm_b)
    app_a, app_b = make_application(firm_a, firm_a_user), make_application(firm_b, firm_b_user)
    with pytest.raises(PermissionDenied):
        resolve(councillor, decide(app_a), decide(app_b))
    assert not CouncilResolution.objects.exists() and not Membership.objects.exists()


def test_wrong_role_cannot_record_a_resolution(council_of_15, submitted_application, editor, firm_a_user):
    for user in (editor, firm_a_user):
        with pytest.raises((PermissionDenied, WorkflowError)):
            resolve(user, decide(submitted_application))
    assert not CouncilResolution.objects.exists()


def test_expulsion_needs_the_same_quorum_and_majority(council_of_15, member_a, council):
    minutes = SimpleUploadedFile("纪要.pdf", pdf_bytes("理事会会议纪要"))
    with pytest.raises(WorkflowError) as info:
        domain.expel_member(membership=member_a, user=council, meeting_date=datetime.date(2026, 10, 20),
                            members_present=12, votes_for=7, votes_against=5, votes_abstaining=0, reason="违反章程",
                            minutes=minutes, minutes_name="纪要.pdf")
    assert "未获通过" in " ".join(info.value.messages_for_user)
    assert Membership.objects.get(pk=member_a.pk).status == "active"


def test_admin_records_a_resolution_on_one_screen(client_for, council_of_15, make_application, firm_a, firm_a_user,
                                                  firm_b, firm_b_user, secretariat, tiers):
    app_a = make_application(firm_a, firm_a_user)
    app_b = make_application(firm_b, firm_b_user, tier="会员单位")
    client = client_for(secretariat)
    url = reverse("members_resolutions:record_admission")
    page = client.get(url).content.decode()
    assert "甲信用科技有限公司" in page and "乙贸易有限公司" in page and "到会人数" in page
    response = client.post(url, {
        "meeting_date": "2026-03-02", "members_present": "11", "votes_for": "9", "votes_against": "1",
        "votes_abstaining": "1", "note": "第三次理事会会议",
        "decisions-TOTAL_FORMS": "2", "decisions-INITIAL_FORMS": "2",
        "decisions-0-application": app_a.pk, "decisions-0-decision": "approve", "decisions-0-tier": tiers["会员单位"].pk,
        "decisions-1-application": app_b.pk, "decisions-1-decision": "", "decisions-1-tier": tiers["会员单位"].pk,
    })
    resolution = CouncilResolution.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("members_resolutions:inspect",
                                                                           args=[resolution.pk])
    assert Membership.objects.get(organisation=firm_a).tier.name == "会员单位"
    assert MembershipApplication.objects.get(pk=app_b.pk).status == "submitted"  # not on this meeting's agenda
    inspect = client.get(response["Location"]).content.decode()
    assert "甲信用科技有限公司" in inspect and "赞成" in inspect
