"""Reads of the gazette library. The gazette is public: no scope applies."""

from django.http import Http404

from .models import Appointment, Document, Issue, Node, Table


def issue_list():
    return Issue.objects.all()


def issue_get(year: int, number: int) -> Issue:
    issue = Issue.objects.filter(year=year, number=number).order_by("-id").first()
    if issue is None:
        raise Http404(f"未收录 {year} 年第 {number} 号公报")
    return issue


def document_get(docno: str) -> Document:
    doc = (Document.objects.select_related("issue").filter(docno=normalise_docno(docno))
           .order_by("-issue__issue_date", "-id").first())
    if doc is None:
        raise Http404(f"未收录文号为 {docno} 的文件")
    return doc


def node_get(docno: str, path: str) -> Node:
    doc = document_get(docno)
    node = Node.objects.filter(document=doc, path=path).select_related("document").first()
    if node is None:
        raise Http404(f"{doc.docno} 中没有 {path}")
    return node


def normalise_docno(text: str) -> str:
    """`昆政办〔2010〕109 号` → `昆政办〔2010〕109号`; also accepts [] or () for 〔〕 and — for -."""
    t = "".join(text.split())
    for a, b in (("[", "〔"), ("]", "〕"), ("［", "〔"), ("］", "〕"), ("—", "-"), ("–", "-")):
        t = t.replace(a, b)
    if t and not t.endswith("号"):
        t += "号"
    return t


def document_list(issue):
    return issue.documents.all()


def document_nodes(doc: Document) -> list[Node]:
    """The document's nodes as a tree: roots returned, each with `.kids` filled, one query."""
    nodes = list(Node.objects.filter(document=doc).select_related("table").order_by("order"))
    by_id = {n.id: n for n in nodes}
    roots = []
    for n in nodes:
        n.kids = []
    for n in nodes:
        if n.parent_id:
            by_id[n.parent_id].kids.append(n)
        else:
            roots.append(n)
    return roots


def node_table(node: Node):
    try:
        return node.table
    except Table.DoesNotExist:
        return None


def issue_parsed(issue: Issue, docs=None):
    """Rebuild the parser's dataclasses from the database (for the exports)."""
    from .parsed import ParsedIssue, ParsedTocEntry

    toc = [ParsedTocEntry(lang=t.lang, section=t.section, title=t.title, page=t.page,
                          order=t.order, docno=t.document.docno if t.document_id else "")
           for t in issue.toc.select_related("document")]
    return ParsedIssue(
        city=issue.city, title=issue.title, editor=issue.editor, issue_date=issue.issue_date,
        year=issue.year, number=issue.number, serial=issue.serial, title_en=issue.title_en,
        toc=toc, documents=[document_parsed(d) for d in (docs or [])],
        notes=list(issue.notes), sha256=issue.sha256,
    )


def document_parsed(doc: Document):
    from .parsed import ParsedAppointment, ParsedCrossRef, ParsedDocument, ParsedNode, ParsedTable

    def build(n: Node) -> ParsedNode:
        t = node_table(n)
        return ParsedNode(
            kind=n.kind, label=n.label, path=n.path, heading=n.heading, text=n.text,
            line=n.line, children=[build(k) for k in n.kids],
            table=ParsedTable(caption=t.caption, header=t.header, rows=t.rows, unit=t.unit,
                              note=t.note, kind=t.kind, meta=t.meta) if t else None,
        )

    return ParsedDocument(
        docno=doc.docno, docno_printed=doc.docno_printed, series=doc.series, year=doc.year,
        number=doc.number, issuer=doc.issuer, title=doc.title, addressees=doc.addressees,
        signed_on=doc.signed_on, section=doc.section, page=doc.page, toc_title=doc.toc_title,
        order=doc.order, nodes=[build(r) for r in document_nodes(doc)],
        crossrefs=[ParsedCrossRef(docno=c.docno, raw=c.raw, title=c.title,
                                  node_path=c.node.path if c.node_id else "")
                   for c in doc.crossrefs.select_related("node").order_by("id")],
        appointments=[ParsedAppointment(person=a.person, action=a.action, post=a.post,
                                        org=a.org_name, qualifiers=a.qualifiers, rank=a.rank,
                                        probation_years=a.probation_years,
                                        secondment_years=a.secondment_years, source=a.source,
                                        order=a.order)
                      for a in doc.appointments.all()],
        line_start=doc.line_start, line_end=doc.line_end,
    )


def search_nodes(query: str, limit: int = 20):
    """Ranked gazette hits, best first: each (node, score, search entry). The first page of
    `search_page` (the same matching rule and ranking on every channel)."""
    return search_page(query, per_page=max(1, limit)).rows


SEARCH_PER_PAGE = 20
SEARCH_MAX_PAGE = 500


def search_issue(value: str):
    """The issue a search is narrowed to, from `YYYY-N` (None when empty or unknown)."""
    try:
        year, number = (int(x) for x in (value or "").split("-", 1))
    except ValueError:
        return None
    return Issue.objects.filter(year=year, number=number).order_by("-id").first()


def search_filters(issue=None):
    """The choices of the search form: issues (only when there are several) and documents
    (of the chosen issue, else every document number once, with its title)."""
    issues = list(Issue.objects.order_by("-year", "-number", "-id"))
    docs = Document.objects.filter(issue=issue) if issue else Document.objects.all()
    seen, documents = set(), []
    for docno, title in docs.order_by("docno", "-issue_id").values_list("docno", "title"):
        if docno not in seen:
            seen.add(docno)
            documents.append((docno, title))
    return {"issues": issues if len(issues) > 1 else [], "documents": documents}


def search_page(query: str, *, page: int = 1, per_page: int = SEARCH_PER_PAGE, issue=None,
                docno: str = ""):
    """A page of gazette hits with the true total: `core.search.search_page` over the gazette's
    nodes, narrowed to one issue and/or one document number. Returns the core page with
    `.rows` [(node, score, entry)], `.page` and `.pages`."""
    from kmgov.core import search

    from .services import SEARCH_SOURCE

    page = max(1, min(int(page), SEARCH_MAX_PAGE))
    within = (Node.objects.filter(document__docno=normalise_docno(docno)).values("id")
              if docno else None)
    result = search.search_page(query, sources=[SEARCH_SOURCE],
                                groups=[issue.pk] if issue else None, within=within,
                                offset=(page - 1) * per_page, limit=per_page)
    if not result.hits and result.total:  # past the last page: show the last one
        page = -(-result.total // per_page)
        result = search.search_page(query, sources=[SEARCH_SOURCE],
                                    groups=[issue.pk] if issue else None, within=within,
                                    offset=(page - 1) * per_page, limit=per_page)
    nodes = Node.objects.select_related("document", "document__issue").in_bulk(
        [h.entry.ref_id for h in result.hits])
    result.rows = [(nodes[h.entry.ref_id], h.score, h.entry) for h in result.hits
                   if h.entry.ref_id in nodes]
    result.page = page
    result.pages = max(1, -(-result.total // per_page))
    return result


def search_suggestions(query: str, limit: int = 8):
    """What to offer when a query found nothing: the gazette's own terms that share a
    character with the query (else the first of them), and the latest issue with its
    documents (its table of contents)."""
    from kmgov.core import search

    from .services import SEARCH_SOURCE

    chars = {c for c in query if not c.isspace()}
    terms = search.known_words()
    words = []
    for w in [w for w in terms if chars & set(w)] + terms:  # related first, then the others
        if w not in words and search.count([w], sources=[SEARCH_SOURCE], at_most=1):
            words.append(w)
        if len(words) >= limit:
            break
    latest = Issue.objects.order_by("-issue_date", "-id").first()
    return {
        "words": words,
        "issue": latest,
        "documents": list(latest.documents.order_by("order")) if latest else [],
    }


def appointments_holding(post: str, org: str, on):
    """Who holds post P at org O on date D, from the appointment records (GZ-5)."""
    from django.db.models import Q

    qs = Appointment.objects.filter(post=post, org_name=org, start_date__lte=on).exclude(
        action="remove").filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
    removed = set(Appointment.objects.filter(post=post, org_name=org, action="remove",
                                             start_date__lte=on).values_list("person", flat=True))
    return [a for a in qs.select_related("document") if a.person not in removed]


def appointments_of(person: str):
    return Appointment.objects.filter(person="".join(person.split())).select_related("document")
