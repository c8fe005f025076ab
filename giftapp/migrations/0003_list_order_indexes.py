from django.db import migrations

# The public gift list sorts by date, newest first, undated gifts last, then id. These
# partial indexes hold the published gifts in that order, so the first page of a million
# is read from an index instead of sorting them all; one each for the list itself, within
# a giver country, a recipient country or a category, the flagged gifts, and the latest
# published (home page and feed). SQLite cannot index NULLS LAST; there the same indexes
# are made without it (SQLite sorts NULLs first in ascending, last in descending order).
PUBLISHED = "publication_status = 'published'"
INDEXES = {
    "gift_public_newest_idx": ("date {desc}, id", PUBLISHED),
    "gift_public_giver_idx": ("giver_country, date {desc}, id", PUBLISHED),
    "gift_public_recipient_idx": ("recipient_country, date {desc}, id", PUBLISHED),
    "gift_public_category_idx": ("category, date {desc}, id", PUBLISHED),
    "gift_public_flagged_idx": ("date {desc}, id", f"{PUBLISHED} AND is_flagged"),
    "gift_public_latest_idx": ("published_at DESC, id DESC", PUBLISHED),
}


def create_indexes(apps, schema_editor):
    desc = "DESC NULLS LAST" if schema_editor.connection.vendor == "postgresql" else "DESC"
    for name, (columns, condition) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {name} ON giftapp_gift ({columns.format(desc=desc)}) "
            f"WHERE {condition}"
        )


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("giftapp", "0002_facets"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="gift", name="gift_status_date_idx"),
        migrations.RemoveIndex(model_name="gift", name="gift_giver_country_idx"),
        migrations.RemoveIndex(model_name="gift", name="gift_recipient_country_idx"),
        migrations.RemoveIndex(model_name="gift", name="gift_category_date_idx"),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
