"""The 两卡一书 of 109号 二(四) as printable PDFs filled from the register: 地质灾害防治工作明白卡
(per point), 地质灾害避险卡 (per household) and 地质灾害隐患点通知书 (per point). They embed the Noto
CJK subset of the kernel's table forms (`procedures.tableforms.register_cjk_font`)."""

from __future__ import annotations

import datetime as dt
import io

from kmgov.procedures.tableforms import register_cjk_font

from .models import DOC

KINDS = {
    "understanding": "地质灾害防治工作明白卡",
    "refuge": "地质灾害避险卡",
    "notice": "地质灾害隐患点通知书",
}


def _rows(point, kind: str, household: dict | None) -> list[tuple[str, str]]:
    monitors = "；".join(f"{m.get('name', '')} {m.get('phone', '')}" for m in point.monitors) or "（未落实）"
    place = f"{point.org.county_level().name if point.org.county_level() else ''}{'' if point.org.county_level() == point.org else point.org.name}{point.location}"
    base = [
        ("隐患点名称", f"{point.name}（编号 {point.code}）"),
        ("位置", place),
        ("灾害类型及规模", f"{point.get_hazard_type_display()}，{point.get_scale_display()}"),
    ]
    warn = [
        ("监测人及电话", monitors),
        ("报警人及信号", f"{point.alarm_person or '（未落实）'}；信号：{point.alarm_signal or '（未落实）'}"),
        ("转移路线", point.evacuation_route or "（未落实）"),
        ("转移地点", point.evacuation_place or "（未落实）"),
        ("避险场地", point.refuge or "（未落实）"),
    ]
    chain = [
        ("包乡县级领导", f"{point.county_leader} {point.county_leader_phone}".strip() or "（未落实）"),
        ("包村乡镇干部", f"{point.township_leader} {point.township_leader_phone}".strip() or "（未落实）"),
        ("包组村干部", f"{point.village_cadre} {point.village_cadre_phone}".strip() or "（未落实）"),
    ]
    threat = [("威胁对象", f"{point.threatened_households}户 {point.threatened_people}人；"
                         f"财产约{point.threatened_property}万元；{point.threatened_objects}")]
    if kind == "understanding":
        return base + threat + warn + chain
    if kind == "refuge":
        h = household or {}
        return (base + [("户主姓名", h.get("head", "")), ("家庭人数", str(h.get("members", "") or "")),
                        ("住址", h.get("address", "") or point.location)] + warn
                + [("本户撤离联系人", f"{point.village_cadre} {point.village_cadre_phone}".strip())])
    return base + threat + warn + chain


def _notice_text(point) -> str:
    return (f"经排查，{point.location or point.org.name}存在{point.get_hazard_type_display()}地质灾害隐患"
            f"（{point.get_scale_display()}），威胁{point.threatened_households}户{point.threatened_people}人。"
            "请受威胁群众熟悉报警信号和转移路线，汛期特别是强降雨期间注意观察，发现裂缝、"
            "异响、泉水变浑等前兆立即报告监测人并按路线撤离至避险场地。")


def render(point, kind: str, *, household: dict | None = None, on: dt.date | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    title = KINDS[kind]
    rows = _rows(point, kind, household)
    issuer = f"{point.org.county_level().name if point.org.county_level() else ''}人民政府"
    day = on or dt.date.today()
    foot = f"发放单位：{issuer}（盖章）    发放日期：{day.year}年{day.month}月{day.day}日"
    cite = f"依据：{DOC} 二(四)“及时填写和发放‘两卡一书’”、三(一)“四包三落实”"
    texts = [title, foot, cite, *(a + b for a, b in rows)]
    if kind == "notice":
        texts.append(_notice_text(point))
    font = register_cjk_font("".join(texts) + "隐患点通知书：")
    ts = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    small = ParagraphStyle("s", fontName=font, fontSize=8.5, leading=11, alignment=1)

    def p(text, style=body):
        return Paragraph(str(text or "").replace("&", "&amp;").replace("<", "&lt;"), style)

    story = [p(title, ts), Spacer(1, 5 * mm)]
    if kind == "notice":
        story += [p(_notice_text(point)), Spacer(1, 4 * mm)]
    table = Table([[p(a), p(b)] for a, b in rows], colWidths=[40 * mm, 135 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2"))]))
    story += [table, Spacer(1, 6 * mm), p(foot), Spacer(1, 3 * mm), p(cite, small)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=title, leftMargin=17 * mm, rightMargin=17 * mm,
                      topMargin=18 * mm, bottomMargin=15 * mm).build(story)
    return buf.getvalue()
