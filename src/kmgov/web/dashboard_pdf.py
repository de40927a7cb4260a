"""A dashboard printed: each chart as the server draws it (kmgov.core.chart_images, PNG) with its
citation, note and table, on A4 pages (reportlab, its built-in Chinese CID font)."""

from __future__ import annotations

import io

from kmgov.core.chart_images import render as chart_render


def render(title: str, charts, *, on_label: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, wordWrap="CJK")
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=17, wordWrap="CJK",
                        spaceBefore=8)
    small = ParagraphStyle("small", fontName=font, fontSize=8, leading=11, wordWrap="CJK",
                           textColor=colors.HexColor("#555555"))
    cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=10, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=title)
    width = A4[0] - 30 * mm
    story = [Paragraph(title, h1), Paragraph(on_label, small), Spacer(1, 4 * mm)]
    for c in charts:
        story.append(Paragraph(c.title + (f"（{c.unit}）" if c.unit else ""), h2))
        if c.citation:
            story.append(Paragraph(f"依据：{c.citation}", small))
        if c.categories:
            png = chart_render(c, "png", width=8, height=4, dpi=110)
            story.append(Image(io.BytesIO(png), width=width, height=width / 2))
        if c.note:
            story.append(Paragraph(c.note, small))
        header, rows = c.table()
        data = [[Paragraph(str(h), cell) for h in header]] + [
            [Paragraph("—" if v is None else str(v), cell) for v in row] for row in rows]
        t = Table(data, repeatRows=1, hAlign="LEFT")
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f3f6"))]))
        story += [Spacer(1, 2 * mm), t]
    doc.build(story)
    return buf.getvalue()
