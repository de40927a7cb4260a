"""`kmgov setup`: prepare a database for a first run — migrations, the organisation tree, an
administrator account (password from KMGOV_ADMIN_PASSWORD, or generated and printed), and
optionally a gazette issue. Safe to run again: each step changes nothing the second time."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command

from kmgov.core.services import org_tree_load, user_create


class Command(BaseCommand):
    help = "迁移数据库、载入组织机构树、建立管理员账号，可选收录公报"

    def add_arguments(self, parser):
        parser.add_argument("--gazette", help="收录的公报文本文件路径")
        parser.add_argument("--admin", default=os.environ.get("KMGOV_ADMIN_USER", "admin"))

    def handle(self, *args, gazette=None, admin="admin", **opts):
        call_command("migrate", interactive=False, verbosity=0)
        result = org_tree_load()
        self.stdout.write(f"组织机构：{result['total']} 个（新增 {result['created']}）")
        User = get_user_model()
        if not User.objects.filter(username=admin).exists():
            password = os.environ.get("KMGOV_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            user_create(username=admin, password=password, is_superuser=True,
                        roles=[("administrator", "kunming")], display_name="系统管理员")
            shown = "（取自 KMGOV_ADMIN_PASSWORD）" if os.environ.get("KMGOV_ADMIN_PASSWORD") else password
            self.stdout.write(self.style.SUCCESS(f"管理员账号：{admin}  密码：{shown}"))
        else:
            self.stdout.write(f"管理员账号 {admin} 已存在")
        if gazette:
            call_command("gazette", "ingest", gazette, stdout=self.stdout)
        call_command("hotline", "seed", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("就绪：用 kmgov runserver 启动服务（make serve 默认 http://127.0.0.1:8000/）"))
