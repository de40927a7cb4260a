"""The database a benchmark script runs on, shared by the scripts of this folder."""

import os
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def use_database(url: str, name: str) -> None:
    """Point Django at `url`, or at a fresh SQLite file `out/bench-<name>.sqlite3` (the old one
    and its WAL files removed) when no URL is given."""
    OUT.mkdir(exist_ok=True)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        db = OUT / f"bench-{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")
