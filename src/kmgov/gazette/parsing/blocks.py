"""A stretch of lines as blocks: paragraphs, tab-separated tables, and 零申报 forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Line, squeeze


@dataclass
class Para:
    line: Line
    after_blank: bool   # a blank line came between this and the previous token


@dataclass
class TableBlock:
    line: int                         # first source line (caption, or first row)
    rows: list[Line]
    caption: str = ""
    unit: str = ""
    note: str = ""


@dataclass
class FormBlock:
    line: int
    title: str
    number_printed: str
    top_fields: list[str]
    rows: list[Line]
    footer: list[str] = field(default_factory=list)


_UNIT_LINE = re.compile(r"^单\s*位\s*[：:]\s*(.+)$")
_NOTE_LINE = re.compile(r"^(?:备\s*注|注)\s*[：:]\s*(.*)$")
_FORM_NUMBER = re.compile(r"表[一二三四五六七八九十\d]+$")
_FOOTER_FIELDS = re.compile(r"^(?:[^\s：:]{1,8}[：:]\s*)+$")
# Any outline label at the start of a line: such a line is a heading, never a table caption.
_LABELS_ANY = re.compile(
    r"^(?:第[一二三四五六七八九十百零]+[章条]|[一二三四五六七八九十]+、|"
    r"[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[.．、](?!\d))")


def _strip_dash(text: str) -> str:
    # The conversion put "- " in front of some list items: "- （一）…", "- 附件：…".
    return text[2:].strip() if text.startswith("- ") else text


def _caption_like(text: str) -> bool:
    """A short unlabelled line with no sentence in it: the caption printed above a table."""
    return 0 < len(text) <= 40 and not _LABELS_ANY.match(text) and "。" not in text \
        and text[-1] not in "；：;:，,、"


def tokenise(lines: list[Line]) -> list[object]:
    tokens: list[object] = []
    blank = False
    i = 0
    while i < len(lines):
        ln = lines[i]
        if not ln.text:
            blank = True
            i += 1
            continue
        if "\t" in ln.raw:
            i = _take_table(lines, i, tokens)
        elif ln.text.startswith("申报单位") and "申报时间" in ln.text:
            i = _take_form(lines, i, tokens)
        else:
            tokens.append(Para(Line(ln.no, _strip_dash(ln.text), ln.raw), blank))
            i += 1
        blank = False
    return tokens


def _pop_para(tokens: list[object], test) -> Para | None:
    if tokens and isinstance(tokens[-1], Para) and test(tokens[-1].line.text):
        return tokens.pop()
    return None


def _take_table(lines: list[Line], i: int, tokens: list[object]) -> int:
    rows: list[Line] = []
    while i < len(lines):
        if "\t" in lines[i].raw:
            rows.append(lines[i])
            i += 1
            continue
        # A table printed in two parts has blank lines between them (62号附件2).
        j = i
        while j < len(lines) and not lines[j].text and "\t" not in lines[j].raw:
            j += 1
        if j < len(lines) and "\t" in lines[j].raw and j > i:
            i = j
            continue
        break
    block = TableBlock(line=rows[0].no, rows=rows)
    if unit := _pop_para(tokens, lambda t: bool(_UNIT_LINE.match(t))):
        block.unit = squeeze(_UNIT_LINE.match(unit.line.text).group(1))
        block.line = unit.line.no
    if cap := _pop_para(tokens, _caption_like):
        block.caption = squeeze(cap.line.text)
        block.line = cap.line.no
    i = _take_table_note(lines, i, block)
    tokens.append(block)
    return i


def _take_table_note(lines: list[Line], i: int, block: TableBlock) -> int:
    j = i
    while j < len(lines) and not lines[j].text:
        j += 1
    if j >= len(lines) or not (m := _NOTE_LINE.match(lines[j].text)):
        return i
    parts = [m.group(1)]
    numbered = bool(re.match(r"\d+[.．、]", m.group(1)))
    j += 1
    while j < len(lines):
        if lines[j].text and "\t" not in lines[j].raw:
            parts[-1] += lines[j].text          # the note wraps onto the next printed line
            j += 1
            continue
        # "备注：1. …" continues with "2. …" after a blank line (59号附件2).
        k = j
        while k < len(lines) and not lines[k].text:
            k += 1
        nxt = lines[k].text if k < len(lines) else ""
        if numbered and re.match(rf"{len(parts) + 1}\s*[.．、]", nxt):
            parts.append(nxt)
            j = k + 1
            continue
        break
    # Like body text, the note keeps the print's spacing; only the "备注：" label is dropped.
    block.note = "\n".join(p.strip() for p in parts)
    return j


def _take_form(lines: list[Line], i: int, tokens: list[object]) -> int:
    # Above "申报单位： （盖章） 申报时间： 年 月 日": the form's title, and above that (not
    # always printed) a numbering line "安全生产监管“市域全覆盖”零申报表二".
    title = _pop_para(tokens, lambda t: True)
    number = _pop_para(tokens, lambda t: bool(_FORM_NUMBER.search(t)))
    top_fields = re.findall(r"(\S+?)\s*[：:]", lines[i].text)
    start = number.line.no if number else (title.line.no if title else lines[i].no)
    block = FormBlock(line=start, title=squeeze(title.line.text) if title else "",
                      number_printed=squeeze(number.line.text) if number else "",
                      top_fields=top_fields, rows=[])
    i += 1
    while i < len(lines) and (not lines[i].text or "\t" in lines[i].raw):
        if "\t" in lines[i].raw:
            block.rows.append(lines[i])
        elif i + 1 < len(lines) and "\t" not in lines[i + 1].raw and block.rows:
            break
        i += 1
    # Footer "填表人： 审核人： 联系电话：" on one line or on three.
    while True:
        j = i
        while j < len(lines) and not lines[j].text:
            j += 1
        if j < len(lines) and _FOOTER_FIELDS.match(lines[j].text):
            block.footer += [re.sub(r"[：:]$", "", f) for f in lines[j].text.split()]
            i = j + 1
            continue
        break
    tokens.append(block)
    return i
