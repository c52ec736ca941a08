"""Cancelling an account (注销账号): personal fields go, the association's records stay; refused (and completed
later, automatically) while an open process needs the person."""

import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from portal.core.audit import record
from portal.core.models import OutboundEmail
from portal.organisations.models import Organisation, OrganisationUser
from portal.privacy.consent import record_consent
from portal.privacy.models import CancellationRequest, Consent
from tests.conftest import PASSWORD

CANCEL = "/account/privacy/cancel/"
NAME = re.compile(r"^已注销用户 ZX[0-9A-F]{8}$")


@pytest.fixture
def campaign(db):
    from showcase.models import Campaign, Standard

    return Campaign.objects.create(year=2025, title="2025年度创建活动", opens_on=datetime.date(2025, 1, 1),
                                   deadline=datetime.date(2025, 6, 30), standard=Standard.objects.get(version="2019版"),
                                   status=Campaign.Status.OPEN)


@pytest.fixture
def make_application(campaign):
    from showcase.models import Application

    def make(org, user, status, number="SF20250001"):
        return Application.objects.create(
            campaign=campaign, organisation=org, created_by=user, status=status, number=number, unit_name=org.name,
            credit_code=org.credit_code, contact_person="陈小明", contact_phone="13800000001",
            contact_email=user.email, commitment_signer="张三")

    return make


def _service_request(org, user, status):
    from portal.services.models import Provider, ServiceCategory, ServiceItem, ServiceRequest

    category = ServiceCategory.objects.create(code=f"c{org.pk}{status}", number=90 + org.pk, name="信用服务")
    provider = Provider.objects.create(name=f"服务机构{org.pk}{status}", contact_person="王五", phone="0571-1")
    item = ServiceItem.objects.create(category=category, provider=provider, name="信用报告")
    return ServiceRequest.objects.create(item=item, provider=provider, organisation=org, requested_by=user,
                                         message="请联系我们", contact_name="陈小明", contact_phone="13800000001",
                                         contact_email=user.email, status=status)


def _add_totp(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret()).instance


def test_cancelling_needs_the_password(client_for, firm_a_user):
    client = client_for(firm_a_user)
    response = client.post(CANCEL, {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "密码不正确" in response.content.decode()
    firm_a_user.refresh_from_db()
    assert firm_a_user.is_active and firm_a_user.email == "firm-a@example.com"
    assert CancellationRequest.objects.count() == 0


def test_cancelling_needs_the_confirmation_box(client_for, firm_a_user):
    response = client_for(firm_a_user).post(CANCEL, {"password": PASSWORD})
    assert response.status_code == 400
    assert CancellationRequest.objects.count() == 0


def test_cancelling_removes_personal_data_and_keeps_the_records(client, client_for, firm_a, firm_a_user, documents,
                                                                 make_application, secretariat):
    from showcase.models import Application

    user = firm_a_user
    record_consent(context=Consent.Context.SIGNUP, user=user, request=None)
    Consent.objects.update(ip="203.0.113.7")
    _add_totp(user)
    done = _service_request(firm_a, user, "completed")
    rejected = make_application(firm_a, user, Application.Status.REJECTED)
    record(user, "privacy.personal_data.correct", user=user, data={"fields": ["display_name"]})
    by_user = record(done, "services.request.submit", user=user)
    mail = OutboundEmail.objects.create(to=[user.email], subject="服务申请已受理", body="陈小明您好……",
                                        status=OutboundEmail.Status.SENT)
    shared = OutboundEmail.objects.create(to=[user.email, "secretariat@example.com"], subject="新申请", body="正文",
                                          status=OutboundEmail.Status.SENT)

    client = client_for(user)
    response = client.post(CANCEL, {"password": PASSWORD, "confirm": "on"}, REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 302 and response["Location"] == "/account/privacy/cancelled/"
    assert "_auth_user_id" not in client.session
    assert "您的账号已注销" in client.get("/account/privacy/cancelled/").content.decode()

    cancellation = CancellationRequest.objects.get()
    assert cancellation.status == "completed" and cancellation.completed_at is not None
    user = get_user_model().objects.get(pk=user.pk)  # the row stays: records point at it
    assert NAME.match(user.display_name) and user.display_name == f"已注销用户 {cancellation.pseudonym}"
    assert user.email == f"cancelled-{user.pk}@invalid"
    assert user.username == f"cancelled-{cancellation.pseudonym}"
    # the only name left is the pseudonym (also the first name Wagtail shows)
    assert (user.first_name, user.last_name, user.is_active, user.has_usable_password()) == (
        user.display_name, "", False, False)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not OrganisationUser.objects.filter(user=user).exists()
    # the unit and its records stay
    assert Organisation.objects.get(pk=firm_a.pk).name == "甲信用科技有限公司"
    done.refresh_from_db()
    assert (done.requested_by_id, done.status, done.message) == (user.pk, "completed", "请联系我们")
    assert (done.contact_name, done.contact_phone, done.contact_email) == (user.display_name, "", "")
    rejected.refresh_from_db()
    assert (rejected.unit_name, rejected.number, rejected.commitment_signer) == ("甲信用科技有限公司", "SF20250001", "张三")
    assert (rejected.contact_person, rejected.contact_phone, rejected.contact_email) == (user.display_name, "", "")
    # consent kept as proof, without the address
    assert list(Consent.objects.filter(user=user).values_list("ip", flat=True)) == [None, None]
    # audit entries keep the (now pseudonymous) user; entries about the person show the pseudonym
    by_user.refresh_from_db()
    assert by_user.user_id == user.pk
    user_type = ContentType.objects.get_for_model(user)
    about = ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk))
    assert set(about.values_list("label", flat=True)) == {user.display_name}
    assert ModelLogEntry.objects.filter(action="privacy.cancellation.complete", user=user,
                                        data__ip="192.0.2.8").count() == 1
    # emails: no text, no address
    mail.refresh_from_db()
    shared.refresh_from_db()
    assert (mail.to, mail.body, mail.subject) == (["removed@invalid"], "", "服务申请已受理")
    assert (shared.to, shared.body) == (["removed@invalid", "secretariat@example.com"], "正文")
    # the old email is gone from the user table and the login no longer works
    assert not get_user_model().objects.filter(email__iexact="firm-a@example.com").exists()
    response = client.post("/accounts/login/", {"login": "firm-a@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session and response.status_code == 200


def test_cancellation_waits_for_an_application_under_review_then_completes_by_itself(
        client_for, firm_a, firm_a_user, make_application):
    from showcase.models import Application

    application = make_application(firm_a, firm_a_user, Application.Status.SUBMITTED)
    client = client_for(firm_a_user)
    page = client.get(CANCEL).content.decode()
    assert "您提交的信用示范会员单位申报 SF20250001（甲信用科技有限公司）正在审核中。" in page
    assert "申请注销我的账号" in page

    response = client.post(CANCEL, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == CANCEL
    cancellation = CancellationRequest.objects.get()
    assert cancellation.status == "pending"
    assert cancellation.blockers == ["您提交的信用示范会员单位申报 SF20250001（甲信用科技有限公司）正在审核中。"]
    firm_a_user.refresh_from_db()
    assert firm_a_user.is_active and firm_a_user.email == "firm-a@example.com"
    assert client.get("/account/").status_code == 200  # still logged in, can follow the application

    out = io.StringIO()
    call_command("run_due_jobs", stdout=out)
    assert "[privacy] 1 cancellation request(s) still waiting for open matters" in out.getvalue()
    assert CancellationRequest.objects.get().status == "pending"

    Application.objects.filter(pk=application.pk).update(status=Application.Status.REJECTED)
    out = io.StringIO()
    call_command("run_due_jobs", stdout=out)
    assert "[privacy] cancelled 1 account(s) whose open matters have ended" in out.getvalue()
    cancellation.refresh_from_db()
    firm_a_user.refresh_from_db()
    assert cancellation.status == "completed" and not firm_a_user.is_active
    assert firm_a_user.email == f"cancelled-{firm_a_user.pk}@invalid"
    assert ModelLogEntry.objects.filter(action="privacy.cancellation.complete", user=None).count() == 1
    application.refresh_from_db()
    assert (application.contact_person, application.contact_email) == (firm_a_user.display_name, "")

    out = io.StringIO()
    call_command("run_due_jobs", stdout=out)
    assert "[privacy]" not in out.getvalue()  # nothing left to do


def test_a_second_request_while_one_waits_is_the_same_request(client_for, firm_a, firm_a_user, make_application):
    from showcase.models import Application

    make_application(firm_a, firm_a_user, Application.Status.SUBMITTED)
    client = client_for(firm_a_user)
    client.post(CANCEL, {"password": PASSWORD, "confirm": "on"})
    client.post(CANCEL, {"password": PASSWORD, "confirm": "on"})
    assert CancellationRequest.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="privacy.cancellation.request").count() == 1


def test_a_waiting_request_can_be_withdrawn(client_for, firm_a, firm_a_user, make_application):
    from showcase.models import Application

    make_application(firm_a, firm_a_user, Application.Status.SUBMITTED)
    client = client_for(firm_a_user)
    client.post(CANCEL, {"password": PASSWORD, "confirm": "on"})
    response = client.post("/account/privacy/cancel/withdraw/")
    assert response.status_code == 302
    assert CancellationRequest.objects.get().status == "withdrawn"
    Application.objects.update(status=Application.Status.REJECTED)
    call_command("run_due_jobs", stdout=io.StringIO())
    firm_a_user.refresh_from_db()
    assert firm_a_user.is_active  # withdrawn: never completed


def test_an_open_service_request_blocks_cancellation(client_for, firm_a, firm_a_user):
    request = _service_request(firm_a, firm_a_user, "submitted")
    page = client_for(firm_a_user).get(CANCEL).content.decode()
    assert f"您提交的服务申请 {request.number}（信用报告）尚未办结" in page


def test_staff_keep_their_account_while_they_hold_a_role(client_for, editor):
    client = client_for(editor)
    assert "您担任编辑角色，请先联系秘书处撤销角色。" in client.get(CANCEL).content.decode()
    client.post(CANCEL, {"password": PASSWORD, "confirm": "on"})
    editor.refresh_from_db()
    assert editor.is_active and CancellationRequest.objects.get().status == "pending"


def test_password_guessing_on_the_cancellation_form_is_limited(client_for, firm_a_user):
    client = client_for(firm_a_user)
    for _attempt in range(10):
        assert client.post(CANCEL, {"password": "wrong", "confirm": "on"}).status_code == 400
    response = client.post(CANCEL, {"password": PASSWORD, "confirm": "on"})
    assert "尝试次数过多" in response.content.decode()
    firm_a_user.refresh_from_db()
    assert firm_a_user.is_active


def test_the_cancellation_page_needs_a_login(client):
    response = client.post(CANCEL, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_cancelled_page_shows_nothing_personal(client, db):
    response = client.get("/account/privacy/cancelled/")
    assert response.status_code == 200


def test_due_job_dry_run_changes_nothing(firm_a, firm_a_user, make_application):
    from portal.privacy.cancellation import request_cancellation
    from showcase.models import Application

    application = make_application(firm_a, firm_a_user, Application.Status.SUBMITTED)
    request_cancellation(user=firm_a_user)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.REJECTED)
    out = io.StringIO()
    call_command("run_due_jobs", "--dry-run", stdout=out)
    assert "[privacy] would cancel 1 account(s) whose open matters have ended" in out.getvalue()
    assert CancellationRequest.objects.get().status == "pending"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_and_job_runs_cancel_once(make_user):
    import threading

    from django.db import connection, connections

    from portal.accounts.roles import Role
    from portal.privacy.cancellation import complete_due, request_cancellation

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    user = make_user(Role.EDITOR)  # a role: the request waits

    def race(fn):
        barrier = threading.Barrier(2)
        errors = []

        def run():
            try:
                barrier.wait()
                fn()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []

    race(lambda: request_cancellation(user=user))
    assert CancellationRequest.objects.filter(user=user, status="pending").count() == 1
    user.groups.clear()
    race(lambda: list(complete_due()))
    assert CancellationRequest.objects.get(user=user).status == "completed"
    assert ModelLogEntry.objects.filter(action="privacy.cancellation.complete").count() == 1
