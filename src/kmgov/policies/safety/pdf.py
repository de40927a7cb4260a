"""Printed documents: a filed zero report as the gazette's table (the kernel's table form
PDF), and a warning notice (106号: the action, its grounds with their articles, the answer
period of 第九条 for an admonition)."""

from __future__ import annotations

import io

from kmgov.procedures.tableforms import register_cjk_font, render_pdf

from .models import ACTION_ARTICLES, D6, Action, Warning


def zero_report_pdf(case) -> bytes:
    return render_pdf(type(case).table_form(), case.answers or {})


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "    年  月  日"


def notice_lines(w: Warning) -> tuple[str, list[str]]:
    action = Action(w.level).label
    title = f"安全生产{action}通知书"
    lines = [f"编号：{w.reference}", f"{w.org.name}：",
             w.notice_text or f"根据{D6}《昆明市安全生产警示管理办法（试行）》，现对你单位予以{action}。",
             f"警示措施：{action}（{D6} 附件 {ACTION_ARTICLES[w.level]}）",
             f"警示事由：{'、'.join(w.grounds) or '—'}"]
    if w.level == Action.ADMONITION:
        lines.append(f"请于{_date(w.answer_due_on)}前将采取的措施和落实情况报本单位备案"
                     f"（{D6} 附件 第九条：于15日内；期满日遇法定休假日顺延，民法通则第154条）。")
    lines += [f"发出单位：{w.issuer_label()}", f"发出日期：{_date(w.issued_on)}"]
    return title, lines


def warning_notice_pdf(w: Warning) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, lines = notice_lines(w)
    font = register_cjk_font(title + "".join(lines))
    head = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=18, wordWrap="CJK")

    def p(text, style=body):
        return Paragraph(str(text).replace("&", "&amp;").replace("<", "&lt;"), style)

    story = [p(title, head), Spacer(1, 6 * mm)] + [p(x) for x in lines]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=20 * mm, bottomMargin=20 * mm).build(story)
    return buf.getvalue()
