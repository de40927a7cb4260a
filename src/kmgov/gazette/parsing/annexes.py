"""Annexes (附件): what follows a document's signing date."""

from __future__ import annotations

import re

from ..parsed import ParsedNode
from .blocks import Para, tokenise
from .outline import OutlineBuilder
from .tables import resolve_merged_columns
from .text import Line, cn_to_int, int_to_cn, squeeze

_ANNEX_LIST = re.compile(r"^附件\s*[：:]\s*(.+)$")
_ANNEX_HEADER = re.compile(r"^附件\s*([一二三四五六七八九十\d]*)$")
_LIST_ITEM = re.compile(r"^(\d+)\s*[.．、]\s*(.+)$")


def take_annex_list(tokens: list[object]) -> tuple[list[object], list[str], ParsedNode | None]:
    """The document's own list of annexes ("附件：1. … / 2. …" or "附件：…") before the date."""
    for i, tok in enumerate(tokens):
        if not isinstance(tok, Para) or not (m := _ANNEX_LIST.match(tok.line.text)):
            continue
        first = m.group(1).strip()
        titles: list[str] = []
        end = i + 1
        if im := _LIST_ITEM.match(first):
            titles.append(squeeze(im.group(2)))
            while end < len(tokens) and isinstance(tokens[end], Para) and \
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


def parse_annexes(after: list[Line], listed: list[str], docno: str,
                  notes: list[str]) -> list[ParsedNode]:
    """The annex nodes built from the lines after the signing date."""
    content = [k for k, ln in enumerate(after) if ln.text]
    if not content:
        if listed:
            notes.append(f"{docno}：文中列有附件“{'、'.join(listed)}”，但成文日期后未印附件正文。")
        return []
    starts, explicit = _annex_starts(after, content, listed, docno, notes)
    if starts[0][0] != content[0]:
        notes.append(f"{docno}：成文日期与第一个附件之间的文字归入第一个附件。")
        starts[0] = (content[0], starts[0][1], starts[0][2])
    annexes = []
    for n, (first, title_at, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(after)
        label = _annex_label(after[first].text if explicit else "", n, len(starts))
        annex = ParsedNode(kind="annex", label=label, path=label, heading=title,
                           line=after[first].no)
        body = [ln for k, ln in enumerate(after[first:end], first)
                if k != title_at and not (explicit and k == first)]
        if explicit and listed and n < len(listed) and listed[n] != title:
            notes.append(f"{docno}：{label}标题“{title}”与文中附件目录“{listed[n]}”不一致。")
        OutlineBuilder(prefix=label + " ", notes=notes, docno=docno, root=annex).build(
            tokenise(body))
        resolve_merged_columns(annex, docno, notes)
        annexes.append(annex)
    _note_unnumbered_forms(annexes, docno, notes)
    return annexes


def _annex_starts(after, content, listed, docno, notes) -> tuple[list[tuple[int, int, str]], bool]:
    """[(first line, title line, title)] of each annex, and whether "附件 N" lines were printed."""
    headers = [k for k in content if _ANNEX_HEADER.match(squeeze(after[k].text))]
    if headers:
        # (a) explicit "附件 1" / "附件 2" lines, each followed by the annex's title (59号).
        starts = []
        for k in headers:
            t = next((j for j in content if j > k), k)
            starts.append((k, t, squeeze(after[t].text) if t != k else ""))
        return starts, True
    starts = []
    if listed:
        # (b) the lines equal to the titles the document listed ("附件：1. …", 62号, 63号).
        k0 = 0
        for title in listed:
            t = next((j for j in content if j >= k0 and squeeze(after[j].text) == title), None)
            if t is None:
                notes.append(f"{docno}：附件“{title}”在成文日期后未找到同名标题行。")
                continue
            starts.append((t, t, title))
            k0 = t + 1
    if not starts:
        # (c) a 印发/转发 notice (106、107、108、111号): the issued text, its title first,
        # is printed after the signing date; it is the notice's one annex.
        t = content[0]
        starts.append((t, t, squeeze(after[t].text)))
        notes.append(f"{docno}：成文日期后印有《{starts[0][2]}》全文，作为该通知的唯一附件"
                     f"（路径前缀“附件”）。")
    return starts, False


def _annex_label(header_line: str, n: int, count: int) -> str:
    """"附件" for a single annex, else "附件1", "附件2" … (the printed number when there is one)."""
    if count == 1:
        return "附件"
    m = _ANNEX_HEADER.match(squeeze(header_line))
    num = m.group(1) if m and m.group(1) else str(n + 1)
    return f"附件{cn_to_int(num)}"


def _note_unnumbered_forms(annexes: list[ParsedNode], docno: str, notes: list[str]) -> None:
    forms = [n for a in annexes for n in a.walk() if n.kind == "form"]
    unnumbered = [n.label for n in forms if not n.table.meta.get("number_printed")]
    if unnumbered:
        notes.append(f"{docno}：{'、'.join(unnumbered)}未印“零申报表N”编号行，"
                     f"按出现顺序编为表一至表{int_to_cn(len(forms))}。")
