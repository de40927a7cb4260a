"""Read the text of a gazette issue (昆明市人民政府公报) into a `ParsedIssue`.

The text is a conversion of the printed issue: masthead, Chinese and English tables of
contents, then the documents one after another, each "issuer / title / 文号 / addressees /
body / signing date / annexes".  The conversion left quirks that this module handles on
purpose (each handled quirk says so in a comment):

* page breaks cut paragraphs in the middle of a sentence (a blank line where none belongs);
* list items carry a stray "- " from the conversion;
* outline labels use full- or half-width brackets: （一） / (一), （1） / (1);
* issuer and title may share one line, and titles may wrap or carry stray spaces;
* tables are tab-separated rows, with merged cells printed only once.

Everything that is an *interpretation* (not just reading) is recorded, one Chinese sentence
each, in `ParsedIssue.notes`.  Pure Python, standard library only; no I/O.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from .parsed import (
    GazetteParseError,
    ParsedAppointment,
    ParsedCrossRef,
    ParsedDocument,
    ParsedIssue,
    ParsedNode,
    ParsedTable,
    ParsedTocEntry,
)

__all__ = ["GazetteParseError", "parse_bytes", "parse_issue"]

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

# CJK ideographs plus the full-width / CJK punctuation that surrounds them in running text.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2014\u2026\u00b7\u300a-\u300f"
_SPACE_NEXT_TO_CJK = re.compile(rf"[ \t\u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u00a0]+")

# A paragraph that ends in one of these is complete; one that does not, followed by a blank
# line, was cut by a page break.  Closing brackets count as complete because the
# leading-group lists of 111号 ("王桂泽（高新区管委会副主任）") end in them and are separate lines.
_SENTENCE_END = "。；：！？”…）);:!?」』"

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇○零一二三四五六七八九十百两"


def squeeze(text: str) -> str:
    """Remove whitespace next to CJK characters (the print's stray spaces), keep the rest."""
    return _SPACE_NEXT_TO_CJK.sub("", text).strip()


def _loose_key(text: str) -> str:
    """Comparison key for titles: no spaces, no quotes/书名号, brackets made half-width."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[《》“”\"'‘’「」]", "", text)
    return text.replace("（", "(").replace("）", ")")


def cn_to_int(numeral: str) -> int:
    """Chinese numeral (一 … 九十九, also 二十四) to int."""
    if numeral.isdigit():
        return int(numeral)
    if "百" in numeral:
        hundreds, _, rest = numeral.partition("百")
        return cn_to_int(hundreds or "一") * 100 + (cn_to_int(rest.lstrip("零〇○")) if rest else 0)
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    value = 0
    for ch in numeral:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def _int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _number(cell: str) -> object:
    """A table cell as printed → int / float / str / None (empty)."""
    if cell == "":
        return None
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    return cell


def _ends_open(text: str) -> bool:
    return bool(text) and text[-1] not in _SENTENCE_END


@dataclass
class _Line:
    no: int      # 1-based line number in the source
    text: str    # stripped; "" for a blank line (whitespace-only lines count as blank)
    raw: str     # as printed (tabs kept)


# --------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------


def parse_bytes(data: bytes) -> ParsedIssue:
    """Decode UTF-8 (refusing binary data with a clear message) and parse."""
    if not data or not data.strip():
        raise GazetteParseError("文件为空")
    if b"\x00" in data:
        raise GazetteParseError("不是UTF-8文本：含有NUL字节，像是二进制文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteParseError(f"不是UTF-8文本：第{exc.start + 1}个字节无法按UTF-8解码") from exc
    return parse_issue(text)


def _refuse_non_text(text: str) -> None:
    if not text or not text.strip():
        raise GazetteParseError("文件为空")
    if "\x00" in text:
        raise GazetteParseError("不是UTF-8文本：含有NUL字节，像是二进制文件")
    if "\ufffd" in text:
        raise GazetteParseError("不是UTF-8文本：含有无法解码的字符（U+FFFD）")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(3, len(text) // 1000):
        raise GazetteParseError("不是UTF-8文本：含有大量控制字符，像是二进制文件")


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def parse_issue(text: str) -> ParsedIssue:
    """Parse the whole text of one issue.  Raises `GazetteParseError` (message in Chinese)."""
    _refuse_non_text(text)
    text_norm = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [_Line(i + 1, raw.strip(), raw.rstrip("\n")) for i, raw in
             enumerate(text_norm.split("\n"))]
    notes: list[str] = []

    issue, pos = _parse_masthead(lines)
    issue.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    toc_zh, pos = _parse_toc_zh(lines, pos)
    pos = _parse_english_front(lines, pos, issue, notes)
    toc_en, pos = _parse_toc_en(lines, pos)
    sections = [e.section for e in toc_zh]
    documents = _split_documents(lines, pos, set(sections))
    for order, doc_lines in enumerate(documents, start=1):
        issue.documents.append(_parse_document(doc_lines, order, notes))
    _check_unique_docnos(issue.documents)
    _match_toc(toc_zh, toc_en, issue.documents, notes)
    issue.toc = toc_zh + toc_en
    issue.notes = notes
    return issue


# --------------------------------------------------------------------------------------------
# Masthead and tables of contents
# --------------------------------------------------------------------------------------------

_ISSUE_LINE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*第\s*(\d+)\s*号")
_SERIAL = re.compile(r"总\s*号\s*[:：]?\s*(\d+)")


def _parse_masthead(lines: list[_Line]) -> tuple[ParsedIssue, int]:
    head = lines[:60]
    at = next((i for i, ln in enumerate(head) if _ISSUE_LINE.fullmatch(ln.text)), None)
    if at is None:
        raise GazetteParseError("未找到公报报头（如“2010 年 8 月 10 日 第 15 号”）")
    year, month, day, number = (int(g) for g in _ISSUE_LINE.fullmatch(lines[at].text).groups())
    title = next((squeeze(ln.text) for ln in head[:at] if squeeze(ln.text).endswith("公报")), "")
    if not title:
        raise GazetteParseError("未找到公报报头：缺少刊名（如“昆明市人民政府公报”）")
    editor = next((squeeze(ln.text) for ln in head[:at] if squeeze(ln.text).endswith("编")), "")
    serial_at = next((i for i in range(at + 1, min(at + 6, len(lines)))
                      if _SERIAL.search(lines[i].text)), None)
    if serial_at is None:
        raise GazetteParseError("公报报头不完整：未找到总号（如“(总号: 142)”）")
    serial = int(_SERIAL.search(lines[serial_at].text).group(1))
    city_match = re.match(r"(.+?[市省州县])", title)
    try:
        issue_date = date(year, month, day)
    except ValueError as exc:
        raise GazetteParseError(f"公报报头日期无效：{lines[at].text}") from exc
    issue = ParsedIssue(city=city_match.group(1) if city_match else "", title=title,
                        editor=editor, issue_date=issue_date, year=year, number=number,
                        serial=serial)
    return issue, serial_at + 1


_TOC_SECTION = re.compile(r"^〔(.+)〕$")
# Page numbers follow dot leaders of varying length, sometimes with a space: "····· (11)".
_TOC_PAGE = re.compile(r"[·.…\s]*[（(]\s*(\d+)\s*[)）]\s*$")


def _parse_toc_zh(lines: list[_Line], pos: int) -> tuple[list[ParsedTocEntry], int]:
    """Sections "〔…〕" and entries "- title·····(page)"; an entry may wrap (116号, L28–L29)."""
    start = next((i for i in range(pos, min(pos + 20, len(lines)))
                  if squeeze(lines[i].text) == "目录"), None)
    if start is None:
        return [], pos
    entries: list[ParsedTocEntry] = []
    section = ""
    pending: list[str] = []        # title parts of an entry whose page is not printed yet

    def flush(page: int | None) -> None:
        if pending:
            entries.append(ParsedTocEntry(lang="zh", section=section,
                                          title=squeeze(" ".join(pending)), page=page,
                                          order=len(entries) + 1))
            pending.clear()

    i = start + 1
    while i < len(lines):
        text = lines[i].text
        if not text:
            i += 1
            continue
        if m := _TOC_SECTION.match(text):
            flush(None)
            section = squeeze(m.group(1))
            i += 1
            continue
        dashed = text.startswith("-")
        wraps = bool(_TOC_PAGE.search(_next_text(lines, i)))
        if not (dashed or pending or _TOC_PAGE.search(text) or wraps):
            break                                      # the English masthead begins
        if dashed:
            flush(None)
        part = text.lstrip("-").strip()
        page = _TOC_PAGE.search(part)
        pending.append(part[:page.start()] if page else part)
        if page:
            flush(int(page.group(1)))
        i += 1
    flush(None)
    return entries, i


def _next_text(lines: list[_Line], i: int) -> str:
    return next((ln.text for ln in lines[i + 1:i + 4] if ln.text), "")


def _parse_english_front(lines: list[_Line], pos: int, issue: ParsedIssue,
                         notes: list[str]) -> int:
    """The English masthead: title line in capitals, sponsor, "IssueNo.15 SerialNo. 142"."""
    i = pos
    while i < len(lines) and not lines[i].text:
        i += 1
    if i < len(lines) and re.fullmatch(r"[A-Z][A-Z'’ ,.\-]{9,}", lines[i].text):
        issue.title_en = re.sub(r"\s+", " ", lines[i].text)
        for ln in lines[i + 1:i + 6]:
            m = re.search(r"Issue\s*No\.?\s*(\d+).*Serial\s*No\.?\s*(\d+)", ln.text, re.IGNORECASE)
            if m and (int(m.group(1)), int(m.group(2))) != (issue.number, issue.serial):
                notes.append(f"英文报头期号/总号（{m.group(1)}/{m.group(2)}）与中文报头"
                             f"（{issue.number}/{issue.serial}）不一致，以中文为准。")
        return i + 1
    return pos


def _parse_toc_en(lines: list[_Line], pos: int) -> tuple[list[ParsedTocEntry], int]:
    start = next((i for i in range(pos, min(pos + 10, len(lines)))
                  if lines[i].text.lower() == "table of contents"), None)
    if start is None:
        return [], pos
    entries: list[ParsedTocEntry] = []
    section = ""
    i = start + 1
    while i < len(lines):
        text = lines[i].text
        if re.search(r"[\u4e00-\u9fff]", text):
            break                                   # the first document begins
        if m := re.fullmatch(r"\{\s*(.+?)\s*\}", text):
            section = m.group(1)
        elif m := re.fullmatch(r"(.*?)\s*\(\s*(\d+)\s*\)", text):
            # Dot leaders "…Valley. ..." are dropped; the appointments entry is only ".....".
            title = re.sub(r"\s*\.{2,}\s*$", "", m.group(1)).strip()
            entries.append(ParsedTocEntry(lang="en", section=section, title=title,
                                          page=int(m.group(2)), order=len(entries) + 1))
        # else: blank line or the "-------\t------" rule under the English TOC
        i += 1
    return entries, i


# --------------------------------------------------------------------------------------------
# Splitting the body into documents
# --------------------------------------------------------------------------------------------

_DOCNO = re.compile(
    r"^(?P<series>[\u4e00-\u9fff]{1,8})〔(?P<year>\d{4})〕\s*"
    r"(?P<number>\d+(?:\s*[-—–－]\s*\d+)?)\s*号$")
_ISSUER = re.compile(r"^(?!关于)(?P<issuer>[\u4e00-\u9fff]{2,12}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室))")
_CN_DATE = re.compile(rf"^[{_CN_NUM}]{{4}}年[{_CN_NUM}]{{1,3}}月[{_CN_NUM}]{{1,3}}日$")
_ARABIC_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


@dataclass
class _DocLines:
    issuer: str
    title: str
    docno_line: _Line
    lines: list[_Line]         # from the docno line (exclusive) to the document's end
    line_start: int
    line_end: int


def _issuer_of(text: str, section_names: set[str]) -> tuple[str, str] | None:
    """(issuer, rest of the line) when the line begins with an issuer, else None."""
    flat = squeeze(text)
    if flat in section_names or flat == "人事任免":
        return flat, ""
    m = _ISSUER.match(flat)
    if not m:
        return None
    rest = flat[m.end():]
    if rest and (not rest.startswith("关于") or "。" in rest or len(rest) > 80):
        return None
    return m.group("issuer"), rest


def _split_documents(lines: list[_Line], pos: int,
                     section_names: set[str]) -> list[_DocLines]:
    docno_at = [i for i in range(pos, len(lines)) if _DOCNO.match(lines[i].text)]
    headers: list[tuple[int, str, str]] = []     # (header_start index, issuer, title)
    for i in docno_at:
        above: list[int] = []
        j = i - 1
        while j >= pos and len(above) < 4:
            if lines[j].text:
                if _DOCNO.match(lines[j].text) or _is_date(lines[j].text):
                    break
                above.append(j)
            j -= 1
        found = None
        for k, j in enumerate(above):
            who = _issuer_of(lines[j].text, section_names)
            if who:
                # The title is the rest of the issuer line plus the lines down to the 文号;
                # titles wrap and carry stray spaces ("安全生产警示管理 办法（试行）").
                parts = [who[1]] + [lines[t].text for t in reversed(above[:k])]
                found = (j, who[0], squeeze(" ".join(p for p in parts if p)))
                break
        if found is None:
            raise GazetteParseError(f"第{lines[i].no}行文号“{lines[i].text}”上方未找到发文机关和标题")
        headers.append(found)
    if not headers:
        raise GazetteParseError("正文中未找到任何文件（文号行如“昆政发〔2010〕59号”）")
    _refuse_documents_without_docno(lines, pos, headers, section_names)

    documents = []
    for n, ((start, issuer, title), i) in enumerate(zip(headers, docno_at)):
        end = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
        last = end - 1
        while last > i and not lines[last].text:
            last -= 1
        if not title and issuer == "人事任免":
            title = issuer
        documents.append(_DocLines(issuer=issuer, title=title, docno_line=lines[i],
                                   lines=lines[i + 1:end],
                                   line_start=lines[start].no, line_end=lines[last].no))
    return documents


def _refuse_documents_without_docno(lines, pos, headers, section_names) -> None:
    """A document header (issuer line followed by a 关于… title) with no 文号 under it."""
    header_lines = {h[0] for h in headers}
    for i in range(pos, len(lines)):
        if i in header_lines or not lines[i].text:
            continue
        who = _issuer_of(lines[i].text, section_names)
        if not who:
            continue
        title = who[1]
        if who[0] in section_names:
            # A TOC section heading printed as a header ("人 事 任 免") with no 文号 under it.
            raise GazetteParseError(
                f"第{lines[i].no}行的“{who[0]}”下没有文号（如“昆政任〔2010〕1-8号”）")
        if not title:
            nxt = next((lines[j].text for j in range(i + 1, min(i + 4, len(lines)))
                        if lines[j].text), "")
            title = squeeze(nxt) if squeeze(nxt).startswith("关于") else ""
        if title:
            raise GazetteParseError(
                f"第{lines[i].no}行起的文件“{who[0]}{title}”没有文号（如“昆政发〔2010〕59号”）")


def _is_date(text: str) -> bool:
    flat = squeeze(text).replace(" ", "")
    return bool(_CN_DATE.match(flat) or _ARABIC_DATE.match(flat))


def _parse_date(text: str) -> date | None:
    flat = squeeze(text).replace(" ", "")
    if m := _ARABIC_DATE.match(flat):
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.match(rf"^([{_CN_NUM}]{{4}})年([{_CN_NUM}]+)月([{_CN_NUM}]+)日$", flat)
    if not m:
        return None
    # Signing dates are printed with either 〇 (U+3007) or ○ (U+25CB) for zero.
    year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
    return date(year, cn_to_int(m.group(2)), cn_to_int(m.group(3)))


def _normalise_docno(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    return re.sub(r"(?<=\d)[—–－](?=\d)", "-", text)


def _check_unique_docnos(documents: list[ParsedDocument]) -> None:
    seen: set[str] = set()
    for doc in documents:
        if doc.docno in seen:
            raise GazetteParseError(f"文号“{doc.docno}”在正文中出现了两次")
        seen.add(doc.docno)


# --------------------------------------------------------------------------------------------
# One document
# --------------------------------------------------------------------------------------------


def _parse_document(d: _DocLines, order: int, notes: list[str]) -> ParsedDocument:
    m = _DOCNO.match(d.docno_line.text)
    docno = _normalise_docno(d.docno_line.text)
    doc = ParsedDocument(
        docno=docno, docno_printed=d.docno_line.text, series=m.group("series"),
        year=int(m.group("year")), number=_normalise_docno(m.group("number")),
        issuer=d.issuer, title=d.title, order=order,
        line_start=d.line_start, line_end=d.line_end)
    if d.issuer == "人事任免" and d.title == d.issuer:
        notes.append(f"{docno}：正文只印“人事任免”而无标题，标题按“人事任免”记录。")
    body = list(d.lines)
    first = next((k for k, ln in enumerate(body) if ln.text), None)
    if first is not None:
        text = body[first].text
        if (text[-1:] in "：:" and len(text) >= 6 and "。" not in text):
            doc.addressees = squeeze(text[:-1])
            body = body[first + 1:]

    if _is_appointment_list(body):
        doc.nodes, doc.appointments = _parse_appointments(body)
        return doc

    date_at = next((k for k, ln in enumerate(body) if _is_date(ln.text)), None)
    after: list[_Line] = []
    if date_at is not None:
        doc.signed_on = _parse_date(body[date_at].text)
        body, after = body[:date_at], body[date_at + 1:]

    tokens = _tokenise(body)
    tokens, listed, list_node = _take_annex_list(tokens)
    doc.nodes = _OutlineBuilder(prefix="", notes=notes, docno=docno).build(tokens)
    if list_node:
        doc.nodes.append(list_node)
    doc.nodes.extend(_parse_annexes(after, listed, docno, notes))
    _make_paths_unique(doc, notes)
    doc.crossrefs = _find_crossrefs(doc)
    return doc


# --------------------------------------------------------------------------------------------
# Tokens: paragraphs, tables and forms
# --------------------------------------------------------------------------------------------


@dataclass
class _Para:
    line: _Line
    after_blank: bool   # a blank line came between this and the previous token


@dataclass
class _TableBlock:
    line: int                         # first source line (caption, or first row)
    rows: list[_Line]
    caption: str = ""
    unit: str = ""
    note: str = ""


@dataclass
class _FormBlock:
    line: int
    title: str
    number_printed: str
    top_fields: list[str]
    rows: list[_Line]
    footer: list[str] = field(default_factory=list)


_UNIT_LINE = re.compile(r"^单\s*位\s*[：:]\s*(.+)$")
_NOTE_LINE = re.compile(r"^(?:备\s*注|注)\s*[：:]\s*(.*)$")
_FORM_NUMBER = re.compile(r"表[一二三四五六七八九十\d]+$")
_FOOTER_FIELDS = re.compile(r"^(?:[^\s：:]{1,8}[：:]\s*)+$")


def _strip_dash(text: str) -> str:
    # The conversion put "- " in front of some list items: "- （一）…", "- 附件：…".
    return text[2:].strip() if text.startswith("- ") else text


def _caption_like(text: str) -> bool:
    """A short unlabelled line with no sentence in it: the caption printed above a table."""
    return 0 < len(text) <= 40 and not _LABELS_ANY.match(text) and "。" not in text \
        and text[-1] not in "；：;:，,、"


def _tokenise(lines: list[_Line]) -> list[object]:
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
            tokens.append(_Para(_Line(ln.no, _strip_dash(ln.text), ln.raw), blank))
            i += 1
        blank = False
    return tokens


def _pop_para(tokens: list[object], test) -> _Para | None:
    if tokens and isinstance(tokens[-1], _Para) and test(tokens[-1].line.text):
        return tokens.pop()
    return None


def _take_table(lines: list[_Line], i: int, tokens: list[object]) -> int:
    rows: list[_Line] = []
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
    block = _TableBlock(line=rows[0].no, rows=rows)
    if unit := _pop_para(tokens, lambda t: bool(_UNIT_LINE.match(t))):
        block.unit = squeeze(_UNIT_LINE.match(unit.line.text).group(1))
        block.line = unit.line.no
    if cap := _pop_para(tokens, _caption_like):
        block.caption = squeeze(cap.line.text)
        block.line = cap.line.no
    i = _take_table_note(lines, i, block)
    tokens.append(block)
    return i


def _take_table_note(lines: list[_Line], i: int, block: _TableBlock) -> int:
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
    block.note = "\n".join(squeeze(p) for p in parts)
    return j


def _take_form(lines: list[_Line], i: int, tokens: list[object]) -> int:
    # Above "申报单位： （盖章） 申报时间： 年 月 日": the form's title, and above that (not
    # always printed) a numbering line "安全生产监管“市域全覆盖”零申报表二".
    title = _pop_para(tokens, lambda t: True)
    number = _pop_para(tokens, lambda t: bool(_FORM_NUMBER.search(t)))
    top_fields = re.findall(r"(\S+?)\s*[：:]", lines[i].text)
    start = number.line.no if number else (title.line.no if title else lines[i].no)
    block = _FormBlock(line=start, title=squeeze(title.line.text) if title else "",
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


# --------------------------------------------------------------------------------------------
# Outline: 第一章 / 第一条 / 一、 / （一） / 1. / （1）
# --------------------------------------------------------------------------------------------

_CHAPTER = re.compile(r"^第([一二三四五六七八九十百零]+)章\s*(.*)$")
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条\s*(.*)$")
_LEVELS = [
    # (level, pattern, normalised label) — full- and half-width brackets both occur.
    (1, re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$"), lambda n: n),
    (2, re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$"), lambda n: f"({n})"),
    # "1." "1．" "1、" — but not a decimal number "1.9 万亩" at the start of a sentence.
    (3, re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.*)$"), lambda n: n),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*(.*)$"), lambda n: f"({n})"),
]
_LABELS_ANY = re.compile(
    r"^(?:第[一二三四五六七八九十百零]+[章条]|[一二三四五六七八九十]+、|"
    r"[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[.．、](?!\d))")


def _match_label(text: str):
    """(kind, level, printed label, normalised label, rest) or None."""
    if m := _CHAPTER.match(text):
        return "chapter", 0, f"第{m.group(1)}章", f"第{m.group(1)}章", m.group(2)
    if m := _ARTICLE.match(text):
        return "article", 0, f"第{m.group(1)}条", f"第{m.group(1)}条", m.group(2)
    for level, pattern, norm in _LEVELS:
        if m := pattern.match(text):
            printed = text[:m.start(2)].strip()
            return "section", level, printed, norm(m.group(1)), m.group(2)
    return None


def split_heading(rest: str) -> tuple[str, str]:
    """Split the words after a label into (heading, text).

    Our convention: when the line holds a short title and then more sentences
    ("（一）指导思想。深入贯彻…", "1. 蔬菜产业。滇池流域…") the words before the first 。 are the
    heading and the rest is text; a line with no sentence punctuation is all heading
    ("（一）指导思想"); a line that is one long sentence is all text.
    """
    rest = rest.strip()
    if not rest:
        return "", ""
    stop = rest.find("。")
    if 0 < stop < len(rest) - 1:
        head = squeeze(rest[:stop])
        return (head, rest[stop + 1:].strip()) if len(head) <= 40 else ("", rest)
    if stop == -1 and not any(p in rest for p in "；;：:") and len(squeeze(rest)) <= 45 \
            and rest[-1] not in "。；：！？;:!?，,、":
        return squeeze(rest), ""
    return "", rest


class _OutlineBuilder:
    """Turns tokens into a node tree.  `prefix` is the annex prefix ("附件1 ") or ""."""

    def __init__(self, *, prefix: str, notes: list[str], docno: str,
                 root: ParsedNode | None = None):
        self.prefix = prefix
        self.notes = notes
        self.docno = docno
        self.root = root                    # the annex node, or None for the document body
        self.top: list[ParsedNode] = []
        self.stack: list[tuple[int, ParsedNode]] = []   # (rank, node)
        self.paras: dict[int, list[str]] = {}           # id(node) → paragraphs
        self.open_para = False              # last paragraph was cut (no sentence end)
        self._line = 0                      # source line of the paragraph being read
        self.tables = 0
        self.forms = 0

    # -- tree plumbing ------------------------------------------------------------------------

    def _attach(self, node: ParsedNode, parent: ParsedNode | None) -> None:
        if parent is not None:
            parent.children.append(node)
        elif self.root is not None:
            self.root.children.append(node)
        else:
            self.top.append(node)

    def _current(self) -> ParsedNode:
        if self.stack:
            return self.stack[-1][1]
        if self.root is not None:
            return self.root
        preamble = next((n for n in self.top if n.kind == "preamble"), None)
        if preamble is None or self.top[-1] is not preamble:
            # Text before the first heading is the document's preamble (序言).
            preamble = ParsedNode(kind="preamble", label="", path="序言", line=self._line)
            self.top.append(preamble)
        return preamble

    def _add_text(self, node: ParsedNode, text: str, join: bool) -> None:
        paras = self.paras.setdefault(id(node), [])
        if join and paras:
            paras[-1] += text
        else:
            paras.append(text)
        node.text = "\n".join(paras)
        self.open_para = _ends_open(paras[-1])

    # -- building ------------------------------------------------------------------------------

    def build(self, tokens: list[object]) -> list[ParsedNode]:
        for tok in tokens:
            if isinstance(tok, _Para):
                self._line = tok.line.no
                self._para(tok)
            elif isinstance(tok, _TableBlock):
                self._table(tok)
            elif isinstance(tok, _FormBlock):
                self._form(tok)
        return self.top

    def _para(self, tok: _Para) -> None:
        text = tok.line.text
        label = _match_label(text)
        if label is None:
            # A page break cut the sentence: join without a space (e.g. "超过4000" + "万立方米").
            join = self.open_para and tok.after_blank
            self._add_text(self._current(), text, join)
            return
        kind, level, printed, norm, rest = label
        if kind == "chapter":
            self.stack.clear()
            node = ParsedNode(kind="chapter", label=printed, path=self.prefix + norm,
                              heading=squeeze(rest), line=tok.line.no)
            self._attach(node, None)
            self.stack.append((0, node))
            self.open_para = False
            return
        if kind == "article":
            while self.stack and self.stack[-1][1].kind != "chapter":
                self.stack.pop()
            parent = self.stack[-1][1] if self.stack else None
            # Articles are numbered through the document, so the chapter is not in the path.
            node = ParsedNode(kind="article", label=printed, path=self.prefix + norm,
                              line=tok.line.no)
            self._attach(node, parent)
            self.stack.append((10, node))
            self.open_para = False
            if rest.strip():
                self._add_text(node, rest.strip(), False)
            return
        in_article = any(n.kind == "article" for _, n in self.stack)
        rank = 10 + level if in_article else level
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        # Labels are joined without separators: "三(一)1(2)", items "第七条(二)".
        path = (parent.path if parent is not None else self.prefix) + norm
        node = ParsedNode(kind="item" if in_article else "section", label=printed, path=path,
                          line=tok.line.no)
        self._attach(node, parent)
        self.stack.append((rank, node))
        self.open_para = False
        if in_article:
            if rest.strip():
                self._add_text(node, rest.strip(), False)   # items are sentences, not titles
            return
        heading, body = split_heading(rest)
        node.heading = heading
        if body:
            self._add_text(node, body, False)

    def _table(self, block: _TableBlock) -> None:
        self.tables += 1
        suffix = "表" if self.tables == 1 else f"表{self.tables}"
        caption = block.caption or (self.root.heading if self.root is not None else "")
        table = _build_table(block, caption)
        node = ParsedNode(kind="table", label=suffix, path=self.prefix + suffix,
                          heading=caption, table=table, line=block.line)
        # Tables hang under their annex (or at document level), in reading order, even when
        # printed inside an outline item (62号附件2's indicator table sits in 一(二)).
        self._attach(node, None)
        self.open_para = False

    def _form(self, block: _FormBlock) -> None:
        self.forms += 1
        label = "表" + _int_to_cn(self.forms)
        if block.number_printed and not block.number_printed.endswith(label):
            self.notes.append(f"{self.docno}：第{self.forms}张零申报表印作“{block.number_printed}”，"
                              f"按出现顺序编为{label}。")
        table = _build_form(block)
        subs = [str(r[0]) for r in table.rows if not isinstance(r[0], int)]
        if subs:
            self.notes.append(f"{self.docno}：{label}中未印序号的行（{'、'.join(subs)}）作为上一项的"
                              f"子项，序号记为“项号.行次”。")
        node = ParsedNode(kind="form", label=label, path=self.prefix + label,
                          heading=block.title, table=table, line=block.line)
        self.stack.clear()                  # a form ends the outline of the plan before it
        self._attach(node, None)
        self.open_para = False


# --------------------------------------------------------------------------------------------
# Tables and forms
# --------------------------------------------------------------------------------------------


def _cells(line: _Line) -> list[str]:
    return [squeeze(c) for c in line.raw.split("\t")]


def _build_table(block: _TableBlock, caption: str) -> ParsedTable:
    header = _cells(block.rows[0])
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    rows: list[list[object]] = []
    repeats = 0
    for line in block.rows[1:]:
        cells = _cells(line)
        if cells[:width] == header and all(c == "" for c in cells[width:]):
            repeats += 1                    # header reprinted where the table breaks pages
            continue
        cells = (cells + [""] * width)[:width] if all(c == "" for c in cells[width:]) \
            else cells
        rows.append([_number(c) for c in cells])
    meta = {"printed_parts": repeats + 1} if repeats else {}
    return ParsedTable(caption=caption, header=header, rows=rows, unit=block.unit,
                       note=block.note, meta=meta)


def _build_form(block: _FormBlock) -> ParsedTable:
    """A 零申报表 (107号附件): header fields, a two-row column header, items, 申报说明.

    Rows are [序号, 申报内容, 落实, 不落实].  A row with an empty 序号 continues the item above
    (表三 prints item 1 as four rows): our convention numbers it "1.2", "1.3" … so that each
    printed row stays a row and the numbered items are the rows whose 序号 is an int.
    """
    header_fields: list[str] = []
    head: list[str] = []           # first column-header row: 序号 / 申报内容 / 申报情况
    header: list[str] = []
    groups: dict[str, list[str]] = {}
    rows: list[list[object]] = []
    remarks = ""
    for line in block.rows:
        cells = _cells(line)
        if cells[0] == "序号":
            head = cells
        elif not head:
            header_fields += [c for c in cells if c]          # 申报单位主要负责人 …
        elif not header:
            header, groups = _merge_header_rows(head, cells)
        elif cells[0] in ("申报说明", "说明"):
            remarks = cells[0]
        elif isinstance(number := _number(cells[0]), int):
            rows.append([number, *_form_cells(cells)])
        elif len(cells) > 1 and cells[1] and rows:
            parent = rows[-1][0] if isinstance(rows[-1][0], int) else \
                int(str(rows[-1][0]).split(".")[0])
            sub = sum(1 for r in rows if str(r[0]).split(".")[0] == str(parent)) + 1
            rows.append([f"{parent}.{sub}", *_form_cells(cells)])
    meta = {"title": block.title, "header_fields": header_fields,
            "footer_fields": block.footer, "top_fields": block.top_fields,
            "column_groups": groups}
    if block.number_printed:
        meta["number_printed"] = block.number_printed
    if remarks:
        meta["remarks_label"] = remarks
    return ParsedTable(caption=block.title, header=header or ["序号", "申报内容", "落实", "不落实"],
                       rows=rows, kind="form", meta=meta)


def _merge_header_rows(upper: list[str], lower: list[str]) -> tuple[list[str], dict]:
    """Two header rows → one: a lower cell ("落实") replaces the spanning upper one ("申报情况")."""
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    header = [below or above for above, below in zip(upper, lower) if below or above]
    groups: dict[str, list[str]] = {}
    spanning = ""
    for above, below in zip(upper, lower):
        if above and below:
            spanning = above
        if spanning and below:
            groups.setdefault(spanning, []).append(below)
    return header, groups


def _form_cells(cells: list[str]) -> list[object]:
    content = cells[1] if len(cells) > 1 else ""
    marks = [_number(c) for c in cells[2:4]]
    return [content, *marks, *[None] * (2 - len(marks))]


def _resolve_merged_columns(annex: ParsedNode, docno: str, notes: list[str]) -> None:
    """Repair an indicator table whose leading columns are merged cells (62号附件2).

    The print gives 子系统 and 领域 only on their first row, leaves the header's first cell
    empty, shifts row 47 one column left, and omits the 子系统 label of rows 26–36 altogether.
    The prose under the table ("N. XX子系统 … 包括：领域—指标；…") says which domains make up
    which subsystem, so the subsystem is taken from the domain, not filled down blindly.
    """
    for node in annex.walk():
        table = node.table
        if table is None or table.kind != "table" or "序号" not in table.header:
            continue
        k = table.header.index("序号")
        if k == 0:
            continue
        _realign_rows(table, k, docno, notes)
        printed = [row[0] for row in table.rows]
        _fill_down(table, k)
        groups = _subsystems_from_prose(annex)
        if groups:
            if table.header[0] == "":
                table.header[0] = "子系统"
            _assign_groups_by_domain(table, k, printed, groups, docno, notes)
        _note_inverted_units(table, docno, notes)


def _realign_rows(table: ParsedTable, k: int, docno: str, notes: list[str]) -> None:
    # "47\t\t高新技术产业增加值占 GDP 比重\t%": the number sits in a merged column.
    for r, row in enumerate(table.rows):
        if isinstance(row[k], int) or not any(isinstance(c, int) for c in row[:k]):
            continue
        j = next(c for c in range(k) if isinstance(row[c], int))
        rest = [c for c in row[j + 1:] if c is not None]
        table.rows[r] = ([None] * k + [row[j]] + rest + [None] * len(row))[:len(row)]
        notes.append(f"{docno}：指标表第{row[j]}项印刷错位（序号印在第{j + 1}列），已按表头对齐。")


def _fill_down(table: ParsedTable, k: int) -> None:
    for c in range(k):
        last = None
        for row in table.rows:
            row[c] = row[c] if row[c] is not None else last
            last = row[c]


def _assign_groups_by_domain(table, k, printed, groups, docno, notes) -> None:
    by_domain = {dom: name for name, (_, doms) in groups.items() for dom in doms}
    fixed: dict[str, list[int]] = {}
    for row, printed_group in zip(table.rows, printed):
        want = by_domain.get(row[1]) if k >= 2 else None
        if not want or row[0] == want:
            continue
        if printed_group is not None:
            notes.append(f"{docno}：指标表第{row[k]}项印作“{printed_group}”，与表后说明"
                         f"（{want}）不符，按表中所印。")
            continue
        row[0] = want
        fixed.setdefault(want, []).append(row[k])
    for name, numbers in fixed.items():
        notes.append(f"{docno}：指标表第{min(numbers)}—{max(numbers)}项未印子系统名称（印刷遗漏"
                     f"“{name}”），按表后说明的领域归属补为“{name}”，而不是向下填充上一子系统。")
    for name, (stated, _) in groups.items():
        actual = sum(1 for row in table.rows if row[0] == name)
        if stated is not None and stated != actual:
            notes.append(f"{docno}：表后说明称“{name}子系统”共{stated}项指标，表中实列{actual}项"
                         f"（合计{len(table.rows)}项）。")


def _note_inverted_units(table: ParsedTable, docno: str, notes: list[str]) -> None:
    # "人均住房使用面积 … 人/平方米": a per-capita figure printed with the unit upside down.
    if "单位" not in table.header or "指标名称" not in table.header:
        return
    unit_col, name_col = table.header.index("单位"), table.header.index("指标名称")
    for row in table.rows:
        name, unit = str(row[name_col]), str(row[unit_col])
        if name.startswith("人均") and unit.startswith("人/"):
            notes.append(f"{docno}：指标“{name}”的单位印作“{unit}”，疑为“{unit[2:]}/人”之误，"
                         f"按原样保留。")


def _subsystems_from_prose(annex: ParsedNode) -> dict[str, tuple[int | None, list[str]]]:
    groups: dict[str, tuple[int | None, list[str]]] = {}
    for node in annex.walk():
        m = re.fullmatch(r"(.+?)子系统", node.heading)
        if not m or "包括" not in node.text:
            continue
        stated = re.search(r"共\s*(\d+)\s*项", node.text)
        listing = node.text.split("包括", 1)[1].lstrip("：:")
        domains = []
        for part in re.split(r"[；;]", listing):
            dm = re.match(r"\s*([^—\s]{2,10})\s*—+", part)
            if dm:
                domains.append(dm.group(1))
        groups[m.group(1)] = (int(stated.group(1)) if stated else None, domains)
    return groups


# --------------------------------------------------------------------------------------------
# Annexes
# --------------------------------------------------------------------------------------------

_ANNEX_LIST = re.compile(r"^附件\s*[：:]\s*(.+)$")
_ANNEX_HEADER = re.compile(r"^附件\s*([一二三四五六七八九十\d]*)$")
_LIST_ITEM = re.compile(r"^(\d+)\s*[.．、]\s*(.+)$")


def _take_annex_list(tokens: list[object]) -> tuple[list[object], list[str], ParsedNode | None]:
    """The document's own list of annexes ("附件：1. … / 2. …" or "附件：…") before the date."""
    for i, tok in enumerate(tokens):
        if not isinstance(tok, _Para) or not (m := _ANNEX_LIST.match(tok.line.text)):
            continue
        first = m.group(1).strip()
        titles: list[str] = []
        end = i + 1
        if im := _LIST_ITEM.match(first):
            titles.append(squeeze(im.group(2)))
            while end < len(tokens) and isinstance(tokens[end], _Para) and \
                    (im := _LIST_ITEM.match(tokens[end].line.text)) and \
                    int(im.group(1)) == len(titles) + 1:
                titles.append(squeeze(im.group(2)))
                end += 1
            text = "\n".join(f"{n}. {t}" for n, t in enumerate(titles, 1))
        else:
            titles.append(squeeze(first))
            text = titles[0]
        node = ParsedNode(kind="paragraph", label="附件：", path="附件目录", heading="附件",
                          text=text, line=tok.line.no)
        return tokens[:i] + tokens[end:], titles, node
    return tokens, [], None


def _parse_annexes(after: list[_Line], listed: list[str], docno: str,
                   notes: list[str]) -> list[ParsedNode]:
    content = [k for k, ln in enumerate(after) if ln.text]
    if not content:
        if listed:
            notes.append(f"{docno}：文中列有附件“{'、'.join(listed)}”，但成文日期后未印附件正文。")
        return []
    starts: list[tuple[int, int, str]] = []    # (index of first line, index of title, title)
    headers = [k for k in content if _ANNEX_HEADER.match(squeeze(after[k].text))]
    if headers:
        # (a) explicit "附件 1" / "附件 2" lines, each followed by the annex's title (59号).
        for k in headers:
            t = next((j for j in content if j > k), None)
            starts.append((k, t, squeeze(after[t].text) if t is not None else ""))
    elif listed:
        # (b) the lines equal to the titles the document listed ("附件：1. …").
        k0 = 0
        for title in listed:
            t = next((j for j in content if j >= k0 and squeeze(after[j].text) == title), None)
            if t is None:
                notes.append(f"{docno}：附件“{title}”在成文日期后未找到同名标题行。")
                continue
            starts.append((t, t, title))
            k0 = t + 1
    if not starts:
        # (c) a 印发/转发 notice: the issued text, title first, follows the signing date.
        t = content[0]
        starts.append((t, t, squeeze(after[t].text)))
        notes.append(f"{docno}：成文日期后印有《{starts[0][2]}》全文，作为该通知的唯一附件"
                     f"（路径前缀“附件”）。")
    if starts[0][0] != content[0]:
        notes.append(f"{docno}：成文日期与第一个附件之间的文字归入第一个附件。")
        starts[0] = (content[0], starts[0][1], starts[0][2])
    annexes = []
    for n, (first, title_at, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(after)
        if len(starts) == 1:
            label = "附件"
        else:
            m = _ANNEX_HEADER.match(squeeze(after[first].text)) if headers else None
            num = m.group(1) if m and m.group(1) else str(n + 1)
            label = f"附件{cn_to_int(num) if not num.isdigit() else int(num)}"
        annex = ParsedNode(kind="annex", label=label, path=label, heading=title,
                           line=after[first].no)
        body = [ln for k, ln in enumerate(after[first:end], first)
                if k != title_at and not (headers and k == first)]
        if headers and listed and n < len(listed) and listed[n] != title:
            notes.append(f"{docno}：{label}标题“{title}”与文中附件目录“{listed[n]}”不一致。")
        builder = _OutlineBuilder(prefix=label + " ", notes=notes, docno=docno, root=annex)
        builder.build(_tokenise(body))
        _resolve_merged_columns(annex, docno, notes)
        annexes.append(annex)
    forms = [n for a in annexes for n in a.walk() if n.kind == "form"]
    unnumbered = [n.label for n in forms if not n.table.meta.get("number_printed")]
    if unnumbered:
        notes.append(f"{docno}：{'、'.join(unnumbered)}未印“零申报表N”编号行，"
                     f"按出现顺序编为表一至表{_int_to_cn(len(forms))}。")
    return annexes


def _make_paths_unique(doc: ParsedDocument, notes: list[str]) -> None:
    seen: dict[str, int] = {}
    for node in doc.walk():
        if node.path in seen:
            seen[node.path] += 1
            new = f"{node.path}#{seen[node.path]}"
            notes.append(f"{doc.docno}：第{node.line}行的“{node.path}”与前文重复，路径记为“{new}”。")
            node.path = new
        else:
            seen[node.path] = 1


# --------------------------------------------------------------------------------------------
# Cross-references
# --------------------------------------------------------------------------------------------

_CITED = re.compile(r"(?P<series>[\u4e00-\u9fff]{1,6})〔(?P<year>\d{4})〕\s*(?P<num>\d+)\s*号")
_STATE_COUNCIL_ORDER = re.compile(r"国务院令\s*第?\s*(?P<num>\d+)\s*号")
# Words that can stand right before a document number but are not part of its series.
_LEAD_WORDS = re.compile(r"^.*(?:按照|根据|依据|执行|参照|详见|见|和|及|与|或|的|即)")
_TITLE_BEFORE = re.compile(r"《([^《》]{1,120})》\s*[（(]?\s*$")


def _find_crossrefs(doc: ParsedDocument) -> list[ParsedCrossRef]:
    refs: list[ParsedCrossRef] = []
    seen: set[tuple[str, str]] = set()
    for node in doc.walk():
        texts = [node.heading, node.text]
        if node.table is not None:
            texts += [str(c) for row in node.table.rows for c in row if isinstance(c, str)]
            texts.append(node.table.note)
        for text in texts:
            for raw, docno, start in _cited_in(text):
                if docno == doc.docno or (docno, node.path) in seen:
                    continue
                seen.add((docno, node.path))
                title = _TITLE_BEFORE.search(text[max(0, start - 130):start])
                refs.append(ParsedCrossRef(docno=docno, raw=raw,
                                           title=title.group(1) if title else "",
                                           node_path=node.path))
    return refs


def _cited_in(text: str):
    for m in _CITED.finditer(text):
        series = _LEAD_WORDS.sub("", m.group("series"))
        if not series:
            continue
        start = m.start() + (len(m.group("series")) - len(series))
        raw = text[start:m.end()]
        yield raw, re.sub(r"\s+", "", raw), start
    for m in _STATE_COUNCIL_ORDER.finditer(text):
        yield m.group(0), f"国务院令第{m.group('num')}号", m.start()


# --------------------------------------------------------------------------------------------
# Appointments (人事任免)
# --------------------------------------------------------------------------------------------

_APPOINT_HEAD = re.compile(r"^(任命|免去|任免)\s*[：:]$")
# Longest first: "常务副主任" before "副主任" before "主任".
_POST_TITLES = (
    "常务副主任", "常务副局长", "常务副市长", "常务副秘书长", "副董事长", "董事长", "副总经理",
    "总经理", "副秘书长", "秘书长", "副局长", "局长", "副主任", "主任", "副市长", "市长",
    "副区长", "区长", "副县长", "县长", "副书记", "书记", "副院长", "院长", "副处长", "处长",
    "副厅长", "厅长", "副部长", "部长", "副校长", "校长", "副所长", "所长", "副站长", "站长",
    "副主席", "主席", "副总裁", "总裁", "总监", "副总工程师", "总工程师", "副理事长", "理事长",
    "副会长", "会长", "副经理", "经理", "副组长", "组长", "监事长", "委员",
)
_POSTS = sorted(_POST_TITLES, key=len, reverse=True)
_QUALIFIER = re.compile(r"^(?:[正副][厅处科县局]级|试用期[一二三四五六七八九十\d]+年|"
                        r"挂职[一二三四五六七八九十\d]+年)$")


def _is_appointment_list(body: list[_Line]) -> bool:
    return any(_APPOINT_HEAD.match(ln.text) for ln in body[:5] if ln.text)


def _split_top(text: str, seps: str) -> list[str]:
    """Split at separators that are not inside brackets ("（正县级，试用期一年）")."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def _post_and_org(part: str, last_org: str) -> tuple[str, str, list[str]]:
    """"昆明市滇池管理局（市滇保办）副局长（副主任）" → (post, org, qualifiers)."""
    qualifiers: list[str] = []
    aliases: list[str] = []
    while part.endswith(("）", ")")):
        open_at = max(part.rfind("（"), part.rfind("("))
        inner = part[open_at + 1:-1]
        items = _split_top(inner, "，,、")
        if items and all(_QUALIFIER.match(q) for q in items):
            qualifiers = items + qualifiers
        else:
            aliases.insert(0, part[open_at:])       # an alias of the post: "主任（董事长）"
        part = part[:open_at]
    post = next((p for p in _POSTS if part.endswith(p)), "")
    org = part[:len(part) - len(post)] if post else part
    if post and not org:
        org = last_org                           # "副董事长、总经理": same organisation
    return post + "".join(aliases), org, qualifiers


def _years(qualifier: str, prefix: str) -> int | None:
    m = re.match(rf"{prefix}([一二三四五六七八九十\d]+)年", qualifier)
    return cn_to_int(m.group(1)) if m else None


def _appointment(person, action, part, last_org, source, order) -> ParsedAppointment:
    post, org, qualifiers = _post_and_org(part, last_org)
    rec = ParsedAppointment(person=person, action=action, post=post, org=org,
                            qualifiers=qualifiers, source=source, order=order)
    for q in qualifiers:
        if re.fullmatch(r"[正副][厅处科县局]级", q):
            rec.rank = q
        if (y := _years(q, "试用期")) is not None:
            rec.probation_years = y
        if (y := _years(q, "挂职")) is not None:
            rec.secondment_years = y
    return rec


def _parse_appointments(body: list[_Line]) -> tuple[list[ParsedNode], list[ParsedAppointment]]:
    nodes: list[ParsedNode] = []
    records: list[ParsedAppointment] = []
    mode = ""
    for ln in body:
        if not ln.text:
            continue
        if m := _APPOINT_HEAD.match(ln.text):
            mode = m.group(1)
            nodes.append(ParsedNode(kind="section", label=ln.text, path=mode, heading=mode,
                                    line=ln.no))
            continue
        if not nodes:
            nodes.append(ParsedNode(kind="preamble", label="", path="序言", line=ln.no))
        node = nodes[-1]
        node.text = f"{node.text}\n{ln.text}" if node.text else ln.text
        m = re.match(r"^(?P<person>.+?)同志(?P<rest>.+?)[；;。.]?$", ln.text)
        if not m:
            continue
        person = re.sub(r"\s+", "", m.group("person"))
        rest = m.group("rest")
        if mode == "免去":
            for part in _split_top(re.sub(r"职务$", "", rest), "，,、"):
                last = records[-1].org if records and records[-1].person == person else ""
                records.append(_appointment(person, "remove", part, last, ln.text,
                                            len(records) + 1))
            continue
        appoint_part, _, removal_part = rest.partition("，免去")
        action = "appoint_concurrent" if appoint_part.startswith("兼任") else "appoint"
        appoint_part = appoint_part[2:] if action == "appoint_concurrent" else appoint_part[1:]
        last_org = ""
        # "任A局副局长兼B局局长": the part after 兼 is a concurrent appointment.
        for k, chunk in enumerate(_split_concurrent(appoint_part)):
            for part in _split_top(chunk, "、"):
                rec = _appointment(person, action if k == 0 else "appoint_concurrent", part,
                                   last_org, ln.text, len(records) + 1)
                records.append(rec)
                last_org = rec.org
        if removal_part:
            for part in _split_top(re.sub(r"职务$", "", removal_part), "，,、"):
                rec = _appointment(person, "remove", part, last_org, ln.text, len(records) + 1)
                records.append(rec)
                last_org = rec.org
    return nodes, records


def _split_concurrent(text: str) -> list[str]:
    for post in _POSTS:
        for sep in ("兼任", "兼"):
            at = text.find(post + sep)
            if at > 0:
                cut = at + len(post)
                return [text[:cut]] + _split_concurrent(text[cut + len(sep):])
    return [text]


# --------------------------------------------------------------------------------------------
# Matching the tables of contents to the documents
# --------------------------------------------------------------------------------------------


def _match_toc(toc_zh: list[ParsedTocEntry], toc_en: list[ParsedTocEntry],
               documents: list[ParsedDocument], notes: list[str]) -> None:
    if not toc_zh:
        notes.append("未找到中文目录，文件未与目录对应。")
        return
    by_key = {}
    for doc in documents:
        by_key.setdefault(_loose_key(doc.issuer + doc.title), doc)
        by_key.setdefault(_loose_key(doc.docno), doc)
    matched: dict[int, ParsedDocument] = {}
    for n, entry in enumerate(toc_zh):
        key = _loose_key(_normalise_docno(entry.title))
        doc = by_key.get(key)
        if doc is not None and doc not in matched.values():
            matched[n] = doc
    # Second pass: a TOC title that differs from the body (109号) is matched to the unmatched
    # document in the same position when the two titles are still clearly alike.
    free_docs = [d for d in documents if d not in matched.values()]
    for n, entry in enumerate(toc_zh):
        if n in matched or not free_docs:
            continue
        best = max(free_docs, key=lambda d: _similarity(entry.title, d))
        if _similarity(entry.title, best) >= 0.6:
            matched[n] = best
            free_docs.remove(best)
    missing = [e for n, e in enumerate(toc_zh) if n not in matched]
    if missing:
        found = len(toc_zh) - len(missing)
        raise GazetteParseError(
            f"目录列出{len(toc_zh)}篇文件，正文只找到{found}篇：缺少 "
            + "；".join(f"“{e.title}”（第{e.page}页）" for e in missing)
            + "。文本可能被截断。")
    for n, entry in enumerate(toc_zh):
        doc = matched[n]
        entry.docno = doc.docno
        doc.section, doc.page, doc.toc_title = entry.section, entry.page, entry.title
        _note_title_difference(entry, doc, notes)
    for doc in free_docs:
        notes.append(f"{doc.docno}“{doc.title}”在正文中，但目录未列出。")
    # English entries map to the Chinese ones by order within the section.
    zh_sections = list(dict.fromkeys(e.section for e in toc_zh))
    en_sections = list(dict.fromkeys(e.section for e in toc_en))
    for s_zh, s_en in zip(zh_sections, en_sections):
        zh = [e for e in toc_zh if e.section == s_zh]
        en = [e for e in toc_en if e.section == s_en]
        if len(zh) != len(en):
            notes.append(f"英文目录“{s_en}”有{len(en)}条，中文目录“{s_zh}”有{len(zh)}条，按顺序对应。")
        for e_zh, e_en in zip(zh, en):
            e_en.docno = e_zh.docno
            if not e_en.title:
                notes.append(f"英文目录“{s_en}”一栏只印页码（{e_en.page}）而无标题，"
                             f"按顺序对应{e_zh.docno}。")
            if e_en.page != e_zh.page:
                notes.append(f"英文目录“{e_en.title}”页码{e_en.page}与中文目录页码{e_zh.page}不同。")


def _similarity(toc_title: str, doc: ParsedDocument) -> float:
    return difflib.SequenceMatcher(None, _loose_key(toc_title),
                                   _loose_key(doc.issuer + doc.title)).ratio()


def _note_title_difference(entry: ParsedTocEntry, doc: ParsedDocument,
                           notes: list[str]) -> None:
    if _loose_key(_normalise_docno(entry.title)) == _loose_key(doc.docno):
        return
    body = doc.issuer + doc.title
    if _loose_key(entry.title) == _loose_key(body):
        if squeeze(entry.title) != body:
            notes.append(f"{doc.docno}：目录标题“{entry.title}”与正文“{body}”仅标点不同，"
                         f"视为同一文件，标题取正文。")
        return
    issuer_in_toc = _ISSUER.match(entry.title)
    toc_issuer = issuer_in_toc.group("issuer") if issuer_in_toc else ""
    detail = (f"目录作{toc_issuer}文件“{entry.title}”，正文发文机关为{doc.issuer}、"
              f"标题为“{doc.title}”" if toc_issuer and toc_issuer != doc.issuer else
              f"目录作“{entry.title}”，正文作“{body}”")
    notes.append(f"{doc.docno}：目录与正文不一致，{detail}；title取正文，toc_title保留目录。")
