"""`kmgov audit seal|verify|grant-app-role`: the audit trail's hash chain (core.audit_chain)
and, on PostgreSQL, the application's own database role that cannot alter the audit tables."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "审计记录：封存（哈希链）、校验、设置应用数据库账号"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        seal = sub.add_parser("seal", help="为尚未封存的审计记录编号并写入哈希链（可重复运行）")
        seal.add_argument("--json", action="store_true", help="输出JSON")
        ver = sub.add_parser("verify", help="从第一条起重算哈希链，发现被改动或删除的审计记录（有问题时退出码为1）")
        ver.add_argument("--json", action="store_true", help="输出JSON")
        grant = sub.add_parser(
            "grant-app-role",
            help="（PostgreSQL）授权应用连接所用的数据库账号：可读写业务数据，不是表的所有者，"
                 "因此不能停用审计表的触发器")
        grant.add_argument("role", help="数据库账号名（须已存在，或加 --create）")
        grant.add_argument("--create", action="store_true", help="账号不存在时创建（无密码，需另行设置）")
        grant.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, **opts):
        from kmgov.core.audit_chain import audit_seal, audit_verify

        if opts["action"] == "seal":
            total = 0
            while (n := audit_seal()):
                total += n
            return self._out(opts, {"sealed": total}, f"已封存 {total} 条审计记录")
        if opts["action"] == "verify":
            result = audit_verify()
            text = (f"审计哈希链完整：已封存 {result.sealed} 条，待封存 {result.unsealed} 条"
                    if result.ok else f"审计哈希链被破坏：{result.problem}")
            self._out(opts, result.as_dict(), text)
            if not result.ok:
                raise SystemExit(1)
            return
        return self._grant(opts)

    def _out(self, opts, data, text):
        self.stdout.write(json.dumps(data, ensure_ascii=False) if opts.get("json") else text)

    def _grant(self, opts):
        from kmgov.core.db_roles import RoleError, grant_app_role

        try:
            out = grant_app_role(connection, opts["role"], create=opts["create"])
        except RoleError as exc:
            raise CommandError(str(exc)) from None
        role, db = out["role"], out["database"]
        self._out(opts, {"role": role, "database": db, "schema": out["schema"]},
                  f"已授权数据库账号“{role}”读写“{db}”的业务数据（不是表的所有者，不能停用审计表的触发器）；"
                  "以后由所有者账号新建的数据表自动授权")
