"""The full-text index behind core/search.py, one kind per database."""

from django.db import migrations


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            # Words are already segmented by jieba and separated by spaces; unicode61 splits
            # on the spaces and keeps each CJK word whole.
            cur.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS core_search_fts "
                "USING fts5(segmented, tokenize='unicode61')"
            )
        elif conn.vendor == "postgresql":
            cur.execute(
                "CREATE INDEX IF NOT EXISTS core_searchentry_fts ON core_searchentry "
                "USING gin (to_tsvector('simple', segmented))"
            )


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            cur.execute("DROP TABLE IF EXISTS core_search_fts")
        elif conn.vendor == "postgresql":
            cur.execute("DROP INDEX IF EXISTS core_searchentry_fts")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_entry")]
    operations = [migrations.RunPython(forwards, backwards)]
