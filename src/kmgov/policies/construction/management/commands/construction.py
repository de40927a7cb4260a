"""`kmgov construction …`: the project register as xlsx (export, import), the city monthly
report (JSON, xlsx, PDF) and the supervision bodies' check (111号)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.errors import Refusal, command_error
from kmgov.procedures.filings import PeriodKeyInvalid

from ... import reports, selectors, services


class Command(BaseCommand):
    help = "建设工程质检全覆盖（昆政办〔2010〕111号）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("projects-export", help="导出工程项目登记（xlsx）")
        ex.add_argument("--as", dest="as_user", required=True, help="用户名（按其权限范围）")
        ex.add_argument("--org", default="", help="县（市、区）代码，如 wuhua")
        ex.add_argument("--xlsx", required=True, help="输出文件")
        im = sub.add_parser("projects-import", help="从xlsx导入工程项目登记（有误则整表不导入）")
        im.add_argument("--as", dest="as_user", required=True, help="用户名")
        im.add_argument("file", help="xlsx文件")
        rp = sub.add_parser("city-report", help="全市工程质量安全月报")
        rp.add_argument("--as", dest="as_user", required=True, help="用户名（按其权限范围）")
        rp.add_argument("--period", required=True, help="月份，如 2010-07")
        rp.add_argument("--xlsx", help="输出xlsx文件")
        rp.add_argument("--pdf", help="输出PDF文件")
        ck = sub.add_parser("check", help="监督机构检查（专职人员、每季度督查、每月申报）")
        ck.add_argument("--as", dest="as_user", required=True, help="用户名（按其权限范围）")
        ck.add_argument("--on", help="检查日期，默认今天")

    def handle(self, *args, **o):
        user = get_user_model().objects.filter(username=o["as_user"]).first()
        if user is None:
            raise CommandError(f"没有用户“{o['as_user']}”", returncode=2)
        try:
            getattr(self, "_" + o["action"].replace("-", "_"))(user, o)
        except Refusal as exc:
            raise command_error(exc) from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages), returncode=2) from None
        except PeriodKeyInvalid as exc:
            raise CommandError(f"period：{exc}", returncode=2) from None

    def _projects_export(self, user, o):
        content = services.projects_xlsx(selectors.projects_visible(user, org=o["org"]))
        Path(o["xlsx"]).write_bytes(content)
        self.stdout.write(f"已导出：{o['xlsx']}")

    def _projects_import(self, user, o):
        result = services.projects_import_xlsx(Path(o["file"]).read_bytes(), actor=user)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _city_report(self, user, o):
        report = reports.city_report(user, o["period"])
        if o.get("xlsx"):
            Path(o["xlsx"]).write_bytes(reports.report_xlsx(report))
        if o.get("pdf"):
            Path(o["pdf"]).write_bytes(reports.report_pdf(report))
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))

    def _check(self, user, o):
        from kmgov.rules import today

        on = dt.date.fromisoformat(o["on"]) if o.get("on") else today()
        out = []
        for b in selectors.bodies_visible(user):
            d = selectors.body_check(b, year=on.year, on=on)
            out.append({"org": b.org.code, "name": b.name, "full_time_staff": b.full_time_staff,
                        "outcome": d.outcome, **{k: d.outputs[k] for k in (
                            "quarters_without_inspection", "months_without_report")}})
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
