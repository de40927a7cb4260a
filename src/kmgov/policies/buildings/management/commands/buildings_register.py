"""`kmgov buildings_register …` — the building register (62号 七(一)、七(三)) for officials who batch:

    kmgov buildings_register export --year 2025 --xlsx register.xlsx --as panlong-ban
    kmgov buildings_register import register.xlsx --as panlong-ban [--json]
    kmgov buildings_register targets --year 2025 --as shi-ban [--json]
    kmgov buildings_register regrade --year 2025 --as shi-ban [--json]

`--as USER` applies that user's scope and roles (required for writes). A refused import prints
its sheet and row number and writes nothing (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from kmgov.policies.buildings import register
from kmgov.procedures.errors import ProcedureError


class Command(BaseCommand):
    help = "楼宇经济信息管理系统：导入、导出、发展目标、重新分级（62号 七(一)、七(三)，附件1 第十二条，二(三)）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("export", "import", "targets", "regrade"):
            p = sub.add_parser(name)
            p.add_argument("--as", dest="as_user", required=name in ("import", "regrade"))
            p.add_argument("--json", action="store_true")
            if name == "import":
                p.add_argument("file")
            else:
                p.add_argument("--year", type=int, required=True)
            if name == "export":
                p.add_argument("--xlsx", required=True)

    def _user(self, username):
        if not username:
            return get_user_model()(is_superuser=True)  # the operator's export: every county
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        return user

    def handle(self, *args, action, as_user=None, json=False, **opts):
        user = self._user(as_user)
        try:
            out = getattr(self, f"_{action}")(user, **opts)
        except (ValidationError, ProcedureError, PermissionDenied) as exc:
            msg = ("；".join(m for ms in exc.message_dict.values() for m in ms)
                   if isinstance(exc, ValidationError) and hasattr(exc, "error_dict")
                   else getattr(exc, "message", None) or str(exc))
            raise CommandError(msg, returncode=2) from None
        if json:
            self.stdout.write(_dumps(out))
        else:
            self.stdout.write(out.pop("_text", "") or _dumps(out))

    def _export(self, user, *, year, xlsx, **_):
        Path(xlsx).write_bytes(register.register_export(user, year=year))
        return {"year": year, "file": xlsx, "_text": f"已导出 {year} 年度楼宇经济信息到 {xlsx}"}

    def _import(self, user, *, file, **_):
        result = register.register_import(Path(file).read_bytes(), actor=user)
        return {**result, "_text": f"已导入 {result['buildings']} 幢楼宇、{result['tenants']} 家入驻企业"}

    def _targets(self, user, *, year, **_):
        t = register.targets(user, year=year)

        def dec(ds):
            return {p: {k: v for k, v in d.to_dict().items() if k != "trace"} for p, d in ds.items()}

        lines = []
        rows = ([("全市", t["city"])] if t["city"] else []) + [
            (r["county"].name, r) for r in t["counties"]]
        for name, r in rows:
            d = r["decisions"]["2012"].to_dict()
            lines.append(f"{name}：登记楼宇{r['buildings']}幢，税收过千万元{d['buildings_tax_over_10m']}栋，"
                         f"亿元楼{d['buildings_tax_over_100m']}栋；2012年目标"
                         f"{'已达到' if d['outcome'] == 'met' else '未达到'}，2015年目标"
                         f"{'已达到' if r['decisions']['2015'].outcome == 'met' else '未达到'}")
        return {"year": t["year"],
                "city": {"buildings": t["city"]["buildings"], "decisions": dec(t["city"]["decisions"])}
                if t["city"] else None,
                "counties": [{"county": r["county"].code, "buildings": r["buildings"],
                              "decisions": dec(r["decisions"])} for r in t["counties"]],
                "_text": "\n".join(lines)}

    def _regrade(self, user, *, year, **_):
        n = register.grades_recompute(year, actor=user)
        return {"year": year, "regraded": n, "_text": f"已重新分级 {n} 幢楼宇（{year}年度）"}


def _dumps(v) -> str:
    return json.dumps({k: x for k, x in v.items() if k != "_text"}, ensure_ascii=False,
                      indent=2, default=str)
