"""A member that takes part in no association activity for a year is treated as having left (L1458, #13.7).

Same reminders, recorded lapse and reinstatement as the dues lapse. Activity is any recorded
participation: attended events (portal.services) and what the secretariat records by hand.
"""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from members import domain
from members.models import ActivityRecord, InactivityReminder, Membership, MembershipEvent

JOINED = datetime.date(2026, 3, 2)  # member_a joins on this day
LAPSE_ON = JOINED + datetime.timedelta(days=365)  # a year without activity: lapses the day after


def run_jobs(day: datetime.date, *extra) -> str:
    out = StringIO()
    call_command("run_due_jobs", *extra, today=day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def paid_up(member_a, secretariat):
    """member_a pays its 2026 dues, so only the activity rule applies (2027's would lapse in 2028)."""
    domain.record_payment(dues_item=member_a.dues_items.get(), user=secretariat, amount=Decimal("7000"),
                          paid_on=datetime.date(2026, 4, 1), method="bank")
    return member_a


def test_a_year_without_activity_lapses_after_two_reminders(paid_up, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs(LAPSE_ON - datetime.timedelta(days=61))
        assert not InactivityReminder.objects.exists()
        run_jobs(LAPSE_ON - datetime.timedelta(days=60))
        run_jobs(LAPSE_ON - datetime.timedelta(days=59))
        run_jobs(LAPSE_ON - datetime.timedelta(days=30))
        output = run_jobs(LAPSE_ON)
    assert sorted(InactivityReminder.objects.values_list("days_before_lapse", flat=True)) == [30, 60]
    assert len([m for m in mailoutbox if "活动" in m.subject]) == 2
    assert Membership.objects.get(pk=paid_up.pk).status == "active"  # exactly a year: not yet
    output = run_jobs(LAPSE_ON + datetime.timedelta(days=1))
    membership = Membership.objects.get(pk=paid_up.pk)
    assert membership.status == "lapsed"
    assert "1 membership(s) without activity" in output
    event = membership.events.get(kind=MembershipEvent.Kind.LAPSED_INACTIVE)
    assert (event.from_status, event.to_status, event.on) == ("active", "lapsed", LAPSE_ON + datetime.timedelta(days=1))
    run_jobs(LAPSE_ON + datetime.timedelta(days=2))
    assert membership.events.filter(kind__startswith="lapsed").count() == 1  # once; nothing deleted


def test_activity_recorded_by_hand_keeps_the_member(paid_up, secretariat, client_for):
    ActivityRecord.objects.create(organisation=paid_up.organisation, on=datetime.date(2026, 9, 1),
                                  kind=ActivityRecord.Kind.MEETING, title="会员大会", recorded_by=secretariat)
    run_jobs(LAPSE_ON + datetime.timedelta(days=1))
    assert Membership.objects.get(pk=paid_up.pk).status == "active"
    run_jobs(datetime.date(2027, 9, 3))  # a year and a day after that meeting
    assert Membership.objects.get(pk=paid_up.pk).status == "lapsed"


def test_attended_event_keeps_the_member_but_a_registration_alone_does_not(paid_up, firm_a_user):
    from portal.services.models import Event, EventRegistration

    def event(day):
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        return Event.objects.create(title="信用管理培训", starts_at=starts, ends_at=starts + datetime.timedelta(hours=3),
                                    place="杭州", registration_deadline=starts, is_published=True)

    EventRegistration.objects.create(event=event(datetime.date(2026, 10, 10)), organisation=paid_up.organisation,
                                     registered_by=firm_a_user, attended=False)
    run_jobs(LAPSE_ON + datetime.timedelta(days=1))
    assert Membership.objects.get(pk=paid_up.pk).status == "lapsed"  # registered, never came
    Membership.objects.filter(pk=paid_up.pk).update(status="active")
    EventRegistration.objects.update(attended=True)
    run_jobs(LAPSE_ON + datetime.timedelta(days=2))
    assert Membership.objects.get(pk=paid_up.pk).status == "active"


def test_inactivity_lapse_is_reversed_by_reinstatement_and_the_year_restarts(paid_up, secretariat):
    run_jobs(LAPSE_ON + datetime.timedelta(days=1))
    reinstated_on = LAPSE_ON + datetime.timedelta(days=10)
    domain.reinstate_membership(membership=paid_up, user=secretariat, note="已参加活动", today=reinstated_on)
    membership = Membership.objects.get(pk=paid_up.pk)
    assert membership.status == "active"
    run_jobs(reinstated_on + datetime.timedelta(days=250))  # more than a year after joining, not after reinstatement
    assert Membership.objects.get(pk=paid_up.pk).status == "active"
    assert [e.kind for e in membership.events.all()] == ["joined", "lapsed_inactive", "reinstated"]


def test_dry_run_reports_but_changes_nothing(paid_up):
    output = run_jobs(LAPSE_ON + datetime.timedelta(days=1), "--dry-run")
    assert "would lapse 1 membership(s) without activity" in output
    assert Membership.objects.get(pk=paid_up.pk).status == "active"


def test_secretariat_records_an_activity_in_the_admin(client_for, member_a, secretariat, council):
    from django.urls import reverse

    from .conftest import admin_denied

    url = reverse("members_activity:add")
    data = {"organisation": member_a.organisation_id, "on": "2026-09-01", "kind": "meeting", "title": "会员大会",
            "note": ""}
    assert admin_denied(client_for(council).post(url, data))
    assert not ActivityRecord.objects.exists()
    assert client_for(secretariat).post(url, data).status_code == 302
    record = ActivityRecord.objects.get()
    assert (record.recorded_by, record.title) == (secretariat, "会员大会")
    watch = client_for(council).get(reverse("members_admin:inactive")).content.decode()
    assert member_a.member_number in watch and "2026-09-01" in watch and "2027-09-01" in watch
