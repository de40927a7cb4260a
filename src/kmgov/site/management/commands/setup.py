"""`kmgov setup`: prepare a database for a first run — migrations, then every step the installed
apps declare on their AppConfig (`contributions.setup`, in their order: the organisation tree,
the administrator account, the gazette given by `--gazette`, the hotline's seed knowledge base
…). Safe to run again: each step changes nothing the second time."""

from django.core.management import BaseCommand, call_command

from kmgov.core.contributions import resolve
from kmgov.site.discovery import setup_steps


class Command(BaseCommand):
    help = "迁移数据库，再依次执行各模块声明的准备步骤（组织机构树、管理员账号、可选收录公报……）"

    def add_arguments(self, parser):
        for _label, step in setup_steps():
            for flag, kwargs in step.arguments:
                parser.add_argument(flag, **kwargs)

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        options = {k: v for k, v in options.items() if k not in ("stdout", "stderr")}
        for _label, step in setup_steps():
            resolve(step.target)(self.stdout, style=self.style, **options)
        self.stdout.write(self.style.SUCCESS(
            "就绪：用 kmgov runserver 启动服务（make serve 默认 http://127.0.0.1:8000/）"))
