"""The green-channel service card as PDF (reportlab, with its built-in Chinese CID font
STSong-Light, so no font file is embedded). Without reportlab the HTML print view serves."""

from __future__ import annotations

import io


def available() -> bool:
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return False
    return True


def render(card, case) -> bytes:
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    size = landscape(A5)
    c = canvas.Canvas(buf, pagesize=size)
    c.setTitle(f"绿色通道服务卡 {card.number}")
    w, h = size
    c.setStrokeColorRGB(0.16, 0.48, 0.16)
    c.setLineWidth(3)
    c.roundRect(10 * mm, 10 * mm, w - 20 * mm, h - 20 * mm, 6 * mm)
    c.setFont(font, 20)
    c.drawCentredString(w / 2, h - 30 * mm, "昆明市总部企业“绿色通道服务卡”")
    c.setFont(font, 12)
    rows = [
        ("卡号", card.number),
        ("总部企业", card.org.name),
        ("总部类型", card.get_hq_type_display()),
        ("有效期", f"{card.valid_from:%Y年%m月%d日} 至 {card.valid_until:%Y年%m月%d日}"),
        ("认定编号", f"{case.reference}（{case.filing_number}）"),
    ]
    if card.revoked_at:
        rows.append(("状态", f"已作废（{card.revoked_at:%Y-%m-%d}）"))
    y = h - 48 * mm
    for label, value in rows:
        c.drawString(25 * mm, y, f"{label}：{value}")
        y -= 9 * mm
    c.setFont(font, 8)
    c.drawString(25 * mm, 18 * mm, "依据：昆政发〔2010〕63号 附件 第十四条")
    c.showPage()
    c.save()
    return buf.getvalue()
