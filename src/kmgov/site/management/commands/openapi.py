"""`kmgov openapi`: print the OpenAPI document of /api/v1/ (the same one served at
/api/v1/openapi.json)."""

import json

from django.core.management import BaseCommand


class Command(BaseCommand):
    help = "输出 /api/v1/ 的 OpenAPI 文档（JSON）"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="写入文件（默认标准输出）")

    def handle(self, *args, output=None, **opts):
        from kmgov.api import api

        text = json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), ensure_ascii=False,
                          indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text)
