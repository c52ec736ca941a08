"""Every email goes through the outbox, allauth's included; sending holds no transaction or lock
and a retry skips what another process is sending (issue #18)."""

import datetime
import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone

from portal.core import mail as outbox
from portal.core.mail import queue_email, retry_pending
from portal.core.models import OutboundEmail

FAILING = "tests.core.failing_backend.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def test_signup_with_the_mail_server_down_succeeds_and_the_verification_is_sent_by_the_retry(
        client, settings, django_user_model, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {
            "email": "new-firm@example.com", "password1": "Zj-credit-2026!", "password2": "Zj-credit-2026!"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    email = OutboundEmail.objects.get()
    assert (email.to, email.status, email.attempts) == (["new-firm@example.com"], "pending", 1)
    assert email.subject.startswith("【浙江省信用协会】")
    settings.EMAIL_BACKEND = LOCMEM
    assert retry_pending() == 1
    [sent] = mail.outbox
    assert sent.to == ["new-firm@example.com"]
    assert "/accounts/confirm-email/" in sent.body
    # The link in the retried email verifies the address.
    link = sent.body[sent.body.index("http://testserver/accounts/confirm-email/"):].split()[0]
    client.post(link.removeprefix("http://testserver"))
    assert EmailAddress.objects.get(email="new-firm@example.com").verified


def test_password_reset_with_the_mail_server_down_succeeds(client, settings, firm_a_user,
                                                           django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": firm_a_user.email})
    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert (email.to, email.status) == ([firm_a_user.email], "pending")
    settings.EMAIL_BACKEND = LOCMEM
    assert retry_pending() == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_allauth_emails_are_queued_not_sent_directly(client, firm_a_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/accounts/password/reset/", {"email": firm_a_user.email})
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().status == "sent"


class RecordingBackend(BaseEmailBackend):
    """Notes, for each send, whether the database connection was inside a transaction."""

    in_transaction: list = []

    def send_messages(self, messages):
        RecordingBackend.in_transaction.append(connection.in_atomic_block)
        return len(messages)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_email_is_sent_outside_any_transaction(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.RecordingBackend"
    RecordingBackend.in_transaction = []
    with transaction.atomic():
        queue_email(to="a@example.com", subject="审批结果", body="已通过")
    OutboundEmail.objects.create(to=["b@example.com"], subject="提醒", body="会费")
    assert retry_pending() == 1
    assert RecordingBackend.in_transaction == [False, False]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_claimed_email_is_left_alone_until_the_claim_expires(db):
    email = OutboundEmail.objects.create(to=["a@example.com"], subject="s", body="b",
                                         claimed_until=timezone.now() + datetime.timedelta(minutes=1))
    assert retry_pending() == 0  # another process is sending it
    assert mail.outbox == []
    # That process died mid-send: once its claim has expired, the retry sends the email.
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert retry_pending() == 1
    email.refresh_from_db()
    assert (email.status, email.claimed_until, email.attempts) == ("sent", None, 1)


def test_retry_stops_at_the_first_email_the_server_refuses(db, settings):
    settings.EMAIL_BACKEND = FAILING
    for n in range(3):
        OutboundEmail.objects.create(to=[f"{n}@example.com"], subject="s", body="b")
    assert retry_pending() == 0
    assert sorted(OutboundEmail.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    assert retry_pending(dry_run=True) == 3
    settings.EMAIL_BACKEND = LOCMEM
    assert retry_pending() == 3


def test_email_failing_eight_times_is_given_up(db, settings):
    settings.EMAIL_BACKEND = FAILING
    email = OutboundEmail.objects.create(to=["a@example.com"], subject="s", body="b", attempts=7)
    assert retry_pending() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("failed", 8, "connection refused")


def test_html_alternative_is_kept(db):
    queue_email(to="a@example.com", subject="s", body="text", html_body="<p>html</p>")
    assert outbox.deliver(OutboundEmail.objects.get().pk) is True
    assert mail.outbox[0].alternatives[0][0] == "<p>html</p>"


class GatedBackend(BaseEmailBackend):
    """A mail server that answers only once the test opens the gate."""

    gate = threading.Event()

    def send_messages(self, messages):
        assert GatedBackend.gate.wait(30)
        mail.outbox.extend(messages)
        return len(messages)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_background_send_does_not_wait_for_the_mail_server(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.GatedBackend"
    settings.PORTAL_EMAIL_IN_BACKGROUND = True
    GatedBackend.gate.clear()
    email = queue_email(to="a@example.com", subject="通知", body="正文")  # autocommit: sent "after commit" at once
    email.refresh_from_db()
    assert email.status == "pending"  # the caller went on while the server has not answered
    GatedBackend.gate.set()
    outbox.wait_for_background_sends()
    email.refresh_from_db()
    assert (email.status, [m.subject for m in mail.outbox]) == ("sent", ["通知"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_retry_skips_an_email_another_process_holds():
    held = OutboundEmail.objects.create(to=["held@example.com"], subject="s", body="b")
    free = OutboundEmail.objects.create(to=["free@example.com"], subject="s", body="b")
    locked, release, result = threading.Event(), threading.Event(), {}

    def other_process():
        with transaction.atomic():
            OutboundEmail.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(30)
        connection.close()

    def retry():
        result["sent"] = retry_pending()
        connection.close()

    holder = threading.Thread(target=other_process)
    holder.start()
    assert locked.wait(30)
    retrier = threading.Thread(target=retry)
    retrier.start()
    retrier.join(30)
    finished = not retrier.is_alive()
    release.set()
    holder.join(30)
    retrier.join(30)
    assert finished, "the retry waited for the row another process holds"
    assert result["sent"] == 1
    assert [m.to for m in mail.outbox] == [["free@example.com"]]
    held.refresh_from_db()
    free.refresh_from_db()
    assert (held.status, free.status) == ("pending", "sent")
