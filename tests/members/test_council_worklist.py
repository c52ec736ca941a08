"""The council lands on the membership applications awaiting its resolution (issue #14.10), from the table."""

from django.urls import reverse

from tests.showcase.test_worklists import _panel, _rows

from .conftest import admit


def test_council_lands_on_applications_awaiting_its_resolution(client_for, council, submitted_application, firm_a,
                                                              editor):
    client = client_for(council)
    section = _panel(client.get("/admin/").content.decode(), "待理事会审批的入会申请")
    rows = _rows(section)
    assert len(rows) == 1 and rows[0].startswith(firm_a.name) and "理事单位" in rows[0]
    assert reverse("members_applications:inspect", args=[submitted_application.pk]) in section
    admit(submitted_application, council)
    assert _rows(_panel(client.get("/admin/").content.decode(), "待理事会审批的入会申请")) == []
    assert "待理事会审批的入会申请" not in client_for(editor).get("/admin/").content.decode()
