"""Issue 15 item 6, operations: request ids and JSON logs (every 5xx with its traceback),
/healthz and /readyz, Prometheus metrics behind a check, the production mode's refusal to start
with the default secret key or DEBUG and a clean `check --deploy`, and the Content Security
Policy header."""

import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from kmgov.core.logs import JsonFormatter
from kmgov.core.models import Role
from kmgov.core.services import org_tree_load, user_create

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """The stream of the JSON handler settings.LOGGING puts on the root logger, swapped for a
    buffer for the test (the real handler, filter and formatter). Logging is configured from
    settings.LOGGING afresh first: what an earlier test in the same process did to the root
    logger's handlers is not this test's business."""
    logging.config.dictConfig(django_settings.LOGGING)
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    buf = io.StringIO()
    old = handler.setStream(buf)
    yield buf
    handler.setStream(old)


def _records(buf) -> list[dict]:
    return [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]


@pytest.mark.urls("site_error_urls")
def test_a_500_is_logged_as_json_with_its_traceback_and_request_id(db, settings, json_log):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    resp = client.get("/t/broken/", HTTP_X_REQUEST_ID="req-42.a")
    assert resp.status_code == 500
    assert resp["X-Request-ID"] == "req-42.a"
    errors = [r for r in _records(json_log) if r["level"] == "ERROR"]
    assert len(errors) == 1, errors
    (rec,) = errors
    assert rec["request_id"] == "req-42.a" and rec["logger"] == "django.request"
    assert rec["path"] == "/t/broken/" and rec["status_code"] == 500
    assert "RuntimeError: boom" in rec["traceback"] and "site_error_urls.py" in rec["traceback"]
    # the page itself shows none of it
    assert "boom" not in resp.content.decode()


def test_request_id_is_made_when_missing_or_malformed(db, json_log):
    client = Client()
    made = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    other = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nInjected: 1")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", other) and other != made
    # a refusal (4xx) is logged as a warning, with the id of its request
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="r404")
    (rec,) = [r for r in _records(json_log) if r.get("request_id") == "r404"]
    assert rec["level"] == "WARNING" and rec["status_code"] == 404


def test_healthz_and_readyz(db):
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok",
                            "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}
    # a migration recorded as not applied (inside this test's transaction): not ready
    with connection.cursor() as cur:
        cur.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s",
                    ["agriculture", "0004_claim_import_to_kernel_import_job"])
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
    assert "agriculture.0004_claim_import_to_kernel_import_job" in ready.json()["checks"]["migrations"]
    assert ready.json()["checks"]["database"] == "ok"


def test_metrics_only_for_staff_or_allowed_addresses(db, settings):
    org_tree_load()
    settings.KMGOV_METRICS_ALLOW = ["127.0.0.1", "10.0.0.0/8"]
    Client().get("/healthz")
    local = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert local.status_code == 200
    text = local.content.decode()
    assert 'kmgov_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert "kmgov_http_request_duration_seconds_bucket" in text
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    outside = Client(REMOTE_ADDR="203.0.113.5")
    assert outside.get("/metrics").status_code == 404
    # an official who is not staff: still not; a staff account: yes
    official = user_create(username="panlong-ban", roles=[(Role.COUNTY_OFFICE, "panlong")])
    outside.force_login(official)
    assert outside.get("/metrics").status_code == 404
    staff = user_create(username="ops-staff")
    staff.is_staff = True
    staff.save()
    outside.force_login(staff)
    assert outside.get("/metrics").status_code == 200
    # a request forwarded by a trusted proxy counts as its client, not as the proxy's address
    settings.KMGOV_TRUSTED_PROXIES = ["127.0.0.1"]
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert proxied.get("/metrics").status_code == 404


def test_csp_header_allows_no_inline_script(db):
    resp = Client().get("/")
    csp = resp["Content-Security-Policy"]
    script = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert script.startswith("script-src 'self' 'nonce-")
    assert "style-src 'self';" in csp  # no inline style either (tests/web/test_no_inline_code.py)
    assert "object-src 'none'" in csp and "frame-ancestors 'self'" in csp
    # a fresh nonce per response
    assert Client().get("/")["Content-Security-Policy"] != csp


def _kmgov(tmp_path, env: dict, *args) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items()
            if not k.startswith(("KMGOV_", "DJANGO_", "DATABASE_URL", "PYTEST"))}
    full.update({"KMGOV_VAR": str(tmp_path), "KMGOV_SHARED": os.environ.get(
        "KMGOV_SHARED", str(ROOT.parent / "shared")), **env})
    return subprocess.run([sys.executable, "-m", "kmgov", *args], capture_output=True, text=True,
                          env=full, cwd=ROOT, timeout=300)


GOOD_KEY = "k" * 20 + "Q7x-p2Lr_9sT4vWz8yB1nC5mD6fG3hJ0aE"  # 55 characters, varied


def test_production_refuses_default_secret_key_and_debug(tmp_path):
    run = _kmgov(tmp_path, {"KMGOV_ENV": "production"}, "check")
    assert run.returncode != 0
    assert "KMGOV_ENV=production refuses to start" in run.stderr
    assert "KMGOV_SECRET_KEY must be set" in run.stderr
    run = _kmgov(tmp_path, {"KMGOV_ENV": "production", "KMGOV_SECRET_KEY": GOOD_KEY,
                            "KMGOV_DEBUG": "1"}, "check")
    assert run.returncode != 0 and "KMGOV_DEBUG must not be 1" in run.stderr
    assert "KMGOV_SECRET_KEY" not in run.stderr
    # the development default still starts
    assert _kmgov(tmp_path, {}, "check").returncode == 0


def test_check_deploy_is_clean_in_production(tmp_path):
    run = _kmgov(tmp_path, {"KMGOV_ENV": "production", "KMGOV_SECRET_KEY": GOOD_KEY,
                            "KMGOV_ALLOWED_HOSTS": "kmgov.example.cn"},
                 "check", "--deploy", "--fail-level", "WARNING")
    assert run.returncode == 0, run.stderr + run.stdout
    assert "System check identified no issues" in run.stdout


def test_sentry_is_initialised_only_with_a_dsn(tmp_path):
    """Without SENTRY_DSN nothing of Sentry is imported (the extra need not be installed);
    with a DSN and no sentry-sdk, the start fails naming the module instead of running blind."""
    probe = ("import sys, django; django.setup(); "
             "print('sentry_sdk' in sys.modules)")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KMGOV_", "DJANGO_", "DATABASE_URL", "PYTEST", "SENTRY_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "kmgov.settings", "KMGOV_VAR": str(tmp_path)})
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "False", run.stderr
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             env={**env, "SENTRY_DSN": "https://k@sentry.invalid/1"}, cwd=ROOT,
                             timeout=300)
        assert run.returncode != 0 and "sentry_sdk" in run.stderr
