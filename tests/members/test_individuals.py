"""Individual members (issue #15.7, L1426): registered by the secretariat, their own tier and dues as data."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from members.domain import individuals, reconciliation
from members.models import BankProfile, IndividualDuesItem, IndividualMember, IndividualTier

from .conftest import admin_denied
from .statements import line, statement_xlsx

ADD = reverse("members_individuals:add")


@pytest.fixture
def tier(db):
    return IndividualTier.objects.get(name="个人会员")


def register(user, tier, name="王信", **fields):
    return individuals.register_individual(member=IndividualMember(name=name, tier=tier, **fields), user=user)


def test_the_default_tier_has_no_dues(tier):
    assert tier.annual_dues is None


def test_secretariat_registers_an_individual_in_the_admin(client_for, secretariat, tier):
    response = client_for(secretariat).post(ADD, {"name": "王信", "phone": "13800000000", "email": "wx@example.com",
                                                   "work_unit": "浙江大学", "position": "教授", "tier": tier.pk,
                                                   "joined_on": "2026-03-02", "note": ""})
    assert response.status_code == 302
    member = IndividualMember.objects.get()
    assert member.member_number == "ZJXY-GR-2026-0001"
    assert (member.status, member.registered_by) == ("active", secretariat)
    assert not member.dues_items.exists()  # no amount set: no dues


def test_only_the_secretariat_registers(client_for, council, tier):
    assert admin_denied(client_for(council).post(ADD, {"name": "王信", "tier": tier.pk, "joined_on": "2026-03-02"}))
    assert not IndividualMember.objects.exists()


def test_dues_follow_the_tier_once_the_association_sets_an_amount(secretariat, tier):
    member = register(secretariat, tier, joined_on=datetime.date(2026, 3, 2))
    assert list(call_command_lines(datetime.date(2026, 3, 3))) == []  # still nothing to bill
    tier.annual_dues = Decimal("300")
    tier.save()
    lines = list(call_command_lines(datetime.date(2026, 3, 3)))
    assert any("billed 1 individual dues item(s)" in text for text in lines)
    item = member.dues_items.get()
    assert (item.year, item.amount, item.payment_reference[:2]) == (2026, Decimal("300.00"), "HG")
    assert list(call_command_lines(datetime.date(2026, 3, 4))) == []  # once


def call_command_lines(today):
    from io import StringIO

    out = StringIO()
    call_command("run_due_jobs", today=today.isoformat(), stdout=out)
    return [text for text in out.getvalue().splitlines() if "individual" in text]


def test_payment_with_receipt_and_a_bank_line_with_the_reference(secretariat, tier):
    tier.annual_dues = Decimal("300")
    tier.save()
    member = register(secretariat, tier)
    item = member.dues_items.get()
    data = statement_xlsx([line("王信", 300, f"个人会费 {item.payment_reference}")])
    result = reconciliation.import_statement(profile=BankProfile.objects.get(name="中国建设银行"),
                                             upload=SimpleUploadedFile("a.xlsx", data), user=secretariat)
    bank_line = result.statement.lines.get()
    assert (bank_line.match, bank_line.individual) == ("exact", member)
    [payment] = reconciliation.confirm_line(line=bank_line, user=secretariat)
    assert payment.receipt_number.startswith("SJ-") and payment.receipt_file
    assert IndividualDuesItem.objects.get().status == "paid"


def test_withdraw_and_readmit(client_for, secretariat, tier):
    member = register(secretariat, tier)
    url = reverse("members_individuals:inspect", args=[member.pk])
    client = client_for(secretariat)
    client.post(url, {"action": "withdraw", "note": "本人申请退会"})
    member.refresh_from_db()
    assert member.status == "withdrawn" and member.ended_on is not None
    client.post(url, {"action": "readmit"})
    assert IndividualMember.objects.get().status == "active"


def test_receipt_numbers_shared_with_units(secretariat, tier, member_a):
    from members import domain

    tier.annual_dues = Decimal("300")
    tier.save()
    unit_item = member_a.dues_items.get()
    unit = domain.record_payment(dues_item=unit_item, user=secretariat, amount=100, paid_on=unit_item.due_on,
                                 method="bank")
    person = individuals.record_individual_payment(item=register(secretariat, tier).dues_items.get(), user=secretariat,
                                                   amount=100, paid_on=unit_item.due_on, method="cash")
    assert int(person.receipt_number[-5:]) == int(unit.receipt_number[-5:]) + 1


def test_the_person_sees_and_can_erase_their_contact_details(secretariat, tier, make_user):
    from portal.privacy.hooks import anonymise_personal_data, personal_data_sections

    person = make_user(email="wangxin@example.com")
    member = register(secretariat, tier, email="WangXin@example.com", phone="13800000000")
    [section] = [s for s in personal_data_sections(person) if s["title"] == "您的个人会员资格"]
    assert section["items"][0]["会员编号"] == member.member_number
    anonymise_personal_data(person, "ZX1")
    member.refresh_from_db()
    assert (member.name, member.phone, member.email) == ("王信", "", "")
