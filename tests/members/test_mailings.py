"""Mailings to members (issue #15.5): segments, preview, throttled sending through the outbox, the log, opt-out."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail import hooks

from members.domain import mailings
from members.models import Mailing, MailingOptOut, MailingRecipient
from portal.core.models import OutboundEmail

from .conftest import admin_denied

ADD = reverse("members_mailings:add")


@pytest.fixture
def members(member_a, make_member, make_organisation, make_user):
    """Firm A (理事单位) and two 会员单位 members, each with one user."""
    others = []
    for n in range(2):
        user = make_user(email=f"member{n}@example.com")
        others.append(make_member(make_organisation(users=[user], email=f"office{n}@example.com"), user,
                                  tier="会员单位"))
    return [member_a, *others]


def draft(user, **fields):
    mailing = Mailing(subject=fields.pop("subject", "2026年会员大会通知"),
                      body=fields.pop("body", '<p>请于<b>4月8日</b>出席会员大会，<a href="/members/">会员名录</a>。</p>'),
                      **fields)
    return mailings.create_mailing(mailing=mailing, user=user)


def test_secretariat_writes_a_draft_in_the_admin_and_previews_the_recipients(client_for, secretariat, members):
    client = client_for(secretariat)
    response = client.post(ADD, {
        "subject": "2026年会员大会通知", "body": '{"blocks": [{"key": "a", "text": "请出席会员大会。", "type": "unstyled", '
                                              '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], '
                                              '"entityMap": {}}',
        "segment": "members", "kind": "news", "batch_size": "100",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    mailing = Mailing.objects.get()
    assert (mailing.status, mailing.created_by) == ("draft", secretariat)
    page = client.get(reverse("members_mailings:inspect", args=[mailing.pk])).content.decode()
    for address in ("org1@example.com", "firm-a@example.com", "office0@example.com", "member1@example.com"):
        assert address in page
    assert "6 个地址将收到" in page


def test_sending_queues_a_batch_now_and_the_rest_at_each_run(secretariat, members, django_capture_on_commit_callbacks,
                                                          mailoutbox):
    mailing = draft(secretariat, segment="members", batch_size=4)
    with django_capture_on_commit_callbacks(execute=True):
        mailings.send_mailing(mailing=mailing, user=secretariat)
    mailing.refresh_from_db()
    assert mailing.status == "sending"
    assert MailingRecipient.objects.filter(status="queued").count() == 4
    assert MailingRecipient.objects.filter(status="waiting").count() == 2
    assert len(mailoutbox) == 4 and all(len(m.to) == 1 for m in mailoutbox)
    out = StringIO()
    call_command("run_due_jobs", stdout=out)
    assert "mailing" in out.getvalue()
    mailing.refresh_from_db()
    assert mailing.status == "sent" and mailing.finished_at is not None
    assert set(MailingRecipient.objects.values_list("status", flat=True)) == {"queued"}
    assert OutboundEmail.objects.filter(subject="2026年会员大会通知").count() == 6


def test_every_email_carries_the_associations_identity_and_an_unsubscribe_link(secretariat, member_a,
                                                                               django_capture_on_commit_callbacks,
                                                                               mailoutbox):
    mailing = draft(secretariat, segment="members")
    with django_capture_on_commit_callbacks(execute=True):
        mailings.send_mailing(mailing=mailing, user=secretariat)
    message = mailoutbox[0]
    name = MailingRecipient.objects.get(mailing=mailing, email=message.to[0]).name
    assert name and message.body.startswith(f"尊敬的{name}：\n您好！\n")  # greets the member, never an address
    assert "浙江省信用协会" in message.body and "杭州市环城西路33-2号" in message.body
    assert "（0571）87056850" in message.body
    assert re.search(r"/members/unsubscribe/[^/\s]+/", message.body)
    html = message.alternatives[0][0]
    assert "<b>4月8日</b>" in html and 'href="http://testserver/members/"' in html
    assert "退订" in html


def test_one_click_unsubscribe_skips_the_next_news_but_not_a_dues_notice(client, secretariat, member_a,
                                                                         django_capture_on_commit_callbacks,
                                                                         mailoutbox):
    token = mailings.opt_out_token("firm-a@example.com")
    url = reverse("members:unsubscribe", args=[token])
    assert "是否停止在该地址接收协会的资讯与邀请" in client.get(url).content.decode()
    client.post(url, {"List-Unsubscribe": "One-Click"})
    assert MailingOptOut.objects.filter(email="firm-a@example.com").exists()
    news = draft(secretariat, segment="members")
    with django_capture_on_commit_callbacks(execute=True):
        mailings.send_mailing(mailing=news, user=secretariat)
    assert MailingRecipient.objects.get(mailing=news, email="firm-a@example.com").status == "opted_out"
    assert all("firm-a@example.com" not in m.to for m in mailoutbox)
    notice = draft(secretariat, segment="members", kind="dues", subject="会费缴纳提醒")
    with django_capture_on_commit_callbacks(execute=True):
        mailings.send_mailing(mailing=notice, user=secretariat)
    assert any(m.to == ["firm-a@example.com"] and m.subject == "会费缴纳提醒" for m in mailoutbox)
    assert "unsubscribe" not in [m for m in mailoutbox if m.subject == "会费缴纳提醒"][0].body
    client.post(url, {"action": "in"})
    assert not MailingOptOut.objects.exists()


def test_a_forged_unsubscribe_link_is_404(client, db):
    assert client.get(reverse("members:unsubscribe", args=["not-a-token"])).status_code == 404


def test_segments(secretariat, members, make_application, firm_b, firm_b_user, tiers, make_member, make_organisation,
                  make_user):
    from members import domain

    def addresses(**fields):
        return {r.email for r in mailings.recipients_for(Mailing(**fields))}

    assert addresses(segment="tier", tier=tiers["理事单位"]) == {"org1@example.com", "firm-a@example.com"}
    make_application(firm_b, firm_b_user)
    assert addresses(segment="applicants") == {firm_b.email, "firm-b@example.com"}
    from django.utils import timezone

    user = make_user(email="late@example.com")
    late = make_member(make_organisation(users=[user], email="office-late@example.com"), user, tier="会员单位",
                       joined=datetime.date(2025, 3, 1))
    domain.ensure_dues_items(membership=late, today=timezone.localdate())  # 2025 unpaid: in arrears
    assert addresses(segment="arrears") == {"office-late@example.com", "late@example.com"}


def test_demonstration_units_are_answered_by_the_programme(secretariat, members):
    organisation = members[2].organisation
    with hooks.register_temporarily("mailing_segment_units", lambda segment: {organisation.pk}
                                    if segment == "demonstration" else None):
        recipients = mailings.recipients_for(Mailing(segment="demonstration"))
    assert {r.email for r in recipients} == {"office1@example.com", "member1@example.com"}


def test_registrants_of_an_event(secretariat, member_a, firm_a_user):
    from django.utils import timezone

    from portal.services import domain as services
    from portal.services.models import Event

    starts = timezone.now() + datetime.timedelta(days=5)
    event = Event.objects.create(title="信用管理培训", kind="training", starts_at=starts, ends_at=starts,
                                 place="协会", registration_deadline=starts, is_published=True)
    services.register_for_event(event=event, user=firm_a_user, participants=1)
    assert {r.email for r in mailings.recipients_for(Mailing(segment="event", event=event))} == {
        "org1@example.com", "firm-a@example.com"}


def test_an_empty_segment_cannot_be_sent(secretariat, tiers):
    from portal.core.workflow import WorkflowError

    mailing = draft(secretariat, segment="tier", tier=tiers["副会长单位"])
    with pytest.raises(WorkflowError):
        mailings.send_mailing(mailing=mailing, user=secretariat)


def test_only_the_secretariat_writes_and_sends(client_for, council, secretariat, members):
    mailing = draft(secretariat, segment="members")
    client = client_for(council)
    assert admin_denied(client.get(ADD))
    url = reverse("members_mailings:inspect", args=[mailing.pk])
    assert client.get(url).status_code == 200
    assert admin_denied(client.post(url, {"action": "send"}))
    assert Mailing.objects.get().status == "draft"


def test_a_sent_mailing_is_not_edited(client_for, secretariat, members):
    mailing = draft(secretariat, segment="members")
    mailings.send_mailing(mailing=mailing, user=secretariat)
    response = client_for(secretariat).get(reverse("members_mailings:edit", args=[mailing.pk]))
    assert response.status_code == 302 and response.url == reverse("members_mailings:inspect", args=[mailing.pk])


def test_the_log_shows_what_went_to_whom(client_for, secretariat, member_a, django_capture_on_commit_callbacks):
    mailing = draft(secretariat, segment="members")
    with django_capture_on_commit_callbacks(execute=True):
        mailings.send_mailing(mailing=mailing, user=secretariat)
    OutboundEmail.objects.filter(to=["org1@example.com"]).update(status="failed", last_error="550 mailbox unavailable")
    page = client_for(secretariat).get(reverse("members_mailings:inspect", args=[mailing.pk])).content.decode()
    assert "550 mailbox unavailable" in page and "firm-a@example.com" in page
