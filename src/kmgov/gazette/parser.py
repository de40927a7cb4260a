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

Node paths (unique within a document; a collision gets "#2"):

* outline labels normalised and joined without separators: 一 / 一(二) / 三(一)1 / 三(一)1(2);
* chapters 第二章; articles 第七条 (not under their chapter: articles are numbered through
  the document); items of an article 第七条(二);
* text before the first heading: 序言; a document's own list of annexes: 附件目录;
* annexes 附件 (one) or 附件1, 附件2 (several), and their nodes prefixed with a space:
  附件 第七条(二), 附件1 第二条; tables 附件1 表 (表2 … for further tables); forms 附件 表一.

Everything that is an *interpretation* (not just reading) is recorded, one Chinese sentence
each, in `ParsedIssue.notes`.  Pure Python, standard library only; no I/O.  The pieces live
in `kmgov.gazette.parsing`.
"""

from __future__ import annotations

import hashlib

from .parsed import GazetteParseError, ParsedIssue
from .parsing.documents import check_unique_docnos, parse_document, split_documents
from .parsing.front import (
    match_toc,
    parse_english_front,
    parse_masthead,
    parse_toc_en,
    parse_toc_zh,
)
from .parsing.outline import split_heading
from .parsing.text import Line, cn_to_int, squeeze

__all__ = [
    "GazetteParseError", "cn_to_int", "parse_bytes", "parse_issue", "split_heading", "squeeze",
]


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


def parse_issue(text: str) -> ParsedIssue:
    """Parse the whole text of one issue.  Raises `GazetteParseError` (message in Chinese)."""
    _refuse_non_text(text)
    text_norm = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(i + 1, raw.strip(), raw.rstrip("\n")) for i, raw in
             enumerate(text_norm.split("\n"))]
    notes: list[str] = []

    issue, pos = parse_masthead(lines)
    issue.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    toc_zh, pos = parse_toc_zh(lines, pos)
    pos = parse_english_front(lines, pos, issue, notes)
    toc_en, pos = parse_toc_en(lines, pos)
    sections = [e.section for e in toc_zh]
    documents = split_documents(lines, pos, set(sections))
    for order, doc_lines in enumerate(documents, start=1):
        issue.documents.append(parse_document(doc_lines, order, notes))
    check_unique_docnos(issue.documents)
    match_toc(toc_zh, toc_en, issue.documents, notes)
    issue.toc = toc_zh + toc_en
    issue.notes = notes
    return issue
