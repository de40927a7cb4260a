"""Two Noto CJK subsets in one process (a 107号 form, then a 60号 certificate, in the same
server): each document prints with its own subset's glyphs. reportlab keeps one font per
PostScript name, so subsets named alike printed the second document with the first's glyphs."""

import io

from procedures.pdftext import pdf_text

from kmgov.procedures.tableforms import register_cjk_font


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    font = register_cjk_font(text)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(font, 12)
    c.drawString(20, 700, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_each_subset_prints_its_own_text():
    first, second = "荣誉证书：捐资者二氧化碳", "安全生产一岗双责零申报表，签订率百分之百"
    assert register_cjk_font(first) != register_cjk_font(second)
    assert pdf_text(_pdf(first)) == first
    assert pdf_text(_pdf(second)) == second  # before the fix: the first subset's glyphs, blanks
    assert b"NotoSansCJK" in _pdf(second)
