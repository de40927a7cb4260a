"""`kmgov agriculture claim-import --county jinning --year 2011 --user U FILE.xlsx` and
`kmgov agriculture ledger-export --xlsx F | --csv F`."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.errors import command_error
from kmgov.core.progress import Progress
from kmgov.procedures.cli import add_ledger_export, run_ledger_export
from kmgov.procedures.errors import ProcedureError

from ...imports import ImportRejected, claim_import


class Command(BaseCommand):
    help = "滇池流域农业结构调整（昆政发〔2010〕59号）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("claim-import", help="从xlsx导入县区报账明细（有错误则不导入任何一行）")
        p.add_argument("file", help="xlsx文件")
        p.add_argument("--county", required=True, help="县区代码，如 jinning")
        p.add_argument("--year", required=True, type=int, help="计划年度，如 2011")
        p.add_argument("--user", required=True, help="经办人用户名（县区农业局）")
        p.add_argument("--json", action="store_true")
        add_ledger_export(sub, "导出市级资金支付台账")

    def handle(self, *args, **options):
        if options["action"] == "ledger-export":
            return run_ledger_export(self, ["ag-claim"], options)
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"--user：没有用户“{options['user']}”")
        bar = Progress("核算报账明细", stream=self.stderr, quiet=options["json"])

        def advance(done, total):
            bar.total = total
            bar.advance(done - bar.done)

        try:
            with bar:
                claim = claim_import(actor=user, county=options["county"], year=options["year"],
                                     path=options["file"], on_progress=advance)
        except ImportRejected as exc:
            if options["json"]:
                self.stdout.write(json.dumps({"ok": False, "errors": exc.errors}, ensure_ascii=False))
            raise CommandError(exc.message, returncode=2) from None
        except ProcedureError as exc:
            raise command_error(exc) from None
        except ValidationError as exc:
            raise CommandError("；".join(f"{k}：{'、'.join(v)}" for k, v in exc.message_dict.items())) from None
        lines = list(claim.lines.all())
        summary = {"ok": True, "reference": claim.reference, "lines": len(lines),
                   "accepted": sum(1 for ln in lines if ln.accepted),
                   "claimed_yuan": str(claim.claimed_yuan), "accepted_yuan": str(claim.accepted_yuan),
                   "city_yuan": str(claim.city_yuan), "county_yuan": str(claim.county_yuan)}
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(f"已导入报账单{claim.reference}：{len(lines)}行，其中符合条件"
                              f"{summary['accepted']}行；核定{claim.accepted_yuan}元，市级承担"
                              f"{claim.city_yuan}元，县级承担{claim.county_yuan}元")
            for ln in lines:
                if ln.reasons:
                    self.stdout.write(f"  第{ln.row_no}条（{ln.get_kind_display()}）：{'；'.join(ln.reasons)}")
