"""`kmgov geohazards …`: the 109号 register and duty from the command line.

    kmgov geohazards import FILE.xlsx|FILE.geojson --as USER   (all or nothing, bad rows named)
    kmgov geohazards export --xlsx F | --geojson F [--as USER] [--county C]
    kmgov geohazards escalate-gaps [--on YYYY-MM-DD] [--days 7]   (cron: daily in the season)
    kmgov geohazards send-pending                              (retry e-mail/SMS not yet sent)
"""

import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.errors import Refusal, command_error
from kmgov.procedures import notify
from kmgov.rules import today

from ... import selectors, services


class Command(BaseCommand):
    help = "地质灾害防治（昆政办〔2010〕109号）：隐患点导入导出、值班缺班督促"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        im = sub.add_parser("import", help="导入隐患点（xlsx 或 GeoJSON）")
        im.add_argument("file")
        im.add_argument("--as", dest="as_user", required=True, help="办理人用户名")
        ex = sub.add_parser("export", help="导出隐患点")
        ex.add_argument("--xlsx")
        ex.add_argument("--geojson")
        ex.add_argument("--county", default="")
        ex.add_argument("--as", dest="as_user", help="以该用户的权限范围导出（缺省：全部）")
        es = sub.add_parser("escalate-gaps", help="督促汛期值班表的缺班")
        es.add_argument("--on", help="从哪天起（默认今天）")
        es.add_argument("--days", type=int, default=7)
        sub.add_parser("send-pending", help="重发未发送的电子邮件和短信")

    def _user(self, name):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"as：没有用户“{name}”", returncode=2)
        return user

    def handle(self, *args, action, **o):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**o)
        except Refusal as exc:
            raise command_error(exc) from None

    def do_import(self, file, as_user, **_):
        content = Path(file).read_bytes()
        if file.lower().endswith((".geojson", ".json")):
            rows, source = services.geojson_rows(content), "geojson"
        else:
            rows, source = services.xlsx_rows(content), "xlsx"
        c = services.points_import(rows, actor=self._user(as_user), source=source)
        self.stdout.write(f"新增 {c['created']} 处，修改 {c['updated']} 处，未变 {c['unchanged']} 处")

    def do_export(self, xlsx, geojson, county, as_user, **_):
        if as_user:
            qs = selectors.points_visible(self._user(as_user), county=county)
        else:
            from ...models import HazardPoint
            qs = HazardPoint.objects.select_related("org")
            if county:
                qs = qs.filter(org__path__contains=f"/{county}/")
        if not (xlsx or geojson):
            raise CommandError("请给出 --xlsx 或 --geojson", returncode=2)
        if xlsx:
            Path(xlsx).write_bytes(services.points_xlsx(qs))
        if geojson:
            Path(geojson).write_text(json.dumps(services.points_geojson(qs), ensure_ascii=False, indent=1),
                                     encoding="utf-8")
        self.stdout.write(f"已导出 {qs.count()} 处隐患点")

    def do_escalate_gaps(self, on, days, **_):
        day = dt.date.fromisoformat(on) if on else today()
        c = services.gaps_escalate(on=day, days_ahead=days)
        self.stdout.write(f"督促 {c['counties']} 个县区，缺班 {c['days']} 天")

    def do_send_pending(self, **_):
        c = notify.deliveries_send()
        self.stdout.write(f"已发送 {c['sent']} 条，失败 {c['failed']} 条")
