"""Objectors' personal information (portal.privacy): consent on the form, their copy, cancellation, retention."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.privacy.models import Consent
from showcase.awards import domain
from showcase.awards.models import Objection

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(home_page):
    from portal.privacy.demo import ensure_documents

    return ensure_documents()


def _data(entry, **extra):
    return {"entry": entry.pk, "name": "王五", "phone": "13800000000", "email": "wang@example.com",
            "relationship": "customer", "content": "该单位拖欠货款，有法院判决书为证。", **extra}


def _objected(firm, make_accepted, publish, email="wang@example.com"):
    notice = publish([make_accepted(firm)], at(2024, 12, 2, 9, 30))
    return domain.submit_objection(entry=notice.entries.get(), name="王五", phone="13800000000", email=email,
                                   relationship="competitor", content="虚假宣传", client_address="10.0.0.9",
                                   now=at(2024, 12, 3, 10, 0))


def run_jobs(day: datetime.date) -> str:
    out = StringIO()
    call_command("run_due_jobs", today=day.isoformat(), stdout=out)
    return out.getvalue()


def test_objection_form_asks_for_consent_to_the_privacy_policy_and_records_it(client, documents, firm_a,
                                                                              make_accepted, publish):
    notice = publish([make_accepted(firm_a)], timezone.now() - datetime.timedelta(hours=1))
    url = reverse("awards:notice", args=[notice.pk])
    html = client.get(url).content.decode()
    assert 'name="agree"' in html and 'href="/privacy-policy/"' in html and "《隐私政策》" in html
    assert "《用户协议》" not in html.split('name="agree"')[0][-600:]  # objectors have no account: policy only

    refused = client.post(url, _data(notice.entries.get()))
    assert refused.status_code == 400
    assert not Objection.objects.exists()

    response = client.post(url, _data(notice.entries.get(), agree="on"), REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 302
    objection = Objection.objects.get()
    consent = Consent.objects.get()
    assert (consent.subject, consent.user, consent.kind, consent.version, consent.context, consent.ip) == (
        objection, None, "privacy", 1, "form", "10.0.0.5")


def test_objections_filed_with_my_email_are_in_my_data(client_for, make_user, firm_a, make_accepted, publish):
    objection = _objected(firm_a, make_accepted, publish)
    me = make_user(email="wang@example.com")
    html = client_for(me).get("/account/privacy/").content.decode()
    assert objection.number in html and "虚假宣传" in html and "10.0.0.9" in html
    other = make_user(email="li@example.com")
    assert objection.number not in client_for(other).get("/account/privacy/data.json").content.decode()


def test_an_objection_under_investigation_blocks_cancellation_then_is_anonymised(make_user, secretariat, firm_a,
                                                                                 make_accepted, publish):
    from portal.privacy.cancellation import request_cancellation

    objection = _objected(firm_a, make_accepted, publish)
    me = make_user(email="wang@example.com")
    cancellation, reasons = request_cancellation(user=me)
    assert reasons == [f"您对甲信用科技有限公司提出的异议（受理编号 {objection.number}）正在调查中。"]
    domain.decide_objection(objection=objection, user=secretariat, outcome="dismissed", reason="不成立")
    assert "[privacy] cancelled 1 account(s)" in run_jobs(timezone.localdate())
    objection.refresh_from_db()
    cancellation.refresh_from_db()
    assert (objection.name, objection.phone, objection.email, objection.client_address) == (
        f"已注销用户 {cancellation.pseudonym}", "", "", None)
    assert (objection.content, objection.status, objection.reason) == ("虚假宣传", "dismissed", "不成立")


def test_objectors_details_are_anonymised_a_year_after_the_decision_once(secretariat, firm_a, firm_b, make_accepted,
                                                                        publish):
    from django.contrib.contenttypes.models import ContentType

    decided = _objected(firm_a, make_accepted, publish)
    Consent.objects.create(subject_type=ContentType.objects.get_for_model(Objection), subject_id=decided.pk,
                           kind="privacy", version=1, context="form", ip="10.0.0.9")
    domain.decide_objection(objection=decided, user=secretariat, outcome="dismissed", reason="不成立",
                            now=at(2024, 12, 10, 9, 0))
    still_open = _objected(firm_b, make_accepted, publish, email="li@example.com")

    assert "objector" not in run_jobs(datetime.date(2025, 12, 10))  # exactly a year: kept
    decided.refresh_from_db()
    assert decided.phone == "13800000000"

    out = run_jobs(datetime.date(2025, 12, 11))
    assert "[privacy] anonymised the objector's details of 1 objection(s)" in out
    decided.refresh_from_db()
    assert (decided.name, decided.phone, decided.email, decided.client_address) == ("（已匿名）", "", "", None)
    assert (decided.number, decided.content, decided.reason) == (decided.number, "虚假宣传", "不成立")
    assert Consent.objects.get().ip is None
    still_open.refresh_from_db()
    assert (still_open.name, still_open.email) == ("王五", "li@example.com")

    assert "objector" not in run_jobs(datetime.date(2025, 12, 12))  # a second run changes nothing


def test_staff_opening_an_objection_is_logged(client_for, secretariat, firm_a, make_accepted, publish):
    from wagtail.models import ModelLogEntry

    objection = _objected(firm_a, make_accepted, publish)
    assert client_for(secretariat).get(reverse("awards_admin:objection", args=[objection.pk])).status_code == 200
    entry = ModelLogEntry.objects.get(action="privacy.personal_data.view")
    assert (entry.user_id, entry.object_id, entry.data["view"]) == (secretariat.pk, str(objection.pk),
                                                                    "awards_admin:objection")
