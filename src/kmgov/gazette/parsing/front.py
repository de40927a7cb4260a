"""The masthead, the Chinese and English tables of contents, and matching TOC entries to
documents (the TOC is also how a truncated issue is recognised)."""

from __future__ import annotations

import difflib
import re
from datetime import date

from ..parsed import GazetteParseError, ParsedDocument, ParsedIssue, ParsedTocEntry
from .documents import ISSUER
from .text import Line, loose_key, normalise_docno, squeeze

_ISSUE_LINE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*第\s*(\d+)\s*号")
_SERIAL = re.compile(r"总\s*号\s*[:：]?\s*(\d+)")


def parse_masthead(lines: list[Line]) -> tuple[ParsedIssue, int]:
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


def parse_toc_zh(lines: list[Line], pos: int) -> tuple[list[ParsedTocEntry], int]:
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


def _next_text(lines: list[Line], i: int) -> str:
    return next((ln.text for ln in lines[i + 1:i + 4] if ln.text), "")


def parse_english_front(lines: list[Line], pos: int, issue: ParsedIssue,
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


def parse_toc_en(lines: list[Line], pos: int) -> tuple[list[ParsedTocEntry], int]:
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


def match_toc(toc_zh: list[ParsedTocEntry], toc_en: list[ParsedTocEntry],
              documents: list[ParsedDocument], notes: list[str]) -> None:
    """Pair TOC entries with documents; a TOC entry with no document means a truncated text."""
    if not toc_zh:
        notes.append("未找到中文目录，文件未与目录对应。")
        return
    matched = _pair_entries_with_documents(toc_zh, documents)
    missing = [e for n, e in enumerate(toc_zh) if n not in matched]
    if missing:
        raise GazetteParseError(
            f"目录列出{len(toc_zh)}篇文件，正文只找到{len(toc_zh) - len(missing)}篇：缺少 "
            + "；".join(f"“{e.title}”（第{e.page}页）" for e in missing)
            + "。文本可能被截断。")
    for n, entry in enumerate(toc_zh):
        doc = matched[n]
        entry.docno = doc.docno
        doc.section, doc.page, doc.toc_title = entry.section, entry.page, entry.title
        _note_title_difference(entry, doc, notes)
    for doc in documents:
        if doc not in matched.values():
            notes.append(f"{doc.docno}“{doc.title}”在正文中，但目录未列出。")
    _map_english_entries(toc_zh, toc_en, notes)


def _pair_entries_with_documents(toc_zh: list[ParsedTocEntry],
                                 documents: list[ParsedDocument]) -> dict[int, ParsedDocument]:
    by_key: dict[str, ParsedDocument] = {}
    for doc in documents:
        by_key.setdefault(loose_key(doc.issuer + doc.title), doc)
        by_key.setdefault(loose_key(doc.docno), doc)       # "昆政任〔2010〕1—8 号" entries
    matched: dict[int, ParsedDocument] = {}
    for n, entry in enumerate(toc_zh):
        doc = by_key.get(loose_key(normalise_docno(entry.title)))
        if doc is not None and doc not in matched.values():
            matched[n] = doc
    # A TOC title that differs from the body's (109号: "关于切实做好…" vs "关于做好…") is paired
    # with the most similar document left over, if the two are still clearly alike.
    free = [d for d in documents if d not in matched.values()]
    for n, entry in enumerate(toc_zh):
        if n in matched or not free:
            continue
        best = max(free, key=lambda d: _similarity(entry.title, d))
        if _similarity(entry.title, best) >= 0.6:
            matched[n] = best
            free.remove(best)
    return matched


def _map_english_entries(toc_zh: list[ParsedTocEntry], toc_en: list[ParsedTocEntry],
                         notes: list[str]) -> None:
    """English entries map to the Chinese ones by order within the same-numbered section."""
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
    return difflib.SequenceMatcher(None, loose_key(toc_title),
                                   loose_key(doc.issuer + doc.title)).ratio()


def _note_title_difference(entry: ParsedTocEntry, doc: ParsedDocument,
                           notes: list[str]) -> None:
    if loose_key(normalise_docno(entry.title)) == loose_key(doc.docno):
        return
    body = doc.issuer + doc.title
    if loose_key(entry.title) == loose_key(body):
        if squeeze(entry.title) != body:
            notes.append(f"{doc.docno}：目录标题“{entry.title}”与正文“{body}”仅标点不同，"
                         f"视为同一文件，标题取正文。")
        return
    issuer_in_toc = ISSUER.match(entry.title)
    toc_issuer = issuer_in_toc.group("issuer") if issuer_in_toc else ""
    detail = (f"目录作{toc_issuer}文件“{entry.title}”，正文发文机关为{doc.issuer}、"
              f"标题为“{doc.title}”" if toc_issuer and toc_issuer != doc.issuer else
              f"目录作“{entry.title}”，正文作“{body}”")
    notes.append(f"{doc.docno}：目录与正文不一致，{detail}；title取正文，toc_title保留目录。")
