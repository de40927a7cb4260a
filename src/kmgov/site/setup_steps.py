"""The site's own step of `kmgov setup`: the administrator account (password from
KMGOV_ADMIN_PASSWORD, or generated and printed once)."""

import os
import secrets

from django.contrib.auth import get_user_model

from kmgov.core.services import user_create


def password_check(password: str, *, username: str, source: str) -> None:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS) on a password given in the
    environment: a weak one stops the command with the reasons, in Chinese."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.management.base import CommandError

    User = get_user_model()
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        raise CommandError(f"{source} 不够安全：" + "；".join(exc.messages)) from None


def admin_account(stdout, admin: str | None = None, style=None, **_options) -> None:
    admin = admin or os.environ.get("KMGOV_ADMIN_USER", "admin")
    User = get_user_model()
    if User.objects.filter(username=admin).exists():
        stdout.write(f"管理员账号 {admin} 已存在")
        return
    from_env = bool(os.environ.get("KMGOV_ADMIN_PASSWORD"))
    password = os.environ.get("KMGOV_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    if from_env:
        password_check(password, username=admin, source="KMGOV_ADMIN_PASSWORD")
    user_create(username=admin, password=password, is_superuser=True,
                roles=[("administrator", "kunming")], display_name="系统管理员")
    shown = "（取自 KMGOV_ADMIN_PASSWORD）" if from_env else password
    line = f"管理员账号：{admin}  密码：{shown}"
    stdout.write(style.SUCCESS(line) if style else line)
