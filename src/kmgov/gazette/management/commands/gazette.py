"""`kmgov gazette ingest PATH | show DOCNO | search QUERY | export DOCNO`, each with --json.

Refusals (unreadable, empty, not a gazette, truncated) print the reason and exit with 2,
leaving the database as it was."""

import json
import sys
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.http import Http404

from kmgov.gazette import selectors, services
from kmgov.gazette.parsed import GazetteParseError


class Command(BaseCommand):
    help = "公报库：收录、查看、检索、导出"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("ingest", help="收录一期公报（文本文件）")
        p.add_argument("path")
        p.add_argument("--json", action="store_true", dest="as_json")
        p = sub.add_parser("show", help="显示一篇文件（按文号）")
        p.add_argument("docno")
        p.add_argument("--path", default="", help="节点路径，如 “附件 第七条(二)”")
        p.add_argument("--json", action="store_true", dest="as_json")
        p = sub.add_parser("search", help="全文检索")
        p.add_argument("query")
        p.add_argument("--limit", type=int, default=10)
        p.add_argument("--json", action="store_true", dest="as_json")
        p = sub.add_parser("export", help="导出一篇文件")
        p.add_argument("docno")
        p.add_argument("--format", choices=["json", "akn"], default="json")
        p.add_argument("--output", "-o", help="输出文件（默认标准输出）")

    def handle(self, *args, action, **opts):
        try:
            getattr(self, f"do_{action}")(**opts)
        except Http404 as e:
            raise CommandError(str(e), returncode=2) from None

    def _out(self, data, as_json: bool, lines):
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            for line in lines:
                self.stdout.write(line)

    def do_ingest(self, path, as_json=False, **_):
        p = Path(path)
        if not p.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            result = services.issue_ingest(data=p.read_bytes(), source_name=p.name)
        except GazetteParseError as e:
            raise CommandError(f"未收录 {p.name}：{e}", returncode=2) from None
        issue = result.issue
        status_zh = {"created": "已收录", "unchanged": "未变化（此前已收录同一文本）",
                     "replaced": "已更新（替换此前收录的版本）"}[result.status]
        docs = list(issue.documents.all())
        data = {
            "status": result.status,
            "issue": {"city": issue.city, "title": issue.title, "issue_date": issue.issue_date,
                      "year": issue.year, "number": issue.number, "serial": issue.serial,
                      "sha256": issue.sha256},
            "counts": result.counts,
            "documents": [{"docno": d.docno, "title": d.title, "signed_on": d.signed_on,
                           "page": d.page} for d in docs],
            "notes": issue.notes,
        }
        lines = [f"{status_zh}：{issue}，{issue.issue_date:%Y-%m-%d}",
                 "  " + "，".join(f"{k} {v}" for k, v in result.counts.items())]
        lines += [f"  {d.docno:<18} {d.signed_on or '—'!s:<10} 第{d.page or '?'}页 {d.title}"
                  for d in docs]
        self._out(data, as_json, lines)

    def do_show(self, docno, path="", as_json=False, **_):
        if path:
            n = selectors.node_get(docno, path)
            data = {"docno": n.document.docno, "path": n.path, "kind": n.kind, "label": n.label,
                    "heading": n.heading, "text": n.text,
                    "children": [c.path for c in n.children.order_by("order")]}
            self._out(data, as_json, [f"{n.document.docno} {n.path}", f"{n.label}{n.heading}", n.text])
            return
        d = selectors.document_get(docno)
        from kmgov.gazette.exports import document_to_json

        data = document_to_json(selectors.issue_parsed(d.issue), selectors.document_parsed(d))
        roots = selectors.document_nodes(d)
        lines = [f"{d.docno}  {d.issuer}  {d.title}",
                 f"  签发：{d.signed_on or '—'}  主送：{d.addressees}"]

        def outline(ns, depth):
            for n in ns:
                lines.append(f"{'  ' * (depth + 1)}[{n.path}] {n.label}{n.heading[:40]}")
                outline(n.kids, depth + 1)

        outline(roots, 0)
        self._out(data, as_json, lines)

    def do_search(self, query, limit=10, as_json=False, **_):
        if not query.strip():
            raise CommandError("检索词不能为空", returncode=2)
        hits = selectors.search_nodes(query, limit=limit)
        data = [{"docno": n.document.docno, "path": n.path, "title": n.document.title,
                 "score": round(score, 4), "snippet": (n.heading + n.text)[:120]}
                for n, score, _ in hits]
        lines = [f"{i + 1:>2}. {h['docno']} {h['path']}  {h['snippet'][:60]}"
                 for i, h in enumerate(data)] or ["没有找到结果"]
        self._out(data, as_json, lines)

    def do_export(self, docno, format="json", output=None, **_):
        from kmgov.gazette.exports import document_to_akn, document_to_json

        d = selectors.document_get(docno)
        issue, doc = selectors.issue_parsed(d.issue), selectors.document_parsed(d)
        if format == "akn":
            payload = document_to_akn(issue, doc)
        else:
            payload = json.dumps(document_to_json(issue, doc), ensure_ascii=False,
                                 indent=2).encode()
        if output:
            Path(output).write_bytes(payload)
        else:
            sys.stdout.buffer.write(payload)
