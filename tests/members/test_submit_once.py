"""Double click, double request (#12.10): the application form and the payment form are taken once."""

import re
import uuid

from django.urls import reverse
from wagtail.models import ModelLogEntry

from members.models import MembershipApplication, Payment
from portal.core.models import OutboundEmail


def token_in(html: str) -> str:
    """The form's one-time token; a form without one gets a token as a browser would post it (the double post)."""
    found = re.search(r'name="_once" value="([0-9a-f]{32})"', html)
    return found.group(1) if found else uuid.uuid4().hex


def test_the_forms_carry_a_one_time_token(client_for, member_a, secretariat, firm_b, firm_b_user):
    page = client_for(secretariat).get(reverse("members_memberships:inspect", args=[member_a.pk])).content.decode()
    assert 'name="_once"' in page
    assert 'name="_once"' in client_for(firm_b_user).get(reverse("members:apply")).content.decode()


def test_payment_posted_twice_is_recorded_once(client_for, member_a, secretariat):
    client = client_for(secretariat)
    url = reverse("members_memberships:inspect", args=[member_a.pk])
    token = token_in(client.get(url).content.decode())
    data = {"action": "payment", "pay-dues_item": member_a.dues_items.get().pk, "pay-amount": "3500",
            "pay-paid_on": "2026-04-01", "pay-method": "bank", "pay-reference": "工行", "_once": token}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert list(Payment.objects.values_list("receipt_number", flat=True)) == ["SJ-2026-00001"]
    assert member_a.dues_items.get().paid == 3500
    assert "未重复提交" in client.get(url).content.decode()
    data["_once"] = token_in(client.get(url).content.decode())  # a fresh form records a second payment
    client.post(url, data)
    assert Payment.objects.count() == 2


def test_application_posted_twice_is_taken_once(client_for, firm_a, firm_a_user, tiers, letter_pdf, licence_png):
    client = client_for(firm_a_user)
    url = reverse("members:apply")
    token = token_in(client.get(url).content.decode())
    data = {"tier": tiers["理事单位"].pk, "accepts_charter": "on", "statement": "申请入会", "submit": "1",
            "_once": token}
    first = client.post(url, {**data, "application_letter": letter_pdf, "business_licence": licence_png})
    letter_pdf.seek(0), licence_png.seek(0)
    second = client.post(url, {**data, "application_letter": letter_pdf, "business_licence": licence_png})
    application = MembershipApplication.objects.get()
    assert first["Location"] == second["Location"] == reverse("members:application", args=[application.pk])
    assert application.status == "submitted"
    assert ModelLogEntry.objects.filter(action__startswith="members.application.").count() == 2  # create, submit
    assert OutboundEmail.objects.filter(subject="入会申请已收到").count() == 1


def test_draft_saved_twice_is_saved_once(client_for, firm_a, firm_a_user, tiers, letter_pdf):
    client = client_for(firm_a_user)
    url = reverse("members:apply")
    token = token_in(client.get(url).content.decode())
    data = {"tier": tiers["理事单位"].pk, "accepts_charter": "on", "statement": "草稿", "save": "1", "_once": token}
    client.post(url, {**data, "application_letter": letter_pdf})
    letter_pdf.seek(0)
    client.post(url, {**data, "application_letter": letter_pdf})
    assert MembershipApplication.objects.count() == 1
    assert list(ModelLogEntry.objects.filter(action__startswith="members.application.")
                .values_list("action", flat=True)) == ["members.application.create"]
