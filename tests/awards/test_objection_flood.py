"""Issue #12.5: made-up objections must not shut the objection form for real objectors.

The attack: 18 objections, each with a made-up `X-Forwarded-For`, were accepted from one client;
the notice's daily ceiling (20) then refused a real objector, every day of the notice. Now the
address comes from X-Forwarded-For only behind our own proxies, the limits count per real
address, and only objections confirmed with an emailed code count toward the ceiling.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.core.models import OutboundEmail
from portal.core.workflow import WorkflowError
from showcase.awards import domain
from showcase.awards.models import Objection
from showcase.models import ShowcaseRules

from .conftest import said

ATTACKER = "203.0.113.66"
REAL = "198.51.100.7"


def objection_data(entry, **extra):
    data = {"entry": entry.pk, "name": "王五", "phone": "13800000000", "email": "wang@example.com",
            "relationship": "customer", "content": "该单位拖欠货款，有法院判决书为证。"}
    data.update(extra)
    return data


@pytest.fixture
def notice(firm_a, make_accepted, publish):
    return publish([make_accepted(firm_a)], timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def entry(notice):
    return notice.entries.get()


def _post(client, notice, entry, address, forwarded=None, **fields):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(reverse("awards:notice", args=[notice.pk]), objection_data(entry, **fields),
                       REMOTE_ADDR=address, **headers)


def _code_for(objection) -> str:
    email = OutboundEmail.objects.filter(to=[objection.email], subject__contains=objection.number).latest("pk")
    return re.search(r"^\s+(\d{6})$", email.body, re.M).group(1)


def _confirm(client, number, code, address=REAL):
    return client.post(reverse("awards:objection_confirm"), {"number": number, "code": code}, REMOTE_ADDR=address)


# ---------------------------------------------------------------- the attack


def test_made_up_forwarded_addresses_do_not_multiply_the_per_address_limit(client, notice, entry, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    answers = [_post(client, notice, entry, ATTACKER, forwarded=f"10.9.{i}.{i}").status_code for i in range(18)]
    assert answers == [302] * 3 + [400] * 15
    assert Objection.objects.count() == 3
    assert set(Objection.objects.values_list("client_address", flat=True)) == {ATTACKER}


def test_a_flood_does_not_shut_out_a_real_objector(client, notice, entry, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    for i in range(20):
        _post(client, notice, entry, ATTACKER, forwarded=f"10.9.{i}.{i}")
    response = _post(client, notice, entry, REAL, name="李四")
    assert response.status_code == 302
    assert Objection.objects.filter(name="李四").exists()


def test_many_unconfirmed_objections_from_many_addresses_do_not_count(client, notice, entry):
    for i in range(25):  # more than the daily ceiling of 20
        assert _post(client, notice, entry, f"192.0.2.{i + 1}", email="").status_code == 302
    assert _post(client, notice, entry, REAL, name="李四").status_code == 302
    assert Objection.objects.count() == 26


def test_only_confirmed_objections_reach_the_daily_ceiling(client, notice, entry):
    rules = ShowcaseRules.load()
    rules.objections_per_notice_day = 2
    rules.save()
    for i in range(2):
        _post(client, notice, entry, f"192.0.2.{i + 1}", email=f"o{i}@example.com")
        objection = Objection.objects.latest("pk")
        assert _confirm(client, objection.number, _code_for(objection)).status_code == 200
    response = _post(client, notice, entry, REAL, email="third@example.com")
    assert response.status_code == 400
    assert "本公示今日在线受理的异议已达上限" in response.content.decode()
    assert Objection.objects.count() == 2


def test_a_junk_forwarded_address_never_loses_an_objection(client, notice, entry, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.0/8"]
    response = _post(client, notice, entry, "127.0.0.1", forwarded="unknown")
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.client_address is None


@pytest.mark.parametrize("junk", ["unknown", "not-an-ip", "1.2.3.4.5", "x" * 300])
def test_domain_stores_only_real_addresses(entry, junk):
    objection = domain.submit_objection(entry=entry, name="王五", phone="13800000000", relationship="other",
                                        content="内容", client_address=junk)
    objection.refresh_from_db()
    assert objection.client_address is None


def test_behind_our_proxy_the_real_client_is_limited(client, notice, entry, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    for i in range(3):
        assert _post(client, notice, entry, "10.0.0.5", forwarded=f"1.1.1.{i}, {ATTACKER}").status_code == 302
    assert _post(client, notice, entry, "10.0.0.5", forwarded=f"1.1.1.9, {ATTACKER}").status_code == 400
    assert _post(client, notice, entry, "10.0.0.5", forwarded=REAL).status_code == 302
    assert Objection.objects.filter(client_address=REAL).count() == 1


def test_per_address_daily_limit(entry):
    rules = ShowcaseRules.load()
    rules.objections_per_address_hour = 10
    rules.save()
    for _i in range(5):
        domain.submit_objection(entry=entry, name="王五", phone="1", relationship="other", content="x",
                                client_address=ATTACKER)
    with pytest.raises(WorkflowError) as refused:
        domain.submit_objection(entry=entry, name="王五", phone="1", relationship="other", content="x",
                                client_address=ATTACKER)
    assert "网络地址" in said(refused)
    domain.submit_objection(entry=entry, name="李四", phone="1", relationship="other", content="x",
                            client_address=REAL)


def test_limits_are_checked_before_the_upload_is_examined(client, notice, entry):
    for _i in range(3):
        _post(client, notice, entry, ATTACKER)
    not_a_pdf = SimpleUploadedFile("判决书.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = client.post(reverse("awards:notice", args=[notice.pk]),
                           {**objection_data(entry), "evidence": not_a_pdf}, REMOTE_ADDR=ATTACKER)
    html = response.content.decode()
    assert response.status_code == 400
    assert "您的网络地址对本公示提交的异议过多" in html
    assert "文件类型" not in html  # the upload was not examined


# ---------------------------------------------------------------- confirming


def test_email_objector_gets_a_code_and_confirms(client, notice, entry, secretariat):
    response = _post(client, notice, entry, REAL)
    objection = Objection.objects.get()
    assert objection.confirmed_at is None and objection.confirmation_state == "awaiting"
    assert not OutboundEmail.objects.filter(to=[secretariat.email]).exists()  # not before confirmation
    page = client.get(response["Location"]).content.decode()
    assert objection.number in page and "w***@example.com" in page and "确认异议" in page
    code = _code_for(objection)
    assert code not in page and objection.confirmation_digest != code
    wrong = _confirm(client, objection.number, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 400 and "受理编号或确认码不正确" in wrong.content.decode()
    right = _confirm(client, objection.number, code)
    assert right.status_code == 200 and "已确认" in right.content.decode()
    objection.refresh_from_db()
    assert objection.confirmed_at is not None and objection.confirmation_digest == ""
    assert OutboundEmail.objects.filter(to=[secretariat.email], subject__contains=objection.number).count() == 1
    assert _confirm(client, objection.number, code).status_code == 200  # twice: harmless
    assert OutboundEmail.objects.filter(to=[secretariat.email], subject__contains=objection.number).count() == 1


def test_too_many_wrong_codes_leave_the_objection_recorded_unconfirmed(client, notice, entry):
    _post(client, notice, entry, REAL)
    objection = Objection.objects.get()
    code = _code_for(objection)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    for _i in range(5):
        assert _confirm(client, objection.number, wrong).status_code == 400
    response = _confirm(client, objection.number, code)
    assert response.status_code == 400 and "错误次数过多" in response.content.decode()
    objection.refresh_from_db()
    assert objection.confirmed_at is None and objection.status == Objection.Status.OPEN
    assert objection.confirmation_state == "locked"


def test_confirmation_attempts_are_limited_per_address(client, notice, entry):
    for i in range(20):
        _confirm(client, f"YY-2099-{i:04d}", "123456", address=ATTACKER)
    response = _confirm(client, "YY-2099-9999", "123456", address=ATTACKER)
    assert "尝试次数过多" in response.content.decode()
    assert "尝试次数过多" not in _confirm(client, "YY-2099-9999", "123456", address=REAL).content.decode()


def test_phone_only_objection_is_recorded_and_the_secretariat_told(client, notice, entry, secretariat):
    response = _post(client, notice, entry, REAL, email="")
    objection = Objection.objects.get()
    assert objection.confirmation_state == "phone_only"
    told = OutboundEmail.objects.get(to=[secretariat.email], subject__contains=objection.number)
    assert "只留了电话" in told.body
    page = client.get(response["Location"]).content.decode()
    assert "秘书处可能会致电" in page


def test_unconfirmed_objection_still_holds_the_unit(client, firm_a, make_accepted, publish):
    from .conftest import at

    notice = publish([make_accepted(firm_a)], at(2024, 12, 2, 9, 30))
    domain.submit_objection(entry=notice.entries.get(), name="王五", email="wang@example.com", relationship="other",
                            content="x", now=at(2024, 12, 3, 9, 0))
    lines = list(domain.process_notices(now=at(2024, 12, 9, 9, 30)))
    assert any("held" in line for line in lines)


def test_secretariat_sees_the_confirmation_state(client_for, secretariat, notice, entry):
    domain.submit_objection(entry=entry, name="王五", email="wang@example.com", relationship="other", content="x")
    listing = client_for(secretariat).get(reverse("awards_objections:index")).content.decode()
    assert "等待邮件确认码" in listing
