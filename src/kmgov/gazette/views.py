"""Pages of the gazette library: issue → TOC (Chinese and English) → document → node; search."""

import re
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import selectors


def issues(request):
    return render(request, "gazette/issues.html", {"issues": selectors.issue_list()})


def issue(request, year: int, number: int):
    i = selectors.issue_get(year, number)
    toc = list(i.toc.select_related("document"))
    return render(request, "gazette/issue.html", {
        "issue": i,
        "toc_zh": _by_section([t for t in toc if t.lang == "zh"]),
        "toc_en": _by_section([t for t in toc if t.lang == "en"]),
    })


def _by_section(entries):
    out: list[tuple[str, list]] = []
    for t in entries:
        if not out or out[-1][0] != t.section:
            out.append((t.section, []))
        out[-1][1].append(t)
    return out


def document(request, docno: str):
    d = selectors.document_get(docno)
    if d.docno != docno:
        return redirect("gazette:document", docno=d.docno)
    return render(request, "gazette/document.html", {
        "doc": d,
        "roots": selectors.document_nodes(d),
        "crossrefs": d.crossrefs.select_related("node", "target").order_by("id"),
        "cited_by": d.cited_by.select_related("document", "node").order_by("document__order"),
        "appointments": d.appointments.select_related("org"),
    })


def node(request, docno: str):
    path = request.GET.get("path", "")
    n = selectors.node_get(docno, path)
    kids = list(n.children.order_by("order"))
    ancestors = []
    p = n.parent
    while p is not None:
        ancestors.insert(0, p)
        p = p.parent
    n.kids = []
    return render(request, "gazette/node.html", {
        "doc": n.document, "node": n, "kids": kids, "ancestors": ancestors,
        "table": selectors.node_table(n),
    })


def _highlight(text: str, words: list[str]) -> str:
    # One pass over the escaped text, longest words first, so marks never nest.
    alternatives = [re.escape(escape(w)) for w in sorted(set(words), key=len, reverse=True)
                    if w.strip()]
    html = escape(text)
    if alternatives:
        html = re.sub("|".join(alternatives), lambda m: f"<mark>{m.group(0)}</mark>", html)
    return mark_safe(html)


def search(request):
    from kmgov.core.search import words

    q = request.GET.get("q", "").strip()[:200]
    issue = selectors.search_issue(request.GET.get("issue", ""))
    docno = request.GET.get("doc", "").strip()[:64]
    try:
        page_no = int(request.GET.get("page", "1"))
    except ValueError:
        page_no = 1
    result, hits, suggestions = None, [], None
    if q:
        result = selectors.search_page(q, page=page_no, issue=issue, docno=docno)
        qwords = result.words or words(q)
        for n, score, _ in result.rows:
            body = n.text or n.heading
            first = min((body.find(w) for w in qwords if w in body), default=0)
            start = max(0, first - 40)
            hits.append({
                "node": n, "score": score,
                "snippet": _highlight(("…" if start else "") + body[start:start + 160], qwords),
            })
        if not result.total:
            suggestions = selectors.search_suggestions(q)
    return render(request, "gazette/search.html", {
        "q": q, "hits": hits, "result": result, "suggestions": suggestions,
        "issue": issue, "docno": selectors.normalise_docno(docno) if docno else "",
        "filters": selectors.search_filters(issue),
        "pager": _pager(result) if result and result.pages > 1 else None,
        "keep": urlencode([(k, v) for k, v in (("q", q), ("issue", request.GET.get("issue", "")),
                                               ("doc", docno)) if v]),
    })


def _pager(result) -> list[int | None]:
    """Page numbers to link: the first, the last and two each side of the current one
    (None marks a gap)."""
    keep = {1, result.pages, *range(result.page - 2, result.page + 3)}
    out: list[int | None] = []
    for n in range(1, result.pages + 1):
        if n in keep:
            out.append(n)
        elif out and out[-1] is not None:
            out.append(None)
    return out
