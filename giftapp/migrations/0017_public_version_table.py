from django.db import migrations


def create_table(apps, schema_editor):
    """The version of the public pages on SQLite (giftapp/cache.py): one row that every
    process reads, so that an import run from the command line is seen by a running
    server. PostgreSQL keeps it in a sequence (0008)."""
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(
            "CREATE TABLE IF NOT EXISTS giftapp_public_version "
            "(id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)"
        )
        schema_editor.execute("INSERT OR IGNORE INTO giftapp_public_version VALUES (1, 1)")


def drop_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS giftapp_public_version")


class Migration(migrations.Migration):
    dependencies = [
        ("giftapp", "0016_source_url_web_only"),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table),
    ]
