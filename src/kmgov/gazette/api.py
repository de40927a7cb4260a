"""Gazette API (public: the gazette is published law). Errors are JSON with a `detail`."""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import selectors

router = Router(tags=["公报 gazette"])


class IssueOut(Schema):
    city: str
    title: str
    year: int
    number: int
    serial: int
    issue_date: date
    url: str


class TocOut(Schema):
    lang: str
    section: str
    title: str
    page: int | None
    docno: str | None


class DocSummary(Schema):
    docno: str
    issuer: str
    title: str
    toc_title: str
    signed_on: date | None
    section: str
    page: int | None


class IssueDetail(IssueOut):
    toc: list[TocOut]
    documents: list[DocSummary]
    notes: list[str]


class NodeOut(Schema):
    docno: str
    path: str
    kind: str
    label: str
    heading: str
    text: str
    citation: str
    children: list[str]
    table: dict | None


class HitOut(Schema):
    docno: str
    document_title: str
    path: str
    kind: str
    score: float
    snippet: str
    url: str


class AppointmentOut(Schema):
    person: str
    action: str
    post: str
    org: str
    org_code: str | None
    qualifiers: list[str]
    start_date: date | None
    end_date: date | None
    docno: str


class SearchParams(Schema):
    q: str
    limit: int = 20


def _issue_out(i) -> dict:
    return dict(city=i.city, title=i.title, year=i.year, number=i.number, serial=i.serial,
                issue_date=i.issue_date, url=f"/gazette/{i.year}/{i.number}/")


def _doc_summary(d) -> dict:
    return dict(docno=d.docno, issuer=d.issuer, title=d.title, toc_title=d.toc_title,
                signed_on=d.signed_on, section=d.section, page=d.page)


@router.get("/issues", response=list[IssueOut], summary="收录的各期公报")
def list_issues(request):
    return [_issue_out(i) for i in selectors.issue_list()]


@router.get("/issues/{year}/{number}", response=IssueDetail, summary="一期公报：报头、中英文目录、文件")
def get_issue(request, year: int, number: int):
    i = selectors.issue_get(year, number)
    return dict(
        **_issue_out(i),
        toc=[dict(lang=t.lang, section=t.section, title=t.title, page=t.page,
                  docno=t.document.docno if t.document_id else None)
             for t in i.toc.select_related("document")],
        documents=[_doc_summary(d) for d in i.documents.all()],
        notes=i.notes,
    )


@router.get("/documents/{docno}", summary="一篇文件（JSON，含全部节点、表格、引用、任免记录）")
def get_document(request, docno: str):
    from .exports import document_to_json

    d = selectors.document_get(docno)
    return document_to_json(selectors.issue_parsed(d.issue), selectors.document_parsed(d))


@router.get("/documents/{docno}/akn", summary="一篇文件（Akoma Ntoso XML）")
def get_document_akn(request, docno: str):
    from .exports import document_to_akn

    d = selectors.document_get(docno)
    xml = document_to_akn(selectors.issue_parsed(d.issue), selectors.document_parsed(d))
    return HttpResponse(xml, content_type="application/akn+xml; charset=utf-8")


@router.get("/documents/{docno}/node", response=NodeOut, summary="一个节点（按路径，如 附件 第七条(二)）")
def get_node(request, docno: str, path: str):
    n = selectors.node_get(docno, path)
    t = selectors.node_table(n)
    return dict(
        docno=n.document.docno, path=n.path, kind=n.kind, label=n.label, heading=n.heading,
        text=n.text, citation=n.citation,
        children=list(n.children.order_by("order").values_list("path", flat=True)),
        table=dict(kind=t.kind, caption=t.caption, unit=t.unit, header=t.header, rows=t.rows,
                   note=t.note, meta=t.meta) if t else None,
    )


@router.get("/search", response=list[HitOut], summary="中文全文检索（分词、排序，命中节点路径）")
def search(request, params: Query[SearchParams]):
    q = params.q.strip()
    if not q:
        raise HttpError(422, "q: 检索词不能为空")
    if len(q) > 200:
        raise HttpError(422, "q: 检索词不能超过200字")
    limit = max(1, min(params.limit, 100))
    return [
        dict(docno=n.document.docno, document_title=n.document.title, path=n.path,
             kind=n.kind, score=round(score, 4), snippet=(n.label + n.heading + n.text)[:160],
             url=f"/gazette/doc/{n.document.docno}/#n{n.pk}")
        for n, score, _ in selectors.search_nodes(q, limit=limit)
    ]


@router.get("/appointments", response=list[AppointmentOut], summary="任免记录：某人的职务，或某日某职务的任职者")
def appointments(request, person: str | None = None, post: str | None = None,
                 org: str | None = None, on: date | None = None):
    if person:
        rows = selectors.appointments_of(person)
    elif post and org:
        rows = selectors.appointments_holding(post, org, on or timezone.localdate())
    else:
        raise HttpError(422, "person，或 post 与 org：至少给出其一")
    return [
        dict(person=a.person, action=a.action, post=a.post, org=a.org_name,
             org_code=a.org.code if a.org_id else None, qualifiers=a.qualifiers,
             start_date=a.start_date, end_date=a.end_date, docno=a.document.docno)
        for a in rows
    ]
