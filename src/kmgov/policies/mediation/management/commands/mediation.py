"""`kmgov mediation ledger-export --xlsx F | --csv F`: the payments of reward claims."""

from django.core.management.base import BaseCommand

from kmgov.procedures.cli import add_ledger_export, run_ledger_export


class Command(BaseCommand):
    help = "人民调解“以奖代补”（昆政办〔2010〕108号）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add_ledger_export(sub, "导出奖励资金支付台账（含追回）")

    def handle(self, *args, **options):
        run_ledger_export(self, ["mediation-claim"], options)
