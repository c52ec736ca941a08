"""The programme's rules (issue #13), each tried the way it used to be got around: a direct POST, the ORM,
a decision against the standard's rule, a draft started while barred, a step by someone who acts for the unit."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from portal.core.workflow import WorkflowError
from showcase import domain
from showcase.models import Application, Rating, RatingLevel, StandardFrozen, StandardGroup, StandardItem, items_of

from .conftest import pdf_file, said, score

FROZEN = "冻结的评价标准不能新增或修改细则"


# ---------------------------------------------------------------- 1. a frozen standard accepts nothing new


@pytest.fixture
def frozen(assigned, experts, items, levels, standard):
    """The 2019 standard once an expert has rated an item with it."""
    score(assigned, experts[0], items, levels, submit=False)
    assert standard.is_frozen
    return standard


def _weights(standard):
    items = items_of(standard)
    return len(items), sum((i.weight for i in items), Decimal(0))


def test_frozen_standard_refuses_a_new_item_posted_to_the_admin(client_for, secretariat, frozen):
    group3 = StandardGroup.objects.get(standard=frozen, number=3)
    response = client_for(secretariat).post(reverse("showcase_item:add"), {
        "group": group3.pk, "code": "3.4", "title": "新增细则", "evidence": "无", "weight": "20",
        "sort_order": "9"})
    assert response.status_code == 200  # the form again, with the error
    assert FROZEN in response.content.decode()
    assert _weights(frozen) == (13, Decimal(100))


def test_frozen_standard_refuses_item_deletion_posted_to_the_admin(client_for, secretariat, frozen, items):
    client = client_for(secretariat)
    response = client.post(reverse("showcase_item:delete", args=[items[0].pk]))
    assert response.status_code == 302
    assert FROZEN in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert StandardItem.objects.filter(pk=items[0].pk).exists()
    response = client.post(reverse("showcase_item:edit", args=[items[0].pk]), {
        "group": items[0].group_id, "code": "1.1", "title": "改写", "evidence": "改写", "weight": "60",
        "sort_order": "0"})
    assert StandardItem.objects.get(pk=items[0].pk).weight == Decimal(6)


def test_frozen_standard_refuses_new_changed_and_deleted_parts_through_the_orm(frozen, items):
    group3 = StandardGroup.objects.get(standard=frozen, number=3)
    with pytest.raises(StandardFrozen) as refused:
        StandardItem.objects.create(group=group3, code="3.4", title="新增", evidence="无", weight=20)
    assert FROZEN in refused.value.messages[0]
    with pytest.raises(StandardFrozen):
        RatingLevel.objects.create(standard=frozen, name="部分符合", fraction=Decimal("0.3"))
    with pytest.raises(StandardFrozen):
        StandardGroup.objects.create(standard=frozen, number=4, title="新增分组")
    item = StandardItem.objects.get(pk=items[0].pk)
    item.weight = 60
    with pytest.raises(StandardFrozen):
        item.save()
    level = frozen.levels.get(name="基本符合")
    level.fraction = Decimal("0.9")
    with pytest.raises(StandardFrozen):
        level.save()
    with pytest.raises(StandardFrozen):
        StandardItem.objects.get(pk=items[1].pk).delete()
    with pytest.raises(StandardFrozen):
        group3.delete()
    frozen.pass_threshold = 60
    with pytest.raises(StandardFrozen):
        frozen.save()
    assert _weights(frozen) == (13, Decimal(100))
    assert frozen.levels.count() == 3


def test_a_copy_of_a_frozen_standard_can_be_changed(frozen):
    from showcase.admin_views import copy_standard_version

    copy = copy_standard_version(frozen)
    group3 = copy.groups.get(number=3)
    StandardItem.objects.create(group=group3, code="3.4", title="新增", evidence="无", weight=10)
    assert _weights(copy) == (14, Decimal(110))


# ---------------------------------------------------------------- 2. the pass rule decides


def _panel(review_round, experts, items, levels, **by_code):
    for expert in experts[:3]:
        score(review_round, expert, items, levels, **by_code)


BELOW_THRESHOLD = {"2_1": "基本符合", "2_2": "基本符合", "2_3a": "基本符合", "2_3b": "基本符合", "2_4": "基本符合",
                   "3_3": "基本符合"}  # 100 − 20 − 5 = 75 points from every expert


def test_a_mean_below_the_threshold_cannot_be_recorded_as_accepted(client_for, assigned, experts, items, levels,
                                                                   secretariat):
    from showcase.scoring import aggregate_round

    _panel(assigned, experts, items, levels, **BELOW_THRESHOLD)
    assert str(aggregate_round(assigned).mean_total) == "75.00"
    today = timezone.localdate().isoformat()
    response = client_for(secretariat).post(reverse("showcase_admin:decide", args=[assigned.pk]), {
        "result": "accepted", "decided_on": today, "note": "评审组一致认为该单位整体表现良好，同意通过。"})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert (assigned.result, assigned.application.status) == ("", Application.Status.ACCEPTANCE)
    with pytest.raises(WorkflowError) as refused:
        domain.record_decision(review_round=assigned, user=secretariat, result="accepted",
                               decided_on=timezone.localdate(), note="评审组一致同意通过")
    assert "重新评分" in said(refused)
    assert Application.objects.get(pk=assigned.application_id).status == Application.Status.ACCEPTANCE


def test_a_failed_veto_item_cannot_be_overruled(assigned, experts, items, levels, secretariat):
    from showcase.scoring import aggregate_round

    _panel(assigned, experts, items, levels, **{"3_1": "基本符合"})
    aggregate = aggregate_round(assigned)
    assert (str(aggregate.mean_total), aggregate.veto_failed) == ("95.00", ("3.1",))
    with pytest.raises(WorkflowError):
        domain.record_decision(review_round=assigned, user=secretariat, result="accepted",
                               decided_on=timezone.localdate(), note="否决项材料已补充")
    decided = domain.record_decision(review_round=assigned, user=secretariat, decided_on=timezone.localdate())
    assert (decided.result, decided.application.status) == ("not_accepted", Application.Status.NOT_ACCEPTED)


def test_the_panel_disagreeing_reopens_a_sheet_and_the_rule_decides_again(assigned, experts, items, levels,
                                                                          secretariat):
    _panel(assigned, experts, items, levels, **{"3_1": "基本符合"})
    for expert in experts[:2]:  # two of three sheets are reopened, with the reason, and scored again
        sheet = assigned.assignments.get(expert=expert).sheet
        domain.reopen_score_sheet(sheet=sheet, user=secretariat, reason="3.1 征信报告已核实，请重新评分")
        score(assigned, expert, items, levels)
    decided = domain.record_decision(review_round=assigned, user=secretariat, result="accepted",
                                     decided_on=timezone.localdate())
    assert (decided.result, decided.application.status) == ("accepted", Application.Status.ACCEPTED)


# ---------------------------------------------------------------- 4. exclusion ends the application


@pytest.fixture
def in_creation(submitted, agency):
    return domain.pass_preliminary_review(application=submitted, user=agency, not_credit_agency=True)


def test_exclusion_ends_an_application_in_creation(in_creation, agency, secretariat, campaign, firm_a_user, items):
    from showcase.awards import domain as awards
    from showcase.awards.models import Revocation

    revocation = awards.revoke(application=in_creation, user=secretariat, ground="fraud",
                               facts="申报材料中的荣誉证书系伪造。", revoked_on=timezone.localdate())
    application = Application.objects.get(pk=in_creation.pk)
    assert application.status == Application.Status.EXCLUDED
    assert application.status not in Application.OPEN_STATUSES
    assert revocation.title is None and revocation.ban.organisation_id == application.organisation_id
    with pytest.raises(WorkflowError):
        domain.record_stage_assessment(application=application, user=agency, assessed_on=timezone.localdate(),
                                       advice="完善制度", findings={items[5].pk: "未设部门"})
    with pytest.raises(WorkflowError):
        domain.enter_public_credit_record(application=application, user=agency, result="优",
                                          looked_up_on=timezone.localdate())
    with pytest.raises(WorkflowError):
        domain.submit_evaluation_report(application=application, user=agency, report=pdf_file("report.pdf"),
                                        report_name="report.pdf")
    with pytest.raises(WorkflowError):
        domain.withdraw_application(application=application, user=firm_a_user)
    with pytest.raises(WorkflowError):  # excluded once
        awards.revoke(application=application, user=secretariat, ground="fraud", facts="再次",
                      revoked_on=timezone.localdate())
    assert Revocation.objects.count() == 1
    assert Application.objects.get(pk=in_creation.pk).status == Application.Status.EXCLUDED
    assert application.assessments.count() == 0 and application.rounds.count() == 0


def test_an_excluded_unit_may_apply_again_once_the_ban_has_ended(in_creation, secretariat, campaign, firm_a_user):
    from showcase.awards import domain as awards
    from showcase.models import ParticipationBan

    awards.revoke(application=in_creation, user=secretariat, ground="fraud", facts="弄虚作假",
                  revoked_on=timezone.localdate())
    ParticipationBan.objects.update(starts_on=timezone.localdate() - datetime.timedelta(days=3 * 366),
                                    ends_on=timezone.localdate() - datetime.timedelta(days=1))
    again = domain.create_application(campaign=campaign, user=firm_a_user)
    assert again.status == Application.Status.DRAFT


def test_the_secretariat_excludes_an_application_in_progress_from_its_page(client_for, in_creation, secretariat):
    client = client_for(secretariat)
    page = client.get(reverse("showcase_admin:application", args=[in_creation.pk])).content.decode()
    url = reverse("awards_admin:exclude_application", args=[in_creation.pk])
    assert url in page
    response = client.post(url, {"ground": "fraud", "facts": "弄虚作假", "revoked_on": timezone.localdate().isoformat(),
                                 "announcement": "", "confirm": "on"})
    assert response.status_code == 302
    assert Application.objects.get(pk=in_creation.pk).status == Application.Status.EXCLUDED


# ---------------------------------------------------------------- 9. eligibility when a draft starts


def test_a_banned_unit_cannot_start_a_draft(client_for, campaign, firm_a, firm_a_user):
    from showcase.models import ParticipationBan

    ban = ParticipationBan.objects.create(organisation=firm_a, reason="弄虚作假",
                                          starts_on=timezone.localdate() - datetime.timedelta(days=30),
                                          ends_on=timezone.localdate() + datetime.timedelta(days=900))
    with pytest.raises(WorkflowError) as refused:
        domain.create_application(campaign=campaign, user=firm_a_user)
    assert f"{ban.ends_on.isoformat()} 前不得参与创建活动" in said(refused)
    response = client_for(firm_a_user).post(reverse("showcase:apply"))
    assert response.status_code == 200
    assert not Application.objects.filter(organisation=firm_a).exists()


def test_a_credit_service_agency_cannot_start_a_draft(campaign, make_user, make_organisation):
    from portal.organisations.models import Organisation

    user = make_user(email="agency-firm@example.com")
    make_organisation(users=[user], unit_type=Organisation.UnitType.CREDIT_AGENCY, name="某信用评估有限公司")
    with pytest.raises(WorkflowError) as refused:
        domain.create_application(campaign=campaign, user=user)
    assert "星级评定" in said(refused)
    assert not Application.objects.filter(created_by=user).exists()


def test_the_agency_confirms_the_unit_is_not_a_credit_service_agency(client_for, submitted, agency):
    with pytest.raises(WorkflowError) as refused:
        domain.pass_preliminary_review(application=submitted, user=agency)
    assert "信用服务机构" in said(refused)
    client = client_for(agency)
    client.post(reverse("showcase_admin:preliminary", args=[submitted.pk]), {"outcome": "pass", "text": ""})
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.SUBMITTED
    client.post(reverse("showcase_admin:preliminary", args=[submitted.pk]),
                {"outcome": "pass", "text": "", "not_credit_agency": "on"})
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.CREATION


def test_a_unit_that_declared_itself_wrongly_is_stopped_at_the_preliminary_review(submitted, agency, firm_a):
    from portal.organisations.models import Organisation

    Organisation.objects.filter(pk=firm_a.pk).update(unit_type=Organisation.UnitType.CREDIT_AGENCY)
    with pytest.raises(WorkflowError) as refused:
        domain.pass_preliminary_review(application=submitted, user=agency, not_credit_agency=True)
    assert "星级评定" in said(refused)


# ---------------------------------------------------------------- 11. recused from a unit one acts for


def _works_for(user, organisation):
    from portal.organisations.models import OrganisationUser

    OrganisationUser.objects.create(user=user, organisation=organisation)
    user.__dict__.pop("_organisation_cache", None)
    return user


def test_an_expert_of_the_applying_firm_is_not_assigned(review_round, secretariat, experts, firm_a):
    _works_for(experts[0], firm_a)
    with pytest.raises(WorkflowError) as refused:
        domain.assign_experts(review_round=review_round, user=secretariat, experts=experts[:3],
                              scoring_deadline=timezone.localdate() + datetime.timedelta(days=7))
    assert "回避" in said(refused)
    assert review_round.assignments.count() == 0


def test_an_expert_who_joined_the_applying_firm_cannot_score(assigned, experts, items, levels, firm_a):
    from django.core.exceptions import PermissionDenied

    assignment = assigned.assignments.get(expert=experts[0])
    domain.declare_conflict(assignment=assignment, user=experts[0], has_conflict=False)
    _works_for(experts[0], firm_a)
    with pytest.raises(PermissionDenied):
        score(assigned, experts[0], items, levels)
    assert not Rating.objects.filter(sheet__assignment=assignment).exists()


def test_agency_staff_of_the_applying_firm_cannot_review_it(submitted, make_user, firm_a):
    from django.core.exceptions import PermissionDenied

    from portal.accounts.roles import Role

    colleague = _works_for(make_user(Role.AGENCY, email="agency-colleague@example.com"), firm_a)
    with pytest.raises(PermissionDenied):
        domain.pass_preliminary_review(application=submitted, user=colleague, not_credit_agency=True)
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.SUBMITTED


def test_secretariat_staff_of_the_applying_firm_cannot_decide(assigned, experts, items, levels, make_user, firm_a):
    from django.core.exceptions import PermissionDenied

    from portal.accounts.roles import Role

    _panel(assigned, experts, items, levels)
    colleague = _works_for(make_user(Role.SECRETARIAT, email="sec-colleague@example.com"), firm_a)
    with pytest.raises(PermissionDenied):
        domain.record_decision(review_round=assigned, user=colleague, decided_on=timezone.localdate())
    assigned.refresh_from_db()
    assert assigned.result == ""


# ---------------------------------------------------------------- #12.12: every submitted form is kept


def test_a_resubmission_keeps_the_first_submitted_form(client_for, submitted, agency, secretariat, firm_a_user):
    from showcase.models import SubmittedForm

    first = SubmittedForm.objects.get(application=submitted)
    with first.pdf.open("rb") as fh:
        first_bytes = fh.read()
    domain.return_for_completion(application=submitted, user=agency, missing="缺少营业执照副本")
    Application.objects.filter(pk=submitted.pk).update(main_business="软件开发与信用咨询")
    domain.submit_application(application=Application.objects.get(pk=submitted.pk), user=firm_a_user)
    versions = list(SubmittedForm.objects.filter(application=submitted).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].pdf.name != versions[1].pdf.name
    for user in (firm_a_user, agency, secretariat):
        response = client_for(user).get(reverse("showcase:submitted_form", args=[submitted.pk, 1]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == first_bytes
    assert client_for(firm_a_user).get(reverse("showcase:submitted_form", args=[submitted.pk, 3])).status_code == 404
    page = client_for(firm_a_user).get(reverse("showcase:detail", args=[submitted.pk])).content.decode()
    assert reverse("showcase:submitted_form", args=[submitted.pk, 1]) in page
    assert reverse("showcase:submitted_form", args=[submitted.pk, 2]) in page
