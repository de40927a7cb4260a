"""The yearly report (附件2 三2: 每年……发布《昆明市楼宇经济发展指数评价年度报告》) as a PDF:
the index and ranks, the subsystem scores, the rank stability, the method, the discrepancies
of the annex, with the charts. The Noto CJK font is embedded as a subset by the printed
forms' helper (`procedures.tableforms.register_cjk_font`)."""

from __future__ import annotations

import io

from kmgov.procedures.tableforms import register_cjk_font
from kmgov.rules.composite import AGGREGATION_LABELS, IMPUTATION_LABELS, NORMALISATION_LABELS

from . import charts
from .models import DOC


def _fmt(v, digits=2):
    return "—" if v is None else f"{v:.{digits}f}"


def spec_lines(spec: dict, level_names=("领域", "子系统", "指数")) -> list[str]:
    """The specification in plain Chinese (no internal names)."""
    lines = [f"缺失值：{IMPUTATION_LABELS.get(spec.get('imputation'), '')}",
             "异常值：" + ("偏度绝对值超过{skew_threshold}且峰度超过{kurtosis_threshold}的指标先缩尾（至多{winsor_max}个点），"
                          "仍超过则取对数".format(**spec["outliers"]) if spec.get("outliers", {}).get("enabled")
                          else "不处理"),
             f"无量纲化：{NORMALISATION_LABELS.get(spec.get('normalisation'), '')}"]
    for i, m in enumerate(spec.get("aggregation", [])):
        lower = "指标" if i == 0 else level_names[i - 1]
        upper = level_names[i] if i < len(level_names) else "指数"
        lines.append(f"{lower}合成为{upper}：{AGGREGATION_LABELS.get(m, '')}")
    w = spec.get("weights") or {}
    lines.append("权重：" + ("等权" if not any(v != 1 for v in w.values()) else f"{len(w)}项非等权（见规格版本）"))
    gp = spec.get("goalposts") or {}
    lines.append(f"固定上下限：{len(gp)}项指标" if gp else "上下限：取当年数据")
    return lines


def render(run) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    names = run.inputs.get("unit_names") or run.result["units"]
    res = run.result
    subsystems = list(res["levels"][1]) if len(res["levels"]) > 1 else []
    title = f"昆明市楼宇经济发展指数评价年度报告（{run.year}年）"
    head = ["排名", "县（市）区", "指数", *subsystems]
    order = sorted(range(len(names)), key=lambda i: (res["rank"][i] or 1e9))
    rows = [[_fmt(res["rank"][i], 0), names[i], _fmt(res["index"][i]),
             *[_fmt(res["levels"][1][s][i]) for s in subsystems]] for i in order]
    weights = (run.sensitivity or {}).get("weights")
    srows = []
    if weights:
        s = weights["summary"]
        srows = [[names[i], _fmt(res["rank"][i], 0), _fmt(s["median"][i], 1),
                  f"{_fmt(s['p05'][i], 1)}—{_fmt(s['p95'][i], 1)}"] for i in order]
    method = spec_lines(run.spec_data)
    notes = [d.get("text", "") for d in run.discrepancies]
    intro = (f"依据{DOC}附件2《昆明市楼宇经济发展指数评价体系》：4个子系统、14个方面、47项指标；"
             f"规格第{run.spec.version}版；参评单位{len(names)}个；输入数据指纹 {run.fingerprint[:16]}。")
    texts = [title, intro, *head, *[c for r in rows for c in r], *[c for r in srows for c in r], *method, *notes,
             "一、指数与排名", "二、排名的稳定性", "三、计算方法", "四、公报指标体系中的不一致", "县（市）区", "本次排名",
             "排名中位数", "5%—95%区间", "无", "权重扰动次数", "种子"]
    font = register_cjk_font("".join(texts))
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=14)

    def table(data, widths=None):
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                               ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
                               ("ALIGN", (2, 1), (-1, -1), "RIGHT")]))
        return t

    def image(png: bytes, width=170 * mm):
        img = Image(io.BytesIO(png))
        ratio = img.imageHeight / img.imageWidth
        img.drawWidth, img.drawHeight = width, width * ratio
        return img

    story = [Paragraph(title, h1), Paragraph(intro, body), Paragraph("一、指数与排名", h2), table([head, *rows]),
             Spacer(1, 4 * mm), image(charts.index_chart(run, "png"))]
    story.append(Paragraph("二、排名的稳定性", h2))
    if weights:
        p = weights["params"]
        story.append(Paragraph(f"权重扰动次数 {p['draws']}（{p['distribution']}），种子 {p['seed']}。", body))
        story.append(table([["县（市）区", "本次排名", "排名中位数", "5%—95%区间"], *srows]))
        for kind in ("weights", "methods", "removal"):
            story.append(image(charts.rank_chart(run, kind, "png"), width=150 * mm))
    else:
        story.append(Paragraph("无", body))
    story.append(Paragraph("三、计算方法", h2))
    story += [Paragraph(line, body) for line in method]
    story.append(Paragraph("四、公报指标体系中的不一致", h2))
    story += [Paragraph(n, body) for n in notes] or [Paragraph("无", body)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=title, leftMargin=18 * mm, rightMargin=18 * mm,
                      topMargin=16 * mm, bottomMargin=16 * mm).build(story)
    return buf.getvalue()
