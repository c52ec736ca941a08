import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.core.workflow import NotFound, WorkflowError
from portal.services import domain
from portal.services.models import ServiceRequest

Status = ServiceRequest.Status


def _post_request(client, item, **data):
    payload = {"message": "需要年度审计", "contact_name": "陈诚", "contact_phone": "0571-88886666",
               "contact_email": "", "preferred_contact": "phone", **data}
    return client.post(reverse("services:request_create", args=[item.pk]), payload)


def test_member_firm_requests_service_and_provider_and_secretariat_are_emailed(
    client_for, member_firm_a, firm_a_user, audit_item, provider_user, secretariat, django_capture_on_commit_callbacks
):
    client = client_for(firm_a_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_request(client, audit_item)
    service_request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == service_request.get_absolute_url()
    assert (service_request.organisation, service_request.provider, service_request.status) == (
        member_firm_a, audit_item.provider, Status.SUBMITTED)
    assert service_request.is_member is True
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [("secretariat@example.com",), ("xzt-desk@example.com",)]
    provider_mail = next(m for m in mail.outbox if m.to == ["xzt-desk@example.com"])
    assert provider_mail.subject == f"新的服务申请 {service_request.number}：审计、验资"
    assert "该单位为协会会员单位，请按会员优惠标准收费。" in provider_mail.body
    assert f"/services/desk/{service_request.pk}/" in provider_mail.body
    assert list(service_request.history.values_list("from_status", "to_status")) == [("", Status.SUBMITTED)]


def test_emails_are_not_sent_before_commit(member_firm_a, firm_a_user, audit_item, provider_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        domain.submit_request(item=audit_item, user=firm_a_user, message="x", contact_name="陈", contact_phone="1",
                              preferred_contact="phone")
    assert mail.outbox == []
    assert len(callbacks) == 1  # the provider (no secretariat user exists here)


def test_non_member_firm_is_not_marked_for_discount(client_for, firm_b, firm_b_user, audit_item):
    _post_request(client_for(firm_b_user), audit_item)
    assert ServiceRequest.objects.get().is_member is False


def test_request_form_requires_chosen_contact(client_for, firm_a, firm_a_user, audit_item):
    response = _post_request(client_for(firm_a_user), audit_item, contact_phone="", preferred_contact="phone")
    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"] == ["请填写联系电话，或将首选联系方式改为电子邮箱。"]
    assert ServiceRequest.objects.count() == 0


def test_request_needs_login(client, audit_item):
    response = client.get(reverse("services:request_create", args=[audit_item.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_cannot_request_service(client_for, secretariat, audit_item):
    assert _post_request(client_for(secretariat), audit_item).status_code == 403


def test_user_without_organisation_gets_explanation(client_for, make_user, audit_item):
    response = _post_request(client_for(make_user()), audit_item)
    assert response.status_code == 200
    assert "您的账号尚未关联单位" in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_firm_sees_own_request_other_firm_gets_404(client, firm_b, firm_b_user, firm_a_user, submitted_request):
    client.force_login(firm_a_user)
    assert client.get(submitted_request.get_absolute_url()).status_code == 200
    client.force_login(firm_b_user)
    assert client.get(submitted_request.get_absolute_url()).status_code == 404
    assert client.post(reverse("services:request_cancel", args=[submitted_request.pk])).status_code == 404
    assert submitted_request.number not in client.get(reverse("services:requests")).content.decode()


def test_provider_desk_isolation(client, provider_user, other_provider_user, submitted_request):
    client.force_login(provider_user)
    assert submitted_request.number in client.get(reverse("services:desk")).content.decode()
    assert client.get(reverse("services:desk_detail", args=[submitted_request.pk])).status_code == 200
    client.force_login(other_provider_user)
    assert submitted_request.number not in client.get(reverse("services:desk")).content.decode()
    assert client.get(reverse("services:desk_detail", args=[submitted_request.pk])).status_code == 404
    response = client.post(reverse("services:desk_detail", args=[submitted_request.pk]), {"action": "contact"})
    assert response.status_code == 404
    submitted_request.refresh_from_db()
    assert submitted_request.status == Status.SUBMITTED


def test_desk_is_forbidden_for_firm_users(client_for, firm_a_user, firm_a):
    assert client_for(firm_a_user).get(reverse("services:desk")).status_code == 403


def test_provider_advances_request_through_lifecycle(
    client, provider_user, firm_a_user, submitted_request, django_capture_on_commit_callbacks
):
    client.force_login(provider_user)
    url = reverse("services:desk_detail", args=[submitted_request.pk])
    mail.outbox.clear()
    for action, note in [("contact", "已电话联系"), ("start", "已签约"), ("complete", "")]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": action, "note": note})
        assert response.status_code == 302
    submitted_request.refresh_from_db()
    assert submitted_request.status == Status.COMPLETED
    history = list(submitted_request.history.values_list("from_status", "to_status", "user__email", "note"))
    assert history == [
        ("", "submitted", "firm-a@example.com", ""),
        ("submitted", "contacted", "xzt-desk@example.com", "已电话联系"),
        ("contacted", "in_progress", "xzt-desk@example.com", "已签约"),
        ("in_progress", "completed", "xzt-desk@example.com", ""),
    ]
    assert [m.to for m in mail.outbox] == [["firm-a@example.com"]] * 3
    assert mail.outbox[0].subject == f"服务申请 {submitted_request.number}：已联系"
    assert "已电话联系" in mail.outbox[0].body
    # the firm sees the history
    client.force_login(firm_a_user)
    html = client.get(submitted_request.get_absolute_url()).content.decode()
    assert "已签约" in html and "已完成" in html


def test_completed_request_cannot_move(provider_user, submitted_request):
    for action in ("start", "complete"):
        domain.take_action(service_request=submitted_request, user=provider_user, action=action)
    with pytest.raises(WorkflowError) as info:
        domain.take_action(service_request=submitted_request, user=provider_user, action="cancel")
    assert info.value.messages == ["该服务申请当前状态为“已完成”，不能“取消申请”。"]


def test_stale_transition_loses_to_concurrent_one(provider_user, secretariat, submitted_request):
    stale = ServiceRequest.objects.get(pk=submitted_request.pk)
    domain.take_action(service_request=submitted_request, user=secretariat, action="cancel")
    with pytest.raises(WorkflowError):
        domain.take_action(service_request=stale, user=provider_user, action="contact")
    assert ServiceRequest.objects.get(pk=stale.pk).status == Status.CANCELLED
    assert stale.history.count() == 2


def test_firm_cancels_before_work_starts_and_provider_is_told(
    client, firm_a_user, provider_user, submitted_request, django_capture_on_commit_callbacks
):
    client.force_login(firm_a_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("services:request_cancel", args=[submitted_request.pk]), {"note": "已自行解决"})
    submitted_request.refresh_from_db()
    assert submitted_request.status == Status.CANCELLED
    assert [m.to for m in mail.outbox] == [["xzt-desk@example.com"]]


def test_firm_cannot_cancel_once_in_progress_or_advance(firm_a_user, provider_user, submitted_request):
    with pytest.raises(PermissionDenied):
        domain.take_action(service_request=submitted_request, user=firm_a_user, action="contact")
    domain.take_action(service_request=submitted_request, user=provider_user, action="start")
    with pytest.raises(WorkflowError) as info:
        domain.take_action(service_request=submitted_request, user=firm_a_user, action="withdraw")
    assert info.value.messages == ["服务机构已开始办理该申请，如需取消请联系服务机构或协会秘书处。"]


def test_other_provider_and_other_firm_cannot_transition(other_provider_user, firm_b, firm_b_user, submitted_request):
    for user in (other_provider_user, firm_b_user):
        with pytest.raises(NotFound):
            domain.take_action(service_request=submitted_request, user=user, action="cancel")


def test_transition_writes_audit_entry(provider_user, submitted_request):
    from wagtail.models import ModelLogEntry

    domain.take_action(service_request=submitted_request, user=provider_user, action="contact", note="ok")
    entry = ModelLogEntry.objects.filter(action="services.request.contact").get()
    assert (entry.user_id, entry.data["from"], entry.data["to"]) == (provider_user.pk, "submitted", "contacted")
    assert ModelLogEntry.objects.filter(action="services.request.submit").count() == 1


def test_provider_desk_marks_member_units(client_for, provider_user, submitted_request):
    html = client_for(provider_user).get(reverse("services:desk_detail", args=[submitted_request.pk])).content.decode()
    assert "该单位为协会会员单位，请按会员优惠标准收费。" in html


def test_account_panels_show_requests_and_desk(client, firm_a_user, provider_user, submitted_request):
    client.force_login(firm_a_user)
    assert submitted_request.number in client.get(reverse("account_home")).content.decode()
    client.force_login(provider_user)
    html = client.get(reverse("account_home")).content.decode()
    assert "服务机构工作台" in html and "1 件待办服务申请。" in html


def _form_token(client, item) -> str:
    import re

    html = client.get(reverse("services:request_create", args=[item.pk])).content.decode()
    return re.search(r'name="_once" value="([0-9a-f]{32})"', html).group(1)


def test_double_submit_creates_one_request_and_one_email_each(
    client_for, member_firm_a, firm_a_user, audit_item, provider_user, django_capture_on_commit_callbacks
):
    """Issue #12.10: two identical POSTs (a double click) created two requests, each emailing the provider."""
    client = client_for(firm_a_user)
    token = _form_token(client, audit_item)
    with django_capture_on_commit_callbacks(execute=True):
        first = _post_request(client, audit_item, _once=token)
        second = _post_request(client, audit_item, _once=token)
    service_request = ServiceRequest.objects.get()
    assert first["Location"] == second["Location"] == service_request.get_absolute_url()
    assert [m.to for m in mail.outbox].count(["xzt-desk@example.com"]) == 1
    assert "此表单已经提交过，未重复提交。" in client.get(second["Location"]).content.decode()


def test_a_refused_submission_leaves_its_token_for_the_corrected_form(
    client_for, member_firm_a, firm_a_user, audit_item, provider_user
):
    client = client_for(firm_a_user)
    token = _form_token(client, audit_item)
    audit_item.is_active = False
    audit_item.save()
    assert _post_request(client, audit_item, _once=token).status_code == 404  # no longer listed
    audit_item.is_active = True
    audit_item.save()
    assert _post_request(client, audit_item, _once=token).status_code == 302
    assert ServiceRequest.objects.count() == 1


def test_another_persons_token_does_not_block_their_own_request(
    client_for, member_firm_a, firm_a_user, firm_b, firm_b_user, audit_item, provider_user
):
    token = _form_token(client_for(firm_a_user), audit_item)
    assert _post_request(client_for(firm_a_user), audit_item, _once=token).status_code == 302
    assert _post_request(client_for(firm_b_user), audit_item, _once=token).status_code == 302
    assert ServiceRequest.objects.count() == 2
