"""The `kmgov` command: Django's management commands under one name.

`kmgov gazette ingest PATH`, `kmgov migrate`, `kmgov openapi`, `kmgov serve` … are the
management commands of the kernel, policy and site apps; see `kmgov help`. A refusal
(`kmgov.core.errors.Refusal`) is one line on stderr and exit code 2, as CommandError renders it.
"""

import os
import sys

# Commands that change the schema: with KMGOV_MIGRATE_DATABASE_URL set they connect as the
# tables' owner, and the role of DATABASE_URL (the application's) is granted afterwards
# (kmgov.core.db_roles). Every other command, and the servers, connect with DATABASE_URL.
OWNER_COMMANDS = {"migrate", "setup", "createcachetable"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")
    args = sys.argv[1:] if argv is None else argv
    owner_url = os.environ.get("KMGOV_MIGRATE_DATABASE_URL")
    if owner_url and args and args[0] in OWNER_COMMANDS:
        os.environ["KMGOV_APP_DATABASE_URL"] = os.environ.get("DATABASE_URL", "")
        os.environ["DATABASE_URL"] = owner_url
    from django.core.management import execute_from_command_line

    from kmgov.core.errors import Refusal

    try:
        execute_from_command_line(["kmgov", *args])
    except Refusal as exc:  # a command that did not render its refusal itself: the same line
        sys.stderr.write(f"CommandError: {exc.display()}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
