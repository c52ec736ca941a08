import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from wagtail.models import ModelLogEntry

from members import domain
from members.models import Membership, MembershipApplication
from portal.core.models import Counter, OutboundEmail
from portal.core.workflow import WorkflowError

from .conftest import admin_denied, admit, pdf_bytes, png_bytes

APPLY = reverse("members:apply")


def form_data(tiers, **files):
    return {"tier": tiers["理事单位"].pk, "accepts_charter": "on", "statement": "我单位申请成为理事单位。", **files}


def test_apply_save_draft_then_submit(client_for, firm_a, firm_a_user, tiers, letter_pdf, licence_png):
    client = client_for(firm_a_user)
    response = client.post(APPLY, form_data(tiers, application_letter=letter_pdf, save="1"))
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert application.status == "draft"
    assert application.application_letter_name == "申请书.pdf"
    response = client.post(APPLY, form_data(tiers, business_licence=licence_png, submit="1"))
    application.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("members:application", args=[application.pk])
    assert application.status == "submitted"
    assert application.business_licence_name == "营业执照.png"
    assert application.application_letter_name == "申请书.pdf"  # kept from the draft
    page = client.get(response.url).content.decode()
    assert "已提交" in page and "理事单位" in page


def test_submit_without_uploads_refused(client_for, firm_a, firm_a_user, tiers):
    response = client_for(firm_a_user).post(APPLY, form_data(tiers, submit="1"), follow=True)
    assert "提交前还缺少" in response.content.decode()
    assert MembershipApplication.objects.get().status == "draft"


def test_apply_without_organisation_redirects_to_registration(client_for, make_user):
    response = client_for(make_user()).get(APPLY)
    assert response.status_code == 302
    assert response.url == reverse("members:organisation")


def test_apply_staff_role_forbidden(client_for, council):
    assert client_for(council).get(APPLY).status_code == 403


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("申请书.pdf", png_bytes()),  # a PNG named .pdf
        ("申请书.pdf", b"<html><body><script>alert(1)</script></body></html>"),  # HTML named .pdf
        ("申请书.pdf.html", pdf_bytes()),  # two extensions
        ("申请书.exe", b"MZ\x90\x00" + b"\x00" * 100),
    ],
)
def test_apply_disguised_file_refused(client_for, firm_a, firm_a_user, tiers, name, content):
    upload = SimpleUploadedFile(name, content)
    response = client_for(firm_a_user).post(APPLY, form_data(tiers, application_letter=upload, save="1"))
    assert response.status_code == 200
    assert not MembershipApplication.objects.filter(application_letter__gt="").exists()
    assert 'class="errorlist' in response.content.decode()


def test_second_open_application_refused(submitted_application, firm_a_user, tiers):
    with pytest.raises(WorkflowError):
        domain.save_application_draft(
            application=MembershipApplication(organisation=submitted_application.organisation, tier=tiers["会员单位"]),
            user=firm_a_user,
        )
    assert MembershipApplication.objects.count() == 1


def test_submit_twice_refused(submitted_application, firm_a_user):
    with pytest.raises(WorkflowError):
        domain.submit_application(application=submitted_application, user=firm_a_user)


def test_other_firms_application_is_404(client_for, submitted_application, firm_b, firm_b_user):
    client = client_for(firm_b_user)
    assert client.get(reverse("members:application", args=[submitted_application.pk])).status_code == 404
    assert client.get(reverse("members:application_file", args=[submitted_application.pk, "letter"])).status_code == 404


def test_application_file_served_to_owner_and_council(client_for, submitted_application, firm_a_user, council):
    url = reverse("members:application_file", args=[submitted_application.pk, "licence"])
    response = client_for(firm_a_user).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(council).get(url).status_code == 200


def test_application_file_editor_is_404(client_for, submitted_application, editor):
    url = reverse("members:application_file", args=[submitted_application.pk, "letter"])
    assert client_for(editor).get(url).status_code == 404


def test_council_approves_in_admin(client_for, submitted_application, council, django_capture_on_commit_callbacks,
                                   mailoutbox):
    url = reverse("members_applications:inspect", args=[submitted_application.pk])
    client = client_for(council)
    page = client.get(url).content.decode()
    assert "记录理事会决议" in page and "申请书.pdf" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members_resolutions:record_admission"), {
            "meeting_date": "2026-03-02", "members_present": "1", "votes_for": "1", "votes_against": "0",
            "votes_abstaining": "0", "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "1",
            "decisions-0-application": submitted_application.pk, "decisions-0-decision": "approve",
            "decisions-0-tier": submitted_application.tier_id,
        })
    assert response.status_code == 302
    membership = Membership.objects.get()
    year = membership.started_on.year
    assert membership.member_number == f"ZJXY-{year}-0001"
    assert membership.status == "active"
    assert membership.tier.name == "理事单位"
    assert [(i.year, i.amount) for i in membership.dues_items.all()] == [(year, 7000)]
    assert ModelLogEntry.objects.filter(action="members.application.approve").count() == 1
    assert any("入会申请已获批准" in m.subject for m in mailoutbox)


def test_approval_email_sent_only_after_commit(submitted_application, council, django_capture_on_commit_callbacks,
                                               mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admit(submitted_application, council)
    assert mailoutbox == []
    assert OutboundEmail.objects.filter(subject="入会申请已获批准", status="pending").count() == 1
    for callback in callbacks:
        callback()
    assert [m.subject for m in mailoutbox] == ["入会申请已获批准"]


def test_no_one_click_approval_in_admin(client_for, submitted_application, council, secretariat):
    url = reverse("members_applications:inspect", args=[submitted_application.pk])
    for user in (council, secretariat):
        assert client_for(user).post(url, {"action": "approve"}).status_code == 404
    assert not Membership.objects.exists()


def test_secretariat_returns_for_more_material(client_for, submitted_application, secretariat, firm_a_user):
    url = reverse("members_applications:inspect", args=[submitted_application.pk])
    client_for(secretariat).post(url, {"action": "return", "note": "请补充加盖公章的申请书。"})
    submitted_application.refresh_from_db()
    assert submitted_application.status == "returned"
    # the firm can edit and resubmit
    page = client_for(firm_a_user).get(APPLY).content.decode()
    assert "请补充加盖公章的申请书。" in page
    assert reverse("members:application_file", args=[submitted_application.pk, "letter"]) in page
    assert "/media/" not in page  # private files have no storage URL
    domain.submit_application(application=submitted_application, user=firm_a_user)
    submitted_application.refresh_from_db()
    assert submitted_application.status == "submitted"


def test_return_without_message_refused(submitted_application, secretariat):
    with pytest.raises(WorkflowError):
        domain.return_application(application=submitted_application, user=secretariat, message="  ")


def test_reject_requires_reason(client_for, submitted_application, council):
    response = client_for(council).post(reverse("members_resolutions:record_admission"), {
        "meeting_date": "2026-03-02", "members_present": "1", "votes_for": "1", "votes_against": "0",
        "votes_abstaining": "0", "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "1",
        "decisions-0-application": submitted_application.pk, "decisions-0-decision": "reject",
        "decisions-0-tier": submitted_application.tier_id, "decisions-0-reason": "",
    }, follow=True)
    assert "驳回申请必须填写理由" in response.content.decode()
    submitted_application.refresh_from_db()
    assert submitted_application.status == "submitted"
    admit(submitted_application, council, decision="reject", reason="材料不实。")
    submitted_application.refresh_from_db()
    assert submitted_application.status == "rejected"
    assert submitted_application.decision_note == "材料不实。"


def test_admin_views_wrong_role_forbidden(client_for, editor, expert, submitted_application):
    for user in (editor, expert):
        client = client_for(user)
        assert admin_denied(client.get(reverse("members_applications:index")))
        assert admin_denied(client.get(reverse("members_applications:inspect", args=[submitted_application.pk])))
        assert admin_denied(client.get(reverse("members_admin:reports")))


def test_admin_views_firm_user_kept_out(client_for, firm_a_user):
    response = client_for(firm_a_user).get(reverse("members_applications:index"))
    assert response.status_code in (302, 403)


def test_applications_index_filters(client_for, council, submitted_application, make_organisation, make_user,
                                    make_application):
    other_user = make_user()
    other = make_organisation(users=[other_user], name="丙咨询有限公司")
    make_application(other, other_user, tier="会员单位")
    client = client_for(council)
    page = client.get(reverse("members_applications:index")).content.decode()
    assert "甲信用科技有限公司" in page and "丙咨询有限公司" in page
    page = client.get(reverse("members_applications:index"), {"q": "丙咨询"}).content.decode()
    assert "甲信用科技有限公司" not in page and "丙咨询有限公司" in page
    page = client.get(reverse("members_applications:index"), {"status": "approved"}).content.decode()
    assert "丙咨询有限公司" not in page


def test_firm_cannot_decide_own_application(submitted_application, firm_a_user):
    with pytest.raises(PermissionDenied):
        admit(submitted_application, firm_a_user)


def test_concurrent_approval_second_is_refused(submitted_application, council, make_user):
    from portal.accounts.roles import Role

    other_councillor = make_user(Role.COUNCIL)
    admit(submitted_application, council)
    with pytest.raises(WorkflowError):
        admit(submitted_application, other_councillor)
    assert Membership.objects.count() == 1
    assert Counter.objects.get(key__startswith="member-").last == 1


def test_member_numbers_come_from_the_counter_never_reused(make_member, make_organisation, make_user):
    from django.utils import timezone

    year = timezone.localdate().year
    Counter.objects.create(key=f"member-{year}", last=41)  # e.g. numbers issued before
    user = make_user()
    org = make_organisation(users=[user])
    membership = make_member(org, user, joined=timezone.localdate())
    assert membership.member_number == f"ZJXY-{year}-0042"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approval_threads_one_membership(submitted_application, council, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from portal.accounts.roles import Role

    councillors = [council, make_user(Role.COUNCIL)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        from django.db import connections

        try:
            barrier.wait()
            admit(submitted_application, user)
            outcomes.append("ok")
        except WorkflowError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in councillors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Membership.objects.count() == 1


def test_draft_files_not_visible_to_reviewers(client_for, make_application, firm_a, firm_a_user, council):
    draft = make_application(firm_a, firm_a_user, submit=False)
    url = reverse("members:application_file", args=[draft.pk, "letter"])
    assert client_for(council).get(url).status_code == 404
    assert client_for(firm_a_user).get(url).status_code == 200


def test_a_unit_just_admitted_cannot_open_a_new_draft(client_for, submitted_application, council, firm_a_user, tiers):
    admit(submitted_application, council)
    with pytest.raises(WorkflowError):
        domain.save_application_draft(
            application=MembershipApplication(organisation=submitted_application.organisation, tier=tiers["会员单位"]),
            user=firm_a_user,
        )
    response = client_for(firm_a_user).post(APPLY, form_data(tiers, save="1"))
    assert response.status_code == 302 and response.url == reverse("members:membership")
    assert MembershipApplication.objects.count() == 1
