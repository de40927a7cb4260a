"""`kmgov token create|revoke|list`: API tokens for scripts and partners, issued and revoked
from the shell (each audited). A token is printed once, when issued: only its digest is kept."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kmgov.core.models import ApiToken
from kmgov.core.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "API访问令牌：签发、吊销、列出"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        c = sub.add_parser("create", help="为一个用户签发令牌（只显示这一次）")
        c.add_argument("--user", required=True, help="用户名")
        c.add_argument("--label", default="", help="用途说明")
        c.add_argument("--days", type=int, default=None, help="有效天数（默认见 KMGOV_API_TOKEN_DAYS；0 为不过期）")
        c.add_argument("--json", action="store_true")
        r = sub.add_parser("revoke", help="吊销令牌（按编号或前缀）")
        r.add_argument("token", help="令牌编号，或其前缀（如 km_AbC123）")
        r.add_argument("--json", action="store_true")
        ls = sub.add_parser("list", help="列出令牌（不显示令牌本身）")
        ls.add_argument("--user", help="只列出此用户的")
        ls.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        return getattr(self, "_" + opts["action"])(opts)

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--user：没有用户“{username}”")
        return user

    def _create(self, opts):
        user = self._user(opts["user"])
        try:
            token = api_token_create(user=user, label=opts["label"], days=opts["days"], actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        out = {"id": token.pk, "user": user.username, "token": token.key, "prefix": token.prefix,
               "expires_at": token.expires_at.isoformat() if token.expires_at else None}
        self.stdout.write(json.dumps(out, ensure_ascii=False) if opts["json"] else
                          f"令牌（只显示这一次，请妥善保存）：{token.key}\n"
                          f"编号 {token.pk}，有效期至 {out['expires_at'] or '不过期'}")

    def _revoke(self, opts):
        ref = opts["token"].strip()
        qs = ApiToken.objects.filter(pk=int(ref)) if ref.isdigit() else ApiToken.objects.filter(
            prefix__startswith=ref[:12])
        tokens = list(qs[:2])
        if len(tokens) != 1:
            raise CommandError(f"“{ref}”{'对应多个令牌，请用编号' if tokens else '没有对应的令牌'}")
        token = api_token_revoke(token=tokens[0], actor=None)
        out = {"id": token.pk, "prefix": token.prefix, "revoked_at": token.revoked_at.isoformat()}
        self.stdout.write(json.dumps(out, ensure_ascii=False) if opts["json"] else
                          f"已吊销令牌 {token.prefix}…（编号 {token.pk}）")

    def _list(self, opts):
        qs = ApiToken.objects.select_related("user").order_by("-created_at")
        if opts.get("user"):
            qs = qs.filter(user=self._user(opts["user"]))
        rows = [{"id": t.pk, "user": t.user.username, "prefix": t.prefix, "label": t.label,
                 "created_at": t.created_at.isoformat(),
                 "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                 "revoked": t.revoked_at is not None} for t in qs]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            state = "已吊销" if r["revoked"] else f"有效期至 {r['expires_at'] or '不过期'}"
            self.stdout.write(f"{r['id']:>5}  {r['prefix']}…  {r['user']}  {r['label'] or '—'}  {state}")
