"""Issue 15 item 8: a deployment past one machine, exercised on one — two application servers
(`kmgov serve`, different ports), one RQ worker and Redis, against one database; what is written
through one server is read through the other, and jobs enqueued by a server or by cron are run
by the worker, all seeing one state.

On PostgreSQL the database is a fresh one of this test, migrated by its owner role
(KMGOV_MIGRATE_DATABASE_URL) while the servers, the worker and the CLI connect as the
application's role, which owns no table (issue 15 item 2): and that role's own connection is
refused UPDATE, DELETE and TRUNCATE on the audit table and cannot disable its trigger. On the
embedded SQLite (no roles) the same processes share one database file.

Redis: 127.0.0.1:6379 (`.ci/run` starts it), database KMGOV_DEPLOY_REDIS_DB (default 12); the
test fails when Redis is missing under KMGOV_REQUIRE_REDIS=1, like the RQ sweep test."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = int(os.environ.get("KMGOV_DEPLOY_REDIS_DB", "12"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
PASSWORD = "Dianchi-2010-59hao"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with_user_and_db(url: str, user: str, db: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, f"{user}@{host}", f"/{db}", parts.query, ""))


class Deployment:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("KMGOV_", "DJANGO_", "DATABASE_URL", "PYTEST"))}
        self.env.update({
            "KMGOV_VAR": str(tmp / "var"), "KMGOV_MEDIA": str(tmp / "media"),
            "KMGOV_SHARED": os.environ.get("KMGOV_SHARED", str(ROOT.parent / "shared")),
            "KMGOV_TASKS_BACKEND": "rq", "KMGOV_REDIS_URL": REDIS_URL,
            "KMGOV_CACHE_URL": REDIS_URL, "KMGOV_CACHE_PREFIX": f"deploy-{uuid.uuid4().hex[:8]}",
            "KMGOV_ADMIN_PASSWORD": PASSWORD, "KMGOV_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        })
        self.procs: list[subprocess.Popen] = []
        self.vendor = "sqlite"
        self.owner_url = self.app_url = f"sqlite:///{tmp / 'kmgov.sqlite3'}"

    def kmgov(self, *args, check=True, **env) -> subprocess.CompletedProcess:
        run = subprocess.run([sys.executable, "-m", "kmgov", *args], capture_output=True,
                             text=True, env={**self.env, **env}, cwd=ROOT, timeout=600)
        if check:
            assert run.returncode == 0, f"kmgov {' '.join(args)}: {run.stderr[-3000:]}"
        return run

    def start(self, *args, log: str) -> subprocess.Popen:
        out = open(self.tmp / log, "w")
        proc = subprocess.Popen([sys.executable, "-m", "kmgov", *args], stdout=out,
                                stderr=subprocess.STDOUT, env=self.env, cwd=ROOT)
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        return (self.tmp / name).read_text(errors="replace")[-3000:]

    def stop(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def redis_queue():
    import redis
    from rq import Queue

    try:
        conn = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        conn.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("KMGOV_REQUIRE_REDIS") == "1":
            pytest.fail(f"KMGOV_REQUIRE_REDIS=1 but no Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    queue = Queue("default", connection=conn)
    queue.empty()
    yield queue
    queue.empty()


@pytest.fixture
def deployment(tmp_path, redis_queue):
    dep = Deployment(tmp_path)
    base = os.environ.get("DATABASE_URL", "")
    admin = None
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        dep.vendor = "postgresql"
        name = f"kmgov_deploy_{uuid.uuid4().hex[:8]}"
        role = f"kmgov_app_{uuid.uuid4().hex[:6]}"
        owner = urlsplit(base).username or "postgres"
        admin = psycopg.connect(_with_user_and_db(base, owner, "postgres"), autocommit=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        dep.owner_url = _with_user_and_db(base, owner, name)
        dep.app_url = _with_user_and_db(base, role, name)
        dep.role, dep.owner = role, owner
        dep.env["KMGOV_MIGRATE_DATABASE_URL"] = dep.owner_url
    dep.env["DATABASE_URL"] = dep.app_url
    try:
        yield dep
    finally:
        dep.stop()
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')
            admin.close()


def _wait_ready(dep: Deployment, port: int, log: str):
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            r = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
            if r.status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail(f"server on {port} not ready: {dep.log(log)}")


def _wait(fetch, done, what: str, dep: Deployment, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = fetch()
        if done(value):
            return value
        time.sleep(0.5)
    pytest.fail(f"{what}: {value}; worker: {dep.log('worker.log')}")


def test_two_app_servers_one_worker_one_state(deployment, tmp_path):
    dep = deployment
    # migrations (and the organisation tree, the administrator) as the tables' owner
    dep.kmgov("setup")
    # everything from here on connects as the application's role
    dep.kmgov("shell", "-c", (
        "from kmgov.core.models import Role; from kmgov.core.services import user_create; "
        "user_create(username='jinning-nyj', roles=[(Role.COUNTY_DEPARTMENT, 'jinning-agriculture')]); "
        "user_create(username='panlong-nyj', roles=[(Role.COUNTY_DEPARTMENT, 'panlong-agriculture')])"))
    tokens = {u: json.loads(dep.kmgov("token", "create", "--user", u, "--json").stdout)["token"]
              for u in ("jinning-nyj", "panlong-nyj")}
    ports = [_free_port(), _free_port()]
    for i, port in enumerate(ports):
        dep.start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                  "--no-warmup", log=f"app{i}.log")
    dep.start("rqworker", "default", "--worker-class", "rq.worker.SimpleWorker",
              "--job-class", "django_tasks_rq.backend.Job", log="worker.log")
    for i, port in enumerate(ports):
        _wait_ready(dep, port, f"app{i}.log")
    app1, app2 = (f"http://127.0.0.1:{p}/api/v1" for p in ports)

    def auth(user):
        return {"Authorization": f"Bearer {tokens[user]}"}

    # written through app 1 …
    r = requests.post(f"{app1}/agriculture/claims", json={"county": "jinning", "year": 2011},
                      headers=auth("jinning-nyj"), timeout=30)
    assert r.status_code == 201, r.text
    ref = r.json()["reference"]
    # … read through app 2, and refused there to another county's office
    seen = requests.get(f"{app2}/agriculture/claims/{ref}", headers=auth("jinning-nyj"), timeout=30)
    assert seen.status_code == 200 and seen.json()["reference"] == ref
    assert requests.get(f"{app2}/agriculture/claims/{ref}", headers=auth("panlong-nyj"),
                        timeout=30).status_code == 404

    # a background import queued through app 2, run by the worker, followed through app 1
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["类型", "人数", "申报金额（元）"])
    for _ in range(60):
        wb.active.append(["培训转移", 1, 800])
    wb.save(tmp_path / "claim.xlsx")
    with open(tmp_path / "claim.xlsx", "rb") as fh:
        r = requests.post(f"{app2}/agriculture/claims/import", headers=auth("jinning-nyj"),
                          data={"county": "jinning", "year": 2011, "background": "true"},
                          files={"file": ("claim.xlsx", fh)}, timeout=30)
    assert r.status_code == 202, r.text
    job = _wait(lambda: requests.get(f"{app1}/agriculture/claims/imports/{r.json()['id']}",
                                     headers=auth("jinning-nyj"), timeout=30).json(),
                lambda j: j["status"] in ("done", "failed"), "import", dep)
    assert job["status"] == "done", job
    claim = requests.get(f"{app2}/agriculture/claims/{job['claim']}", headers=auth("jinning-nyj"),
                         timeout=30).json()
    # 60人 × 800元 = 48000元 (59号 四(三))
    assert claim["accepted_yuan"] == "48000.00" and len(claim["lines"]) == 60

    # the sweep enqueued by cron (`kmgov procedures sweep --enqueue`), run by the worker: it
    # seals the audit trail, which every process then verifies whole
    assert json.loads(dep.kmgov("procedures", "sweep", "--enqueue", "--json").stdout)["enqueued"]
    verify = _wait(lambda: json.loads(dep.kmgov("audit", "verify", "--json", check=False).stdout),
                   lambda v: v["unsealed"] == 0, "audit sealed by the worker's sweep", dep)
    assert verify["ok"] and verify["sealed"] > 0

    if dep.vendor == "postgresql":
        _app_role_cannot_alter_the_audit_table(dep)


def _app_role_cannot_alter_the_audit_table(dep: Deployment):
    """The servers' own connection (DATABASE_URL's role) is not the owner: it may append audit
    entries but not change, delete, truncate them or switch the trigger off."""
    import psycopg

    with psycopg.connect(dep.app_url, autocommit=True) as conn:
        (user, owner), = conn.execute(
            "SELECT current_user, tableowner FROM pg_tables WHERE tablename = 'core_auditentry'")
        assert user == dep.role and owner == dep.owner
        (entry_id,) = conn.execute("SELECT min(id) FROM core_auditentry").fetchone()
        for sql in ("UPDATE core_auditentry SET reason = 'x' WHERE id = %s",
                    "DELETE FROM core_auditentry WHERE id = %s"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="只能追加"):
                conn.execute(sql, [entry_id])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("TRUNCATE core_auditentry")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="owner"):
            conn.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
    # and the chain is still whole
    assert json.loads(dep.kmgov("audit", "verify", "--json").stdout)["ok"]
