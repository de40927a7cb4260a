"""The `kmgov` command: Django's management commands under one name.

`kmgov gazette ingest PATH`, `kmgov migrate`, `kmgov openapi`, `kmgov serve` … are the
management commands of the kernel and policy apps; see `kmgov help`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kmgov", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
