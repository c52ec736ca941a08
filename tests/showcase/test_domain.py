"""Workflow functions: states, roles, concurrency, conflicts, scoring, decisions, reminders."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from portal.core.workflow import NotFound, WorkflowError
from showcase import domain
from showcase.admin_views import copy_standard_version
from showcase.models import Application, ApplicationEvent, ExpertAssignment, ScoreSheet, StandardItem
from showcase.results import applicant_result

from .conftest import pdf_file, ratings_for, said, score

S = Application.Status


def test_create_prefills_from_organisation(draft, firm_a):
    assert draft.status == S.DRAFT
    assert (draft.unit_name, draft.credit_code, draft.established_on) == (firm_a.name, firm_a.credit_code,
                                                                          firm_a.established_on)
    assert draft.commitment_accepted_at is not None


def test_second_open_application_is_refused(draft, campaign, firm_a_user):
    with pytest.raises(WorkflowError) as refused:
        domain.create_application(campaign=campaign, user=firm_a_user)
    assert "已有" in said(refused)


def test_submit_archives_pdf_marks_non_member_and_numbers(submitted, campaign, django_capture_on_commit_callbacks):
    assert submitted.status == S.SUBMITTED
    assert submitted.number == f"SF{campaign.year}0001"
    assert submitted.is_member is False
    assert submitted.latest_form.pdf.name.endswith(".pdf")
    with submitted.latest_form.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_submit_incomplete_lists_problems(campaign, firm_b, firm_b_user):
    application = domain.create_application(campaign=campaign, user=firm_b_user)
    with pytest.raises(WorkflowError) as exc:
        domain.submit_application(application=application, user=firm_b_user)
    codes = {p.code for p in exc.value.problems}
    assert {"legal_person", "licence", "commitment", "missing_revenue"} <= codes
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_submit_by_other_firm_is_not_found(draft, firm_b, firm_b_user):
    with pytest.raises(NotFound):
        domain.submit_application(application=draft, user=firm_b_user)


def test_double_submit_second_refused(draft, firm_a_user):
    domain.submit_application(application=draft, user=firm_a_user)
    with pytest.raises(WorkflowError):
        domain.submit_application(application=draft, user=firm_a_user)


def test_submit_emails_applicant_after_commit(draft, firm_a_user, agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        domain.submit_application(application=draft, user=firm_a_user)
    subjects = [m.subject for m in mail.outbox]
    assert any("已收到" in s or "received" in s for s in subjects)
    assert any(agency.email in m.to for m in mail.outbox)


def test_return_and_resubmit(submitted, agency, firm_a_user):
    with pytest.raises(WorkflowError):
        domain.return_for_completion(application=submitted, user=agency, missing="  ")
    domain.return_for_completion(application=submitted, user=agency, missing="缺少营业执照副本")
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    domain.submit_application(application=submitted, user=firm_a_user)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert submitted.number.endswith("0001")  # keeps its number


def test_reject_requires_reason_and_agency_role(submitted, agency, secretariat):
    with pytest.raises(PermissionDenied):
        domain.reject_application(application=submitted, user=secretariat, reason="不符合")
    domain.reject_application(application=submitted, user=agency, reason="成立未满三年")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == (S.REJECTED, "成立未满三年")


def test_agency_of_other_campaign_agency_cannot_review(submitted, make_user, make_organisation, campaign):
    from portal.accounts.roles import Role
    from portal.organisations.models import Organisation

    appointed = make_organisation(unit_type=Organisation.UnitType.CREDIT_AGENCY, name="指定机构")
    campaign.agency = appointed
    campaign.save()
    outsider = make_user(Role.AGENCY)
    make_organisation(users=[outsider], unit_type=Organisation.UnitType.CREDIT_AGENCY, name="其他机构")
    with pytest.raises(NotFound):
        domain.pass_preliminary_review(application=submitted, user=outsider, not_credit_agency=True)


def test_report_requires_public_credit_record(submitted, agency):
    domain.pass_preliminary_review(application=submitted, user=agency, not_credit_agency=True)
    with pytest.raises(WorkflowError) as refused:
        domain.submit_evaluation_report(application=submitted, user=agency, report=pdf_file(), report_name="r.pdf")
    assert "3.2" in said(refused)


def test_stage_assessment_records_findings(submitted, agency, items):
    domain.pass_preliminary_review(application=submitted, user=agency, not_credit_agency=True)
    assessment = domain.record_stage_assessment(application=submitted, user=agency, assessed_on=timezone.localdate(),
                                                advice="完善制度", findings={items[5].pk: "未设部门", items[6].pk: ""})
    assert [(f.item.code, f.finding) for f in assessment.findings.all()] == [("2.1", "未设部门")]
    assert submitted.events.filter(kind=ApplicationEvent.Kind.ASSESSMENT).count() == 1


def test_assign_requires_minimum_experts(review_round, secretariat, experts):
    with pytest.raises(WorkflowError) as refused:
        domain.assign_experts(review_round=review_round, user=secretariat, experts=experts[:2],
                              scoring_deadline=timezone.localdate())
    assert "3" in said(refused)


def test_assign_refuses_non_expert(review_round, secretariat, experts, agency):
    with pytest.raises(WorkflowError):
        domain.assign_experts(review_round=review_round, user=secretariat, experts=[*experts[:2], agency],
                              scoring_deadline=timezone.localdate())


def test_conflict_of_interest_unassigns(assigned, experts, secretariat):
    assignment = assigned.assignments.get(expert=experts[0])
    with pytest.raises(WorkflowError):
        domain.declare_conflict(assignment=assignment, user=experts[0], has_conflict=True, note="")
    domain.declare_conflict(assignment=assignment, user=experts[0], has_conflict=True, note="曾为该企业提供咨询")
    assignment.refresh_from_db()
    assert assignment.status == ExpertAssignment.Status.CONFLICT
    with pytest.raises(NotFound):
        domain.save_score_sheet(assignment=assignment, user=experts[0], ratings={})
    with pytest.raises(WorkflowError) as refused:
        domain.assign_experts(review_round=assigned, user=secretariat, experts=[experts[0]],
                              scoring_deadline=timezone.localdate())
    assert "利益冲突" in said(refused)
    # a replacement brings the panel back to three
    domain.assign_experts(review_round=assigned, user=secretariat, experts=[experts[3]],
                          scoring_deadline=timezone.localdate())
    assert assigned.assignments.filter(status__in=ExpertAssignment.ACTIVE_STATUSES).count() == 3


def test_expert_cannot_score_before_declaring(assigned, experts, items, levels):
    assignment = assigned.assignments.get(expert=experts[0])
    with pytest.raises(NotFound):
        domain.save_score_sheet(assignment=assignment, user=experts[0], ratings=ratings_for(items, levels))


def test_other_expert_cannot_touch_sheet(assigned, experts, items, levels):
    assignment = assigned.assignments.get(expert=experts[0])
    with pytest.raises(NotFound):
        domain.declare_conflict(assignment=assignment, user=experts[1], has_conflict=False)


def test_submit_requires_every_item_and_comments_below_full(assigned, experts, items, levels):
    assignment = assigned.assignments.get(expert=experts[0])
    domain.declare_conflict(assignment=assignment, user=experts[0], has_conflict=False)
    ratings = ratings_for(items, levels)
    ratings[items[0].pk] = (levels["基本符合"].pk, "")
    del ratings[items[1].pk]
    with pytest.raises(WorkflowError) as exc:
        domain.save_score_sheet(assignment=assignment, user=experts[0], ratings=ratings, submit=True)
    assert {p.code for p in exc.value.problems} == {f"comment_{items[0].pk}", f"rate_{items[1].pk}"}
    sheet = domain.save_score_sheet(assignment=assignment, user=experts[0], ratings=ratings, submit=False)
    assert sheet.status == ScoreSheet.Status.DRAFT
    assert sheet.ratings.count() == len(items) - 1


def test_same_sheet_submitted_twice_second_refused(assigned, experts, items, levels):
    sheet = score(assigned, experts[0], items, levels)
    assert (sheet.status, sheet.total) == (ScoreSheet.Status.SUBMITTED, 100)
    with pytest.raises(WorkflowError) as refused:
        domain.save_score_sheet(assignment=sheet.assignment, user=experts[0],
                                ratings=ratings_for(items, levels, default="不符合"), submit=True)
    assert "已提交" in said(refused)
    sheet.refresh_from_db()
    assert sheet.total == 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_sheet_submissions_exactly_one_wins(assigned_tx):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    review_round, expert, ratings = assigned_tx
    assignment = review_round.assignments.get(expert=expert)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        from django.db import connection as conn

        barrier.wait()
        try:
            domain.save_score_sheet(assignment=assignment, user=expert, ratings=ratings, submit=True)
            outcomes.append("ok")
        except WorkflowError:
            outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]


@pytest.fixture
def assigned_tx(transactional_db, assigned, experts, items, levels):
    assignment = assigned.assignments.get(expert=experts[0])
    domain.declare_conflict(assignment=assignment, user=experts[0], has_conflict=False)
    return assigned, experts[0], ratings_for(items, levels)


def test_reopen_is_secretariat_only_and_logged(assigned, experts, items, levels, secretariat):
    from wagtail.models import ModelLogEntry

    sheet = score(assigned, experts[0], items, levels)
    with pytest.raises(PermissionDenied):
        domain.reopen_score_sheet(sheet=sheet, user=experts[0], reason="x")
    domain.reopen_score_sheet(sheet=sheet, user=secretariat, reason="评分依据有误")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.reopen_count, sheet.total) == (ScoreSheet.Status.DRAFT, 1, None)
    assert ModelLogEntry.objects.filter(action="showcase.sheet.reopen").count() == 1


def test_decision_needs_all_sheets_and_minimum(assigned, experts, items, levels, secretariat):
    score(assigned, experts[0], items, levels)
    score(assigned, experts[1], items, levels)
    with pytest.raises(WorkflowError) as refused:
        domain.record_decision(review_round=assigned, user=secretariat, result="accepted",
                               decided_on=timezone.localdate())
    assert "尚未提交" in said(refused)


def test_decision_accepted_sets_status_and_date(assigned, experts, items, levels, secretariat):
    for expert in experts[:3]:
        score(assigned, expert, items, levels)
    today = timezone.localdate()
    domain.record_decision(review_round=assigned, user=secretariat, result="accepted", decided_on=today)
    assigned.refresh_from_db()
    assert (assigned.result, assigned.decided_on) == ("accepted", today)
    assert assigned.application.status == S.ACCEPTED
    with pytest.raises(WorkflowError):
        domain.record_decision(review_round=assigned, user=secretariat, result="accepted", decided_on=today)


def test_decision_against_the_rule_is_refused_even_with_a_reason(assigned, experts, items, levels, secretariat):
    for expert in experts[:3]:
        score(assigned, expert, items, levels, **{"3_1": "基本符合"})
    with pytest.raises(WorkflowError) as refused:
        domain.record_decision(review_round=assigned, user=secretariat, result="accepted",
                               decided_on=timezone.localdate(), note="评审组认为可以通过")
    assert "重新评分" in said(refused)
    domain.record_decision(review_round=assigned, user=secretariat, result="not_accepted",
                           decided_on=timezone.localdate())
    assert Application.objects.get(pk=assigned.application_id).status == S.NOT_ACCEPTED


def test_applicant_result_is_anonymous(assigned, experts, items, levels, secretariat):
    score(assigned, experts[0], items, levels, **{"1_1": "基本符合"})
    score(assigned, experts[1], items, levels)
    score(assigned, experts[2], items, levels, **{"1_1": "不符合"})
    domain.record_decision(review_round=assigned, user=secretariat, result="accepted", decided_on=timezone.localdate())
    result = applicant_result(assigned)
    row = result["rows"][0]
    assert (row.item.code, str(row.result.mean_points), row.outcome, row.comments, row.cells) == (
        "1.1", "3.00", "基本符合", ["材料不足"], [])


def test_reminder_job_once_per_assignment(assigned, experts, items, levels, django_capture_on_commit_callbacks):
    deadline = assigned.scoring_deadline
    score(assigned, experts[0], items, levels)
    early = list(domain.send_scoring_reminders(today=deadline - datetime.timedelta(days=5)))
    assert early == []
    with django_capture_on_commit_callbacks(execute=True):
        lines = list(domain.send_scoring_reminders(today=deadline - datetime.timedelta(days=3)))
    assert len(lines) == 2  # the two experts who have not submitted
    assert {m.to[0] for m in mail.outbox if "提醒" in m.subject or "Reminder" in m.subject} == {
        experts[1].email, experts[2].email}
    assert list(domain.send_scoring_reminders(today=deadline - datetime.timedelta(days=2))) == []


def test_standard_is_frozen_once_scored(assigned, experts, items, levels, standard):
    assert standard.is_frozen is False
    item = StandardItem.objects.get(pk=items[0].pk)
    item.title = "修改"
    item.full_clean()
    score(assigned, experts[0], items, levels, submit=False)
    assert standard.is_frozen is True
    with pytest.raises(ValidationError):
        item.full_clean()
    standard.pass_threshold = 70
    with pytest.raises(ValidationError):
        standard.full_clean()
    copy = copy_standard_version(standard)
    assert copy.is_frozen is False
    assert StandardItem.objects.filter(group__standard=copy).count() == 13
    assert copy.levels.count() == 3
