"""The issue's "done when" journey through the UI, end to end (test client)."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from members.models import Membership, MembershipApplication, Payment
from tests.conftest import make_credit_code

from .conftest import pdf_bytes, png_bytes


def test_membership_journey(client_for, make_user, council, secretariat, django_capture_on_commit_callbacks,
                            mailoutbox, tiers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    firm_user = make_user(email="zhang@jinxin.example.com", name="张经理")
    firm = client_for(firm_user)
    # 1. register the organisation
    firm.post(reverse("members:organisation"), {
        "name": "杭州金信征信服务有限公司", "credit_code": make_credit_code("330108", "MA2KL8P3Q"),
        "unit_type": "credit_agency", "legal_representative": "张金", "established_on": "2016-08-08",
        "registered_address": "杭州市滨江区网商路599号", "contact_person": "张经理", "phone": "0571-86001234",
        "email": "office@jinxin.example.com", "website": "https://jinxin.example.com",
        "licence": SimpleUploadedFile("营业执照.png", png_bytes()),
    })
    # 1b. the secretariat checks the licence of this first claim of the credit code and verifies the unit
    from portal.organisations.models import OrganisationClaim

    claim = OrganisationClaim.objects.get(claimant=firm_user)
    client_for(secretariat).post(reverse("organisation_claims:inspect", args=[claim.pk]), {"action": "verify"})
    firm = client_for(firm_user)
    # 2. apply as 理事单位 with real-looking uploads and submit
    with django_capture_on_commit_callbacks(execute=True):
        response = firm.post(reverse("members:apply"), {
            "tier": tiers["理事单位"].pk, "accepts_charter": "on", "statement": "我公司从事征信服务八年。", "submit": "1",
            "application_letter": SimpleUploadedFile("入会申请书.pdf", pdf_bytes("入会申请书")),
            "business_licence": SimpleUploadedFile("营业执照.png", png_bytes()),
        })
    application = MembershipApplication.objects.get()
    assert response.url == reverse("members:application", args=[application.pk])
    assert application.status == "submitted"
    # 3. a council account approves in the admin
    council_client = client_for(council)
    assert "杭州金信征信服务有限公司" in council_client.get(reverse("members_resolutions:record_admission")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        council_client.post(reverse("members_resolutions:record_admission"), {
            "meeting_date": datetime.date.today().isoformat(), "members_present": "1", "votes_for": "1",
            "votes_against": "0", "votes_abstaining": "0", "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "1",
            "decisions-0-application": application.pk, "decisions-0-decision": "approve",
            "decisions-0-tier": tiers["理事单位"].pk,
        })
    membership = Membership.objects.get()
    assert any("入会申请已获批准" == m.subject for m in mailoutbox)
    # 4. the firm downloads its certificate; the QR code's page says valid
    firm = client_for(firm_user)
    certificate = firm.get(reverse("members:certificate"))
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")
    verify = firm.get(f"/verify/{membership.member_number}/").content.decode()
    assert "有效" in verify and "杭州金信征信服务有限公司" in verify
    # 5. the secretariat records a partial and a full payment; the firm sees both receipts
    staff = client_for(secretariat)
    item = membership.dues_items.get()
    paid_on = max(membership.started_on, datetime.date.today())
    for amount in ("2000", "5000"):
        staff.post(reverse("members_memberships:inspect", args=[membership.pk]), {
            "action": "payment", "pay-dues_item": item.pk, "pay-amount": amount, "pay-paid_on": paid_on.isoformat(),
            "pay-method": "bank", "pay-reference": "转账",
        })
    firm = client_for(firm_user)
    page = firm.get(reverse("members:membership")).content.decode()
    receipts = list(Payment.objects.order_by("pk"))
    assert len(receipts) == 2
    for payment in receipts:
        assert payment.receipt_number in page
        assert firm.get(reverse("members:receipt", args=[payment.pk])).status_code == 200
    # 6. next year's dues stay unpaid: a year and a day later the member lapses and leaves the directory
    assert "杭州金信征信服务有限公司" in firm.get(reverse("members:directory")).content.decode()
    next_due = datetime.date(item.year + 1, 1, 1)
    call_command("run_due_jobs", today=next_due.isoformat(), stdout=StringIO())
    call_command("run_due_jobs", today=(next_due + datetime.timedelta(days=366)).isoformat(), stdout=StringIO())
    membership.refresh_from_db()
    assert membership.status == "lapsed"
    assert "杭州金信征信服务有限公司" not in firm.get(reverse("members:directory")).content.decode()
    assert "已失效" in firm.get(f"/verify/{membership.member_number}/").content.decode()


def test_secretariat_admin_viewsets_render(client_for, secretariat, firm_a):
    from members.admin_views import tiers as tier_viewset
    from portal.organisations.wagtail_hooks import organisation_viewset

    client = client_for(secretariat)
    page = client.get(reverse(organisation_viewset.get_url_name("index"))).content.decode()
    assert "甲信用科技有限公司" in page
    assert client.get(reverse(tier_viewset.get_url_name("index"))).status_code == 200
