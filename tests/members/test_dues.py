import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from members import domain
from members.models import DuesItem, DuesReminder, Membership, MembershipEvent, Payment
from portal.core.workflow import WorkflowError

from .conftest import admin_denied

JOINED = datetime.date(2026, 3, 2)  # member_a joins on this day (fixture), dues year 2026 due that day


def run_jobs(day: datetime.date, *extra) -> str:
    out = StringIO()
    call_command("run_due_jobs", *extra, today=day.isoformat(), stdout=out)
    return out.getvalue()


def pay(item, user, amount, day=datetime.date(2026, 4, 1), method="bank"):
    return domain.record_payment(dues_item=item, user=user, amount=Decimal(amount), paid_on=day, method=method,
                                 reference="HX-001")


def test_partial_then_full_payment_in_admin_with_receipts(client_for, member_a, secretariat, firm_a_user):
    item = member_a.dues_items.get()
    url = reverse("members_memberships:inspect", args=[member_a.pk])
    client = client_for(secretariat)
    for amount in ("3000", "4000"):
        response = client.post(url, {"action": "payment", "pay-dues_item": item.pk, "pay-amount": amount,
                                     "pay-paid_on": "2026-04-01", "pay-method": "bank", "pay-reference": "工行"})
        assert response.status_code == 302
    item.refresh_from_db()
    assert item.paid == Decimal("7000") and item.is_paid
    receipts = list(Payment.objects.order_by("pk").values_list("receipt_number", flat=True))
    assert receipts == ["SJ-2026-00001", "SJ-2026-00002"]
    firm = client_for(firm_a_user)
    page = firm.get(reverse("members:membership")).content.decode()
    assert "收据 SJ-2026-00001" in page and "收据 SJ-2026-00002" in page
    receipt = firm.get(reverse("members:receipt", args=[Payment.objects.first().pk]))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    account = firm.get(reverse("account_home")).content.decode()
    assert "SJ-2026-00002" in account


def test_overpayment_refused(member_a, secretariat):
    item = member_a.dues_items.get()
    pay(item, secretariat, "5000")
    with pytest.raises(WorkflowError, match="超过"):
        pay(item, secretariat, "2000.01")
    item.refresh_from_db()
    assert item.paid == Decimal("5000")
    assert Payment.objects.count() == 1


def test_overpayment_in_admin_shows_error(client_for, member_a, secretariat):
    item = member_a.dues_items.get()
    url = reverse("members_memberships:inspect", args=[member_a.pk])
    response = client_for(secretariat).post(url, {"action": "payment", "pay-dues_item": item.pk, "pay-amount": "7001",
                                                  "pay-paid_on": "2026-04-01", "pay-method": "cash"}, follow=True)
    assert "不能多收" in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_zero_or_negative_payment_refused(member_a, secretariat, amount):
    with pytest.raises(WorkflowError):
        pay(member_a.dues_items.get(), secretariat, amount)


def test_payment_by_council_forbidden(client_for, member_a, council):
    item = member_a.dues_items.get()
    url = reverse("members_memberships:inspect", args=[member_a.pk])
    response = client_for(council).post(url, {"action": "payment", "pay-dues_item": item.pk, "pay-amount": "100",
                                              "pay-paid_on": "2026-04-01", "pay-method": "cash"})
    assert admin_denied(response)
    assert not Payment.objects.exists()


def test_receipt_of_other_firm_is_404(client_for, member_a, secretariat, make_member, firm_b, firm_b_user):
    make_member(firm_b, firm_b_user, tier="会员单位")
    payment = pay(member_a.dues_items.get(), secretariat, "100")
    assert client_for(firm_b_user).get(reverse("members:receipt", args=[payment.pk])).status_code == 404


def test_joining_year_prorated_when_configured(rules, make_member, firm_a, firm_a_user):
    rules.charge_joining_year_in_full = False
    rules.save()
    membership = make_member(firm_a, firm_a_user, joined=datetime.date(2026, 10, 15))
    item = membership.dues_items.get()
    assert item.amount == Decimal("1750")  # 7000 × 3/12 (October–December)


def test_dues_year_starting_in_july(rules, make_member, firm_a, firm_a_user):
    rules.dues_year_start_month = 7
    rules.save()
    membership = make_member(firm_a, firm_a_user, joined=datetime.date(2026, 3, 2))
    assert list(membership.dues_items.values_list("year", flat=True)) == [2025]  # 2025-07 … 2026-06
    run_jobs(datetime.date(2026, 7, 1))
    assert list(membership.dues_items.order_by("year").values_list("year", "due_on")) == [
        (2025, datetime.date(2026, 3, 2)), (2026, datetime.date(2026, 7, 1))]


def test_due_job_creates_next_years_items_once(member_a):
    run_jobs(datetime.date(2027, 1, 1))
    run_jobs(datetime.date(2027, 1, 2))
    assert list(member_a.dues_items.order_by("year").values_list("year", "amount")) == [
        (2026, Decimal("7000")), (2027, Decimal("7000"))]


def test_tier_change_applies_from_next_dues_year(client_for, member_a, secretariat, tiers):
    url = reverse("members_memberships:inspect", args=[member_a.pk])
    client_for(secretariat).post(url, {"action": "tier", "tier-tier": tiers["副会长单位"].pk})
    member_a.refresh_from_db()
    assert member_a.tier.name == "理事单位"
    assert member_a.next_tier.name == "副会长单位"
    run_jobs(datetime.date(2027, 1, 1))
    member_a.refresh_from_db()
    assert member_a.tier.name == "副会长单位" and member_a.next_tier is None
    assert list(member_a.dues_items.order_by("year").values_list("year", "tier__name", "amount")) == [
        (2026, "理事单位", Decimal("7000")), (2027, "副会长单位", Decimal("15000"))]


def test_reminders_sent_60_and_30_days_before_lapse_each_once(member_a, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    lapse_on = JOINED + datetime.timedelta(days=365)  # lapses the day after
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs(lapse_on - datetime.timedelta(days=61))
    assert not DuesReminder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs(lapse_on - datetime.timedelta(days=60))
        run_jobs(lapse_on - datetime.timedelta(days=59))
    assert list(DuesReminder.objects.values_list("days_before_lapse", flat=True)) == [60]
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs(lapse_on - datetime.timedelta(days=30))
        run_jobs(lapse_on - datetime.timedelta(days=10))
    item = member_a.dues_items.get(year=2026)
    assert sorted(item.reminders.values_list("days_before_lapse", flat=True)) == [30, 60]
    assert len([m for m in mailoutbox if "2026 年度会费尚未缴纳" in m.subject]) == 2


def test_no_reminder_when_paid(member_a, secretariat):
    pay(member_a.dues_items.get(), secretariat, "7000")
    run_jobs(JOINED + datetime.timedelta(days=320))
    assert not DuesReminder.objects.exists()


def test_lapse_a_year_and_a_day_after_unpaid_dues_and_member_leaves_directory(client, member_a):
    assert "甲信用科技有限公司" in client.get(reverse("members:directory")).content.decode()
    run_jobs(JOINED + datetime.timedelta(days=365))  # exactly a year: not yet
    member_a.refresh_from_db()
    assert member_a.status == "active"
    output = run_jobs(JOINED + datetime.timedelta(days=366))
    member_a.refresh_from_db()
    assert member_a.status == "lapsed"
    assert "lapsed 1 membership" in output
    event = member_a.events.get(kind=MembershipEvent.Kind.LAPSED)
    assert (event.from_status, event.to_status) == ("active", "lapsed")
    assert "甲信用科技有限公司" not in client.get(reverse("members:directory")).content.decode()
    # running again changes nothing; nothing was deleted
    run_jobs(JOINED + datetime.timedelta(days=367))
    assert member_a.events.filter(kind=MembershipEvent.Kind.LAPSED).count() == 1
    assert DuesItem.objects.filter(membership=member_a).count() == 2


def test_dry_run_changes_nothing(member_a):
    output = run_jobs(JOINED + datetime.timedelta(days=400), "--dry-run")
    member_a.refresh_from_db()
    assert member_a.status == "active"
    assert "would lapse 1 membership" in output
    assert member_a.dues_items.count() == 1


def test_reinstate_refused_with_arrears_then_allowed(client_for, make_member, firm_a, firm_a_user, secretariat):
    from django.utils import timezone

    joined = datetime.date(timezone.localdate().year - 1, 3, 2)  # last year's dues are arrears today
    membership = make_member(firm_a, firm_a_user, joined=joined)
    run_jobs(joined + datetime.timedelta(days=366))
    membership.refresh_from_db()
    assert membership.status == "lapsed"
    url = reverse("members_memberships:inspect", args=[membership.pk])
    client = client_for(secretariat)
    response = client.post(url, {"action": "reinstate", "re-note": ""}, follow=True)
    assert "欠费未缴" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "lapsed"
    pay(membership.dues_items.get(year=joined.year), secretariat, "7000",
        day=min(joined + datetime.timedelta(days=400), timezone.localdate()))
    response = client.post(url, {"action": "reinstate", "re-note": "已补缴欠费"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "active"
    assert list(membership.events.values_list("kind", flat=True)) == ["joined", "lapsed", "reinstated"]


def test_reinstate_by_council_forbidden(member_a, council):
    run_jobs(JOINED + datetime.timedelta(days=366))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        domain.reinstate_membership(membership=member_a, user=council)


def test_membership_page_other_roles(client_for, member_a, secretariat):
    assert client_for(secretariat).get(reverse("members:membership")).status_code == 403


def test_membership_of_expired_status_has_no_certificate(client_for, member_a, firm_a_user):
    Membership.objects.filter(pk=member_a.pk).update(status="lapsed")
    assert client_for(firm_a_user).get(reverse("members:certificate")).status_code == 404
