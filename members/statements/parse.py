"""Reading a bank's statement export (xlsx or csv) into incoming lines, or refusing it with a message.

Chinese banks' exports differ: the encoding (UTF-8 with or without BOM, GB18030 from Excel on Chinese
Windows), title rows above the header (account, period, "交易明细"), the columns' names (交易日期 or
记账日期, 对方户名 or 对方账户名称, 贷方发生额, 贷方金额 or 收入金额, 摘要/附言/用途), amounts written as
"￥1,000.00" or with full-width digits, totals rows at the end, and outgoing lines in the same sheet.
`parse_statement` handles all of them with the column names of the chosen `BankProfile`; anything it
cannot read is a `StatementError` naming the row (as Excel numbers it) and the column, and the whole
file is refused: nothing is imported from a file with an error.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from portal.core.workflow import WorkflowError

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 100_000
_BRACKETED = re.compile(r"[（(\[【].*?[)）\]】]")
_SPACES = re.compile(r"\s+")
_TOTAL_WORDS = ("合计", "总计", "小计", "本页", "累计")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


class StatementError(WorkflowError):
    """The file cannot be imported; the message says why and where (shown to the secretariat as is)."""


@dataclass
class ColumnMap:
    """The names each column may go by (first found wins); `note` lists every column read into the note."""

    date: list[str]
    payer_name: list[str]
    amount: list[str]
    note: list[str]
    payer_account: list[str] = field(default_factory=list)
    serial: list[str] = field(default_factory=list)
    signed_amount: bool = False


@dataclass
class ParsedLine:
    row: int  # as the spreadsheet numbers it (1 = first row of the file)
    booked_on: datetime.date
    amount: Decimal
    payer_name: str
    payer_account: str
    note: str
    serial: str
    fingerprint: str = ""


@dataclass
class ParsedStatement:
    lines: list[ParsedLine]
    header_row: int
    other_rows: int  # outgoing lines, totals, empty amounts

    @property
    def first_date(self):
        return min((line.booked_on for line in self.lines), default=None)

    @property
    def last_date(self):
        return max((line.booked_on for line in self.lines), default=None)


# ----------------------------------------------------------------------------------------- reading


def read_rows(data: bytes, file_name: str) -> list[list]:
    """The file's rows as lists of cell values (xlsx: typed values; csv: text)."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension == "xlsx":
        return _xlsx_rows(data)
    if extension in ("csv", "txt"):
        return _csv_rows(decode(data))
    if extension == "xls":
        raise StatementError(_("Old Excel files (.xls) cannot be read: open the file in Excel and save it as .xlsx "
                               "or .csv."))
    raise StatementError(_("Upload the statement as an .xlsx or .csv file."))


def decode(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; otherwise refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementError(_("The file's encoding was not recognised: it is neither UTF-8 nor GB18030. Save it from "
                           "Excel as “CSV UTF-8” or as .xlsx and upload it again."))


def _csv_rows(text: str) -> list[list]:
    if "\x00" in text:
        raise StatementError(_("The file's encoding was not recognised: it is neither UTF-8 nor GB18030. Save it "
                               "from Excel as “CSV UTF-8” or as .xlsx and upload it again."))
    sample = text[:8192]
    delimiter = max(",\t;", key=sample.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise StatementError(_("The CSV file is malformed: %(error)s.") % {"error": exc}) from exc
    if len(rows) > MAX_ROWS:
        raise StatementError(_("The file has more than %(n)s rows: split it by period.") % {"n": MAX_ROWS})
    return rows


def _xlsx_rows(data: bytes) -> list[list]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise StatementError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS:
                raise StatementError(_("The file has more than %(n)s rows: split it by period.") % {"n": MAX_ROWS})
        return rows
    finally:
        book.close()


# ----------------------------------------------------------------------------------------- cells


def cell_text(value, *, fold: bool = True) -> str:
    """A cell as text on one line, Excel's ="…" text wrapper removed; full-width forms folded (NFKC) unless
    `fold` is false (names and notes are kept as the bank wrote them; matching folds them itself)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if fold:
        text = unicodedata.normalize("NFKC", text)
    if text.startswith(('="', '＝"')) and text.endswith('"'):
        text = text[2:-1]
    text = text.strip("\t '")
    return _SPACES.sub(" ", text)


def header_key(value) -> str:
    """A header cell as compared with a column's names: no spaces, no bracketed suffix."""
    return _BRACKETED.sub("", _SPACES.sub("", cell_text(value)))


def parse_amount(value) -> Decimal | None:
    """An amount in yuan as Decimal (None for an empty cell); "￥1,000.00", "１０００", 1000.0 are all 1000.00."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = cell_text(value)
        for noise in ("¥", "￥", "元", "RMB", "CNY", ",", " "):
            text = text.replace(noise, "")
        if text in ("", "-", "--"):
            return None
        negative = text.startswith("(") and text.endswith(")")
        if negative:
            text = text[1:-1]
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(value) from exc
        if negative:
            amount = -amount
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or abs(amount) >= Decimal("1e10"):
        raise ValueError(value)
    return amount.quantize(Decimal("0.01"))


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    head = re.split(r"[ T]", text, maxsplit=1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


# ----------------------------------------------------------------------------------------- the header


def find_header(rows: list[list], columns: ColumnMap) -> tuple[int, dict[str, int], dict[str, list[int]]]:
    """(index of the header row, {column: index}, {"note": [indexes]}) or a StatementError naming what is missing."""
    wanted = {"date": columns.date, "payer_name": columns.payer_name, "amount": columns.amount}
    best = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(c) for c in row]
        found = {name: _first(keys, aliases) for name, aliases in wanted.items()}
        score = sum(v is not None for v in found.values())
        if score and (best is None or score > best[0]):
            best = (score, index, keys, found)
        if score == len(wanted):
            break
    if best is None:
        raise StatementError(
            _("No header row was found in the first %(n)s rows (looked for “%(date)s” and “%(amount)s”). Is this the "
              "bank's statement export, saved as UTF-8 or GB18030, and is the right bank chosen?")
            % {"n": HEADER_SEARCH_ROWS, "date": "/".join(columns.date), "amount": "/".join(columns.amount)})
    _score, index, keys, found = best
    labels = {"date": _("date"), "payer_name": _("payer name"), "amount": _("incoming amount")}
    missing = [name for name, position in found.items() if position is None]
    note_keys = {header_key(alias) for alias in columns.note}
    notes = [i for i, key in enumerate(keys) if key in note_keys]
    if not notes:
        missing.append("note")
        labels["note"] = _("note")
        wanted["note"] = columns.note
    if missing:
        name = missing[0]
        raise StatementError(
            _("Row %(row)s is the header, but it has no %(what)s column (looked for: %(names)s). Its columns are: "
              "%(columns)s. Add the bank's name for it to the bank statement format.")
            % {"row": index + 1, "what": labels[name], "names": "、".join(wanted[name]),
               "columns": "、".join(k for k in keys if k)})
    found["payer_account"] = _first(keys, columns.payer_account)
    found["serial"] = _first(keys, columns.serial)
    return index, found, {"note": notes}


def _first(keys: list[str], aliases: list[str]) -> int | None:
    for alias in aliases:
        key = header_key(alias)
        if key in keys:
            return keys.index(key)
    return None


# ----------------------------------------------------------------------------------------- the file


def _is_total_row(row, positions) -> bool:
    text = "".join(cell_text(v) for v in row[: (positions["date"] + 2)])
    return any(word in text for word in _TOTAL_WORDS)


def parse_statement(data: bytes, file_name: str, columns: ColumnMap, *, account: str = "") -> ParsedStatement:
    """Every incoming line of the file, each with its fingerprint; a StatementError for the first bad row."""
    rows = read_rows(data, file_name)
    header, positions, extra = find_header(rows, columns)
    column_names = {name: str(rows[header][i]).strip() for name, i in positions.items() if i is not None}
    lines, other = [], 0
    for index in range(header + 1, len(rows)):
        row = rows[index]
        number = index + 1
        if not any(cell_text(v) for v in row):
            continue

        def cell(name, row=row):
            position = positions.get(name)
            return row[position] if position is not None and position < len(row) else None

        try:
            amount = parse_amount(cell("amount"))
        except ValueError:
            if _is_total_row(row, positions):
                other += 1
                continue
            raise StatementError(_("Row %(row)s: the amount “%(value)s” in column “%(column)s” is not an amount of "
                                   "money.") % {"row": number, "value": cell_text(cell("amount")),
                                                "column": column_names["amount"]}) from None
        if amount is None or amount == 0 or (amount < 0 and columns.signed_amount):
            other += 1  # outgoing, or nothing
            continue
        if amount < 0:
            raise StatementError(_("Row %(row)s: the incoming amount “%(value)s” in column “%(column)s” is negative.")
                                 % {"row": number, "value": cell_text(cell("amount")),
                                    "column": column_names["amount"]})
        if _is_total_row(row, positions):
            other += 1
            continue
        try:
            booked_on = parse_date(cell("date"))
        except ValueError:
            raise StatementError(_("Row %(row)s: the date “%(value)s” in column “%(column)s” is not a date.")
                                 % {"row": number, "value": cell_text(cell("date")) or _("(empty)"),
                                    "column": column_names["date"]}) from None
        note = " ".join(t for t in (cell_text(row[i], fold=False) for i in extra["note"] if i < len(row)) if t)
        lines.append(ParsedLine(
            row=number, booked_on=booked_on, amount=amount, payer_name=cell_text(cell("payer_name"), fold=False)[:200],
            payer_account=cell_text(cell("payer_account"))[:60], note=note[:1000],
            serial=cell_text(cell("serial"))[:80],
        ))
    fingerprint_lines(lines, account=account)
    return ParsedStatement(lines=lines, header_row=header + 1, other_rows=other)


def fingerprint_lines(lines: list[ParsedLine], *, account: str = "") -> None:
    """A line's identity: our account, date, amount, payer, payer's account, note and bank serial, plus how many
    identical lines come before it in the same file (two equal transfers on one day are two lines, and a
    re-upload or an overlapping statement gives each the same fingerprint again)."""
    seen: Counter = Counter()
    for line in lines:
        key = "\x1f".join([account, line.booked_on.isoformat(), str(line.amount), line.payer_name,
                           line.payer_account, line.note, line.serial])
        occurrence = seen[key]
        seen[key] += 1
        line.fingerprint = hashlib.sha256(f"{key}\x1f{occurrence}".encode()).hexdigest()
