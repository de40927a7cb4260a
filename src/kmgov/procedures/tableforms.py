"""Forms from the gazette's tables: a form printed in the gazette, filled online, printed back.

`table_form(docno, path)` reads a parsed table (`gazette.Table`, e.g. 昆政办〔2010〕107号 附件
表一) and gives a `TableForm`: its rows are the questions (each answered with one of the
table's answer columns, e.g. 落实/不落实) and its header and footer fields are the form's
header (申报单位, 申报时间, 主要负责人, 分管领导, 填表人, 审核人, 联系电话). Then

- `form.input_model()` is a `StepInput` (pydantic) for `@step(input=...)`: the kernel
  validates it (a row answered 不落实 without an explanation is refused with a Chinese message
  naming the row) and renders it (`inputs.form_fields`);
- `render_pdf(form, data)` prints the filled form as the same table (reportlab, with the
  Noto CJK font of Debian's fonts-noto-cjk, embedded as a subset).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, create_model, field_validator

from .inputs import Line, StepInput

#: Header fields as printed → (field name, kind).
HEADER_FIELDS = {
    "申报单位": ("unit_name", "line"),
    "申报时间": ("report_date", "date"),
    "申报单位主要负责人": ("principal", "line"),
    "申报单位分管领导": ("leader_in_charge", "line"),
    "填表人": ("filled_by", "line"),
    "审核人": ("reviewed_by", "line"),
    "联系电话": ("phone", "phone"),
}
#: The answer that needs an explanation (107号: a 不落实 item is explained in 申报说明).
NEEDS_EXPLANATION = ("不落实",)


class TableFormError(ValueError):
    """The table cannot be a form (Chinese message)."""


@dataclass(frozen=True)
class FormRow:
    key: str  # field name, e.g. "item_1", "item_1_2"
    number: str  # as numbered: "1", "1.2"
    text: str  # the row's label (申报内容)

    def label(self) -> str:
        return f"第{self.number}项"

    def short(self, n: int = 24) -> str:
        return self.text if len(self.text) <= n else self.text[:n] + "…"


@dataclass(frozen=True)
class TableForm:
    docno: str
    path: str
    title: str
    number_printed: str
    rows: tuple[FormRow, ...]
    answers: tuple[str, ...]  # the answer columns, e.g. ("落实", "不落实")
    answer_group: str  # the spanning header, e.g. "申报情况"
    top_fields: tuple[str, ...]
    header_fields: tuple[str, ...]
    footer_fields: tuple[str, ...]
    remarks_label: str = "申报说明"
    columns: tuple[str, ...] = field(default=("序号", "申报内容", "落实", "不落实"))

    @property
    def citation(self) -> str:
        return f"{self.docno} {self.path}"

    def header_names(self) -> list[tuple[str, str, str]]:
        """(printed label, field name, kind) of every header/footer field, in print order."""
        out = []
        for label in (*self.top_fields, *self.header_fields, *self.footer_fields):
            name, kind = HEADER_FIELDS.get(label, (_slug(label), "line"))
            out.append((label, name, kind))
        return out

    @functools.cached_property
    def _model(self):
        return _build_model(self)

    def input_model(self) -> type[StepInput]:
        """The form as a `StepInput` (the same class each time for the same form)."""
        return self._model


def _slug(label: str) -> str:
    return "field_" + hashlib.sha1(label.encode()).hexdigest()[:8]


def _row_key(number: Any) -> str:
    return "item_" + re.sub(r"[^0-9]+", "_", str(number)).strip("_")


def from_table(table, *, docno: str, path: str) -> TableForm:
    """A `TableForm` from a stored `gazette.Table` or a `ParsedTable` (kind "form": rows are
    [序号, 申报内容, <answer columns>…])."""
    meta = table.meta or {}
    header = list(table.header)
    if len(header) < 3 or not table.rows:
        raise TableFormError(f"{docno} {path} 不是可填写的表格（须有序号、内容和至少一个回答栏）")
    answers = tuple(str(h) for h in header[2:])
    groups = meta.get("column_groups") or {}
    group = next(iter(groups), "填报情况")
    rows = []
    for r in table.rows:
        number, text = str(r[0]), str(r[1] or "").strip()
        if text:
            rows.append(FormRow(key=_row_key(number), number=number, text=text))
    if len({r.key for r in rows}) != len(rows):
        raise TableFormError(f"{docno} {path} 的序号有重复，无法生成表单")
    return TableForm(
        docno=docno, path=path, title=meta.get("title") or table.caption,
        number_printed=meta.get("number_printed", ""), rows=tuple(rows), answers=answers,
        answer_group=group, top_fields=tuple(meta.get("top_fields") or ("申报单位", "申报时间")),
        header_fields=tuple(meta.get("header_fields") or ()),
        footer_fields=tuple(meta.get("footer_fields") or ()),
        remarks_label=meta.get("remarks_label") or "申报说明", columns=tuple(header))


def table_form(docno: str, path: str) -> TableForm:
    """The form of a table stored in the gazette library (e.g. "昆政办〔2010〕107号", "附件 表一")."""
    from kmgov.gazette.selectors import node_get, node_table

    node = node_get(docno, path)
    table = node_table(node)
    if table is None:
        raise TableFormError(f"{docno} {path} 不是表格")
    return from_table(table, docno=node.document.docno, path=node.path)


# ---------------------------------------------------------------- the pydantic model

def _build_model(form: TableForm) -> type[StepInput]:
    fields: dict[str, Any] = {}
    for label, name, kind in form.header_names():
        if kind == "date":
            fields[name] = (dt.date, Field(title=label))
        elif kind == "phone":
            fields[name] = (str, Field(title=label, pattern=r"^[0-9\-() +]{5,30}$",
                                       description="数字、横线或括号，如 0871-63100000"))
        else:
            fields[name] = (Line, Field(title=label))
    fields["period"] = (str | None, Field(None, title="申报期间", max_length=10,
                                          description="如 2010（上一年度）或 2011H1（上半年）"))
    answer_type = Literal[form.answers]  # type: ignore[valid-type]
    validators = {}
    for row in form.rows:
        fields[row.key] = (answer_type, Field(
            title=f"{row.label()}：{row.text}",
            description=f"{form.answer_group}：{'或'.join(form.answers)}"))
        fields[f"{row.key}_note"] = (str | None, Field(
            None, title=f"{row.label()}说明", max_length=1000, validate_default=True,
            description="选择“不落实”的，须说明原因及整改措施"))
        validators[f"check_{row.key}"] = field_validator(f"{row.key}_note")(
            _explained(row, form.remarks_label))
    fields["remarks"] = (str | None, Field(None, title=form.remarks_label, max_length=4000))
    name = "TableForm_" + hashlib.sha1(form.citation.encode()).hexdigest()[:10]
    model = create_model(name, __base__=StepInput, __validators__=validators, **fields)
    model.__doc__ = f"{form.title}（{form.citation}）"
    model.table_form = form  # type: ignore[attr-defined]
    return model


def _explained(row: FormRow, remarks_label: str):
    def check(cls, value, info: ValidationInfo):
        answer = info.data.get(row.key)
        if answer in NEEDS_EXPLANATION and not (value or "").strip():
            raise ValueError(f"{row.label()}（{row.short()}）选择“{answer}”的，须填写说明")
        return (value or "").strip() or None

    check.__name__ = f"check_{row.key}"
    return classmethod(check)


# ---------------------------------------------------------------- the PDF

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf",
              "NotoSansSC-Regular.otf")


class CJKFontMissing(RuntimeError):
    pass


def cjk_font_path() -> Path:
    """The Noto CJK font file (Debian's fonts-noto-cjk), or `CJKFontMissing`."""
    for base in FONT_DIRS:
        if not base.is_dir():
            continue
        for name in FONT_NAMES:
            found = sorted(base.rglob(name))
            if found:
                return found[0]
    raise CJKFontMissing(
        "未找到中文字体：请安装 Debian 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk），"
        f"在 {'、'.join(str(d) for d in FONT_DIRS)} 下应有 {FONT_NAMES[0]}")


def _sc_index(path: Path) -> int:
    """The Simplified Chinese face of a collection (NotoSansCJK-Regular.ttc holds JP, KR, SC…)."""
    from fontTools.ttLib import TTCollection

    if path.suffix.lower() != ".ttc":
        return -1
    coll = TTCollection(str(path), lazy=True)
    for i, f in enumerate(coll.fonts):
        if " SC" in (f["name"].getDebugName(4) or ""):
            return i
    return 0


def _truetype_subset(path: Path, text: str, ps_name: str = "") -> bytes:
    """The font reduced to the characters of `text`, with its PostScript (CFF) outlines turned
    into TrueType ones — reportlab embeds only TrueType outlines, and Noto CJK ships CFF."""
    try:
        from fontTools import subset
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen
        from fontTools.ttLib import TTCollection, TTFont, newTable
    except ImportError as exc:  # a dependency of the project (pyproject.toml)
        raise CJKFontMissing("缺少 fonttools，无法嵌入中文字体：pip install fonttools") from exc
    index = _sc_index(path)
    font = TTCollection(str(path), lazy=True).fonts[index] if index >= 0 else TTFont(str(path))
    opts = subset.Options()
    opts.layout_features, opts.name_IDs, opts.notdef_outline = [], ["*"], True
    opts.hinting, opts.desubroutinize = False, True
    sub = subset.Subsetter(opts)
    sub.populate(text=text)
    sub.subset(font)
    if "CFF " in font:
        order = font.getGlyphOrder()
        glyphs = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, {}
        for name in order:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["glyf"], font["loca"] = glyf, newTable("loca")
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                     "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                     "maxComponentElements"):
            setattr(maxp, attr, 0)
        maxp.maxZones = 1
        post = font["post"]
        post.formatType, post.extraNames, post.mapping = 2.0, [], {}
        font["head"].indexToLocFormat = 0
        font["head"].glyphDataFormat = 0
        font.sfntVersion = "\x00\x01\x00\x00"
    if ps_name:
        # Each subset its own PostScript name: reportlab keys an embedded font by it, so a
        # second subset registered in the same process under the font's own name would be
        # drawn with the first one's glyphs (blank characters in the second PDF).
        for rec in font["name"].names:
            if rec.nameID in (1, 3, 4, 6, 16):
                rec.string = ps_name
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def register_cjk_font(text: str) -> str:
    """Register (once per character set) the Noto CJK subset for `text`; its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    chars = "".join(sorted(set(text) | set("0123456789年月日：（）√—-")))
    name = "NotoCJK-" + hashlib.sha1(chars.encode()).hexdigest()[:10]
    if name not in pdfmetrics.getRegisteredFontNames():
        data = _truetype_subset(cjk_font_path(), chars, ps_name="NotoSansCJKsc-" + name.split("-", 1)[1])
        pdfmetrics.registerFont(RLFont(name, io.BytesIO(data)))
    return name


def _date_label(value) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日" if value else "    年  月  日"


def render_pdf(form: TableForm, data, *, unit_seal: str = "（盖章）") -> bytes:
    """The filled form as PDF, laid out as the gazette prints it: title, 申报单位/申报时间,
    主要负责人/分管领导, the table (序号, 申报内容, one column per answer with √ in the one
    chosen), 申报说明 (the remarks and each row's explanation), 填表人/审核人/联系电话."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    values = data.model_dump() if hasattr(data, "model_dump") else dict(data or {})
    v = {name: values.get(name) for _, name, _ in form.header_names()}
    notes = [f"{r.label()}：{values.get(f'{r.key}_note')}" for r in form.rows
             if values.get(f"{r.key}_note")]
    remarks = "；".join(x for x in [values.get("remarks") or "", *notes] if x)
    texts = [form.title, form.number_printed, remarks, form.remarks_label, form.answer_group,
             *form.columns, *(r.text for r in form.rows), *(r.number for r in form.rows),
             *(str(x) for x in v.values() if x), *(lbl for lbl, _, _ in form.header_names()),
             unit_seal, str(values.get("period") or ""), "申报期间"]
    font = register_cjk_font("".join(texts))
    title = ParagraphStyle("t", fontName=font, fontSize=15, leading=20, alignment=1)
    small = ParagraphStyle("s", fontName=font, fontSize=9, leading=12, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    center = ParagraphStyle("c", parent=body, alignment=1)

    def p(text, style=body):
        return Paragraph(str(text or "").replace("&", "&amp;").replace("<", "&lt;"), style)

    story = []
    if form.number_printed:
        story.append(p(form.number_printed, small))
    story += [p(form.title, title), Spacer(1, 4 * mm)]
    unit = f"{form.top_fields[0] if form.top_fields else '申报单位'}：{v.get('unit_name') or ''}{unit_seal}"
    when = f"申报时间：{_date_label(v.get('report_date'))}"
    period = f"申报期间：{values.get('period')}" if values.get("period") else ""
    story.append(Table([[p(unit), p(period, center), p(when)]],
                       colWidths=[80 * mm, 35 * mm, 60 * mm]))
    width = [14 * mm, 121 * mm] + [20 * mm] * len(form.answers)
    n = len(form.answers)
    rows: list[list] = []
    heads = [(lbl, name) for lbl, name, _ in form.header_names() if lbl in form.header_fields]
    if heads:
        line = []
        for lbl, name in heads:
            line += [p(lbl, center), p(v.get(name) or "")]
        rows.append(line + [""] * (2 + n - len(line)) if len(line) < 2 + n else line[:2 + n])
    head_row = len(rows)
    rows.append([p("序号", center), p("申报内容", center), p(form.answer_group, center)]
                + [""] * (n - 1))
    rows.append(["", ""] + [p(a, center) for a in form.answers])
    for r in form.rows:
        chosen = values.get(r.key)
        rows.append([p(r.number, center), p(r.text)]
                    + [p("√" if chosen == a else "", center) for a in form.answers])
    rows.append([p(form.remarks_label, center), p(remarks)] + [""] * n)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (0, head_row), (0, head_row + 1)), ("SPAN", (1, head_row), (1, head_row + 1)),
        ("SPAN", (2, head_row), (-1, head_row)), ("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1)),
    ]
    story.append(Table(rows, colWidths=width, style=TableStyle(style), repeatRows=0))
    story.append(Spacer(1, 4 * mm))
    foot = [f"{lbl}：{v.get(name) or ''}" for lbl, name, _ in form.header_names()
            if lbl in form.footer_fields]
    if foot:
        story.append(Table([[p(x) for x in foot]], colWidths=[175 * mm / len(foot)] * len(foot)))
    story.append(Spacer(1, 2 * mm))
    story.append(p(f"依据：{form.citation}", small))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=form.title, leftMargin=15 * mm,
                      rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm).build(story)
    return buf.getvalue()
