"""The database a benchmark script runs on, shared by the scripts of this folder."""

import os
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def use_database(url: str, name: str) -> None:
    """Point Django at `url`, or at a fresh SQLite file `out/bench-<name>.sqlite3` (the old one
    and its WAL files removed) when no URL is given."""
    OUT.mkdir(exist_ok=True)
    if url:
        if url.startswith("postgres"):
            ensure_postgres_database(url)
        os.environ["DATABASE_URL"] = url
    else:
        db = OUT / f"bench-{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database `url` names when it is missing (connecting to the server's
    `postgres` database with the same user, host and port), so that a benchmark's URL works on a
    fresh machine without a `createdb` first."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
