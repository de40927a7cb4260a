"""`kmgov safety …`: the safety module's own commands (filing a form and a warning's steps
are the kernel's `kmgov procedures step zero-report-N|safety-warning …`).

- `sweep [--now T] [--json]`: the kernel's sweep (reminders, escalations, filing registers),
  then the proposals of 106号 第五条(四)/第七条(五) for units that missed a zero report;
- `register ORG INDUSTRY [--employees N] [--from D] --as USER`: an enterprise in 三(二)'s scope;
- `consolidated --period P --as USER [--under ORG] [--json]`: units × forms;
- `ledger-export --xlsx F [--county C] [--level L] [--period P] --as USER`.
"""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.calendar import TZ
from kmgov.core.models import OrgUnit
from kmgov.procedures.errors import ProcedureError


class Command(BaseCommand):
    help = "安全生产零申报与警示（昆政办〔2010〕106号、107号）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("sweep", help="到期提醒、逾期督办，并对逾期未报零申报的单位提出警示建议")
        s.add_argument("--now", default="")
        s.add_argument("--json", action="store_true")
        r = sub.add_parser("register", help="登记零申报范围内企业（107号 三(二)）")
        r.add_argument("org")
        r.add_argument("industry")
        r.add_argument("--employees", type=int, default=None)
        r.add_argument("--from", dest="since", default="")
        r.add_argument("--as", dest="user", required=True)
        c = sub.add_parser("consolidated", help="零申报汇总：所辖单位 × 表一至表九")
        c.add_argument("--period", required=True)
        c.add_argument("--under", default="")
        c.add_argument("--as", dest="user", required=True)
        c.add_argument("--json", action="store_true")
        e = sub.add_parser("ledger-export", help="导出警示台账（xlsx）")
        e.add_argument("--xlsx", required=True)
        for k in ("county", "level", "period"):
            e.add_argument(f"--{k}", default="")
        e.add_argument("--as", dest="user", required=True)

    def _user(self, name):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"没有用户“{name}”")
        return user

    def handle(self, *args, **o):
        try:
            getattr(self, "do_" + o["action"].replace("-", "_"))(o)
        except ProcedureError as exc:
            raise CommandError(f"{exc.message}（{exc.field}）" if exc.field else exc.message) from None

    def do_sweep(self, o):
        from kmgov.procedures.services import deadlines_sweep

        from ...services import zero_report_proposals

        now = dt.datetime.fromisoformat(o["now"]).replace(tzinfo=TZ) if o["now"] else None
        result = deadlines_sweep(now=now)
        result["proposals"] = zero_report_proposals(now=now)
        self.stdout.write(json.dumps(result, ensure_ascii=False) if o["json"] else
                          f"提醒{result.get('reminders', 0)} 督办{result.get('escalations', 0)} "
                          f"零申报 {result.get('filings')} 警示建议{result['proposals']}")

    def do_register(self, o):
        from ...services import enterprise_register

        org = OrgUnit.objects.filter(code=o["org"]).first()
        if org is None:
            raise CommandError(f"没有代码为“{o['org']}”的单位")
        p = enterprise_register(actor=self._user(o["user"]), org=org, industry_code=o["industry"],
                                employees=o["employees"],
                                in_scope_from=dt.date.fromisoformat(o["since"]) if o["since"] else None)
        self.stdout.write(f"已登记：{p}")

    def do_consolidated(self, o):
        from ...selectors import consolidated

        under = OrgUnit.objects.filter(code=o["under"]).first() if o["under"] else None
        view = consolidated(self._user(o["user"]), o["period"], under=under)
        rows = [{"org": r["org"].code, "name": r["org"].name, "level": r["level"],
                 "cells": [c and {"status": c["status"], "not_implemented": c["not_implemented"]}
                           for c in r["cells_list"]]} for r in view["rows"]]
        if o["json"]:
            self.stdout.write(json.dumps({"period": view["period"], "rows": rows,
                                          "forms": view["forms"]}, ensure_ascii=False))
            return
        for r in view["rows"]:
            cells = " ".join((c["label"] + (f"/{c['not_implemented']}" if c["not_implemented"] else ""))
                             if c else "—" for c in r["cells_list"])
            self.stdout.write(f"{r['org'].name}\t{cells}")

    def do_ledger_export(self, o):
        from ...ledger import ledger_xlsx
        from ...selectors import ledger

        rows = ledger(self._user(o["user"]), county=o["county"], level=o["level"], period=o["period"])
        with open(o["xlsx"], "wb") as fh:
            fh.write(ledger_xlsx(rows))
        self.stdout.write(f"已导出{len(rows)}条警示到 {o['xlsx']}")
