"""`kmgov backup` then `kmgov restore` into an emptied database gives identical rows and
files (issue 15 item 7), on SQLite and on PostgreSQL; a damaged archive or a database that
holds data is refused with nothing written."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from kmgov.core.audit_chain import audit_seal, audit_verify
from kmgov.site.backup import _models, media_files

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every backed-up row, serialised with natural keys, by model and primary key."""
    out = {}
    for model in _models():
        rows = serializers.serialize("json", model._default_manager.order_by("pk"),
                                     use_natural_foreign_keys=True)
        out[model._meta.label_lower] = hashlib.sha256(rows.encode()).hexdigest()
    return out


def empty_the_database():
    tables = [m._meta.db_table for m in _models()]
    for model in _models():  # many-to-many tables too
        tables += [f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many]
    sql = connection.ops.sql_flush(no_style(), sorted(set(tables)), allow_cascade=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's pending FK checks first
    with connection.constraint_checks_disabled():
        connection.ops.execute_sql_flush(sql)  # TRUNCATE on PostgreSQL (no row triggers)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")  # as a fresh transaction has them


@pytest.fixture
def populated(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())  # cases, attachments, audit
    audit_seal()
    return tmp_path


def test_backup_then_restore_gives_identical_rows_and_files(populated):
    before_rows, before_files = snapshot(), media_files()
    assert before_files, "the demo uploads attachments"
    archive = populated / "kmgov.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), "--json", stdout=out)
    assert json.loads(out.getvalue())["files"] == len(before_files)

    empty_the_database()
    for path in (populated / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    assert media_files() == {} and snapshot() != before_rows

    call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot() == before_rows
    assert media_files() == before_files
    assert audit_verify().ok  # the audit chain came back whole


def test_restore_refuses_a_database_with_data_and_a_damaged_archive(populated):
    archive = populated / "kmgov.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    rows = snapshot()
    with pytest.raises(CommandError, match="没有数据的数据库"):
        call_command("restore", str(archive), stdout=io.StringIO())
    # a file in the archive changed after the backup: refused before anything is written
    damaged = populated / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data + b"tampered"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    empty_the_database()
    with pytest.raises(CommandError, match="与清单不符"):
        call_command("restore", str(damaged), stdout=io.StringIO())
    assert sum(1 for m in _models() if m._default_manager.exists()) == 0
    call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot() == rows
    with pytest.raises(CommandError, match="不是kmgov的备份文件|不存在"):
        call_command("restore", str(populated / "nothing.tar.gz"), stdout=io.StringIO())
