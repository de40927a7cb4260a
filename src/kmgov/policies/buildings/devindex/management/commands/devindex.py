"""`kmgov devindex sync|import|compute|show|report` — the development index of 62号 附件2.

Every command acts as a named user (`--as`), with that user's rights, like the pages and API."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.errors import Refusal, command_error


class Command(BaseCommand):
    help = "楼宇经济发展指数（昆政发〔2010〕62号 附件2）：指标、数据导入、计算、排名、年度报告"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="从公报附件2的表载入47项指标")
        p = sub.add_parser("import", help="导入 xlsx 指标数值（表头：县（市）区、年度、序号、指标名称、单位、数值、说明）")
        p.add_argument("file")
        p.add_argument("--as", dest="user", required=True)
        p = sub.add_parser("compute", help="按现行规格计算某年度的指数（含敏感性分析）")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--as", dest="user", required=True)
        p.add_argument("--workers", type=int, default=None, help="并行进程数（默认：CPU 核数）")
        p.add_argument("--no-sensitivity", action="store_true")
        p = sub.add_parser("show", help="显示某年度最近一次计算的排名")
        p.add_argument("--year", type=int)
        p.add_argument("--as", dest="user", required=True)
        p = sub.add_parser("report", help="把某次计算的年度报告写成 PDF")
        p.add_argument("--run", type=int, required=True)
        p.add_argument("--as", dest="user", required=True)
        p.add_argument("--out", required=True)

    def handle(self, *args, action, **opts):
        try:
            getattr(self, f"do_{action}")(**opts)
        except Refusal as exc:
            raise command_error(exc) from None

    def _user(self, name):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"用户“{name}”不存在", returncode=2)
        return user

    def do_sync(self, **_):
        from ...services import indicators, indicators_sync

        n = indicators_sync()
        self.stdout.write(f"新载入{n}项指标，共{len(indicators())}项")

    def do_import(self, file, user, **_):
        from ...services import values_import_xlsx

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件“{file}”不存在", returncode=2)
        n = values_import_xlsx(actor=self._user(user), data=path.read_bytes())
        self.stdout.write(f"已导入{n}个数值")

    def do_compute(self, year, user, workers, no_sensitivity, **_):
        from ...services import index_compute

        run = index_compute(actor=self._user(user), year=year, workers=workers, sensitivity=not no_sensitivity)
        self.stdout.write(f"已计算{run.year}年指数（第{run.spec.version}版规格），计算编号{run.pk}，指纹{run.fingerprint[:16]}")
        self._ranks(run)

    def do_show(self, year, user, **_):
        from ...selectors import latest_run

        run = latest_run(self._user(user), year)
        if run is None:
            raise CommandError("该年度尚未计算指数", returncode=2)
        self.stdout.write(f"{run.year}年指数（第{run.spec.version}版规格），计算编号{run.pk}")
        self._ranks(run)

    def do_report(self, run, user, out, **_):
        from ...report import render
        from ...selectors import run_get

        obj = run_get(self._user(user), run)
        Path(out).write_bytes(render(obj))
        self.stdout.write(f"已写出{out}")

    def _ranks(self, run):
        res = run.result
        names = run.inputs.get("unit_names") or res["units"]
        w = (run.sensitivity or {}).get("weights", {}).get("summary")
        order = sorted(range(len(names)), key=lambda i: res["rank"][i] or 1e9)
        for i in order:
            line = f"{int(res['rank'][i]):>3}  {names[i]}  {res['index'][i]:.2f}"
            if w:
                line += f"  排名中位数{w['median'][i]:.1f}（5%—95%：{w['p05'][i]:.1f}—{w['p95'][i]:.1f}）"
            self.stdout.write(line)
