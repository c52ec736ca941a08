"""The secretariat lands on what waits for it (issue #14.10): unit claims to verify and payments to confirm, from
the tables and the bank lines; other roles never see these lists."""

from django.urls import reverse

from members.domain import reconciliation
from members.models import BankProfile, StatementLine
from tests.showcase.test_worklists import _panel, _rows

from .statements import line, statement_xlsx
from .test_reconciliation import upload
from .test_teams_and_claims import registered  # noqa: F401 (fixture)


def test_secretariat_lands_on_the_unit_claims_to_verify(client_for, secretariat, council, registered):  # noqa: F811
    from portal.organisations.models import OrganisationClaim

    user, organisation = registered
    claim = OrganisationClaim.objects.get()
    client = client_for(secretariat)
    section = _panel(client.get("/admin/").content.decode(), "待核验的单位认领")
    assert [row.split()[0] for row in _rows(section)] == [organisation.name]
    assert reverse("organisation_claims:inspect", args=[claim.pk]) in section
    assert "待核验的单位认领" not in client_for(council).get("/admin/").content.decode()
    client.post(reverse("organisation_claims:inspect", args=[claim.pk]), {"action": "verify"})
    assert _rows(_panel(client.get("/admin/").content.decode(), "待核验的单位认领")) == []


def test_secretariat_lands_on_the_payments_to_confirm(client_for, secretariat, council, member_a, editor):
    item = member_a.dues_items.get()
    result = reconciliation.import_statement(
        profile=BankProfile.objects.get(name="中国建设银行"), user=secretariat, upload=upload(statement_xlsx([
            line("甲信用科技有限公司", 7000, f"会费 {item.payment_reference}"),
            line("杭州某培训学员", 800, "信用管理培训费", serial="X2")])))
    proposed = result.statement.lines.get(status=StatementLine.Status.PROPOSED)
    body = client_for(secretariat).get("/admin/").content.decode()
    rows = _rows(_panel(body, "有匹配建议的银行流水"))
    assert len(rows) == 1 and rows[0].startswith("甲信用科技有限公司") and "7,000 元" in rows[0]
    assert reverse("members_bank_lines:inspect", args=[proposed.pk]) in body
    assert [r.split()[0] for r in _rows(_panel(body, "待处理的银行流水"))] == ["杭州某培训学员"]
    assert reverse("members_bank_lines:reconcile") in body
    for other in (council, editor):
        assert "有匹配建议的银行流水" not in client_for(other).get("/admin/").content.decode()
