from django.db import migrations

# The published gifts by value in US dollars, for value ranges and sort=value. On
# PostgreSQL the index also carries what the gift list counts by (its facets and the page
# order), so a value range is counted from the index alone, without reading the gifts.
# SQLite has no covering indexes: there it is the plain partial index.
INDEX = "gift_public_value_idx"
COVERED = "id, date, giver_country, recipient_country, category, is_flagged"


def create_index(apps, schema_editor):
    include = f" INCLUDE ({COVERED})" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON giftapp_gift (value_usd){include} "
        "WHERE publication_status = 'published'"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("giftapp", "0006_activity_counts"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="gift", name="gift_value_usd_idx"),
        migrations.RunPython(create_index, drop_index),
    ]
