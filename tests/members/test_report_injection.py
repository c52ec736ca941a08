"""Issue #12.7: names typed into the admin never become live formulas in the members reports."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from members.models import MembershipTier

URL = reverse("members_admin:reports")
ATTACK = "=1+cmd|' /C calc'!A0"


def test_member_reports_defuse_formula_like_names(client_for, member_a, secretariat):
    MembershipTier.objects.filter(pk=member_a.tier_id).update(name=ATTACK)
    client = client_for(secretariat)
    book = load_workbook(io.BytesIO(client.get(URL, {"export": "xlsx"}).content))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert book["会费"]["B2"].value == ATTACK
    dues_csv = client.get(URL, {"export": "dues.csv"}).content.decode("utf-8-sig")
    assert f",'{ATTACK}," in dues_csv
