import importlib

from django.db import migrations

# The gifts' trigger function as this migration installs it: migration 0009's counts, and
# each facet counted under each value band (giftapp/counts/facets.py: VALUE_BAND,
# BAND_ROLLUP_SQL), so that a value range is counted from the bands it covers.
TRIGGER_SQL = r"""
CREATE OR REPLACE FUNCTION giftapp_giftfacet_apply() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
DECLARE
    changes text;
BEGIN
    -- A bulk write recounts both aggregates once at its end instead (facets.deferred).
    IF current_setting('giftapp.defer_facets', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        changes := 'SELECT *, 1 AS sign FROM new_rows';
    ELSIF TG_OP = 'DELETE' THEN
        changes := 'SELECT *, -1 AS sign FROM old_rows';
    ELSE
        changes := 'SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 FROM old_rows';
    END IF;
    EXECUTE format($sql$
        WITH banded AS (
            SELECT giver_country, recipient_country, category,
                   COALESCE(EXTRACT(YEAR FROM date)::int, 0)::smallint AS year,
                   is_flagged, width_bucket(value_usd, '{1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,20000,50000,100000,200000,500000,1000000,2000000,5000000,10000000,20000000,50000000,100000000,200000000,500000000,1000000000,2000000000,5000000000,10000000000,20000000000,50000000000,100000000000,200000000000,500000000000,1000000000000,2000000000000,5000000000000,10000000000000,20000000000000,50000000000000}'::numeric[]) AS value_band,
                   sum(sign) AS n
            FROM (%s) AS changed WHERE publication_status = 'published'
            GROUP BY 1, 2, 3, 4, 5, 6
            HAVING sum(sign) <> 0
        ), delta AS (
            SELECT giver_country, recipient_country, category, year, is_flagged, sum(n) AS n
            FROM banded
            GROUP BY 1, 2, 3, 4, 5
            HAVING sum(n) <> 0
        ), cube AS (
            INSERT INTO giftapp_giftfacet
                (giver_country, recipient_country, category, year, is_flagged, n)
            SELECT * FROM delta ORDER BY 1, 2, 3, 4, 5  -- the unique index's order
            ON CONFLICT (giver_country, recipient_country, category, year, is_flagged)
            DO UPDATE SET n = giftapp_giftfacet.n + EXCLUDED.n
        ), bands AS (
INSERT INTO giftapp_giftfacetpair
    (filter_dimension, filter_value, facet_dimension, facet_value, n)
SELECT 'value_band', c.value_band::text, p.facet_dimension, p.facet_value, c.n
FROM (
    SELECT value_band, giver_country, recipient_country, category, year, is_flagged, sum(n) AS n,
           GROUPING(giver_country, recipient_country, category, year, is_flagged) AS left_out
    FROM banded AS counted
    WHERE value_band IS NOT NULL
    GROUP BY GROUPING SETS ((value_band, giver_country), (value_band, recipient_country), (value_band, category), (value_band, year), (value_band, is_flagged))
) AS c
CROSS JOIN LATERAL (VALUES (15, 'giver_country', giver_country), (23, 'recipient_country', recipient_country), (27, 'category', category), (29, 'year', year::text), (30, 'is_flagged', is_flagged::text))
    AS p(left_out, facet_dimension, facet_value)
WHERE p.left_out = c.left_out AND c.n <> 0
ON CONFLICT (filter_dimension, filter_value, facet_dimension, facet_value)
DO UPDATE SET n = giftapp_giftfacetpair.n + EXCLUDED.n
        )

INSERT INTO giftapp_giftfacetpair
    (filter_dimension, filter_value, facet_dimension, facet_value, n)
SELECT p.filter_dimension, p.filter_value, p.facet_dimension, p.facet_value, c.n
FROM (
    SELECT giver_country, recipient_country, category, year, is_flagged, sum(n) AS n,
           GROUPING(giver_country, recipient_country, category, year, is_flagged) AS left_out
    FROM delta AS counted
    GROUP BY GROUPING SETS ((giver_country), (recipient_country), (category), (year), (is_flagged), (giver_country, recipient_country), (giver_country, category), (giver_country, year), (giver_country, is_flagged), (recipient_country, category), (recipient_country, year), (recipient_country, is_flagged), (category, year), (category, is_flagged), (year, is_flagged))
) AS c
CROSS JOIN LATERAL (VALUES (15, '', '', 'giver_country', giver_country),
(23, '', '', 'recipient_country', recipient_country),
(27, '', '', 'category', category),
(29, '', '', 'year', year::text),
(30, '', '', 'is_flagged', is_flagged::text),
(7, 'giver_country', giver_country, 'recipient_country', recipient_country),
(11, 'giver_country', giver_country, 'category', category),
(13, 'giver_country', giver_country, 'year', year::text),
(14, 'giver_country', giver_country, 'is_flagged', is_flagged::text),
(7, 'recipient_country', recipient_country, 'giver_country', giver_country),
(19, 'recipient_country', recipient_country, 'category', category),
(21, 'recipient_country', recipient_country, 'year', year::text),
(22, 'recipient_country', recipient_country, 'is_flagged', is_flagged::text),
(11, 'category', category, 'giver_country', giver_country),
(19, 'category', category, 'recipient_country', recipient_country),
(25, 'category', category, 'year', year::text),
(26, 'category', category, 'is_flagged', is_flagged::text),
(13, 'year', year::text, 'giver_country', giver_country),
(21, 'year', year::text, 'recipient_country', recipient_country),
(25, 'year', year::text, 'category', category),
(28, 'year', year::text, 'is_flagged', is_flagged::text),
(14, 'is_flagged', is_flagged::text, 'giver_country', giver_country),
(22, 'is_flagged', is_flagged::text, 'recipient_country', recipient_country),
(26, 'is_flagged', is_flagged::text, 'category', category),
(28, 'is_flagged', is_flagged::text, 'year', year::text))
    AS p(left_out, filter_dimension, filter_value, facet_dimension, facet_value)
WHERE p.left_out = c.left_out AND c.n <> 0
ON CONFLICT (filter_dimension, filter_value, facet_dimension, facet_value)
DO UPDATE SET n = giftapp_giftfacetpair.n + EXCLUDED.n

    $sql$, changes);
    RETURN NULL;
END;
$$;
"""

# The value bands' pairs of the gifts already there.
FILL_SQL = r"""
INSERT INTO giftapp_giftfacetpair
    (filter_dimension, filter_value, facet_dimension, facet_value, n)
SELECT 'value_band', c.value_band::text, p.facet_dimension, p.facet_value, c.n
FROM (
    SELECT value_band, giver_country, recipient_country, category, year, is_flagged, sum(n) AS n,
           GROUPING(giver_country, recipient_country, category, year, is_flagged) AS left_out
    FROM (
    SELECT giver_country, recipient_country, category,
           COALESCE(EXTRACT(YEAR FROM date)::int, 0) AS year, is_flagged,
           width_bucket(value_usd, '{1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,20000,50000,100000,200000,500000,1000000,2000000,5000000,10000000,20000000,50000000,100000000,200000000,500000000,1000000000,2000000000,5000000000,10000000000,20000000000,50000000000,100000000000,200000000000,500000000000,1000000000000,2000000000000,5000000000000,10000000000000,20000000000000,50000000000000}'::numeric[]) AS value_band, 1 AS n
    FROM giftapp_gift WHERE publication_status = 'published' AND value_usd IS NOT NULL
) AS counted
    WHERE value_band IS NOT NULL
    GROUP BY GROUPING SETS ((value_band, giver_country), (value_band, recipient_country), (value_band, category), (value_band, year), (value_band, is_flagged))
) AS c
CROSS JOIN LATERAL (VALUES (15, 'giver_country', giver_country), (23, 'recipient_country', recipient_country), (27, 'category', category), (29, 'year', year::text), (30, 'is_flagged', is_flagged::text))
    AS p(left_out, facet_dimension, facet_value)
WHERE p.left_out = c.left_out AND c.n <> 0
ON CONFLICT (filter_dimension, filter_value, facet_dimension, facet_value)
DO UPDATE SET n = giftapp_giftfacetpair.n + EXCLUDED.n
"""

CLEAR_SQL = "DELETE FROM giftapp_giftfacetpair WHERE filter_dimension = 'value_band'"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)
        schema_editor.execute(CLEAR_SQL)
        schema_editor.execute(FILL_SQL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        previous = importlib.import_module("giftapp.migrations.0009_cheaper_bulk_writes")
        schema_editor.execute(previous.TRIGGER_SQL, params=None)
        schema_editor.execute(CLEAR_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("giftapp", "0019_upload_tasks"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
