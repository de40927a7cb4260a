"""PostgreSQL: keep the tsvector stored (a generated column) so ranking reads it instead of
re-parsing every matching row's text; the GIN index moves to that column."""

from django.db import migrations


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS core_searchentry_fts")
        cur.execute(
            "ALTER TABLE core_searchentry ADD COLUMN IF NOT EXISTS tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', segmented)) STORED"
        )
        cur.execute(
            "CREATE INDEX IF NOT EXISTS core_searchentry_tsv ON core_searchentry USING gin (tsv)"
        )


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS core_searchentry_tsv")
        cur.execute("ALTER TABLE core_searchentry DROP COLUMN IF EXISTS tsv")
        cur.execute(
            "CREATE INDEX IF NOT EXISTS core_searchentry_fts ON core_searchentry "
            "USING gin (to_tsvector('simple', segmented))"
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
