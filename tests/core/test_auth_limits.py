"""Authentication and limits (issue 15 items 3–4): login throttling and lockout, Django's
password validators, the idle session timeout, hashed API tokens with expiry and revocation
(`kmgov token`, the admin, each audited), atomic rate limits behind a trusted proxy, per
Open311 key, staff exempt, and a throttled follow-up lookup."""

import datetime as dt
import io
import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from kmgov.core.models import ApiToken, AuditEntry
from kmgov.core.ratelimit import client_ip, hit
from kmgov.core.services import api_token_create, user_create

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def login(c, username, password):
    return c.post("/accounts/login/", {"username": username, "password": password},
                  REMOTE_ADDR="10.1.1.1")


# ------------------------------------------------------------------ login throttling


def test_the_21st_wrong_password_is_refused_without_checking_it(org_tree):
    user_create(username="zhangsan", password=PASSWORD)
    c = Client()
    for _ in range(19):
        r = login(c, "zhangsan", "wrong-password")
        assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
    # the 20th failure (settings.AXES_FAILURE_LIMIT) is checked, fails and locks the account
    assert login(c, "zhangsan", "wrong-password").status_code == 429
    # the 21st, with the right password: refused all the same — it is not even checked
    r = login(c, "zhangsan", PASSWORD)
    assert r.status_code == 429 and "登录已暂停" in r.content.decode()
    assert "15 分钟" in r.content.decode()
    assert "_auth_user_id" not in c.session


def test_a_success_resets_the_count(org_tree):
    user_create(username="lisi", password=PASSWORD)
    c = Client()
    for _ in range(19):
        login(c, "lisi", "wrong-password")
    assert login(c, "lisi", PASSWORD).status_code == 302  # in, and the count starts again
    c.logout()
    for _ in range(19):
        assert login(c, "lisi", "wrong-password").status_code == 200
    assert login(c, "lisi", PASSWORD).status_code == 302


# ------------------------------------------------------------------ passwords


@pytest.mark.parametrize("weak", ["password", "12345678901", "zhangsan-1", "short1"])
def test_weak_administrator_passwords_are_refused(org_tree, monkeypatch, weak):
    monkeypatch.setenv("KMGOV_ADMIN_PASSWORD", weak)
    monkeypatch.setenv("KMGOV_ADMIN_USER", "zhangsan-1" if weak == "zhangsan-1" else "admin")
    from kmgov.site.setup_steps import admin_account

    with pytest.raises(CommandError, match="KMGOV_ADMIN_PASSWORD 不够安全"):
        admin_account(io.StringIO())


def test_the_admin_form_refuses_a_common_password(org_tree):
    root = user_create(username="root-pw", password=PASSWORD, is_superuser=True)
    c = Client()
    c.force_login(root)
    r = c.post("/admin/auth/user/add/", {"username": "wangwu", "password1": "12345678",
                                         "password2": "12345678", "usable_password": "true"})
    assert r.status_code == 200  # the form again, with the reasons
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="wangwu").exists()


# ------------------------------------------------------------------ idle sessions


def test_an_idle_session_ends(org_tree):
    user_create(username="zhaoliu", password=PASSWORD)
    c = Client()
    assert login(c, "zhaoliu", PASSWORD).status_code == 302
    assert c.get("/inbox/").status_code == 200
    session = c.session
    session["kmgov_last_seen"] = int(time.time()) - 31 * 60  # KMGOV_SESSION_IDLE_MINUTES = 30
    session.save()
    r = c.get("/inbox/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    # 29 minutes is not idle
    assert login(c, "zhaoliu", PASSWORD).status_code == 302
    session = c.session
    session["kmgov_last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert c.get("/inbox/").status_code == 200


# ------------------------------------------------------------------ API tokens


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_tokens_are_stored_hashed_expire_and_can_be_revoked(org_tree):
    user = user_create(username="script", password=PASSWORD,
                       roles=[("county_office", "panlong")])
    token = api_token_create(user=user, label="报表脚本", days=30)
    assert not ApiToken.objects.filter(key_hash=token.key).exists()  # only the digest is kept
    assert ApiToken.objects.get().key_hash == ApiToken.digest(token.key)
    assert Client().get("/api/v1/inbox", **bearer(token.key)).status_code == 200
    # expired
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get("/api/v1/inbox", **bearer(token.key)).status_code == 401
    # revoked through the CLI (by its prefix), audited
    fresh = api_token_create(user=user, days=0)
    assert fresh.expires_at is None
    out = io.StringIO()
    call_command("token", "revoke", fresh.prefix, "--json", stdout=out)
    assert json.loads(out.getvalue())["id"] == fresh.pk
    assert Client().get("/api/v1/inbox", **bearer(fresh.key)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(fresh.pk)).exists()


def test_the_token_command_issues_and_lists(org_tree):
    user_create(username="partner", password=PASSWORD, roles=[("county_office", "panlong")])
    out = io.StringIO()
    call_command("token", "create", "--user", "partner", "--label", "接口", "--days", "7",
                 "--json", stdout=out)
    issued = json.loads(out.getvalue())
    assert issued["token"].startswith("km_") and issued["expires_at"]
    assert Client().get("/api/v1/inbox", **bearer(issued["token"])).status_code == 200
    out = io.StringIO()
    call_command("token", "list", "--json", stdout=out)
    (row,) = json.loads(out.getvalue())
    assert row["prefix"] == issued["prefix"] and "token" not in row and not row["revoked"]
    with pytest.raises(CommandError, match="没有用户"):
        call_command("token", "create", "--user", "nobody", stdout=io.StringIO())


def test_the_admin_issues_a_token_once_and_revokes_it_audited(org_tree):
    root = user_create(username="root-tk", password=PASSWORD, is_superuser=True)
    user = user_create(username="robot", password=PASSWORD, roles=[("county_office", "panlong")])
    c = Client()
    c.force_login(root)
    r = c.post("/admin/core/apitoken/add/", {"user": user.pk, "label": "夜间同步",
                                             "expires_at_0": "", "expires_at_1": ""},
               follow=True)
    page = r.content.decode()
    assert "只显示这一次" in page
    key = page.split("只显示这一次，请立即复制保存）：")[1].split("<")[0].strip()
    token = ApiToken.objects.get(user=user)
    assert ApiToken.digest(key) == token.key_hash
    assert AuditEntry.objects.filter(action="api_token.create", actor=root).exists()
    r = c.post("/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=root).exists()


# ------------------------------------------------------------------ rate limits


def test_a_counter_counts_each_hit_once():
    assert [hit("t:a", limit=3, per_seconds=60, now=1000.0) for _ in range(5)] == \
        [True, True, True, False, False]
    assert hit("t:a", limit=3, per_seconds=60, now=1060.0)  # the next window
    assert hit("t:b", limit=3, per_seconds=60, now=1000.0)  # another key


def test_behind_a_trusted_proxy_the_forwarded_address_counts():
    rf = RequestFactory()
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 1.2.3.4")
    with override_settings(KMGOV_TRUSTED_PROXIES=[]):
        assert client_ip(spoofed) == "10.0.0.2"  # no proxy trusted: the header is ignored
    with override_settings(KMGOV_TRUSTED_PROXIES=["10.0.0.0/24"]):
        # the proxy appended the real client (1.2.3.4); "9.9.9.9" was the client's own claim
        assert client_ip(spoofed) == "1.2.3.4"
        direct = rf.get("/", REMOTE_ADDR="5.6.7.8", HTTP_X_FORWARDED_FOR="9.9.9.9")
        assert client_ip(direct) == "5.6.7.8"  # not through the proxy: the header is a lie
