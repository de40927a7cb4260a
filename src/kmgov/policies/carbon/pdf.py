"""The donor's papers as PDF, with the kernel's embedded Noto CJK subset
(`procedures.tableforms.register_cjk_font`): the receipt of a donation (捐资收据) and the
certificate (荣誉证书, 三(一)：颁发荣誉证书予以表彰鼓励) with its verification code."""

from __future__ import annotations

import io

from kmgov.procedures.tableforms import register_cjk_font

from .models import DOC


def _num(v, places: int = 5) -> str:
    s = f"{v:,.{places}f}".rstrip("0").rstrip(".")
    return s or "0"


def _canvas(texts: list[str], size):
    from reportlab.pdfgen import canvas

    font = register_cjk_font("".join(texts))
    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, pagesize=size), font


def receipt_pdf(d) -> bytes:
    """One donation's receipt: who, how much, when, the fund's receipt number, and the carbon
    it buys once credited."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.units import mm

    acc = d.account
    rows = [("登记编号", d.reference), ("捐资者", acc.name),
            ("账户", f"{acc.account_label()} {acc.number}"),
            ("捐资金额", f"人民币 {d.amount_yuan:,.2f} 元"),
            ("捐资日期", f"{d.donated_on:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月")),
            ("公益收据号", d.receipt_no)]
    if d.co2_tonnes is not None:
        rows += [("对应二氧化碳", f"{_num(d.co2_tonnes)} 吨（1000元/吨）"),
                 ("可营建碳汇林", f"{_num(d.area_mu)} 亩（500元/亩）")]
    else:
        rows.append(("状态", d.state_label()))
    title = "中国绿色碳基金昆明专项 捐资收据"
    foot = f"依据：{DOC} 三(一)、三(二)。昆明市碳汇造林工作领导小组办公室（设在市林业局）"
    size = landscape(A5)
    buf, c, font = _canvas([title, foot, *(a + b for a, b in rows)], size)
    c.setTitle(f"捐资收据 {d.reference}")
    w, h = size
    c.setFont(font, 17)
    c.drawCentredString(w / 2, h - 22 * mm, title)
    c.setFont(font, 11)
    y = h - 38 * mm
    for label, value in rows:
        c.drawString(25 * mm, y, f"{label}：{value}")
        y -= 8 * mm
    c.setFont(font, 8)
    c.drawString(15 * mm, 12 * mm, foot)
    c.showPage()
    c.save()
    return buf.getvalue()


def certificate_pdf(d, *, verify_url: str) -> bytes:
    """The honour certificate of a credited donation, with the code a public page checks."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm

    acc = d.account
    title = "荣誉证书"
    lines = [f"{acc.name}：",
             f"　　您于{d.donated_on.year}年{d.donated_on.month}月{d.donated_on.day}日向中国绿色碳基金"
             f"昆明专项捐资人民币{d.amount_yuan:,.2f}元，",
             f"可营建碳汇林{_num(d.area_mu)}亩，吸收二氧化碳{_num(d.co2_tonnes)}吨，"
             f"已登记在您的{acc.account_label()}（{acc.number}）。",
             "　　感谢您参与碳补偿、减少碳足迹，特发此证，以资鼓励。"]
    if acc.sign_eligible:
        lines.append("　　您的累计捐资已达到营建10亩及以上碳汇林，所出资营建的林木将挂“碳汇林”标牌。")
    sign = ["昆明市碳汇造林工作领导小组办公室",
            f"{d.credited_on.year}年{d.credited_on.month}月{d.credited_on.day}日"]
    code = [f"证书编号：{d.reference}", f"验证码：{d.certificate_code}", f"验证网址：{verify_url}"]
    foot = f"依据：{DOC} 三(一)“颁发荣誉证书予以表彰鼓励”"
    size = landscape(A4)
    buf, c, font = _canvas([title, foot, *lines, *sign, *code], size)
    c.setTitle(f"荣誉证书 {d.reference}")
    w, h = size
    c.setStrokeColorRGB(0.13, 0.45, 0.2)
    c.setLineWidth(4)
    c.rect(12 * mm, 12 * mm, w - 24 * mm, h - 24 * mm)
    c.setLineWidth(1)
    c.rect(16 * mm, 16 * mm, w - 32 * mm, h - 32 * mm)
    c.setFillColorRGB(0.6, 0.1, 0.1)
    c.setFont(font, 34)
    c.drawCentredString(w / 2, h - 45 * mm, title)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(font, 15)
    y = h - 70 * mm
    for line in lines:
        c.drawString(35 * mm, y, line)
        y -= 11 * mm
    c.setFont(font, 13)
    c.drawRightString(w - 35 * mm, 52 * mm, sign[0])
    c.drawRightString(w - 35 * mm, 44 * mm, sign[1])
    c.setFont(font, 9)
    for i, line in enumerate(code):
        c.drawString(35 * mm, 40 * mm - i * 6 * mm, line)
    c.setFont(font, 8)
    c.drawString(35 * mm, 20 * mm, foot)
    c.showPage()
    c.save()
    return buf.getvalue()
