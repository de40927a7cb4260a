"""The site's own step of `kmgov setup`: the administrator account (password from
KMGOV_ADMIN_PASSWORD, or generated and printed once)."""

import os
import secrets

from django.contrib.auth import get_user_model

from kmgov.core.services import user_create


def admin_account(stdout, admin: str | None = None, style=None, **_options) -> None:
    admin = admin or os.environ.get("KMGOV_ADMIN_USER", "admin")
    User = get_user_model()
    if User.objects.filter(username=admin).exists():
        stdout.write(f"管理员账号 {admin} 已存在")
        return
    from_env = bool(os.environ.get("KMGOV_ADMIN_PASSWORD"))
    password = os.environ.get("KMGOV_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    user_create(username=admin, password=password, is_superuser=True,
                roles=[("administrator", "kunming")], display_name="系统管理员")
    shown = "（取自 KMGOV_ADMIN_PASSWORD）" if from_env else password
    line = f"管理员账号：{admin}  密码：{shown}"
    stdout.write(style.SUCCESS(line) if style else line)
