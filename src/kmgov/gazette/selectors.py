"""Reads of the gazette library. The gazette is public: no scope applies."""

from django.http import Http404

from .models import Document, Issue, Node


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
