"""The timber transport certificate (木材运输证明, 61号 五(五)) as a PDF: reportlab with its
built-in Chinese CID font (as the headquarters' card), so no font file is needed."""

from __future__ import annotations

import io

from kmgov.core.calendar import local

from .models import DOC


def render(cert) -> bytes:
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    project = cert.project
    size = landscape(A5)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    c.setTitle(f"木材运输证明 {cert.number}")
    w, h = size
    c.setLineWidth(1.5)
    c.rect(10 * mm, 10 * mm, w - 20 * mm, h - 20 * mm)
    c.setFont(font, 18)
    c.drawCentredString(w / 2, h - 26 * mm, "中低产林改造木材运输证明")
    c.setFont(font, 11)
    plan = {True: "纳入年度木材生产计划", False: "只纳入采伐限额管理，不纳入年度木材生产计划",
            None: "未登记间伐"}[cert.in_timber_plan]
    rows = [
        ("证明编号", cert.number),
        ("改造项目", f"{project.reference} {project.holder_name}"),
        ("改造面积", f"{project.area_mu}亩（{project.get_method_display()}）"),
        ("树种", cert.species),
        ("木材数量", f"{cert.volume_m3}立方米"),
        ("运往地点", cert.destination),
        ("运输车辆", cert.vehicle or "—"),
        ("计划管理", plan),
        ("公示", f"{project.notice_from:%Y年%m月%d日}起{project.notice_days}天，{project.notice_place}"
         if project.notice_from else "—"),
        ("出具", f"{cert.issued_by.first_name or cert.issued_by.username} "
                 f"{local(cert.issued_at):%Y年%m月%d日}"),
    ]
    y = h - 40 * mm
    for label, value in rows:
        c.drawString(22 * mm, y, f"{label}：{value}")
        y -= 7.5 * mm
    c.setFont(font, 8)
    c.drawString(22 * mm, 16 * mm, f"依据：{DOC} 五(五)（凭乡（镇）林业站证明，由县级林业行政主管部门"
                                    "办理运输手续）、五(七)")
    c.showPage()
    c.save()
    return buf.getvalue()
