"""The `kmgov` command: Django's management commands under one name.

`kmgov gazette ingest PATH`, `kmgov migrate`, `kmgov openapi`, `kmgov serve` … are the
management commands of the kernel, policy and site apps; see `kmgov help`. A refusal
(`kmgov.core.errors.Refusal`) is one line on stderr and exit code 2, as CommandError renders it.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")
    from django.core.management import execute_from_command_line

    from kmgov.core.errors import Refusal

    try:
        execute_from_command_line(["kmgov", *(sys.argv[1:] if argv is None else argv)])
    except Refusal as exc:  # a command that did not render its refusal itself: the same line
        sys.stderr.write(f"CommandError: {exc.display()}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
