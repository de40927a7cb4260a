"""`kmgov dashboard [SLUG] --as USER [--on YYYY-MM-DD] [--json] [--xlsx FILE]`: a dashboard's
charts as tables on the terminal, JSON, or the page's xlsx; without SLUG, the dashboards."""

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from kmgov.core.charts import charts_workbook
from kmgov.core.contributions import resolve
from kmgov.site.discovery import dashboards


class Command(BaseCommand):
    help = "输出统计看板的图表数据（表格、JSON 或 xlsx）"

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="看板（不填则列出全部看板）")
        parser.add_argument("--as", dest="username", help="以该用户的权限读取（必填）")
        parser.add_argument("--on", help="统计日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--json", action="store_true", help="输出JSON")
        parser.add_argument("--xlsx", help="写入 xlsx 文件")

    def handle(self, *args, slug=None, username=None, on=None, json=False, xlsx=None, **_):
        boards = dashboards()
        if not slug:
            rows = [{"slug": d.slug, "title": str(d.title)} for d in boards]
            self.stdout.write(_dump(rows) if json else "\n".join(f"{r['slug']:<14} {r['title']}"
                                                                 for r in rows))
            return
        board = next((d for d in boards if d.slug == slug), None)
        if board is None:
            raise CommandError(f"slug：没有看板“{slug}”（可选：{'、'.join(d.slug for d in boards)}）",
                               returncode=2)
        user = get_user_model().objects.filter(username=username or "").first()
        if user is None:
            raise CommandError("--as：须给出一个存在的用户名（看板按其权限显示）", returncode=2)
        day = None
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                raise CommandError("--on：统计日期须写作“2010-12-01”这样的日期", returncode=2) from None
        charts = list(resolve(board.target)(user, on=day))
        if xlsx:
            with open(xlsx, "wb") as fh:
                fh.write(charts_workbook(str(board.title), charts))
        if json:
            out = [{"key": c.key, "title": c.title, "kind": c.kind, "unit": c.unit,
                    "citation": c.citation, "note": c.note,
                    "header": c.table()[0], "rows": c.table()[1]} for c in charts]
            self.stdout.write(_dump({"dashboard": slug, "on": on, "charts": out}))
            return
        for c in charts:
            header, rows = c.table()
            self.stdout.write(f"\n{c.title}" + (f"（依据：{c.citation}）" if c.citation else ""))
            self.stdout.write("  " + " | ".join(header))
            for row in rows:
                self.stdout.write("  " + " | ".join("—" if v is None else str(v) for v in row))
            if c.note:
                self.stdout.write(f"  {c.note}")
        if xlsx:
            self.stdout.write(f"\n已写入 {xlsx}")


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=str)
