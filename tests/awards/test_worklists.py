"""The secretariat lands on the objections it has to investigate and the accepted units awaiting their notice
(issue #14.10); the objector's identity stays on the objection's page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from showcase.awards import domain
from tests.showcase.test_worklists import _panel, _rows


def test_secretariat_lands_on_open_objections(client_for, secretariat, firm_a, make_accepted, publish):
    notice = publish([make_accepted(firm_a)], timezone.now() - datetime.timedelta(hours=1))
    objection = domain.submit_objection(entry=notice.entries.get(), name="王建国", phone="13905710000",
                                        relationship="supplier", content="拖欠货款。")
    client = client_for(secretariat)
    section = _panel(client.get("/admin/").content.decode(), "待处理异议")
    assert [row.split()[:2] for row in _rows(section)] == [[objection.number, firm_a.name]]
    assert reverse("awards_admin:objection", args=[objection.pk]) in section
    domain.decide_objection(objection=objection, user=secretariat, outcome="dismissed", reason="不属实。")
    assert _rows(_panel(client.get("/admin/").content.decode(), "待处理异议")) == []


def test_secretariat_lands_on_accepted_units_awaiting_their_notice(client_for, secretariat, firm_a, make_accepted,
                                                                   agency):
    application = make_accepted(firm_a)
    section = _panel(client_for(secretariat).get("/admin/").content.decode(), "待发布公示的验收通过单位")
    assert _rows(section) == [f"{application.number} {firm_a.name}"]
    assert reverse("awards_admin:notice_create") in section
    assert "待处理异议" not in client_for(agency).get("/admin/").content.decode()
