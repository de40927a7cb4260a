"""PostgreSQL: the application's own database role, separate from the owner of the tables
(issue 15 item 2).

The tables belong to the role that runs the migrations (`KMGOV_MIGRATE_DATABASE_URL`); the
application connects as another role (`DATABASE_URL`) that may read and write the rows but owns
nothing, so it can neither disable the audit tables' append-only triggers nor TRUNCATE them
(TRUNCATE fires no row trigger; it is not granted). `grant_app_role` grants what the application
needs on every table and sequence, and sets the owner's default privileges so tables added by
later migrations are granted too. `kmgov migrate`/`kmgov setup` with KMGOV_MIGRATE_DATABASE_URL
set connect as the owner and call it for DATABASE_URL's role after migrating (core.apps);
`kmgov audit grant-app-role ROLE` calls it by hand.
"""

from __future__ import annotations

import re

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class RoleError(ValueError):
    pass


def grant_app_role(connection, role: str, *, create: bool = False,
                   password: str | None = None) -> dict:
    """Grant `role` the application's rights on the current database and schema, as the
    connection's (owner) role. Returns the database and schema granted."""
    if connection.vendor != "postgresql":
        raise RoleError("grant-app-role 只用于 PostgreSQL（嵌入式SQLite没有数据库账号）")
    if not ROLE_NAME.fullmatch(role):
        raise RoleError(f"数据库账号名“{role}”无效：只能用小写字母、数字和下划线")
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cur.fetchone() is None:
            if not create:
                raise RoleError(f"数据库账号“{role}”不存在（加 --create 创建）")
            if password:
                cur.execute(f'CREATE ROLE "{role}" LOGIN PASSWORD %s', [password])
            else:
                cur.execute(f'CREATE ROLE "{role}" LOGIN')
        cur.execute("SELECT current_database(), current_schema(), current_user")
        db, schema, owner = cur.fetchone()
        if owner == role:
            raise RoleError(f"数据库账号“{role}”就是数据表的所有者：应用须用另一个账号连接")
        for sql in (
            f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"',
            f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
            f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" '
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" '
            f'GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{role}"',
        ):
            cur.execute(sql)
    return {"role": role, "database": db, "schema": schema, "owner": owner}


def app_role_after_migrate(using: str = "default", **kwargs) -> None:
    """post_migrate: when the migration ran as the owner (KMGOV_MIGRATE_DATABASE_URL) for an
    application that connects as another role (KMGOV_APP_DATABASE_URL, set by `kmgov`), grant
    that role. Nothing otherwise."""
    import os

    from django.db import connections

    app_url = os.environ.get("KMGOV_APP_DATABASE_URL", "")
    connection = connections[using]
    if not app_url or connection.vendor != "postgresql":
        return
    import dj_database_url

    app = dj_database_url.parse(app_url)
    role = app.get("USER") or ""
    if role and role != connection.settings_dict.get("USER"):
        # created with DATABASE_URL's password when it does not exist yet
        grant_app_role(connection, role, create=True, password=app.get("PASSWORD") or None)
