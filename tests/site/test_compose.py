"""Issue 15 item 8: deploy/compose.yaml holds what the application needs past one machine —
at least two application servers behind nginx, an RQ worker, Redis, PostgreSQL with the
application on its own non-owner role, and a streaming read replica for reports — and the
environment it gives the containers is what the settings read. (This machine has the docker
client but no `docker compose`, so the file is checked here instead of `docker compose config`.)"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _command(service: dict) -> str:
    c = service["command"]
    return " ".join(c) if isinstance(c, list) else c


def _env(service: dict) -> dict:
    return {k: str(v) for k, v in service.get("environment", {}).items()}


def test_the_services_and_their_commands(compose):
    s = compose["services"]
    assert {"db", "db-replica", "redis", "migrate", "app", "worker", "cron", "proxy"} <= set(s)
    # two application servers at least, gunicorn through `kmgov serve`, on the port nginx uses
    assert s["app"]["deploy"]["replicas"] >= 2
    assert "kmgov serve --bind 0.0.0.0:8000" in _command(s["app"])
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert re.search(r"upstream kmgov_app \{[^}]*server app:8000;", nginx)
    assert "app" in s["proxy"]["depends_on"]
    # the worker runs django-tasks' RQ jobs from the default queue; migrations before servers
    assert _command(s["worker"]).split() == ["kmgov", "rqworker", "default", "--job-class",
                                             "django_tasks_rq.backend.Job"]
    assert "kmgov setup" in _command(s["migrate"])
    for name in ("app", "worker", "cron"):
        assert s[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "procedures sweep --enqueue" in _command(s["cron"])
    assert s["redis"]["image"].startswith("redis:")


def test_the_application_environment(compose):
    s = compose["services"]
    env = _env(s["app"])
    owner = s["db"]["environment"]["POSTGRES_USER"]
    app_db, owner_db = urlsplit(env["DATABASE_URL"]), urlsplit(env["KMGOV_MIGRATE_DATABASE_URL"])
    replica = urlsplit(env["KMGOV_REPLICA_DATABASE_URL"])
    # the application connects as its own role, migrations as the tables' owner
    assert (app_db.hostname, owner_db.hostname) == ("db", "db")
    assert owner_db.username == owner and app_db.username != owner
    # reports read the replica as the same application role (roles are replicated)
    assert (replica.hostname, replica.username, replica.path) == ("db-replica", app_db.username,
                                                                  app_db.path)
    assert env["KMGOV_TASKS_BACKEND"] == "rq"
    assert urlsplit(env["KMGOV_REDIS_URL"]).hostname == "redis"
    assert urlsplit(env["KMGOV_CACHE_URL"]).hostname == "redis"
    assert env["KMGOV_ENV"] == "production"
    # the worker has the same settings and the same media volume (queued import files)
    assert _env(s["worker"]) == env
    media = env["KMGOV_MEDIA"]
    for name in ("app", "worker"):
        assert any(v.endswith(":" + media) for v in s[name]["volumes"])


def test_the_replica_streams_from_the_primary(compose):
    s = compose["services"]
    cmd = _command(s["db-replica"])
    assert "pg_basebackup -h db -U replicator" in cmd and " -R " in cmd
    assert "hot_standby=on" in cmd
    assert s["db-replica"]["depends_on"]["db"] == {"condition": "service_healthy"}
    init = next(v for v in s["db"]["volumes"] if "docker-entrypoint-initdb.d" in v)
    script = (DEPLOY / init.split(":")[0]).resolve()
    text = script.read_text()
    assert "REPLICATION" in text and "host replication replicator" in text
    assert os.access(script, os.X_OK)


def test_every_variable_is_in_env_example(compose):
    text = (DEPLOY / "compose.yaml").read_text()
    used = set(re.findall(r"\$\{(\w+)\}", text))
    example = {line.split("=", 1)[0].strip() for line in (DEPLOY / "env.example").read_text().splitlines()
               if "=" in line and not line.lstrip().startswith("#")}
    assert used <= example, used - example


def test_the_settings_read_that_environment(compose):
    """The containers' environment, its secrets filled in, gives the settings the app needs:
    the replica alias, RQ, the Redis cache, production mode."""
    env = {k: re.sub(r"\$\{(\w+)\}", "secret", v) for k, v in _env(compose["services"]["app"]).items()}
    env.update(KMGOV_SECRET_KEY="".join(chr(97 + i % 26) for i in range(60)), KMGOV_ALLOWED_HOSTS="kmgov.example.gov.cn",
               PATH=os.environ["PATH"], KMGOV_VAR=str(ROOT / "var"),
               KMGOV_MEDIA=str(ROOT / "var" / "media"))
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    code = ("import json; from kmgov import settings as s; print(json.dumps({"
            "'dbs': {a: [d['HOST'], d['USER'], d['NAME'], d.get('TEST', {}).get('MIRROR')]"
            " for a, d in s.DATABASES.items()}, 'tasks': s.TASKS['default']['BACKEND'],"
            " 'routers': s.DATABASE_ROUTERS, 'debug': s.DEBUG}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["dbs"]["default"][:3] == ["db", "kmgov_app", "kmgov"]
    assert got["dbs"]["replica"] == ["db-replica", "kmgov_app", "kmgov", "default"]
    assert got["tasks"] == "django_tasks_rq.RQBackend"
    assert got["routers"] == ["kmgov.core.replica.ReplicaRouter"]
    assert got["debug"] is False
