"""Reports read from a PostgreSQL read replica (issue 15 item 8), when there is one.

`KMGOV_REPLICA_DATABASE_URL` adds the database alias `replica` (settings). The heavy read-only
report views and endpoints — the dashboards, the city's monthly construction report, the
safety consolidated tables, the hotline statistics, the xlsx/GeoJSON/PDF exports — are marked
`@reads_from_replica`; while one runs, `ReplicaRouter` sends the ORM's reads to `replica`.
Everything else, and every write anywhere (also inside a marked view), stays on `default`:

- writes: `db_for_write` is always `default`, and the replica is never migrated;
- a read inside a transaction of `default` stays on `default` (it may need to see that
  transaction's own writes, which the replica has not got);
- the session and the account are read before the view runs (from `default`), so a login just
  made is never missed because of the replica's lag.

Without the setting nothing changes: the router answers nothing and Django reads `default`.
Streaming replication lags by well under a second on a healthy network; for reports, which
show the state of whole days and months, that is acceptable (docs/deployment.md).
"""

from __future__ import annotations

import functools
import typing
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reports: ContextVar[bool] = ContextVar("kmgov_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Within it, reads go to the replica (when configured), writes to `default`."""
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


def reads_from_replica(view):
    """Mark a report view or API endpoint (its first argument the request)."""
    try:
        # the API reads the parameters' types from the signature: resolve them where the view
        # was written (its module may say `from __future__ import annotations`)
        view.__annotations__ = typing.get_type_hints(view, include_extras=True)
    except (NameError, TypeError):
        pass

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if user is not None:
            getattr(user, "pk", None)  # the session and the account: read now, from default
        with replica_reads():
            return view(request, *args, **kwargs)

    wrapper.reads_from_replica = True
    return wrapper


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: the replica for reads inside `replica_reads()`, `default`
    for everything else."""

    def db_for_read(self, model, **hints):
        if not _reports.get() or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as default

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
