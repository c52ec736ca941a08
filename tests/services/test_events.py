import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from portal.core.workflow import WorkflowError
from portal.services import domain
from portal.services.models import EventRegistration


def test_firm_registers_through_event_page(client_for, firm_a, firm_a_user, make_event):
    event = make_event()
    client = client_for(firm_a_user)
    response = client.post(event.get_absolute_url(), {"participants": "2", "note": "陈诚、王五"})
    assert response.status_code == 302
    registration = EventRegistration.objects.get()
    assert (registration.event, registration.organisation, registration.registered_by, registration.participants) == (
        event, firm_a, firm_a_user, 2)
    assert registration.attended is False
    assert "贵单位已报名" in client.get(event.get_absolute_url()).content.decode()


def test_double_registration_is_refused(firm_a, firm_a_user, make_user, make_event):
    from portal.organisations.models import OrganisationUser

    colleague = make_user(email="colleague@example.com")
    OrganisationUser.objects.create(user=colleague, organisation=firm_a)
    event = make_event()
    domain.register_for_event(event=event, user=firm_a_user)
    with pytest.raises(WorkflowError) as info:
        domain.register_for_event(event=event, user=colleague)
    assert info.value.messages == ["贵单位已报名该活动，无需重复报名。"]
    assert EventRegistration.objects.count() == 1


def test_registration_after_deadline_is_refused(firm_a, firm_a_user, make_event):
    event = make_event(days_ahead=3, deadline_days_ahead=-1)
    with pytest.raises(WorkflowError) as info:
        domain.register_for_event(event=event, user=firm_a_user)
    deadline = timezone.localtime(event.registration_deadline).strftime("%Y-%m-%d %H:%M")
    assert info.value.messages == [f"该活动已于 {deadline} 截止报名。"]


def test_registration_page_after_deadline_shows_closed(client_for, firm_a, firm_a_user, make_event):
    event = make_event(days_ahead=3, deadline_days_ahead=-1)
    client = client_for(firm_a_user)
    assert "报名已截止。" in client.get(event.get_absolute_url()).content.decode()
    client.post(event.get_absolute_url(), {"participants": "1"})
    assert EventRegistration.objects.count() == 0


def test_capacity_is_enforced(firm_a, firm_a_user, firm_b, firm_b_user, make_event, client_for):
    event = make_event(capacity=1)
    domain.register_for_event(event=event, user=firm_a_user)
    with pytest.raises(WorkflowError) as info:
        domain.register_for_event(event=event, user=firm_b_user)
    assert info.value.messages == ["该活动名额已满。"]
    assert "该活动名额已满。" in client_for(firm_b_user).get(event.get_absolute_url()).content.decode()


def test_members_only_event_refuses_non_members(firm_b, firm_b_user, member_firm_a, firm_a_user, make_event):
    event = make_event(members_only=True)
    with pytest.raises(WorkflowError) as info:
        domain.register_for_event(event=event, user=firm_b_user)
    assert info.value.messages == ["该活动仅限会员单位报名。"]
    assert domain.register_for_event(event=event, user=firm_a_user).organisation == member_firm_a


def test_staff_cannot_register(secretariat, make_event, client_for):
    event = make_event()
    with pytest.raises(WorkflowError) as info:
        domain.register_for_event(event=event, user=secretariat)
    assert info.value.messages == ["您的账号尚未关联单位，暂不能报名。"]
    assert "活动报名须使用单位账号。" in client_for(secretariat).get(event.get_absolute_url()).content.decode()


def test_withdraw_before_deadline(client_for, firm_a, firm_a_user, make_event):
    event = make_event()
    domain.register_for_event(event=event, user=firm_a_user)
    client_for(firm_a_user).post(reverse("services:event_unregister", args=[event.pk]))
    assert EventRegistration.objects.current().count() == 0
    # the withdrawal stays on record, and the unit may register again
    assert list(EventRegistration.objects.values_list("status", flat=True)) == ["withdrawn"]
    assert domain.register_for_event(event=event, user=firm_a_user).status == "registered"


def test_secretariat_cancels_a_registration_after_the_deadline(secretariat, firm_a, firm_a_user, make_event):
    event = make_event(days_ahead=5)
    registration = domain.register_for_event(event=event, user=firm_a_user)
    type(event).objects.filter(pk=event.pk).update(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(WorkflowError):
        domain.cancel_registration(registration=registration, user=firm_a_user)
    assert domain.cancel_registration(registration=registration, user=secretariat).status == "withdrawn"


def test_other_firm_cannot_withdraw(client_for, firm_a, firm_a_user, firm_b, firm_b_user, make_event):
    event = make_event()
    domain.register_for_event(event=event, user=firm_a_user)
    assert client_for(firm_b_user).post(reverse("services:event_unregister", args=[event.pk])).status_code == 404
    assert EventRegistration.objects.count() == 1


@pytest.fixture
def past_registration(firm_a, firm_a_user, make_event):
    event = make_event(days_ahead=5)
    registration = domain.register_for_event(event=event, user=firm_a_user)
    past = timezone.now() - datetime.timedelta(days=1)
    type(event).objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    return registration


def test_secretariat_records_attendance_in_admin(client_for, secretariat, past_registration):
    client = client_for(secretariat)
    url = reverse("services_attendance", args=[past_registration.event_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"attended": [str(past_registration.pk)]})
    assert response.status_code == 302
    past_registration.refresh_from_db()
    assert past_registration.attended is True
    assert past_registration.attended_at is not None
    client.post(url, {})
    past_registration.refresh_from_db()
    assert (past_registration.attended, past_registration.attended_at) == (False, None)


def test_attendance_before_start_is_refused(secretariat, firm_a, firm_a_user, make_event):
    registration = domain.register_for_event(event=make_event(), user=firm_a_user)
    with pytest.raises(WorkflowError):
        domain.record_attendance(registration=registration, user=secretariat, attended=True)


def test_attendance_by_other_roles_is_forbidden(client_for, editor, firm_a_user, past_registration):
    with pytest.raises(PermissionDenied):
        domain.record_attendance(registration=past_registration, user=firm_a_user, attended=True)
    url = reverse("services_attendance", args=[past_registration.event_id])
    # Wagtail turns PermissionDenied inside the admin into a redirect to the dashboard.
    assert client_for(editor).post(url, {"attended": [str(past_registration.pk)]}).status_code in (302, 403)
    past_registration.refresh_from_db()
    assert past_registration.attended is False


def test_attendance_appears_in_my_account(client_for, secretariat, firm_a_user, past_registration):
    domain.record_attendance(registration=past_registration, user=secretariat, attended=True)
    html = client_for(firm_a_user).get(reverse("account_home")).content.decode()
    assert past_registration.event.title in html
    assert "已参加协会活动 1 次。" in html


def test_event_list_upcoming_and_past(client, make_event):
    upcoming = make_event(title="即将举办的培训")
    make_event(title="往期论坛", days_ahead=-10, deadline_days_ahead=-12)
    html = client.get(reverse("services:events")).content.decode()
    assert upcoming.title in html and "往期论坛" not in html
    html = client.get(reverse("services:events"), {"when": "past"}).content.decode()
    assert "往期论坛" in html and upcoming.title not in html


def test_event_list_empty_state(client, db):
    assert "近期暂无活动，敬请关注。" in client.get(reverse("services:events")).content.decode()


def test_unpublished_event_is_404(client, make_event):
    assert client.get(make_event(is_published=False).get_absolute_url()).status_code == 404
