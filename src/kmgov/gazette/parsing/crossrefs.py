"""Document numbers a document cites, with the 《title》 printed before them (GZ-4)."""

from __future__ import annotations

import re

from ..parsed import ParsedCrossRef, ParsedDocument

_CITED = re.compile(r"(?P<series>[\u4e00-\u9fff]{1,6})〔(?P<year>\d{4})〕\s*(?P<num>\d+)\s*号")
_STATE_COUNCIL_ORDER = re.compile(r"国务院令\s*第?\s*(?P<num>\d+)\s*号")

# Words that can stand right before a document number but are not part of its series.
_LEAD_WORDS = re.compile(r"^.*(?:按照|根据|依据|执行|参照|详见|见|和|及|与|或|的|即)")
_TITLE_BEFORE = re.compile(r"《([^《》]{1,120})》\s*[（(]?\s*$")


def find_crossrefs(doc: ParsedDocument) -> list[ParsedCrossRef]:
    """One record per cited number and node (headings, text, table cells); not the own 文号."""
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
