"""Splitting the body into documents (issuer / title / 文号 …) and reading one document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..parsed import GazetteParseError, ParsedDocument
from .annexes import parse_annexes, take_annex_list
from .appointments import is_appointment_list, parse_appointments
from .blocks import tokenise
from .crossrefs import find_crossrefs
from .outline import OutlineBuilder
from .text import Line, is_date, normalise_docno, parse_date, squeeze

_DOCNO = re.compile(
    r"^(?P<series>[\u4e00-\u9fff]{1,8})〔(?P<year>\d{4})〕\s*"
    r"(?P<number>\d+(?:\s*[-—–－]\s*\d+)?)\s*号$")
# An issuer line: "昆明市人民政府", "昆明市人民政府办公厅" (longest alternative first).
ISSUER = re.compile(r"^(?!关于)(?P<issuer>[\u4e00-\u9fff]{2,12}?"
                    r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室))")


@dataclass
class _DocLines:
    issuer: str
    title: str
    docno_line: Line
    lines: list[Line]         # from the docno line (exclusive) to the document's end
    line_start: int
    line_end: int


def _issuer_of(text: str, section_names: set[str]) -> tuple[str, str] | None:
    """(issuer, rest of the line) when the line begins with an issuer, else None."""
    flat = squeeze(text)
    if flat in section_names or flat == "人事任免":
        return flat, ""
    m = ISSUER.match(flat)
    if not m:
        return None
    rest = flat[m.end():]
    if rest and (not rest.startswith("关于") or "。" in rest or len(rest) > 80):
        return None
    return m.group("issuer"), rest


def split_documents(lines: list[Line], pos: int,
                    section_names: set[str]) -> list[_DocLines]:
    """Each 文号 line starts a document; its header (issuer, title) is printed above it."""
    docno_at = [i for i in range(pos, len(lines)) if _DOCNO.match(lines[i].text)]
    if not docno_at:
        raise GazetteParseError("正文中未找到任何文件（文号行如“昆政发〔2010〕59号”）")
    headers = [_header_above(lines, i, pos, section_names) for i in docno_at]
    _refuse_documents_without_docno(lines, pos, headers, section_names)
    documents = []
    for n, ((start, issuer, title), i) in enumerate(zip(headers, docno_at, strict=True)):
        end = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
        last = end - 1
        while last > i and not lines[last].text:
            last -= 1
        documents.append(_DocLines(issuer=issuer,
                                   # "人 事 任 免" is issuer and heading at once; no title
                                   title=title or issuer,
                                   docno_line=lines[i], lines=lines[i + 1:end],
                                   line_start=lines[start].no, line_end=lines[last].no))
    return documents


def _header_above(lines: list[Line], i: int, pos: int,
                  section_names: set[str]) -> tuple[int, str, str]:
    """(index of the issuer line, issuer, title) for the 文号 on line index i."""
    above: list[int] = []               # non-blank lines above the 文号, nearest first
    j = i - 1
    while j >= pos and len(above) < 4:
        if lines[j].text:
            if _DOCNO.match(lines[j].text) or is_date(lines[j].text):
                break
            above.append(j)
        j -= 1
    for k, j in enumerate(above):
        who = _issuer_of(lines[j].text, section_names)
        if who:
            # The title is the rest of the issuer line (108号 prints both on one line) plus
            # the lines down to the 文号; titles wrap and carry stray spaces.
            parts = [who[1]] + [lines[t].text for t in reversed(above[:k])]
            return j, who[0], squeeze(" ".join(p for p in parts if p))
    raise GazetteParseError(f"第{lines[i].no}行文号“{lines[i].text}”上方未找到发文机关和标题")


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


def check_unique_docnos(documents: list[ParsedDocument]) -> None:
    seen: set[str] = set()
    for doc in documents:
        if doc.docno in seen:
            raise GazetteParseError(f"文号“{doc.docno}”在正文中出现了两次")
        seen.add(doc.docno)


def parse_document(d: _DocLines, order: int, notes: list[str]) -> ParsedDocument:
    """Header fields, then body → nodes, annexes, cross-references (or appointments)."""
    m = _DOCNO.match(d.docno_line.text)
    docno = normalise_docno(d.docno_line.text)
    doc = ParsedDocument(
        docno=docno, docno_printed=d.docno_line.text, series=m.group("series"),
        year=int(m.group("year")), number=normalise_docno(m.group("number")),
        issuer=d.issuer, title=d.title, order=order,
        line_start=d.line_start, line_end=d.line_end)
    if d.title == d.issuer:
        notes.append(f"{docno}：正文只印“{d.issuer}”而无标题，标题按“{d.issuer}”记录。")
    doc.addressees, body = _take_addressees(d.lines)
    if is_appointment_list(body):
        doc.nodes, doc.appointments = parse_appointments(body)
    else:
        doc.signed_on, body, after = _split_at_signing_date(body, docno, notes)
        tokens, listed, list_node = take_annex_list(tokenise(body))
        doc.nodes = OutlineBuilder(prefix="", notes=notes, docno=docno).build(tokens)
        if list_node:
            doc.nodes.append(list_node)
        doc.nodes.extend(parse_annexes(after, listed, docno, notes))
    _make_paths_unique(doc, notes)
    doc.crossrefs = find_crossrefs(doc)
    return doc


def _take_addressees(lines: list[Line]) -> tuple[str, list[Line]]:
    """The first line after the 文号 when it ends in "：" ("各县（市）、区人民政府，…：").

    Short lines such as "任命：" (昆政任) are headings, not addressees.
    """
    first = next((k for k, ln in enumerate(lines) if ln.text), None)
    if first is None:
        return "", lines
    text = lines[first].text
    if text[-1] in "：:" and len(text) >= 6 and "。" not in text:
        return squeeze(text[:-1]), lines[first + 1:]
    return "", lines


def _split_at_signing_date(body: list[Line], docno: str,
                           notes: list[str]) -> tuple[date | None, list[Line], list[Line]]:
    """(signing date, lines before it, lines after it: the annexes)."""
    at = next((k for k, ln in enumerate(body) if is_date(ln.text)), None)
    if at is None:
        notes.append(f"{docno}：未找到成文日期（如“二〇一〇年六月二十二日”），signed_on留空。")
        return None, body, []
    try:
        signed_on = parse_date(body[at].text)
    except ValueError as exc:
        raise GazetteParseError(f"第{body[at].no}行成文日期无效：“{body[at].text}”") from exc
    return signed_on, body[:at], body[at + 1:]


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
