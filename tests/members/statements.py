"""Bank statement files as banks export them, for the reconciliation tests (and the browser journey)."""

from __future__ import annotations

import csv
import datetime
import io

# 中国建设银行's export: title rows, then this header; outgoing and incoming in one sheet.
CCB_HEADER = ["交易时间", "借方发生额（支取）", "贷方发生额（收入）", "余额", "币种", "对方户名", "对方账号",
              "对方开户机构", "记账日期", "摘要", "备注", "账户明细编号-交易流水号"]


def line(payer: str, amount, note: str = "", *, day: datetime.date | None = None, serial: str = "",
         account: str = "", debit="") -> dict:
    return {"payer": payer, "amount": amount, "note": note, "day": day or datetime.date(2026, 3, 10),
            "serial": serial, "account": account, "debit": debit}


def ccb_rows(lines: list[dict], *, title: bool = True, totals: bool = True) -> list[list]:
    rows = []
    if title:
        rows += [["中国建设银行单位账户交易明细"], ["账号：33050161000000001234", "", "户名：浙江省信用协会"],
                 ["起止日期：2026-03-01 至 2026-03-31"], []]
    rows.append(CCB_HEADER)
    for item in lines:
        day = item["day"]
        account = item["account"] or "6222" + str(sum(ord(c) for c in item["payer"])).zfill(12)  # the payer's own
        rows.append([f"{day:%Y-%m-%d} 10:30:00", item["debit"], item["amount"], "", "人民币",
                     item["payer"], account, "中国建设银行杭州分行",
                     f"{day:%Y%m%d}", "转账存入", item["note"], item["serial"]])
    if totals:
        total = sum(float(str(i["amount"]).replace(",", "").replace("￥", "") or 0)
                    for i in lines if i["amount"] not in ("", None) and str(i["amount"])[0].isdigit())
        rows.append(["合计", "", total, "", "", "", "", "", "", "", "", ""])
    return rows


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "交易明细"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def statement_xlsx(lines: list[dict], **kwargs) -> bytes:
    return xlsx_bytes(ccb_rows(lines, **kwargs))
