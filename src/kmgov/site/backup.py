"""Backup and restore of the whole platform: the database (every app's rows, as Django's
portable JSON with natural keys, times to the microsecond) and the uploaded files (MEDIA_ROOT), in one .tar.gz.

The archive holds `manifest.json` (format, time, the migration each app stood at, rows per
model, size and SHA-256 of every file), `data.json` (dumpdata) and `media/…`. It is portable:
a backup of the embedded SQLite restores into PostgreSQL and back. Restoring requires a
migrated database that holds no data of its own (only what `migrate` itself writes) and
checks the archive's files against the manifest before anything is written; rows and files
are then loaded in one transaction (files first to a temporary folder, moved in on success).

Not kept: sessions, login attempts (django-axes), rate-limit counters and queued tasks — they
describe the running service, not the administration's records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "kmgov-backup/1"
#: Apps and models whose rows are not backed up (the running service's state).
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "admin.logentry", "axes",
            "core.ratecounter", "django_tasks_db")


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in Chinese."""


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder keeps times to the millisecond; a backup keeps them whole (the audit
    chain hashes them to the microsecond)."""

    def default(self, o):
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


def _excluded_label(model) -> bool:
    label = model._meta.label_lower
    return any(label == e or model._meta.app_label == e for e in EXCLUDED)


def _models():
    """The backed-up models, each after those it refers to (natural keys resolve in order)."""
    chosen = {m for m in apps.get_models() if not _excluded_label(m) and m._meta.managed
              and not m._meta.proxy}
    ordered = serializers.sort_dependencies(
        [(cfg, [m for m in cfg.get_models() if m in chosen]) for cfg in apps.get_app_configs()],
        allow_cycles=True)
    return [m for m in ordered if m in chosen]


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in _models()}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def media_files(root: Path | None = None) -> dict[str, dict]:
    root = Path(root or settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): {"size": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(root.rglob("*")) if p.is_file()}


def backup_create(output: Path) -> dict:
    """Write the archive to `output`; returns its manifest."""
    with transaction.atomic():  # one consistent snapshot of the rows (PostgreSQL: one MVCC view)
        rows = []
        for model in _models():
            rows += serializers.serialize("python", model._default_manager.order_by("pk"),
                                          use_natural_foreign_keys=True)
        counts = row_counts()
    data = json.dumps(rows, cls=FullPrecisionEncoder, ensure_ascii=False).encode("utf-8")
    files = media_files()
    applied = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if name > applied.get(app_label, ""):
            applied[app_label] = name
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "database": connection.vendor, "migrations": applied, "rows": counts,
                "data_sha256": hashlib.sha256(data).hexdigest(), "files": files}
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".part")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(tmp, "w:gz") as tar:
        for name, payload in (("manifest.json", json.dumps(manifest, ensure_ascii=False,
                                                           indent=1).encode("utf-8")),
                              ("data.json", data)):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        for rel in files:
            tar.add(media / rel, arcname=f"media/{rel}", recursive=False)
    tmp.replace(output)  # a half-written archive never carries the final name
    return manifest


def _database_is_empty() -> list[str]:
    """Models holding rows a fresh `migrate` does not write (those must be empty)."""
    return [label for label, n in row_counts().items() if n]


def restore(archive: Path) -> dict:
    """Load the archive into this (migrated, empty) database and MEDIA_ROOT."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"备份文件“{archive}”不存在")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"“{archive}”不是kmgov的备份文件（{exc}）") from None
    with tar, tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())
            data = tar.extractfile("data.json").read()
        except (KeyError, AttributeError, ValueError):
            raise BackupError("备份文件缺少清单或数据（manifest.json / data.json）") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"备份格式“{manifest.get('format')}”不是本版本能恢复的“{FORMAT}”")
        if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
            raise BackupError("备份数据与清单中的摘要不符（文件已损坏或被改动）")
        ours = set(MigrationRecorder(connection).applied_migrations())
        missing = [f"{a}.{n}" for a, n in manifest["migrations"].items() if (a, n) not in ours]
        if missing:
            raise BackupError("本数据库的结构比备份旧，请先运行 kmgov migrate："
                              + "、".join(missing[:5]))
        busy = _database_is_empty()
        if busy:
            raise BackupError("只能恢复到没有数据的数据库（已有：" + "、".join(busy[:5]) + "）")
        staged = tmp / "media"
        for rel, meta in manifest["files"].items():
            member = tar.getmember(f"media/{rel}")
            if not member.isfile() or ".." in Path(rel).parts or Path(rel).is_absolute():
                raise BackupError(f"备份中的文件“{rel}”不安全，拒绝恢复")
            target = staged / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            if _sha256(target) != meta["sha256"]:
                raise BackupError(f"备份中的文件“{rel}”与清单不符（已损坏或被改动）")
        fixture = tmp / "data.json"
        fixture.write_bytes(data)
        with transaction.atomic():
            call_command("loaddata", str(fixture), verbosity=0)
            counts = row_counts()
            if counts != manifest["rows"]:
                diff = [k for k in manifest["rows"] if counts.get(k) != manifest["rows"][k]]
                raise BackupError("恢复后的行数与备份不符：" + "、".join(diff[:5]))
        media = Path(settings.MEDIA_ROOT)
        for rel in manifest["files"]:
            dest = media / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(staged / rel), dest)
    return manifest
