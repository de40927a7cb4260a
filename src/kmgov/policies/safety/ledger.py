"""The ledger of warnings as a spreadsheet (106号 SW-4): one row per warning."""

from __future__ import annotations

import io

LEDGER_COLUMNS = ("编号", "警示措施", "警示事由", "发出单位", "警示对象", "发出日期", "报送期限",
                  "报送日期", "逾期报送", "逾期督办次数", "状态", "办理结果", "来源")


def ledger_values(r: dict) -> list:
    return [r["reference"], r["level"], r["grounds"], r["issuer"], r["recipient"],
            r["issued_on"].isoformat() if r["issued_on"] else "",
            r["due_on"].isoformat() if r["due_on"] else "",
            r["answered_on"].isoformat() if r["answered_on"] else "",
            "是" if r["answer_late"] else "否", r["escalations"], r["state"], r["outcome"],
            r["source"]]


def ledger_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "安全生产警示台账"
    ws.append(list(LEDGER_COLUMNS))
    for r in rows:
        ws.append(ledger_values(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
