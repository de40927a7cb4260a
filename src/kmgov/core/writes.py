"""A unit of work: the fixed writes of one change, collected as plain rows and sent together.

    w = Writes()
    w.update(Case, case.pk, {"state": "filed", "version": 3})    # the changed columns only
    w.update_where(Deadline, {"object_id": 7}, null=("fired_at",), values={"cancelled_at": now})
    w.insert(AuditEntry, [{"action": "…", …}])                     # fields not given: defaults
    w.send()

On PostgreSQL `send` is one round trip: one statement of data-modifying CTEs, each insert's
rows passed as one JSON parameter read with `jsonb_to_recordset`, so that the text depends only
on the shape of the writes (tables and columns), not on how many rows; the server prepares it
once per connection and shape. All parts see the same snapshot: an UPDATE does not see the rows
an INSERT of the same unit adds (a step cancels the old deadlines, not the new ones; closes the
items it found open, not those it opens). On other databases (SQLite) each part is one plain
statement, in the order added.

Call inside the transaction of the change. Rows are written as the ORM's `bulk_create` would
write them (defaults and `auto_now_add` filled in, values prepared by their fields); no model
instances are made and no signals are sent: use it only for models whose writers listen to none.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import uuid

from django.db import connection, models, transaction
from django.utils import timezone

from .prepared import prepared_cursor


@functools.cache
def _insert_fields(model) -> tuple:
    """The columns an insert writes: every concrete field but an automatic primary key."""
    return tuple(f for f in model._meta.concrete_fields
                 if not (f.primary_key and isinstance(f, models.AutoField)))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _json_value(v):
    """A value as jsonb_to_recordset reads it back into its column's type."""
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, decimal.Decimal | uuid.UUID):
        return str(v)
    return v


class Writes:
    def __init__(self):
        self._parts: list[tuple] = []

    def __bool__(self) -> bool:
        return bool(self._parts)

    # ---------------------------------------------------------------- collecting

    def update(self, model, pk, values: dict) -> None:
        """UPDATE one row of `model` by primary key: `values` maps field names to values."""
        if values:
            self._parts.append(("row", model, pk, values))

    def update_where(self, model, where: dict, *, null: tuple[str, ...] = (),
                     values: dict) -> None:
        """UPDATE the rows of `model` whose fields equal `where` and whose fields `null` are
        NULL, setting `values`."""
        self._parts.append(("where", model, where, tuple(null), values))

    def insert(self, model, rows: list[dict]) -> None:
        """INSERT `rows` (field attnames → values) into `model`'s table, in their order. A field
        not given takes its default (an `auto_now_add` one: now)."""
        if rows:
            self._parts.append(("insert", model, rows))

    # ---------------------------------------------------------------- sending

    def send(self) -> None:
        if not self._parts:
            return
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("a unit of writes must be sent inside the transaction of the change")
        now = timezone.now()
        if connection.vendor == "postgresql":
            self._send_postgresql(now)
        else:
            self._send_plain(now)
        self._parts = []

    @staticmethod
    def _row_values(model, row: dict, now) -> list:
        out = []
        for f in _insert_fields(model):
            if f.attname in row:
                v = row[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                v = now
            else:
                v = f.get_default()
            out.append((f, v))
        return out

    @staticmethod
    def _set_clause(model, values: dict, params: list, cast: bool) -> str:
        sets = []
        for name, v in values.items():
            f = model._meta.get_field(name)
            params.append(f.get_db_prep_save(v, connection))
            sets.append(f"{_q(f.column)} = %s" + (f"::{f.db_type(connection)}" if cast else ""))
        return ", ".join(sets)

    @staticmethod
    def _where_clause(model, where: dict, null: tuple, params: list, cast: bool) -> str:
        conds = []
        for name, v in where.items():
            f = model._meta.get_field(name)
            params.append(f.get_db_prep_value(v, connection, prepared=False))
            conds.append(f"{_q(f.column)} = %s" + (f"::{f.db_type(connection)}" if cast else ""))
        conds += [f"{_q(model._meta.get_field(n).column)} IS NULL" for n in null]
        return " AND ".join(conds)

    def _send_plain(self, now) -> None:
        with connection.cursor() as cur:
            for part in self._parts:
                kind, model = part[0], part[1]
                table = _q(model._meta.db_table)
                params: list = []
                if kind == "row":
                    _, _, pk, values = part
                    sets = self._set_clause(model, values, params, cast=False)
                    params.append(model._meta.pk.get_db_prep_value(pk, connection))
                    cur.execute(f"UPDATE {table} SET {sets} WHERE "
                                f"{_q(model._meta.pk.column)} = %s", params)
                elif kind == "where":
                    _, _, where, null, values = part
                    sets = self._set_clause(model, values, params, cast=False)
                    cond = self._where_clause(model, where, null, params, cast=False)
                    cur.execute(f"UPDATE {table} SET {sets} WHERE {cond}", params)
                else:
                    _, _, rows = part
                    fields = _insert_fields(model)
                    cols = ", ".join(_q(f.column) for f in fields)
                    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
                    for row in rows:
                        params += [f.get_db_prep_save(v, connection)
                                   for f, v in self._row_values(model, row, now)]
                    cur.execute(f"INSERT INTO {table} ({cols}) VALUES "
                                + ", ".join([one] * len(rows)), params)

    def _send_postgresql(self, now) -> None:
        shape, params = [], []
        for part in self._parts:
            kind, model = part[0], part[1]
            if kind == "row":
                _, _, pk, values = part
                shape.append((kind, model, tuple(values)))
                params += _prep_values(model, values)
                params.append(model._meta.pk.get_db_prep_value(pk, connection))
            elif kind == "where":
                _, _, where, null, values = part
                shape.append((kind, model, tuple(where), null, tuple(values)))
                params += _prep_values(model, values)
                params += [model._meta.get_field(n).get_db_prep_value(v, connection,
                                                                      prepared=False)
                           for n, v in where.items()]
            else:
                _, _, rows = part
                shape.append((kind, model))
                params.append(json.dumps(
                    [{f.column: v if isinstance(f, models.JSONField) else _json_value(v)
                      for f, v in self._row_values(model, row, now)} for row in rows],
                    ensure_ascii=False))
        with prepared_cursor() as cur:
            cur.execute(_postgresql_text(tuple(shape)), params)


def _prep_values(model, values: dict) -> list:
    get = model._meta.get_field
    return [get(n).get_db_prep_save(v, connection) for n, v in values.items()]


def _typed(meta, name: str) -> str:
    f = meta.get_field(name)
    return f"{_q(f.column)} = %s::{f.db_type(connection)}"


@functools.cache
def _postgresql_text(shape: tuple) -> str:
    """The one statement of a unit of this shape (kept: a step of a procedure has a handful of
    shapes, and building the text was a tenth of a step's Python time)."""
    ctes = []
    for i, part in enumerate(shape):
        kind, model = part[0], part[1]
        meta = model._meta
        table = _q(meta.db_table)
        typed = functools.partial(_typed, meta)

        if kind == "row":
            sets = ", ".join(typed(n) for n in part[2])
            ctes.append(f"w{i} AS (UPDATE {table} SET {sets} WHERE {typed(meta.pk.name)})")
        elif kind == "where":
            _, _, where, null, values = part
            sets = ", ".join(typed(n) for n in values)
            cond = " AND ".join([typed(n) for n in where]
                                + [f"{_q(meta.get_field(n).column)} IS NULL" for n in null])
            ctes.append(f"w{i} AS (UPDATE {table} SET {sets} WHERE {cond})")
        else:
            fields = _insert_fields(model)
            cols = ", ".join(_q(f.column) for f in fields)
            defs = ", ".join(f"{_q(f.column)} {f.db_type(connection)}" for f in fields)
            ctes.append(f"w{i} AS (INSERT INTO {table} ({cols}) SELECT {cols} FROM "
                        f"jsonb_to_recordset(%s::jsonb) AS r({defs}))")
    return "WITH " + ", ".join(ctes) + " SELECT 1"
