"""`kmgov forestry ledger-export --xlsx F | --csv F`: the payments of transformation projects."""

from django.core.management.base import BaseCommand

from kmgov.procedures.cli import add_ledger_export, run_ledger_export


class Command(BaseCommand):
    help = "中低产林改造（昆政发〔2010〕61号）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add_ledger_export(sub, "导出补助支付台账")

    def handle(self, *args, **options):
        run_ledger_export(self, ["forest"], options)
