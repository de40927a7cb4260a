"""Content versions: one number per kind of content, bumped in the transaction that changes it.

A process that keeps content in memory (the desk's answer index, kmgov.hotline.kb) remembers
the versions it was built from and compares them with `current()` — one primary-key read of a
row or two — at each use; a copy built from older versions is rebuilt. Because the bump is
written in the same transaction as the change, a reader sees either the old content and the
old number or the new content and the new number, never a new number with old content (it
would keep a stale copy forever) — and every process, on any machine sharing the database,
sees the change on its next request.

    INSERT … ON CONFLICT (name) DO UPDATE SET version = excluded.version

is one atomic statement on SQLite (3.35+) and PostgreSQL; concurrent writers of the same
content wait only for each other's row. A version is a fresh random number, not a count: a
process may build its copy inside a transaction that is then rolled back (the number goes
back to the previous one); a count would hand the same number to the next change, a random
number never does.
"""

from __future__ import annotations

import secrets

from django.db import connection

from .models import ContentVersion

_TABLE = ContentVersion._meta.db_table
_BUMP = (f"INSERT INTO {_TABLE} (name, version) VALUES (%s, %s) "
         f"ON CONFLICT (name) DO UPDATE SET version = excluded.version")

SEARCH = "search"


def bump(*names: str) -> None:
    """Mark the named content changed (call inside the transaction that changes it)."""
    with connection.cursor() as cur:
        for name in names:
            cur.execute(_BUMP, [name, secrets.randbits(62) + 1])


def current(names: tuple[str, ...]) -> tuple[int, ...]:
    """The versions of the named content now (0 for content never changed), in one query."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT name, version FROM {_TABLE} WHERE name IN "
                    f"({', '.join(['%s'] * len(names))})", list(names))
        found = dict(cur.fetchall())
    return tuple(int(found.get(n, 0)) for n in names)
