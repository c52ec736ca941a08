"""The workflow core (portal.core.workflow), exercised on a real process row (a service request).

Each test builds its own small table over `ServiceRequest`, so the core's rules are proven apart from
any one process's table.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import ModelLogEntry

from portal.accounts.roles import Role
from portal.core.mail import queue_email
from portal.core.numbering import highest_suffix, next_number
from portal.core.workflow import NEW, HasRole, NotFound, Transition, Workflow, WorkflowError
from portal.organisations.actors import ForTheUnit, recused_from_unit
from portal.services.models import ServiceRequest, ServiceRequestHistory

S = ServiceRequest.Status


def history(obj, *, transition, previous, user, note, when):
    ServiceRequestHistory.objects.create(service_request=obj, from_status=previous, to_status=obj.status,
                                         user=user, note=note, at=when)


def only_with_message(obj):
    """The request carries a message and a contact name."""
    return [problem for problem, missing in (("写明需求", not obj.message), ("留下联系人", not obj.contact_name))
            if missing]


def table(**overrides):
    return Workflow(
        "test.request", ServiceRequest, label="服务申请", register=False, history=history,
        visible=lambda user, obj: user.is_superuser or ForTheUnit().permits(user, obj) or user.groups.exists(),
        recused=recused_from_unit(),
        transitions=[
            Transition("submit", "提交", source=[NEW], target=S.SUBMITTED, actors=[ForTheUnit()]),
            Transition("contact", "联系", source=[S.SUBMITTED], target=S.CONTACTED, actors=[HasRole(Role.SECRETARIAT)],
                       guard=only_with_message),
            Transition("withdraw", "撤回", source=[S.SUBMITTED, S.CONTACTED], target=S.CANCELLED, actors=[ForTheUnit()]),
        ],
        **overrides,
    )


@pytest.fixture
def audit_item(db):
    from portal.services.demo import load_providers

    return next(p for p in load_providers() if p.name == "浙江新中天信用评估咨询有限公司").items.get(name="审计、验资")


@pytest.fixture
def flow():
    from wagtail.log_actions import registry

    workflow = table()
    registry.scan_for_actions()
    for action, (label, message) in workflow.log_actions().items():
        registry.register_action(action, label, message)
    return workflow


@pytest.fixture
def new_request(firm_a, firm_a_user, audit_item):
    return ServiceRequest(item=audit_item, provider=audit_item.provider, organisation=firm_a, requested_by=firm_a_user,
                          message="审计", contact_name="陈", preferred_contact="phone", contact_phone="1")


@pytest.fixture
def submitted(flow, new_request, firm_a_user):
    return flow.create(new_request, "submit", user=firm_a_user)


def test_create_saves_in_target_state_with_history_and_audit(flow, submitted, firm_a_user):
    assert ServiceRequest.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert list(submitted.history.values_list("from_status", "to_status")) == [("", "submitted")]
    entry = ModelLogEntry.objects.get(action="test.request.submit")
    assert (entry.user_id, entry.data["from"], entry.data["to"]) == (firm_a_user.pk, "", "submitted")


def test_transition_changes_state_records_history_audit_and_note(flow, submitted, secretariat):
    done = flow.transition(submitted, "contact", user=secretariat, note="已电话联系", data={"channel": "phone"})
    assert done.status == S.CONTACTED == ServiceRequest.objects.get(pk=submitted.pk).status
    assert list(submitted.history.values_list("to_status", "note")) == [("submitted", ""), ("contacted", "已电话联系")]
    entry = ModelLogEntry.objects.get(action="test.request.contact")
    assert entry.data["from"] == "submitted" and entry.data["to"] == "contacted"
    assert entry.data["note"] == "已电话联系" and entry.data["channel"] == "phone"


def test_wrong_state_is_refused_with_the_state_named(flow, submitted, firm_a_user, secretariat):
    flow.transition(submitted, "withdraw", user=firm_a_user)
    with pytest.raises(WorkflowError) as info:
        flow.transition(submitted, "contact", user=secretariat)
    assert info.value.messages == ["该服务申请当前状态为“已取消”，不能“联系”。"]
    assert ServiceRequest.objects.get(pk=submitted.pk).status == S.CANCELLED


def test_stale_copy_loses_to_the_row_as_it_is_now(flow, submitted, firm_a_user, secretariat):
    stale = ServiceRequest.objects.get(pk=submitted.pk)
    flow.transition(submitted, "withdraw", user=firm_a_user)
    with pytest.raises(WorkflowError):
        flow.transition(stale, "contact", user=secretariat)
    assert submitted.history.count() == 2


def test_guard_problems_are_carried_and_nothing_changes(flow, submitted, secretariat):
    ServiceRequest.objects.filter(pk=submitted.pk).update(message="", contact_name="")
    with pytest.raises(WorkflowError) as info:
        flow.transition(submitted, "contact", user=secretariat)
    assert info.value.messages_for_user == ["暂不能“联系”。", "写明需求", "留下联系人"]
    assert ServiceRequest.objects.get(pk=submitted.pk).status == S.SUBMITTED


def test_a_single_guard_problem_is_the_message(flow, submitted, secretariat):
    ServiceRequest.objects.filter(pk=submitted.pk).update(message="")
    with pytest.raises(WorkflowError) as info:
        flow.transition(submitted, "contact", user=secretariat)
    assert info.value.messages_for_user == ["写明需求"]


def test_wrong_role_is_permission_denied(flow, submitted, council):
    with pytest.raises(PermissionDenied):
        flow.transition(submitted, "contact", user=council)


def test_another_units_user_gets_not_found(flow, submitted, firm_b, firm_b_user):
    with pytest.raises(NotFound):
        flow.transition(submitted, "withdraw", user=firm_b_user)
    assert flow.actions_for(firm_b_user, submitted) == []


def test_staff_member_acting_for_the_unit_is_recused_but_may_act_for_it(flow, submitted, make_user, firm_a):
    from portal.organisations.models import OrganisationUser

    colleague = make_user(Role.SECRETARIAT)
    OrganisationUser.objects.create(user=colleague, organisation=firm_a)
    assert [t.action for t in flow.actions_for(colleague, submitted)] == ["withdraw"]
    with pytest.raises(PermissionDenied) as info:
        flow.transition(submitted, "contact", user=colleague)
    assert str(info.value) == "您代表该单位办理事务，须回避与该单位有关的决定。"
    flow.transition(submitted, "withdraw", user=colleague)  # acting for the unit is allowed


def test_actions_for_follow_state_and_actor(flow, submitted, firm_a_user, secretariat):
    assert [t.action for t in flow.actions_for(secretariat, submitted)] == ["contact"]
    assert [t.action for t in flow.actions_for(firm_a_user, submitted)] == ["withdraw"]
    flow.transition(submitted, "withdraw", user=firm_a_user)
    assert flow.actions_for(firm_a_user, submitted) == [] == flow.actions_for(secretariat, submitted)


def test_change_runs_under_the_lock_and_its_error_rolls_back(flow, submitted, secretariat):
    def change(current):
        current.message = "改写"
        raise WorkflowError("不行")

    with pytest.raises(WorkflowError):
        flow.transition(submitted, "contact", user=secretariat, change=change)
    fresh = ServiceRequest.objects.get(pk=submitted.pk)
    assert (fresh.status, fresh.message) == (S.SUBMITTED, "审计")
    assert not ModelLogEntry.objects.filter(action="test.request.contact").exists()


def test_emails_are_sent_after_commit_only(flow, submitted, secretariat, django_capture_on_commit_callbacks):
    mail.outbox.clear()

    def notify(current):
        queue_email(to=["firm@example.com"], subject=f"{current.number} 已联系", body="…")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        flow.transition(submitted, "contact", user=secretariat, notify=notify)
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.subject for m in mail.outbox] == [f"{submitted.number} 已联系"]


def test_a_duplicate_action_name_is_refused():
    with pytest.raises(ValueError):
        Workflow("test.dup", ServiceRequest, register=False, transitions=[
            Transition("a", "a", source=[S.SUBMITTED], target=None, actors=[]),
            Transition("a", "b", source=[S.SUBMITTED], target=None, actors=[]),
        ])


def test_every_process_table_is_registered_with_audit_labels():
    from portal.core.workflow import WORKFLOWS

    assert {"services.request"} <= set(WORKFLOWS)
    for workflow in WORKFLOWS.values():
        assert workflow.rows(), workflow.name
        for action, (label, _message) in workflow.log_actions().items():
            assert action.startswith(workflow.name + ".") and str(label)


# ------------------------------------------------------------------------------------ numbering


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_numbers_are_sequential_per_key_and_need_a_transaction():
    with pytest.raises(RuntimeError):
        next_number("test-a")
    with transaction.atomic():
        assert [next_number("test-a") for _ in range(3)] == [1, 2, 3]
        assert next_number("test-b") == 1


@pytest.mark.django_db
def test_a_new_sequence_starts_above_numbers_already_used(make_organisation):
    for name in ("YY-2026-0007", "YY-2026-0012", "YY-2025-0099", "YY-2026-x"):
        make_organisation(name=name)
    from portal.organisations.models import Organisation

    floor = lambda: highest_suffix(Organisation.objects.all(), "name", "YY-2026-")  # noqa: E731
    with transaction.atomic():
        assert next_number("test-floor", floor=floor) == 13
        assert next_number("test-floor", floor=floor) == 14


@pytest.mark.django_db
def test_a_number_taken_by_a_rolled_back_transaction_is_not_reused():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        next_number("test-gap")
        1 / 0  # noqa: B018
    with transaction.atomic():
        assert next_number("test-gap") == 1  # the whole transaction rolled back, counter row too
