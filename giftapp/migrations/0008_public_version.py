from django.db import migrations


def create_sequence(apps, schema_editor):
    """The version of the public pages when each process caches them in its own memory
    (giftapp/cache.py); PostgreSQL only."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS giftapp_public_version")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS giftapp_public_version")


class Migration(migrations.Migration):
    dependencies = [
        ("giftapp", "0007_public_value_index"),
    ]

    operations = [
        migrations.RunPython(create_sequence, drop_sequence),
    ]
