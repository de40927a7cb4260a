"""Writes of the gazette library: ingesting an issue (SPEC GZ-1 … GZ-9).

Ingestion parses the whole text first, then writes everything in one transaction: a text
that cannot be parsed leaves the database as it was, and re-ingesting the same text (same
SHA-256) changes nothing. A changed text of an issue already stored replaces it whole.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from kmgov.core import search
from kmgov.core.audit import audit_record
from kmgov.core.models import OrgUnit, SearchEntry

from .models import Appointment, CrossRef, Document, Issue, Node, Table, TocEntry
from .parsed import GazetteParseError, ParsedIssue, ParsedNode

SEARCH_SOURCE = "gazette.node"


@dataclass
class IngestResult:
    status: str                      # created | unchanged | replaced
    issue: Issue
    counts: dict = field(default_factory=dict)


def _parse(data: bytes) -> ParsedIssue:
    from .parser import parse_bytes

    return parse_bytes(data)


def issue_ingest(*, data: bytes, source_name: str = "", actor=None) -> IngestResult:
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("issue_ingest takes the file's bytes")
    parsed = _parse(bytes(data))
    parsed.sha256 = hashlib.sha256(data).hexdigest()
    existing = Issue.objects.filter(
        city=parsed.city, year=parsed.year, number=parsed.number
    ).first()
    if existing is not None and existing.sha256 == parsed.sha256:
        return IngestResult("unchanged", existing, issue_counts(existing))
    with transaction.atomic():
        status = "created"
        if existing is not None:
            _issue_remove(existing)
            status = "replaced"
        issue = _store(parsed, source_name)
        counts = issue_counts(issue)
        audit_record(actor=actor, action=f"gazette.issue.{status}", obj=issue,
                     extra={"source": source_name, "sha256": parsed.sha256, **counts})
    return IngestResult(status, issue, counts)


@transaction.atomic
def issue_delete(*, issue: Issue, actor=None) -> None:
    """Remove an issue with everything parsed from it and its search entries."""
    audit_record(actor=actor, action="gazette.issue.delete", obj=issue,
                 extra={"sha256": issue.sha256})
    _issue_remove(issue)


def _issue_remove(issue: Issue) -> None:
    search.remove_group(SEARCH_SOURCE, str(issue.pk))
    issue.delete()


def issue_counts(issue: Issue) -> dict:
    return {
        "documents": issue.documents.count(),
        "nodes": Node.objects.filter(document__issue=issue).count(),
        "tables": Table.objects.filter(node__document__issue=issue).count(),
        "toc_entries": issue.toc.count(),
        "crossrefs": CrossRef.objects.filter(document__issue=issue).count(),
        "appointments": Appointment.objects.filter(document__issue=issue).count(),
    }


def _store(p: ParsedIssue, source_name: str) -> Issue:
    issue = Issue.objects.create(
        city=p.city, title=p.title, title_en=p.title_en, editor=p.editor,
        issue_date=p.issue_date, year=p.year, number=p.number, serial=p.serial,
        sha256=p.sha256, source_name=source_name, notes=list(p.notes),
    )
    docs_by_no: dict[str, Document] = {}
    search_rows: list[SearchEntry] = []
    orgs = _org_matcher()
    for d in p.documents:
        doc = Document.objects.create(
            issue=issue, order=d.order, docno=d.docno, docno_printed=d.docno_printed,
            series=d.series, year=d.year, number=d.number, issuer=d.issuer, title=d.title,
            toc_title=d.toc_title, addressees=d.addressees, signed_on=d.signed_on,
            section=d.section, page=d.page, line_start=d.line_start, line_end=d.line_end,
        )
        docs_by_no[doc.docno] = doc
        nodes_by_path = _store_nodes(doc, d.nodes)
        for n in nodes_by_path.values():
            body = n.text
            parsed_table = getattr(n, "_parsed_table", None)
            if parsed_table is not None:
                body = "\n".join([parsed_table.caption, " ".join(map(str, parsed_table.header))]
                                 + [" ".join("" if c is None else str(c) for c in r)
                                    for r in parsed_table.rows])
            if not (n.heading or body):
                continue
            search_rows.append(SearchEntry(
                source=SEARCH_SOURCE, ref_id=n.pk, group=str(issue.pk),
                title=f"{doc.docno} {n.path} {n.heading}"[:255],
                url=f"/gazette/doc/{doc.docno}/#n{n.pk}",
                body=f"{n.label}{n.heading}\n{body}".strip(),
            ))
        CrossRef.objects.bulk_create([
            CrossRef(document=doc, node=nodes_by_path.get(c.node_path), docno=c.docno, raw=c.raw,
                     title=c.title)
            for c in d.crossrefs
        ])
        Appointment.objects.bulk_create([
            Appointment(
                document=doc, order=a.order, person=a.person, action=a.action, post=a.post,
                org_name=a.org, org=orgs(a.org), qualifiers=a.qualifiers, rank=a.rank,
                probation_years=a.probation_years, secondment_years=a.secondment_years,
                start_date=p.issue_date,
                end_date=_years_after(p.issue_date, a.probation_years or a.secondment_years),
                source=a.source,
            )
            for a in d.appointments
        ])
    TocEntry.objects.bulk_create([
        TocEntry(issue=issue, lang=t.lang, section=t.section, title=t.title, page=t.page,
                 order=t.order, document=docs_by_no.get(t.docno))
        for t in p.toc
    ])
    # Link citations to documents in the library: this issue's citations to any stored
    # document (its own first), and earlier issues' dangling citations to this issue's.
    cited = CrossRef.objects.filter(document__issue=issue)
    known = {d.docno: d for d in Document.objects.filter(docno__in=cited.values("docno"))
             .order_by("issue__issue_date", "id")}
    known.update(docs_by_no)
    for ref in cited.filter(docno__in=list(known)):
        ref.target = known[ref.docno]
        ref.save(update_fields=["target"])
    for docno, d in docs_by_no.items():
        CrossRef.objects.filter(docno=docno, target__isnull=True).update(target=d)
    search.index_entries(search_rows)
    return issue


def _store_nodes(doc: Document, roots: list[ParsedNode]) -> dict[str, Node]:
    """Insert the tree level by level (parents first) so each level is one bulk insert."""
    by_path: dict[str, Node] = {}
    order = 0
    ordered: list[tuple[ParsedNode, ParsedNode | None, int, int]] = []

    def visit(n: ParsedNode, parent: ParsedNode | None, depth: int):
        nonlocal order
        ordered.append((n, parent, depth, order))
        order += 1
        for c in n.children:
            visit(c, n, depth + 1)

    for r in roots:
        visit(r, None, 0)
    seen: set[str] = set()
    for n, _, _, _ in ordered:
        if n.path in seen:
            raise GazetteParseError(f"{doc.docno} 中节点路径重复：{n.path}")
        seen.add(n.path)
    max_depth = max((d for _, _, d, _ in ordered), default=-1)
    for depth in range(max_depth + 1):
        level = [(n, par, o) for n, par, d, o in ordered if d == depth]
        objs = [
            Node(document=doc, parent=by_path[par.path] if par else None, order=o, depth=depth,
                 kind=n.kind, label=n.label, path=n.path, heading=n.heading, text=n.text,
                 line=n.line)
            for n, par, o in level
        ]
        created = Node.objects.bulk_create(objs)
        if created and created[0].pk is None:  # databases that don't return keys
            created = list(Node.objects.filter(document=doc, depth=depth).order_by("order"))
        for (n, _, _), obj in zip(level, created):
            by_path[n.path] = obj
            if n.table is not None:
                obj._parsed_table = n.table
    Table.objects.bulk_create([
        Table(node=obj, kind=t.kind, caption=t.caption, unit=t.unit, header=t.header,
              rows=t.rows, note=t.note, meta=t.meta)
        for obj in by_path.values() if (t := getattr(obj, "_parsed_table", None)) is not None
    ])
    return by_path


def _org_matcher():
    names: dict[str, OrgUnit] = {}
    for u in OrgUnit.objects.exclude(kind="enterprise"):
        for name in [u.name, u.short_name, *u.aliases]:
            if name:
                names.setdefault(name, u)

    def match(org_name: str) -> OrgUnit | None:
        return names.get(org_name)

    return match


def _years_after(start: date, years: int | None) -> date | None:
    if not years:
        return None
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)
