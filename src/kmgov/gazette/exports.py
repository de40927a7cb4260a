"""Export one gazette document as JSON and as Akoma Ntoso 3.0 (OASIS LegalDocML) XML.

Both exports read only the `parsed` dataclasses, so the same code serves a document fresh
from the parser and one rebuilt from the database.

JSON
----
`document_to_json(issue, doc)` is a plain dict (dates as ISO strings, keys in a fixed order);
`document_from_json(d)` rebuilds the `ParsedDocument` exactly (tested: a round trip is equal).
Each node also carries its Akoma Ntoso `eId`, so a JSON consumer can point into the XML.

Akoma Ntoso
-----------
URI scheme (FRBR, after the AKN naming convention, with a stable ASCII number per series)::

    series code    昆政发 → kzf   昆政办 → kzb   昆政任 → kzr   (others: percent-encoded)
    work           /akn/cn-km/{type}/{year}/{code}-{number}      e.g. /akn/cn-km/act/2010/kzf-59
    expression     {work}/zho@{date}         date = signing date, else the issue date
    manifestation  {expression}.akn          (FRBRthis {expression}/!main.xml)
    attachment     FRBRthis {work}/!att_{n}  (same work, component att_n)
    cited docs     昆政发/昆政办/昆政任 → the same scheme; others /akn/cn/act/{year}/{code}-{number}
                   with pinyin codes for the series cited in this issue (云政发 → yzf, 国务院令 →
                   gwyl: /akn/cn/act/gwyl-493 when no year is printed)

{type} is `act` for the opinions (意见) and notices (通知) — administrative normative documents
structured like legislation, as AKN users do for government notices — and `doc` for the
appointments list (`<doc name="appointments">`), which is a list of personnel decisions.

Element mapping (node.kind → element; eId prefix)::

    chapter → chapter (chp)      article → article (art)     section 一、→ section (sec)
    item （一）/1. → point (point) paragraph → paragraph (para)
    table/form → hcontainer name="table"|"form" whose content holds <table> (caption, th, td;
               None → empty <td/>); a form's blank fields → p/fillIn, its column groups →
               th colspan/rowspan, its 申报说明 → a last row; unit and note → p around it
    preamble → <preamble><container name="preamble"> (or an hcontainer in the body when the
               document has nothing else: body/mainBody must not be empty)
    annex → attachments/attachment(att) with a nested <act name="measures"> when it has
            chapters/articles, else <doc name="annex">
    heading → num (label as printed) + heading;  text → content/p, or intro/p when the node also
    has children (the schema's `hierarchy` type allows either content or intro+children).
    signed_on → conclusions/p/date;  addressees → preface/container name="addressees";
    crossrefs → inline <ref href> where the citation is printed, plus a TLCReference each.
    issuer → preface docProponent (→ TLCOrganization, also the FRBRauthor);  docno → docNumber.
    appointments → marked up in the printed line they come from: person, organization and role
            inlines pointing at TLCPerson/TLCOrganization/TLCRole, each <role> carrying its
            record's action and terms as kmgov: attributes; records no node prints become
            hcontainer name="appoint"|"remove" / blockList / item. All records are also listed
            whole under meta/proprietary.

eIds follow the AKN convention (`chp_2__art_7__point_2`): each level is the element's prefix
and the number read from its printed label (Chinese numerals converted), else its ordinal
among siblings of that prefix; inside an attachment they are prefixed with `att_{n}__` because
the schema requires eIds to be unique in the whole outer document, attachments included.
Every hierarchy element also carries the parser's path as `kmgov:path`.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from urllib.parse import quote

from lxml import etree

from .parsed import (
    ParsedAppointment,
    ParsedCrossRef,
    ParsedDocument,
    ParsedIssue,
    ParsedNode,
    ParsedTable,
)

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
KMGOV_NS = "urn:x-kmgov:gazette:1"
NSMAP = {None: AKN_NS, "kmgov": KMGOV_NS}
JSON_FORMAT = "kmgov.gazette.document/1"

COUNTRY = "cn-km"
LANGUAGE = "zho"  # ISO 639-2, as the AKN naming convention wants

# Stable ASCII codes (pinyin initials) for the document series printed in this issue.
SERIES_CODES = {
    "昆政发": "kzf", "昆政办": "kzb", "昆政任": "kzr",
    "云政发": "yzf", "云府明电": "yfmd", "国办发": "gbf", "财税": "cs", "国务院令": "gwyl",
}
OWN_SERIES = {"昆政发", "昆政办", "昆政任"}

# The bodies that issue the documents; eIds are pinyin initials, hrefs AKN ontology IRIs.
ORGANIZATIONS = {
    "昆明市人民政府": ("kmszf", "kunming-municipal-peoples-government"),
    "昆明市人民政府办公厅": ("kmszfbgt", "kunming-municipal-peoples-government-general-office"),
}
SERIES_ISSUER = {"昆政发": "昆明市人民政府", "昆政任": "昆明市人民政府",
                 "昆政办": "昆明市人民政府办公厅"}
PLATFORM = ("kmgov", "/akn/ontology/organization/cn-km/kmgov", "kmgov")

# node.kind → (AKN element, eId prefix). hcontainer is the schema's generic hierarchy element.
HIER = {
    "chapter": ("chapter", "chp"),
    "article": ("article", "art"),
    "section": ("section", "sec"),
    "item": ("point", "point"),
    "paragraph": ("paragraph", "para"),
}
ACTIONS = {"appoint": "任", "appoint_concurrent": "兼任", "remove": "免去"}

# XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ------------------------------------------------------------------------------------ JSON

def document_to_json(issue: ParsedIssue, doc: ParsedDocument) -> dict:
    """The whole document as JSON-ready data; dates are ISO strings."""
    eids = assign_eids(doc)
    return {
        "format": JSON_FORMAT,
        "uri": work_uri(doc),
        "issue": _issue_json(issue),
        "document": _doc_meta_json(doc),
        "nodes": [_node_json(n, eids) for n in doc.nodes],
        "crossrefs": [_flat_json(c) for c in doc.crossrefs],
        "appointments": [_flat_json(a) for a in doc.appointments],
    }


def document_from_json(d: dict) -> ParsedDocument:
    """Inverse of `document_to_json` (the issue masthead and eIds are not part of the document)."""
    meta = dict(d["document"])
    meta["signed_on"] = date.fromisoformat(meta["signed_on"]) if meta.get("signed_on") else None
    return ParsedDocument(
        **_known(ParsedDocument, meta),
        nodes=[_node_from_json(n) for n in d.get("nodes", [])],
        crossrefs=[ParsedCrossRef(**_known(ParsedCrossRef, c)) for c in d.get("crossrefs", [])],
        appointments=[ParsedAppointment(**_known(ParsedAppointment, a))
                      for a in d.get("appointments", [])],
    )


def _issue_json(issue: ParsedIssue) -> dict:
    return {
        "city": issue.city, "title": issue.title, "title_en": issue.title_en,
        "editor": issue.editor, "issue_date": issue.issue_date.isoformat(),
        "year": issue.year, "number": issue.number, "serial": issue.serial,
    }


def _doc_meta_json(doc: ParsedDocument) -> dict:
    skip = {"nodes", "crossrefs", "appointments"}
    out = {f.name: getattr(doc, f.name) for f in fields(doc) if f.name not in skip}
    out["signed_on"] = doc.signed_on.isoformat() if doc.signed_on else None
    return out


def _flat_json(obj) -> dict:
    """A dataclass of plain values (crossref, appointment) as a dict, lists copied."""
    return {f.name: _copy(getattr(obj, f.name)) for f in fields(obj)}


def _copy(v):
    if isinstance(v, list):
        return [_copy(x) for x in v]
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    return v


def _node_json(node: ParsedNode, eids: dict) -> dict:
    out = {f.name: getattr(node, f.name) for f in fields(node)
           if f.name not in ("children", "table")}  # kind, label, path, heading, text, line
    out["eid"] = eids.get(id(node))
    out["table"] = _flat_json(node.table) if node.table else None
    out["children"] = [_node_json(c, eids) for c in node.children]
    return out


def _node_from_json(d: dict) -> ParsedNode:
    table = ParsedTable(**_known(ParsedTable, d["table"])) if d.get("table") else None
    plain = {k: v for k, v in _known(ParsedNode, d).items() if k not in ("children", "table")}
    return ParsedNode(**plain, table=table,
                      children=[_node_from_json(c) for c in d.get("children", [])])


def _known(cls, d: dict) -> dict:
    """Only the keys the dataclass declares (JSON may carry extras such as `eid`)."""
    names = {f.name for f in fields(cls)}
    return {k: _copy(v) for k, v in d.items() if k in names}


# ----------------------------------------------------------------------------- URIs, eIds

def series_code(series: str) -> str:
    return SERIES_CODES.get(series) or quote(series, safe="")


def is_appointments(doc: ParsedDocument) -> bool:
    return doc.series == "昆政任" or (bool(doc.appointments) and not doc.nodes)


def doc_type(doc: ParsedDocument) -> str:
    return "doc" if is_appointments(doc) else "act"


def doc_name(doc: ParsedDocument) -> str:
    """The `name` attribute / FRBRsubtype: what kind of instrument the title says it is."""
    if is_appointments(doc):
        return "appointments"
    title = doc.title.rstrip("）)")
    if title.endswith("通知"):
        return "notice"
    if title.endswith("意见"):
        return "opinion"
    return "document"


def work_uri(doc: ParsedDocument) -> str:
    return f"/akn/{COUNTRY}/{doc_type(doc)}/{doc.year}/{series_code(doc.series)}-{doc.number}"


def expression_date(issue: ParsedIssue, doc: ParsedDocument) -> date:
    return doc.signed_on or issue.issue_date


_DOCNO = re.compile(r"^(?P<series>.+?)(?:〔(?P<year>\d{4})〕|第)(?P<number>[\d\-—]+)号$")


def cited_uri(docno: str) -> str:
    """AKN IRI of a cited document: our series in the cn-km scheme, anything else under /akn/cn."""
    m = _DOCNO.match(docno.replace(" ", ""))
    if not m:
        return f"/akn/cn/act/{quote(docno, safe='')}"
    series, year, number = m["series"], m["year"], m["number"].replace("—", "-")
    code = series_code(series)
    if series in OWN_SERIES and year:
        return f"/akn/{COUNTRY}/{'doc' if series == '昆政任' else 'act'}/{year}/{code}-{number}"
    return f"/akn/cn/act/{year}/{code}-{number}" if year else f"/akn/cn/act/{code}-{number}"


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_LABEL_NUM = re.compile(r"\d+|[〇零一二两三四五六七八九十百千]+")


def cn_number(s: str) -> int:
    """"二十四" → 24, "十一" → 11, "一百零三" → 103; without 十/百/千 digit by digit: "二〇" → 20."""
    if not any(ch in _CN_UNITS for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, digit = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def label_number(label: str) -> int | None:
    """The number a printed label carries: 第七条 → 7, （二） → 2, 1. → 1, 附件1 → 1, 表一 → 1."""
    m = _LABEL_NUM.search(label or "")
    if not m:
        return None
    return int(m.group()) if m.group().isdigit() else cn_number(m.group())


def element_for(node: ParsedNode) -> tuple[str, str]:
    """(AKN element, eId prefix); hcontainer name = prefix for kinds AKN has no element for."""
    return HIER.get(node.kind, ("hcontainer", re.sub(r"\W", "", node.kind or "") or "hcontainer"))


def assign_eids(doc: ParsedDocument) -> dict[int, str]:
    """eId of every node (keyed by id(node)), unique over the whole document."""
    eids: dict[int, str] = {}
    used: set[str] = set()
    annexes = [n for n in doc.nodes if n.kind == "annex"]
    _assign_level([n for n in doc.nodes if n.kind != "annex"], "", eids, used)
    for i, annex in enumerate(annexes, 1):
        eids[id(annex)] = _unique(f"att_{i}", used)
        _assign_level(annex.children, eids[id(annex)] + "__", eids, used)
    return eids


def _assign_level(nodes: list[ParsedNode], prefix: str, eids: dict, used: set) -> None:
    ordinals: dict[str, int] = {}
    for node in nodes:
        short = element_for(node)[1]
        ordinals[short] = ordinals.get(short, 0) + 1
        num = label_number(node.label)
        eid = _unique(f"{prefix}{short}_{num if num is not None else ordinals[short]}", used)
        eids[id(node)] = eid
        _assign_level(node.children, eid + "__", eids, used)


def _unique(eid: str, used: set) -> str:
    """Printed labels can repeat (a list restarting at 1.); later twins get _2, _3 …"""
    candidate, k = eid, 1
    while candidate in used:
        k += 1
        candidate = f"{eid}_{k}"
    used.add(candidate)
    return candidate


# ------------------------------------------------------------------------------ XML helpers

def clean(s) -> str:
    """Text XML 1.0 can carry (control characters and lone surrogates dropped)."""
    return _XML_FORBIDDEN.sub("", "" if s is None else str(s))


def _a(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def sub(parent, tag: str, text=None, **attrs):
    """Append an AKN element; attribute names ending in _ lose it (class_, as_), None is skipped."""
    el = etree.SubElement(parent, _a(tag))
    for k, v in attrs.items():
        if v is not None:
            el.set(k.rstrip("_"), clean(v))
    if text is not None:
        el.text = clean(text)
    return el


def _kmgov(el, **attrs):
    for k, v in attrs.items():
        if v not in (None, ""):
            el.set(f"{{{KMGOV_NS}}}{k}", clean(v))


def chinese_date(d: date) -> str:
    """2010-06-22 → 二〇一〇年六月二十二日, as the gazette prints signing dates."""
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        head = ("" if tens == 1 else digits[tens]) + "十" if tens else ""
        return head + (digits[ones] if ones else "")

    return "".join(digits[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def format_cell(v) -> str:
    """Numbers as Python prints them (4579.5, 6337); a float 7.0 stays "7.0" as it was read."""
    return "" if v is None else str(v)


def _strs(value) -> list[str]:
    """The non-empty strings of a str-or-list meta value."""
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [v for v in values if isinstance(v, str) and v.strip()]


def _fill_ins(parent, fields) -> None:
    """Blank form fields (申报单位：____) as AKN fill-ins, which the schema defines for exactly
    this: a blank to be filled in a printed form."""
    for field in _strs(fields):
        p = sub(parent, "p", class_="formField")
        p.text = clean(f"{field}：")
        sub(p, "fillIn")


# ------------------------------------------------------------------- inline marks in text

def loose(s: str) -> re.Pattern:
    """Match `s` whatever spaces the print put between its characters ("54 号", "陈 勇")."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in re.sub(r"\s", "", s)))


def node_texts(node: ParsedNode) -> list[str]:
    """The printed text of a node: its paragraphs and its table's text cells."""
    texts = [node.text]
    if node.table is not None:
        texts += [c for row in [node.table.header, *node.table.rows] for c in row
                  if isinstance(c, str)]
    return texts


class _CrossRefs:
    """Where each cross-reference is printed, so it can become an inline <ref>.

    The parser records the node path; the citation is wrapped in that node's text (or table
    cells), or, when it is not printed there, in the first node where it is. The printed form
    (`raw`) is looked for first, then the normalised number, both ignoring spaces.
    """

    def __init__(self, doc: ParsedDocument):
        self.patterns: dict[int, list[tuple[re.Pattern, str]]] = {}
        nodes = list(doc.walk())
        by_path = {n.path: n for n in nodes}
        for ref in doc.crossrefs:
            here = by_path.get(ref.node_path)
            candidates = ([here] if here else []) + nodes
            for pat in (loose(ref.raw or ref.docno), loose(ref.docno)):
                target = next((n for n in candidates
                               if any(pat.search(t) for t in node_texts(n))), None)
                if target is not None:
                    self.patterns.setdefault(id(target), []).append((pat, cited_uri(ref.docno)))
                    break

    def marks(self, node: ParsedNode | None, line: str) -> list:
        pats = self.patterns.get(id(node), []) if node is not None else []
        return [(m.start(), m.end(), "ref", {"href": href})
                for pat, href in pats for m in pat.finditer(line)]


def add_marked(parent, tag: str, line: str, marks: list, **attrs):
    """<tag> holding `line` with the marked spans as inline elements.

    marks: (start, end, element, attributes); overlapping spans keep the earlier one.
    """
    el = sub(parent, tag, **attrs)
    pos, last = 0, None
    for start, end, mtag, mattrs in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < pos:
            continue
        if last is None:
            el.text = clean(line[pos:start])
        else:
            last.tail = clean(line[pos:start])
        last = sub(el, mtag, line[start:end], **mattrs)
        pos = end
    if last is None:
        el.text = clean(line[pos:])
    else:
        last.tail = clean(line[pos:])
    return el


# --------------------------------------------------------------------------- body mapping

class _Writer:
    """Renders one document's nodes; holds the eIds, cross-reference positions, TLC entries."""

    def __init__(self, issue: ParsedIssue, doc: ParsedDocument):
        self.issue, self.doc = issue, doc
        self.eids = assign_eids(doc)
        self.xrefs = _CrossRefs(doc)
        self.tlc = _Refs()
        self.appointments = _Appointments(doc, self.tlc)

    def marks(self, node: ParsedNode, line: str) -> list:
        return self.xrefs.marks(node, line) + self.appointments.marks(line)

    # blocks: the node's own text and table, as the schema's block elements
    def blocks(self, parent, node: ParsedNode) -> None:
        for line in node.text.split("\n"):
            if line.strip():
                add_marked(parent, "p", line.strip(), self.marks(node, line.strip()))
        if node.table is not None:
            self.table(parent, node)

    def has_blocks(self, node: ParsedNode) -> bool:
        return bool(node.text.strip()) or node.table is not None

    def table(self, parent, node: ParsedNode) -> None:
        """unit, form fields, <table>, note — all blocks, so the table sits in the node's
        content/intro (the schema has no table outside a block context)."""
        t, meta = node.table, dict(node.table.meta)
        if meta.get("number_printed"):  # 安全生产监管“市域全覆盖”零申报表三, printed above the title
            sub(parent, "p", meta.pop("number_printed"), class_="formNumber")
        if t.unit:
            sub(parent, "p", f"单位：{t.unit}", class_="unit")
        _fill_ins(parent, meta.pop("top_fields", []))
        table = sub(parent, "table", eId=f"{self.eids[id(node)]}__table_1", class_=t.kind)
        if t.caption:
            sub(table, "caption", t.caption)
        if meta.get("header_fields"):  # the form's first grid row: 负责人 | ___ | 分管领导 | ___
            tr = sub(table, "tr", class_="formFields")
            for field in _strs(meta.pop("header_fields")):
                sub(sub(tr, "th"), "p", field)
                sub(tr, "td")
        self.header_rows(table, node, meta.pop("column_groups", None))
        for row in t.rows:
            tr = sub(table, "tr")
            for cell in row or [None]:  # tr needs at least one cell
                td = sub(tr, "td", class_="number" if isinstance(cell, (int, float)) else None)
                if cell is not None:  # an empty cell stays an empty <td/> (blocksopt)
                    text = format_cell(cell)
                    add_marked(td, "p", text, self.xrefs.marks(node, text))
        if meta.get("remarks_label"):  # the last grid row: 申报说明 | ___
            tr = sub(table, "tr", class_="remarks")
            sub(sub(tr, "th"), "p", meta.pop("remarks_label"))
            sub(tr, "td", colspan=str(max(len(t.header) - 1, 1)))
        if not table.findall(_a("tr")):  # the schema wants at least one <tr>
            sub(sub(table, "tr"), "td")
        _fill_ins(parent, meta.pop("footer_fields", []))
        for line in t.note.split("\n"):
            if line.strip():
                sub(parent, "p", line.strip(), class_="note")
        if meta.get("title") == t.caption:
            meta.pop("title")
        for key, value in meta.items():  # anything else the parser kept, as named text
            for text in _strs(value):
                sub(sub(parent, "p", class_="formMeta"), "inline", text, name=str(key))

    def header_rows(self, table, node: ParsedNode, groups: dict | None) -> None:
        """th row(s); a column group (申报情况 over 落实/不落实) becomes a spanning first row."""
        header = [h if h is not None else "" for h in node.table.header]
        if not header:
            return
        member = {col: g for g, cols in (groups or {}).items() for col in cols if col in header}
        tr = sub(table, "tr")
        for col in header:
            if col in member:
                group = member[col]
                if col == next(c for c in header if member.get(c) == group):
                    cols = [c for c in header if member.get(c) == group]
                    sub(sub(tr, "th", colspan=str(len(cols))), "p", group)
            else:
                th = sub(tr, "th", rowspan="2" if member else None)
                if col:
                    add_marked(th, "p", col, self.xrefs.marks(node, col))
        if member:
            tr = sub(table, "tr")
            for col in header:
                if col in member:
                    sub(sub(tr, "th"), "p", col)

    def hier(self, parent, node: ParsedNode) -> None:
        """A node as a hierarchy element: num, heading, then content or intro + children."""
        tag, short = element_for(node)
        el = sub(parent, tag, eId=self.eids[id(node)],
                 name=short if tag == "hcontainer" else None)
        _kmgov(el, path=node.path)
        if node.label:
            sub(el, "num", node.label)
        if node.heading:
            sub(el, "heading", node.heading)
        if node.children:
            # `hierarchy` is a choice: either <content>, or <intro>? children <wrapUp>?
            if self.has_blocks(node):
                self.blocks(sub(el, "intro"), node)
            for child in node.children:
                self.hier(el, child)
        elif self.has_blocks(node):
            self.blocks(sub(el, "content"), node)

    def preamble(self, parent, nodes: list[ParsedNode], lead: ParsedNode | None = None) -> None:
        """<preamble> holds blocks and containers only, so each preamble node is a container."""
        pre = sub(parent, "preamble")
        if lead is not None:  # an annex's own text before its first article
            self.blocks(sub(pre, "container", name="preamble", eId=f"{self.eids[id(lead)]}__intro"),
                        lead)
        for node in nodes:
            c = sub(pre, "container", name="preamble", eId=self.eids[id(node)])
            _kmgov(c, path=node.path)
            self.blocks(c, node)
            if not len(c):
                sub(c, "p")  # containerType needs one block

    def main_part(self, parent, nodes: list[ParsedNode], body_tag: str,
                  lead: ParsedNode | None = None, more: bool = False):
        """preamble + body (act) or mainBody (doc) for a list of non-annex nodes.

        `lead` is an annex whose own text opens it: blocks may sit directly in a doc's mainBody
        (maincontent) but not in an act's body (bodyType takes hierarchy only), so there it joins
        the preamble. `more` says something else (the appointments) will fill the body.
        """
        lead_text = lead is not None and self.has_blocks(lead)
        pre = [n for n in nodes if n.kind == "preamble" and not n.children]
        rest = [n for n in nodes if n not in pre]
        in_preamble = lead_text and body_tag == "body"
        if pre and (rest or more or lead_text):
            self.preamble(parent, pre, lead if in_preamble else None)
        elif in_preamble:
            self.preamble(parent, [], lead)
        else:
            rest = nodes  # body/mainBody must not be empty: the only text is the operative text
        body = sub(parent, body_tag)
        if lead_text and body_tag == "mainBody":
            self.blocks(body, lead)
        for node in rest:
            self.hier(body, node)
        return body


def _line_key(s: str) -> str:
    return re.sub(r"\s", "", s).rstrip("；;。，,")


def _km(name: str) -> str:
    return f"{{{KMGOV_NS}}}{name}"


class _Appointments:
    """Appointment records anchored in the printed lines they were read from.

    One printed line can hold several records (王汉…副董事长、总经理; 杨志华 任…，免去…). The
    person is marked once; then, record by record, the organization (when printed again) and
    the post are marked, the post's <role> carrying the record's action and terms as kmgov:
    attributes. Records whose line no node prints are rendered apart (`_appointments`).
    """

    def __init__(self, doc: ParsedDocument, tlc: _Refs):
        self.tlc = tlc
        self.by_line: dict[str, list[ParsedAppointment]] = {}
        for a in sorted(doc.appointments, key=lambda a: a.order):  # print order within a line
            if a.source.strip():
                self.by_line.setdefault(_line_key(a.source), []).append(a)
        self.placed: set[int] = set()

    def marks(self, line: str) -> list:
        records = self.by_line.get(_line_key(line), [])
        marks, cursor = [], 0
        if records and records[0].person:
            m = loose(records[0].person).search(line)
            if m:
                marks.append((m.start(), m.end(), "person",
                              {"refersTo": f"#{_person_ref(self.tlc, records[0].person)}"}))
                cursor = m.end()
        for a in records:
            m = loose(a.org).search(line, cursor) if a.org else None
            if m:
                marks.append((m.start(), m.end(), "organization",
                              {"refersTo": f"#{_org_ref(self.tlc, a.org)}"}))
                cursor = m.end()
            m = loose(a.post).search(line, cursor) if a.post else None
            if m:
                marks.append((m.start(), m.end(), "role",
                              {"refersTo": f"#{_role_ref(self.tlc, a.post)}", **_terms(a)}))
                cursor = m.end()
            self.placed.add(id(a))
        return marks


def _terms(a: ParsedAppointment) -> dict:
    """A record's action and terms as kmgov: attributes (AKN has no element for them)."""
    terms = {"action": a.action, "order": a.order, "rank": a.rank,
             "probationYears": a.probation_years, "secondmentYears": a.secondment_years,
             "qualifiers": "；".join(a.qualifiers)}
    return {_km(k): str(v) for k, v in terms.items() if v not in (None, "")}


def _appointment_groups(records: list[ParsedAppointment]):
    appoint = [a for a in records if a.action != "remove"]
    remove = [a for a in records if a.action == "remove"]
    return [g for g in (("appoint", "任命", appoint), ("remove", "免去", remove)) if g[2]]


class _Refs:
    """TLC entries of <references>: one per distinct person, organization, role, citation."""

    def __init__(self):
        self.entries: list[tuple[str, str, str, str]] = []  # (tag, eId, href, showAs)
        self.ids: dict[tuple[str, str], str] = {}

    def add(self, tag: str, prefix: str, href: str, show: str) -> str:
        key = (tag, href)
        if key not in self.ids:
            eid = f"{prefix}_{sum(1 for e in self.entries if e[1].startswith(prefix + '_')) + 1}"
            self.ids[key] = eid
            self.entries.append((tag, eid, href, show))
        return self.ids[key]

    def add_fixed(self, tag: str, eid: str, href: str, show: str) -> str:
        if (tag, href) not in self.ids:
            self.ids[(tag, href)] = eid
            self.entries.append((tag, eid, href, show))
        return eid


def _ontology(kind: str, name: str) -> str:
    return f"/akn/ontology/{kind}/{COUNTRY}/{quote(name, safe='')}"


def _author(doc: ParsedDocument) -> str:
    """The issuing body: the printed issuer when it is one, else the series' issuer (人事任免 is a
    section heading, 昆政任 numbers are the municipal government's)."""
    if doc.issuer in ORGANIZATIONS:
        return doc.issuer
    return SERIES_ISSUER.get(doc.series, doc.issuer or "昆明市人民政府")


def _person_ref(refs: _Refs, name: str) -> str:
    return refs.add("TLCPerson", "person", _ontology("person", name), name)


def _role_ref(refs: _Refs, post: str) -> str:
    return refs.add("TLCRole", "role", _ontology("role", post), post)


def _org_ref(refs: _Refs, name: str) -> str:
    if name in ORGANIZATIONS:
        eid, slug = ORGANIZATIONS[name]
        href = f"/akn/ontology/organization/{COUNTRY}/{slug}"
        return refs.add_fixed("TLCOrganization", eid, href, name)
    return refs.add("TLCOrganization", "org", _ontology("organization", name), name)


# ------------------------------------------------------------------------------ the XML

def document_to_akn(issue: ParsedIssue, doc: ParsedDocument) -> bytes:
    """The document as Akoma Ntoso 3.0 XML (UTF-8 bytes with declaration)."""
    w = _Writer(issue, doc)
    refs = w.tlc
    refs.add_fixed("TLCOrganization", PLATFORM[0], PLATFORM[1], PLATFORM[2])
    author = _org_ref(refs, _author(doc))

    root = etree.Element(_a("akomaNtoso"), nsmap=NSMAP)
    top = sub(root, doc_type(doc), name=doc_name(doc))
    meta = sub(top, "meta")
    _identification(meta, issue, doc, work_uri(doc), "!main", author)
    sub(meta, "publication", date=issue.issue_date.isoformat(), name="kmszfgb",
        showAs=issue.title or "昆明市人民政府公报", number=str(issue.number))
    _preface(top, doc, author)

    annexes = [n for n in doc.nodes if n.kind == "annex"]
    others = [n for n in doc.nodes if n.kind != "annex"]
    if is_appointments(doc):
        body = w.main_part(top, others, "mainBody", more=bool(doc.appointments))
        _appointments(body, w)
        if not len(body):
            sub(body, "p")
    else:
        body = w.main_part(top, others, "body")
        if not len(body):
            sub(body, "hcontainer", name="empty", eId="hcontainer_1")  # bodyType needs one

    if doc.signed_on:
        signing = refs.add_fixed("TLCEvent", "signing", "/akn/ontology/event/signing", "签发")
        concl = sub(top, "conclusions")
        sub(sub(concl, "p"), "date", chinese_date(doc.signed_on),
            date=doc.signed_on.isoformat(), refersTo=f"#{signing}")
    if annexes:
        atts = sub(top, "attachments")
        for i, annex in enumerate(annexes, 1):
            _attachment(atts, w, issue, doc, annex, i, author)

    for ref in doc.crossrefs:
        refs.add("TLCReference", "cite", cited_uri(ref.docno), ref.docno)
    _references(meta, refs)
    _proprietary(meta, issue, doc)
    return serialize(root)


# Elements whose content is text (mixed content): indentation inside them would become text.
_INLINE_CONTAINERS = {_a(t) for t in ("p", "num", "heading", "caption", "docTitle", "docNumber",
                                      "inline", "ref", "date", "person", "organization", "role",
                                      "docProponent")}


def serialize(root) -> bytes:
    """Indented for people, but never inside a <p> (or other mixed content), where the
    indentation would change the text."""
    etree.indent(root, space="  ")
    for el in root.iter(*_INLINE_CONTAINERS):
        if el.text is not None and not el.text.strip():
            el.text = None
        for child in el:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _identification(meta, issue, doc, work: str, component: str, author: str,
                    name: str | None = None, subtype: str | None = None) -> None:
    """FRBR Work / Expression / Manifestation (the identification block every AKN doc needs);
    an attachment shares the document's work and dates, with its own component, name, subtype."""
    when = expression_date(issue, doc)
    date_name = "signature" if doc.signed_on else "publication"
    expr = f"{work}/{LANGUAGE}@{when.isoformat()}"
    ident = sub(meta, "identification", source=f"#{PLATFORM[0]}")

    w = sub(ident, "FRBRWork")
    sub(w, "FRBRthis", value=f"{work}/{component}")
    sub(w, "FRBRuri", value=work)
    sub(w, "FRBRalias", value=doc.docno, name="docNumber")
    if doc.toc_title and doc.toc_title != doc.title:
        sub(w, "FRBRalias", value=doc.toc_title, name="tocTitle")
    sub(w, "FRBRdate", date=when.isoformat(), name=date_name)
    sub(w, "FRBRauthor", href=f"#{author}")
    sub(w, "FRBRcountry", value=COUNTRY)
    sub(w, "FRBRsubtype", value=subtype or doc_name(doc))
    sub(w, "FRBRnumber", value=f"{series_code(doc.series)}-{doc.number}", showAs=doc.docno)
    sub(w, "FRBRname", value=name or doc.title)

    e = sub(ident, "FRBRExpression")
    sub(e, "FRBRthis", value=f"{expr}/{component}")
    sub(e, "FRBRuri", value=expr)
    sub(e, "FRBRdate", date=when.isoformat(), name=date_name)
    sub(e, "FRBRauthor", href=f"#{author}")
    sub(e, "FRBRlanguage", language=LANGUAGE)

    m = sub(ident, "FRBRManifestation")
    sub(m, "FRBRthis", value=f"{expr}/{component}.xml")
    sub(m, "FRBRuri", value=f"{expr}.akn")
    sub(m, "FRBRdate", date=issue.issue_date.isoformat(), name="publication")
    sub(m, "FRBRauthor", href=f"#{PLATFORM[0]}")
    sub(m, "FRBRformat", value="application/akn+xml")


def _preface(top, doc: ParsedDocument, author: str) -> None:
    """Title (with the issuer marked as docProponent when it opens it), number, addressees."""
    preface = sub(top, "preface")
    issuer = _author(doc)
    printed_issuer = doc.issuer == issuer  # 人事任免 is a heading, not who issued the list
    if printed_issuer and not doc.title.startswith(issuer):  # printed on its own line above
        sub(sub(preface, "p", class_="issuer"), "docProponent", issuer, refersTo=f"#{author}")
    title = sub(sub(sub(preface, "longTitle"), "p"), "docTitle")
    if printed_issuer and doc.title.startswith(issuer) and issuer != doc.title:
        sub(title, "docProponent", issuer, refersTo=f"#{author}").tail = clean(
            doc.title[len(issuer):])
    else:
        title.text = clean(doc.title)
    sub(sub(preface, "p", class_="docNumber"), "docNumber", doc.docno)
    if doc.addressees:
        sub(sub(preface, "container", name="addressees", eId="addressees"), "p", doc.addressees)


def _attachment(atts, w: _Writer, issue, doc, annex: ParsedNode, i: int, author: str) -> None:
    """An annex as attachment/(act|doc): measures with articles are acts, the rest generic docs."""
    att = sub(atts, "attachment", eId=w.eids[id(annex)])
    _kmgov(att, path=annex.path)
    if annex.label:
        sub(att, "num", annex.label)
    if annex.heading:
        sub(att, "heading", annex.heading)
    legislative = any(n.kind in ("article", "chapter") for n in annex.walk())
    kind = "measures" if legislative else "annex"
    inner = sub(att, "act" if legislative else "doc", name=kind)
    _identification(sub(inner, "meta"), issue, doc, work_uri(doc), f"!att_{i}", author,
                    name=annex.heading or annex.label or None, subtype=kind)
    if annex.heading or annex.label:
        sub(sub(sub(sub(inner, "preface"), "longTitle"), "p"), "docTitle",
            annex.heading or annex.label)
    body = w.main_part(inner, annex.children, "body" if legislative else "mainBody", lead=annex)
    if not len(body):
        if legislative:
            sub(body, "hcontainer", name="empty", eId=f"{w.eids[id(annex)]}__hcontainer_1")
        else:
            sub(body, "p")


def _appointments(body, w: _Writer) -> None:
    """Records no node prints (a list given without its text), grouped as the gazette prints
    them (任命：/免去：), one item each with person, organization and post marked up."""
    unplaced = [a for a in w.doc.appointments if id(a) not in w.appointments.placed]
    for key, heading, records in _appointment_groups(unplaced):
        group = sub(body, "hcontainer", name=key, eId=key)
        sub(group, "heading", heading)
        blist = sub(sub(group, "content"), "blockList", eId=f"{key}__list_1")
        for n, a in enumerate(records, 1):
            item = sub(blist, "item", eId=f"{key}__list_1__item_{n}", class_=a.action)
            _appointment_line(sub(item, "p"), a, w.tlc)


def _appointment_line(p, a: ParsedAppointment, refs: _Refs) -> None:
    """黄云波同志兼任昆明发展投资集团有限公司董事长 / 田文同志昆明市土地储备中心主任职务 (免去)."""
    role = _role_ref(refs, a.post) if a.post else None
    el = sub(p, "person", a.person, refersTo=f"#{_person_ref(refs, a.person)}",
             as_=f"#{role}" if role else None)
    el.tail = clean("同志" + ("" if a.action == "remove" else ACTIONS.get(a.action, "")))
    if a.org:
        el = sub(p, "organization", a.org, refersTo=f"#{_org_ref(refs, a.org)}")
    if role:
        el = sub(p, "role", a.post, refersTo=f"#{role}", **_terms(a))
    tail = f"（{'，'.join(a.qualifiers)}）" if a.qualifiers else ""
    el.tail = clean((el.tail or "") + tail + ("职务" if a.action == "remove" else ""))


def _references(meta, refs: _Refs) -> None:
    el = sub(meta, "references", source=f"#{PLATFORM[0]}")
    order = ["TLCPerson", "TLCOrganization", "TLCEvent", "TLCRole", "TLCReference"]
    for tag, eid, href, show in sorted(refs.entries, key=lambda e: order.index(e[0])):
        sub(el, tag, eId=eid, href=href, showAs=show,
            name="citedDocument" if tag == "TLCReference" else None)


def _proprietary(meta, issue: ParsedIssue, doc: ParsedDocument) -> None:
    """Where the document sits in the gazette (TOC section, page, printed number): no AKN home."""
    prop = sub(meta, "proprietary", source=f"#{PLATFORM[0]}")
    g = etree.SubElement(prop, f"{{{KMGOV_NS}}}gazette")
    _kmgov(g, year=str(issue.year), issue=str(issue.number), serial=str(issue.serial),
           section=doc.section, page=str(doc.page) if doc.page is not None else None,
           order=str(doc.order), tocTitle=doc.toc_title, docnoPrinted=doc.docno_printed,
           issuer=doc.issuer, lineStart=str(doc.line_start), lineEnd=str(doc.line_end))
    for a in doc.appointments:  # every record whole, also those the text markup could not anchor
        rec = etree.SubElement(g, _km("appointment"))
        _kmgov(rec, person=a.person, post=a.post, org=a.org, source=a.source)
        for k, v in _terms(a).items():
            rec.set(k, v)
