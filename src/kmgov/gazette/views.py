"""Pages of the gazette library: issue → TOC (Chinese and English) → document → node; search."""

import re

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
    hits = []
    if q:
        qwords = words(q)
        for n, score, _ in selectors.search_nodes(q, limit=30):
            body = n.text or n.heading
            first = min((body.find(w) for w in qwords if w in body), default=0)
            start = max(0, first - 40)
            hits.append({
                "node": n, "score": score,
                "snippet": _highlight(("…" if start else "") + body[start:start + 160], qwords),
            })
    return render(request, "gazette/search.html", {"q": q, "hits": hits})
