"""`kmgov procedures sweep [--json] [--now ISO] [--enqueue]`: fire due reminders and
escalations once. Run it from cron (e.g. every 10 minutes) or put it on the task queue."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from kmgov.core.calendar import TZ


def _parse_now(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now：无法识别的时间“{value}”（应为ISO格式，如 2010-10-08T09:00）") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)


class Command(BaseCommand):
    help = "办事程序：期限巡检（sweep）等"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="发出到期提醒并对逾期事项督办（可重复运行，不会重复发出）")
        sweep.add_argument("--json", action="store_true", help="只输出一行JSON结果")
        sweep.add_argument("--now", help="以此时刻为当前时间（ISO格式，默认北京时间）")
        sweep.add_argument("--limit", type=int, default=None, help="本次最多处理的期限数")
        sweep.add_argument("--enqueue", action="store_true", help="放入任务队列由后台执行")
        desc = sub.add_parser("describe", help="列出办事程序：状态、环节、办理人、填写内容（JSON Schema）与期限")
        desc.add_argument("code", nargs="?", help="只列出此办事程序（如 hq）")
        desc.add_argument("--json", action="store_true", help="输出JSON")
        st = sub.add_parser("step", help="以某一用户身份办理一件事项的一个环节")
        st.add_argument("code", help="办事程序代码（如 hq、building、forest）")
        st.add_argument("reference", help="事项编号")
        st.add_argument("step", help="环节名称（见 describe）")
        st.add_argument("--as", dest="as_user", required=True, help="办理人用户名")
        st.add_argument("--reason", default="", help="意见或理由")
        st.add_argument("--data", default="{}", help="环节填写内容（JSON对象；- 表示从标准输入读取）")
        st.add_argument("--json", action="store_true", help="输出JSON")

        fil = sub.add_parser("filings", help="定期报送：某一期间谁已报送、谁未报送")
        fil.add_argument("--obligation", required=True, help="报送事项代码，如 hq-statistics")
        fil.add_argument("--period", help="期间，如 2011、2011H1、2011Q3、2011-07（默认最近已开始的）")
        fil.add_argument("--under", help="只看该单位（代码）下属的报送单位")
        fil.add_argument("--status", choices=["filed", "late", "not_filed", "overdue"])
        fil.add_argument("--open", action="store_true", help="先开启该期间的报送登记（可重复运行）")
        fil.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, **opts):
        if opts["action"] == "sweep":
            return self._sweep(opts)
        if opts["action"] == "describe":
            return self._describe(opts)
        if opts["action"] == "step":
            return self._step(opts)
        if opts["action"] == "filings":
            return self._filings(opts)
        raise CommandError(f"未知操作：{opts['action']}")

    def _sweep(self, opts):
        now = _parse_now(opts.get("now"))
        as_json = opts.get("json")
        if opts.get("enqueue"):
            from kmgov.procedures.tasks import sweep_deadlines

            result = sweep_deadlines.enqueue(now=now.isoformat() if now else None)
            out = {"enqueued": True, "task_id": str(result.id), "backend": result.backend}
            self.stdout.write(json.dumps(out, ensure_ascii=False) if as_json
                              else f"已放入任务队列：{out['task_id']}（{out['backend']}）")
            return
        from kmgov.procedures.services import deadlines_sweep

        def progress(row, outcome):
            if not as_json:
                mark = {"reminders": "提醒", "escalations": "督办", "cancelled": "取消"}[outcome]
                self.stdout.write(f"  [{mark}] {row.case_reference} {row.message}")

        # One line per deadline unless --json (then no per-row callback: a sweep may settle
        # 100,000 deadlines).
        from kmgov.core.progress import Progress

        with Progress("到期事项", stream=self.stderr, quiet=as_json) as bar:
            def advance(done, total):
                bar.total = total
                bar.advance(done - bar.done)

            result = deadlines_sweep(now=now, limit=opts.get("limit"),
                                     on_fire=None if as_json else progress, on_progress=advance)
        from kmgov.core.audit_chain import audit_seal

        result["audit_sealed"] = audit_seal()  # the audit trail's hash chain, caught up
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"到期 {result['due']} 项：提醒 {result['reminders']}，督办 {result['escalations']}，"
                f"取消 {result['cancelled']}，跳过 {result['skipped']}")
            f = result.get("filings") or {}
            self.stdout.write(f"定期报送：开启登记 {f.get('opened', 0)} 项，提醒 {f.get('reminders', 0)}，"
                              f"督办 {f.get('escalations', 0)}")

    def _describe(self, opts):
        from kmgov.procedures.declare import procedure_model
        from kmgov.procedures.describe import describe_all, describe_procedure
        from kmgov.procedures.errors import ProcedureError

        try:
            out = [describe_procedure(procedure_model(opts["code"]))] if opts.get("code") \
                else describe_all()
        except ProcedureError as exc:
            raise CommandError(exc.message, returncode=2) from None
        if opts.get("json"):
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        for p in out:
            self.stdout.write(f"{p['code']}\t{p['name']}（{p['citation'] or '—'}）")
            self.stdout.write("  状态：" + "、".join(s["label"] for s in p["states"]))
            for st in p["steps"]:
                fields = "、".join(f.get("title", k) for k, f in
                                  st["input"].get("properties", {}).items()) or "无须填写"
                self.stdout.write(
                    f"  {st['name']}\t{st['label']}：{'、'.join(s['label'] for s in st['from'])}"
                    f" → {'、'.join(s['label'] for s in st['to'])}；{st['who']}；填写：{fields}")

    def _step(self, opts):
        import sys

        from django.contrib.auth import get_user_model

        from kmgov.procedures import selectors, services
        from kmgov.procedures.errors import ProcedureError
        from kmgov.procedures.inputs import jsonable

        raw = sys.stdin.read() if opts["data"] == "-" else opts["data"]
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            raise CommandError("--data 须为JSON对象", returncode=2) from None
        user = get_user_model().objects.filter(username=opts["as_user"]).first()
        if user is None:
            raise CommandError(f"没有用户“{opts['as_user']}”", returncode=2)
        try:
            case = selectors.case_get(procedure=opts["code"], reference=opts["reference"],
                                      user=user)
            case = services.case_step(case, opts["step"], actor=user, reason=opts["reason"],
                                      data=data)
        except ProcedureError as exc:
            if opts.get("json"):
                self.stdout.write(json.dumps(exc.as_dict(), ensure_ascii=False))
            raise CommandError(exc.message, returncode=2) from None
        out = {"reference": case.reference, "state": case.state,
               "state_label": case.state_label(), "version": case.version}
        self.stdout.write(json.dumps(jsonable(out), ensure_ascii=False) if opts.get("json")
                          else f"{case.reference}\t{case.state_label()}")

    def _filings(self, opts):
        from django.contrib.auth.models import AnonymousUser

        from kmgov.procedures.errors import ProcedureError
        from kmgov.procedures.filing_api import filing_list, parse_period
        from kmgov.procedures.filing_services import slots_open
        from kmgov.procedures.filings import obligation

        class Administrator(AnonymousUser):  # the CLI reads every unit, as an administrator
            is_authenticated = True
            is_superuser = True
            pk = None

        try:
            ob = obligation(opts["obligation"])
            period = parse_period(ob, opts.get("period"))
            opened = slots_open(ob.code, period.key)["opened"] if opts.get("open") else None
            out = filing_list(Administrator(), ob.code, period.key, under=opts.get("under"),
                              status=opts.get("status"))
        except ProcedureError as exc:
            raise CommandError(exc.message) from None
        if opened is not None:
            out["opened"] = opened
        if opts.get("json"):
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        s = out["summary"]
        self.stdout.write(f"{out['name']}（{out['period_label']}），申报期 {out['window_opens']} 至 "
                          f"{out['window_closes']}：应报 {s['total']}，已报 {s['filed']}（逾期 {s['late']}），"
                          f"未报 {s['not_filed']}（已逾期 {s['overdue']}）")
        for i in out["items"]:
            self.stdout.write(f"  {i['org']:<20} {i['status_label']:<6} {i['case_reference'] or ''}")
