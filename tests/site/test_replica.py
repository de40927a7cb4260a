"""Issue 15 item 8: with KMGOV_REPLICA_DATABASE_URL the report views read from the `replica`
alias and everything else, every write included, stays on default (kmgov.core.replica).

The alias must exist when Django starts, so the cases (tests/site/replica_cases.py) run in a
pytest of their own with the setting, on the same database as this run (SQLite or the
PostgreSQL of DATABASE_URL); there the replica is a TEST MIRROR of default and each
connection's query log shows where the reads went. Without the setting (this process) there
is no `replica` alias and the router sends nothing anywhere."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import router

from kmgov.core.replica import replica_reads

ROOT = Path(__file__).resolve().parents[2]


def test_without_the_setting_nothing_changes():
    from kmgov.core.models import OrgUnit

    assert "replica" not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(OrgUnit) == "default"
        assert router.db_for_write(OrgUnit) == "default"


def test_report_reads_go_to_the_replica():
    env = dict(os.environ)
    env["KMGOV_REPLICA_DATABASE_URL"] = env.get("DATABASE_URL") or "sqlite:///replica-unused.sqlite3"
    # a test database of its own (pytest-django's suffix), not this run's, which it would drop
    env["TOX_PARALLEL_ENV"] = "replica"
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                        str(ROOT / "tests/site/replica_cases.py")],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    tail = (r.stdout + r.stderr)[-4000:]
    assert r.returncode == 0, tail
    assert "2 passed" in r.stdout, tail
