"""Command-line pieces shared by the policy modules' management commands."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from .ledger import Payment, ledger_rows, ledger_write


def add_ledger_export(subparsers, help_text: str):
    p = subparsers.add_parser("ledger-export", help=help_text)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--xlsx", metavar="FILE", help="写入xlsx文件")
    g.add_argument("--csv", metavar="FILE", help="写入csv文件（UTF-8，带BOM）")
    p.add_argument("--json", action="store_true", help="只输出JSON摘要")
    return p


def run_ledger_export(command, procedures: list[str], options) -> None:
    """Write the payments of `procedures` (every payment: the CLI runs as an administrator)."""
    fmt, path = ("xlsx", options["xlsx"]) if options.get("xlsx") else ("csv", options["csv"])
    rows = ledger_rows(procedures, qs=Payment.objects.filter(procedure__in=procedures))
    try:
        n = ledger_write(rows, path, fmt)
    except OSError as exc:
        raise CommandError(f"无法写入{path}：{exc}") from None
    total = sum((r[4] for r in rows), 0)
    if options.get("json"):
        command.stdout.write(json.dumps({"file": path, "format": fmt, "payments": n,
                                         "total_yuan": str(total)}, ensure_ascii=False))
    else:
        command.stdout.write(f"已导出{n}笔支付记录，合计{total}元 → {path}")
