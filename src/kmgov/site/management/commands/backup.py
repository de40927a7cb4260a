"""`kmgov backup [-o FILE] [--json]`: the database and the uploaded files in one archive
(kmgov.site.backup); `kmgov restore FILE` loads it into an empty database."""

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = "备份：数据库全部业务数据与上传的文件，写成一个 .tar.gz"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="备份文件路径（默认 var/backups/kmgov-<时间>.tar.gz）")
        parser.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, output=None, **opts):
        from kmgov.site.backup import BackupError, backup_create

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(output) if output else Path(settings.VAR_DIR) / "backups" / f"kmgov-{stamp}.tar.gz"
        try:
            manifest = backup_create(path)
        except (BackupError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from None
        rows, files = sum(manifest["rows"].values()), len(manifest["files"])
        out = {"path": str(path), "rows": rows, "files": files, "database": manifest["database"]}
        self.stdout.write(json.dumps(out, ensure_ascii=False) if opts["json"]
                          else f"已备份到 {path}：{rows} 行数据，{files} 个文件")
