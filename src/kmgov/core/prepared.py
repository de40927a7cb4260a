"""Statements the PostgreSQL server prepares: for the hot paths whose text is fixed (the desk's
answer re-check, a case step's unit of writes), parsed and planned once per connection."""

from django.db import connection

_Prepared = None


def prepared_cursor():
    """A cursor of Django's PostgreSQL connection whose statements the server prepares
    (server-side binding; Django's own cursors bind on the client and never prepare). It is
    wrapped as Django wraps its cursors, so its queries are counted and logged like theirs.
    Prepared statements live in the session: fine with persistent connections, not behind a
    transaction-pooling proxy. PostgreSQL only (psycopg 3)."""
    global _Prepared
    if _Prepared is None:
        import psycopg

        class Prepared(psycopg.Cursor):
            def execute(self, query, params=None, **kw):
                return super().execute(query, params, prepare=True)

        _Prepared = Prepared
    connection.ensure_connection()
    return connection._prepare_cursor(_Prepared(connection.connection))
