"""The city monthly report (五(二): 督查组依据申报的相关资料形成工程质量安全月报，上报市政府办公厅
及建设工程分管领导), compiled from the counties' filings of `cq-monthly`: one row per unit that
owes the month's report (filed or not), the totals of what was filed, and who has not filed.
As xlsx and as PDF (the kernel's Noto CJK font helper)."""

from __future__ import annotations

import io

from kmgov.procedures import filing_selectors as fsel
from kmgov.procedures.filing_services import slots_open
from kmgov.procedures.filings import Period, PeriodKind
from kmgov.procedures.models import FilingSlot

from .models import DOC, MONTHLY, SUPERVISING_UNITS, MonthlyReport, ReportState

COUNTS = (("projects_started", "新开工项目（个）"), ("problems_found", "发现质量安全问题（个）"),
          ("problems_handled", "已处理问题（个）"))
FILED_STATES = (ReportState.SUBMITTED, ReportState.RECEIVED)


def _lines(text: str) -> list[str]:
    return [x for x in (text or "").splitlines() if x.strip()]


def _compile(slots, period: Period) -> dict:
    # In the gazette's order of the counties and zones (五华, 盘龙 … 度假区), not by code.
    order = {code: i for i, code in enumerate(SUPERVISING_UNITS)}
    slots = sorted(slots, key=lambda s: (order.get(s.org.code, len(order)), s.org.path))
    refs = [s.case_reference for s in slots if s.filed_at and s.case_reference]
    reports = {r.reference: r for r in MonthlyReport.objects.filter(
        reference__in=refs, state__in=FILED_STATES)}
    rows, not_filed = [], []
    totals = {k: 0 for k, _ in COUNTS}
    for s in slots:
        county = s.org.parent.name if s.org.parent_id else s.org.name
        r = reports.get(s.case_reference) if s.filed_at else None
        row = {"org": s.org.code, "county": county, "unit": s.org.name, "filed": r is not None,
               "late": bool(s.late), "reference": r.reference if r else "",
               "filed_at": s.filed_at.isoformat() if r else None}
        if r is None:
            not_filed.append(county)
            row.update({k: None for k, _ in COUNTS}, problems=[], actions=[])
        else:
            for k, _ in COUNTS:
                row[k] = int(getattr(r, k) or 0)
                totals[k] += row[k]
            row.update(problems=_lines(r.problems), actions=_lines(r.actions),
                       new_projects=_lines(r.new_projects))
        rows.append(row)
    return {"period": period.key, "period_label": period.label(), "rows": rows, "totals": totals,
            "units": len(rows), "filed": sum(1 for r in rows if r["filed"]),
            "not_filed": not_filed, "citation": f"{DOC} 附件 五(二)"}


def city_report_compile(period_key: str) -> dict:
    """The whole city's report of a month (the inspection group's step `submit`): every unit
    that owes the month's filing; the register is opened first (idempotent)."""
    period = Period.parse(period_key, PeriodKind.MONTH)
    slots_open(MONTHLY.code, period.key)
    slots = (FilingSlot.objects.filter(obligation=MONTHLY.code, period=period.key)
             .select_related("org", "org__parent").order_by("org__path"))
    return _compile(slots, period)


def city_report(user, period_key: str) -> dict:
    """The same report as the reader may see it (a county sees its own row only)."""
    period = Period.parse(period_key, PeriodKind.MONTH)
    slots = fsel.slots_visible(user, obligation_code=MONTHLY.code, period=period.key)
    return _compile(slots.select_related("org__parent"), period)


def _headers() -> list[str]:
    return ["县（市、区）", "申报单位", "是否申报", *[label for _, label in COUNTS],
            "质量安全问题", "处理措施", "月报编号"]


def _line(row: dict) -> list:
    filed = ("已申报（逾期）" if row["late"] else "已申报") if row["filed"] else "未申报"
    return [row["county"], row["unit"], filed, *[row[k] if row[k] is not None else "—"
                                                  for k, _ in COUNTS],
            "；".join(row.get("problems") or []) or "—", "；".join(row.get("actions") or []) or "—",
            row["reference"] or "—"]


def report_xlsx(report: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "全市月报"
    ws.append([f"昆明市建设工程质量安全月报（{report['period_label']}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"应申报{report['units']}个单位，已申报{report['filed']}个，"
               f"未申报{len(report['not_filed'])}个"])
    ws.append(_headers())
    for row in report["rows"]:
        ws.append(_line(row))
    ws.append(["合计", "", f"{report['filed']}/{report['units']}",
               *[report["totals"][k] for k, _ in COUNTS], "", "", ""])
    ws.append(["未申报单位", "、".join(report["not_filed"]) or "无"])
    ws.append([f"依据：{report['citation']}"])
    for col, width in zip("ABCDEFGHI", (14, 26, 14, 14, 18, 14, 40, 40, 18), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_pdf(report: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from kmgov.procedures.tableforms import register_cjk_font

    title = f"昆明市建设工程质量安全月报（{report['period_label']}）"
    summary = (f"应申报{report['units']}个单位，已申报{report['filed']}个，"
               f"未申报{len(report['not_filed'])}个。")
    missing = f"未申报单位：{'、'.join(report['not_filed']) or '无'}"
    lines = [_line(r) for r in report["rows"]]
    total = ["合计", "", f"{report['filed']}/{report['units']}",
             *[str(report["totals"][k]) for k, _ in COUNTS], "", "", ""]
    texts = [title, summary, missing, *_headers(), *(str(x) for line in lines for x in line),
             *total, f"依据：{report['citation']}"]
    font = register_cjk_font("".join(texts))
    h1 = ParagraphStyle("t", fontName=font, fontSize=15, leading=20, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    small = ParagraphStyle("s", fontName=font, fontSize=9, leading=12)

    def p(text, style=body):
        return Paragraph(str(text).replace("&", "&amp;").replace("<", "&lt;"), style)

    table = [[p(h) for h in _headers()]] + [[p(x) for x in line] for line in lines]
    table.append([p(x) for x in total])
    widths = [22 * mm, 40 * mm, 20 * mm, 20 * mm, 24 * mm, 20 * mm, 55 * mm, 45 * mm, 26 * mm]
    story = [p(title, h1), Spacer(1, 3 * mm), p(summary, small), Spacer(1, 2 * mm),
             Table(table, colWidths=widths, repeatRows=1, style=TableStyle([
                 ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])),
             Spacer(1, 3 * mm), p(missing, small), p(f"依据：{report['citation']}", small)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4), title=title, leftMargin=12 * mm,
                      rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm).build(story)
    return buf.getvalue()
