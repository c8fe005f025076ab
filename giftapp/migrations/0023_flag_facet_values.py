"""FlagFacet rows carry their gift's value in US dollars, so that the flag statuses of a
list filtered by a value range alone are counted from them, without reading the gifts."""

import importlib

from django.db import migrations, models

# As in 0005, with the value: the rows of the given gifts, from their public flags.
REFRESH_SQL = """
CREATE OR REPLACE FUNCTION giftapp_flagfacet_refresh(gift_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM giftapp_flagfacet WHERE gift_id = ANY(gift_ids);
    INSERT INTO giftapp_flagfacet (gift_id, regime_id, status, giver_country,
        recipient_country, category, year, is_flagged, value_usd)
    SELECT DISTINCT g.id, f.regime_id, f.status, g.giver_country, g.recipient_country,
        g.category, COALESCE(EXTRACT(YEAR FROM g.date)::int, 0), g.is_flagged, g.value_usd
    FROM giftapp_gift g JOIN giftapp_sanctionsflag f ON f.gift_id = g.id
    WHERE g.id = ANY(gift_ids)
        AND g.publication_status = 'published' AND f.publication_status = 'published';
$$;
"""

# As in 0005, with a change of value among the changes that rewrite a gift's rows.
GIFT_CHANGED_SQL = """
CREATE OR REPLACE FUNCTION giftapp_flagfacet_gift_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT n.id FROM new_rows n WHERE EXISTS (
            SELECT 1 FROM giftapp_sanctionsflag f WHERE f.gift_id = n.id));
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT o.id FROM old_rows o WHERE EXISTS (
            SELECT 1 FROM giftapp_flagfacet ff WHERE ff.gift_id = o.id));
    ELSE
        ids := ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.publication_status, n.giver_country, n.recipient_country, n.category,
                   n.date, n.is_flagged, n.value_usd)
                IS DISTINCT FROM (o.publication_status, o.giver_country,
                   o.recipient_country, o.category, o.date, o.is_flagged, o.value_usd)
            AND EXISTS (SELECT 1 FROM giftapp_sanctionsflag f WHERE f.gift_id = n.id));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM giftapp_flagfacet_refresh(ids);
    END IF;
    RETURN NULL;
END;
$$;
"""

REFILL_SQL = (
    "SELECT giftapp_flagfacet_refresh(ARRAY(SELECT DISTINCT gift_id FROM giftapp_sanctionsflag))"
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFRESH_SQL, params=None)
        schema_editor.execute(GIFT_CHANGED_SQL, params=None)
        schema_editor.execute(REFILL_SQL)


def uninstall(apps, schema_editor):
    """Back to 0005's functions (its trigger function on the flags did not change)."""
    if schema_editor.connection.vendor == "postgresql":
        earlier = importlib.import_module("giftapp.migrations.0005_flag_facets")
        schema_editor.execute(earlier.REFRESH_SQL, params=None)
        schema_editor.execute(earlier.TRIGGER_SQL.split("CREATE TRIGGER")[0], params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("giftapp", "0022_history_unindexed_co_giver"),
    ]

    operations = [
        migrations.AddField(
            model_name="flagfacet",
            name="value_usd",
            field=models.DecimalField(decimal_places=2, max_digits=16, null=True),
        ),
        migrations.RunPython(install, uninstall),
    ]
