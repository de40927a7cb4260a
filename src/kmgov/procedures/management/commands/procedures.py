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

    def handle(self, *args, **opts):
        if opts["action"] == "sweep":
            return self._sweep(opts)
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
        result = deadlines_sweep(now=now, limit=opts.get("limit"),
                                 on_fire=None if as_json else progress)
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"到期 {result['due']} 项：提醒 {result['reminders']}，督办 {result['escalations']}，"
                f"取消 {result['cancelled']}，跳过 {result['skipped']}")
