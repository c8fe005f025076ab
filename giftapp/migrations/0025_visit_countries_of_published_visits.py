"""The visits' trigger recounts the countries of the visits that are or were published
only: a draft's countries are never counted, so a draft created, edited or deleted
changes none. (An import creating 178,000 draft visits handed all their ids to
giftapp_visitcountry_refresh, which read their participants for nothing: 0.6 of the
2.1 s their insert took.)"""

import importlib

from django.db import migrations

# As in 0006, but for the filter on publication in the second statement.
VISIT_CHANGED_SQL = """
CREATE OR REPLACE FUNCTION giftapp_activity_visit_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changes text;
    visit_ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changes := 'SELECT id, publication_status, host_country, start_date, 1 AS sign'
            ' FROM new_rows';
    ELSIF TG_OP = 'DELETE' THEN
        changes := 'SELECT id, publication_status, host_country, start_date, -1 AS sign'
            ' FROM old_rows';
    ELSE
        changes := 'SELECT id, publication_status, host_country, start_date, 1 AS sign'
            ' FROM new_rows UNION ALL'
            ' SELECT id, publication_status, host_country, start_date, -1 FROM old_rows';
    END IF;
    -- Visits published or unpublished: their participants' counts follow.
    EXECUTE format($sql$
        WITH changed AS (
            SELECT id, sum(sign) AS sign FROM (%s) AS c
            WHERE publication_status = 'published' GROUP BY id HAVING sum(sign) <> 0
        )
        INSERT INTO giftapp_leaderactivity AS activity (leader_id, visits_made, visits_hosted)
        SELECT leader_id, sum(made), sum(hosted) FROM (
            SELECT t.leader_id, c.sign AS made, 0 AS hosted
            FROM changed c JOIN giftapp_visit_visitors t ON t.visit_id = c.id
            UNION ALL
            SELECT t.leader_id, 0, c.sign
            FROM changed c JOIN giftapp_visit_hosts t ON t.visit_id = c.id
        ) AS d
        GROUP BY leader_id
        ON CONFLICT (leader_id) DO UPDATE
        SET visits_made = activity.visits_made + EXCLUDED.visits_made,
            visits_hosted = activity.visits_hosted + EXCLUDED.visits_hosted
    $sql$, changes);
    -- Published visits whose publication, host country or year changed (or that came or
    -- went): a version that is not published has no countries counted.
    EXECUTE format($sql$
        SELECT array_agg(id) FROM (
            SELECT id FROM (%s) AS c
            WHERE publication_status = 'published'
            GROUP BY id, host_country, EXTRACT(YEAR FROM start_date)
            HAVING sum(sign) <> 0
        ) AS changed
    $sql$, changes) INTO visit_ids;
    IF cardinality(visit_ids) > 0 THEN
        PERFORM giftapp_visitcountry_refresh(visit_ids);
    END IF;
    RETURN NULL;
END;
$$;
"""


def earlier_visit_changed_sql():
    """0006's definition of the function."""
    sql = importlib.import_module("giftapp.migrations.0006_activity_counts").TRIGGER_SQL
    start = sql.index("CREATE OR REPLACE FUNCTION giftapp_activity_visit_changed()")
    return sql[start : sql.index("$$;", start) + len("$$;")]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VISIT_CHANGED_SQL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(earlier_visit_changed_sql(), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("giftapp", "0024_status_indexes_without_like"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
