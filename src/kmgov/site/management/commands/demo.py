"""`kmgov demo`: demo accounts for every role and sample cases, idempotent.

Extensible: every installed app may declare on its AppConfig
`contributions = Contributions(demo="<module>:contribute")`, a `contribute(stdout) -> None`
that adds its sample data (using the accounts below, looked up by username); they run in
INSTALLED_APPS order. The accounts' password is
`KMGOV_DEMO_PASSWORD`, or one generated and printed (set again on every run).
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.db import transaction

from kmgov.core.models import OrgUnit, Role, RoleAssignment
from kmgov.core.services import org_tree_load, user_create
from kmgov.site.discovery import demo_contributors

#: (username, display name, role, org code, title) — one account per role at least.
DEMO_ENTERPRISES = [
    ("ent-demo-dianchi", "昆明滇池总部示范有限公司", "panlong"),
    ("ent-demo-jinma", "金马商务示范有限公司", "panlong"),
    ("ent-demo-wuhua", "五华商贸示范有限公司", "wuhua"),
]
DEMO_ACCOUNTS = [
    ("demo-qiye", "滇池总部经办人", Role.ENTERPRISE, "ent-demo-dianchi", "经办人"),
    ("demo-qiye2", "金马商务经办人", Role.ENTERPRISE, "ent-demo-jinma", "经办人"),
    ("demo-qiye-wuhua", "五华商贸经办人", Role.ENTERPRISE, "ent-demo-wuhua", "经办人"),
    ("demo-panlong-ban", "盘龙区领导小组办公室", Role.COUNTY_OFFICE, "panlong", "审核员"),
    ("demo-panlong-lianshen", "盘龙区联审会议秘书", Role.COUNTY_DEPARTMENT, "panlong", "联审会议秘书"),
    ("demo-panlong-zf", "盘龙区人民政府", Role.COUNTY_GOVERNMENT, "panlong", "分管副区长"),
    ("demo-wuhua-ban", "五华区领导小组办公室", Role.COUNTY_OFFICE, "wuhua", "审核员"),
    ("demo-wuhua-lianshen", "五华区联审会议秘书", Role.COUNTY_DEPARTMENT, "wuhua", "联审会议秘书"),
    ("demo-wuhua-zf", "五华区人民政府", Role.COUNTY_GOVERNMENT, "wuhua", "分管副区长"),
    ("demo-shi-ban", "市领导小组办公室", Role.CITY_OFFICE, "kunming", "备案员"),
    ("demo-shi-shangwu", "市商务局", Role.CITY_DEPARTMENT, "city-commerce", "统计联络员"),
    ("demo-shenji", "审计（只读）", Role.AUDITOR, "kunming", "审计员"),
]


class Command(BaseCommand):
    help = "建立各角色的演示账号与示例申报（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, no_migrate=False, **opts):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        org_tree_load()
        from_env = bool(os.environ.get("KMGOV_DEMO_PASSWORD"))
        password = os.environ.get("KMGOV_DEMO_PASSWORD") or secrets.token_urlsafe(10)
        if from_env:
            from kmgov.site.setup_steps import password_check

            password_check(password, username="demo", source="KMGOV_DEMO_PASSWORD")
        User = get_user_model()
        with transaction.atomic():
            for code, name, county in DEMO_ENTERPRISES:
                if not OrgUnit.objects.filter(code=code).exists():
                    OrgUnit(code=code, name=name, kind="enterprise",
                            parent=OrgUnit.objects.get(code=county)).save()
            for username, display, role, org, title in DEMO_ACCOUNTS:
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = user_create(username=username, password=password,
                                       roles=[(role, org, title)], display_name=display)
                else:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                    if not RoleAssignment.objects.filter(user=user, role=role,
                                                         org__code=org).exists():
                        RoleAssignment.objects.create(user=user, role=role, title=title,
                                                      org=OrgUnit.objects.get(code=org))
        self.stdout.write("演示账号（角色 @ 单位）：")
        for username, display, role, org, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:24} {Role(role).label} @ {org}（{display}）")
        shown = "（取自 KMGOV_DEMO_PASSWORD）" if from_env else password
        self.stdout.write(self.style.SUCCESS(f"密码：{shown}"))
        for label, fn in demo_contributors():
            self.stdout.write(f"[{label}]")
            fn(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据就绪：http://127.0.0.1:8000/"))
