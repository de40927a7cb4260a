"""`kmgov restore FILE [--json]`: load a `kmgov backup` archive into this migrated, empty
database and MEDIA_ROOT (refused, with nothing written, when either check fails)."""

import json

from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = "恢复：把 kmgov backup 的备份文件恢复到一个已迁移、没有数据的数据库"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar.gz）")
        parser.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, archive, **opts):
        from kmgov.site.backup import BackupError, restore

        try:
            manifest = restore(archive)
        except BackupError as exc:
            raise CommandError(f"恢复失败：{exc}") from None
        rows, files = sum(manifest["rows"].values()), len(manifest["files"])
        out = {"restored": archive, "rows": rows, "files": files,
               "from_database": manifest["database"]}
        self.stdout.write(json.dumps(out, ensure_ascii=False) if opts["json"]
                          else f"已恢复 {archive}：{rows} 行数据，{files} 个文件")
