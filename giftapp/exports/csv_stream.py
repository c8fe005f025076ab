"""The interchange CSV of a set of gifts, streamed: written by PostgreSQL on PostgreSQL, by
interchange.csv_lines() elsewhere, the same bytes either way.

On PostgreSQL one `COPY (SELECT …) TO STDOUT (FORMAT csv)` streams the rows: the query
formats every cell and makes it spreadsheet-safe, PostgreSQL's CSV writer quotes it, and
Python only turns each row's LF into CRLF. At a million gifts that is several times faster
than building the rows in Python, and memory stays flat: rows arrive as they are read.

PostgreSQL's CSV writer quotes a value that contains the delimiter, the quote character, CR
or LF, doubling the quotes inside: the rule csv.writer follows with QUOTE_MINIMAL. It writes
NULL bare but an empty string as "", so the query turns every empty cell into NULL.
"""

import re
from itertools import islice

from django.core.exceptions import EmptyResultSet
from django.db import connections

from ..backends import backend, one_snapshot
from ..models import DatePrecision, PublicationStatus
from . import interchange

# Rows handed on together: about a megabyte of CSV.
ROWS_PER_CHUNK = 4000
# The ids of the gifts being exported, for the length of the export.
EXPORT_IDS = "pg_temp.export_gift_ids"
# At most this many are written into the export's statement (about 2 MB of SQL).
INLINE_IDS = 250_000
# Memory for the export's sorts and hashes. With PostgreSQL's default of 4 MB, the sort of
# the sources of 120,000 gifts spills to disk and the leaders and visits are joined one
# lookup at a time; from 24 MB the sources are grouped by a hash that spills. At a million
# gifts 12 MB made filtered exports faster than either (bench/export_work_mem.py; the
# figures are in bench/README.md).
WORK_MEM = "12MB"
# Exports run in parallel where PostgreSQL can: workers read, join and sort the gifts and
# their sources on every core, and the rows are merged back into id order. At PostgreSQL's
# parallel_tuple_cost of 0.1 (what it reckons handing on a row from a worker costs) the
# whole registry's export is planned on one core; at 0.01, as facets.scan reads its
# matches, in parallel too. At a million gifts of the sourced shape, filtered exports and
# the whole registry ran about a sixth faster than on one core (bench/README.md). How many
# workers is the server's max_parallel_workers_per_gather.
PARALLEL_TUPLE_COST = "0.01"
ARRAY_OF_IDS = re.compile(r"\{[0-9]+(?:,[0-9]+)*\}", re.ASCII)

PUBLISHED = PublicationStatus.PUBLISHED.value
FORMULA_CODES = ", ".join(str(ord(char)) for char in interchange.FORMULA_STARTS)


def csv_chunks(queryset, *, public=True, rows_per_chunk=ROWS_PER_CHUNK):
    """The interchange CSV of the queryset's gifts in id order, as (number of gifts, UTF-8
    bytes) pairs: the header first (counted as 0), then the rows a chunk at a time.

    With public=True only public flags are listed and a visit's slug only when the visit
    is published (see interchange). On PostgreSQL the rows are read from one snapshot of
    the registry (inside a transaction already open, from that transaction's), and closing
    the generator before its end cancels the query.
    """
    header = "".join(interchange.csv_lines((), public=public))  # the header alone
    yield 0, header.encode()
    if backend(queryset.db).copies_rows:
        yield from _copy_rows(queryset, public, rows_per_chunk)
        return
    lines = interchange.csv_lines(
        interchange.for_export(queryset, public=public), public=public, header=False
    )
    while batch := list(islice(lines, rows_per_chunk)):
        yield len(batch), "".join(batch).encode()


def _copy_rows(queryset, public, rows_per_chunk):
    connection = connections[queryset.db]
    try:
        ids_sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # none(), or a filter that can match nothing
        return
    # The ids and the rows read from one snapshot. Otherwise a gift unpublished or edited
    # between the two statements would be exported as it is now (a draft's text, under a
    # public filter) rather than as it was when it matched. Not read-only: past
    # INLINE_IDS, the ids go into a temporary table.
    with (
        one_snapshot(queryset.db, read_only=False, savepoint=False),
        connection.cursor() as cursor,
    ):
        # (set_config(…, true) is SET LOCAL, both in one statement.)
        cursor.execute(
            "SELECT set_config('parallel_tuple_cost', %s, true), set_config('work_mem', %s, true)",
            [PARALLEL_TUPLE_COST, WORK_MEM],
        )
        # The export's plan never rests on the tables' statistics, which may be stale
        # (just after an import, a filter the planner expects to match 25 gifts may match
        # 100,000, and a plan made for 25 reads every source once per gift): see
        # selected_ids.
        statement = copy_statement(selected_ids(cursor, ids_sql, params), public=public)
        with cursor.copy(statement) as copy:
            lines = []
            for row in copy:
                lines.append(row[:-1])  # without the LF that ends every COPY row
                if len(lines) == rows_per_chunk:
                    yield len(lines), b"\r\n".join(lines) + b"\r\n"
                    lines = []
            if lines:
                yield len(lines), b"\r\n".join(lines) + b"\r\n"


def selected_ids(cursor, ids_sql, params):
    """The SQL of the condition "this column is one of the ids that ids_sql selects", for
    copy_statement. The filter runs first, on its own: its plan is the filter's alone.

    Up to INLINE_IDS ids, they are written into the condition as an array: PostgreSQL
    reads the gifts and their links to sources through their indexes. For a filter that
    matches one gift in eight, that is a fifth faster than semi-joins that scan every
    gift and every link. Past INLINE_IDS the scans are the cheaper: the ids go into a
    temporary table, whose statistics are gathered at once.
    """
    cursor.execute(
        "SELECT count(*), array_agg(id ORDER BY id)::text "
        f"FROM (SELECT id FROM ({ids_sql}) AS matching(id) LIMIT %s) AS ids",
        [*params, INLINE_IDS + 1],
    )
    count, ids = cursor.fetchone()
    if count <= INLINE_IDS and (ids is None or ARRAY_OF_IDS.fullmatch(ids)):
        return lambda column: f"{column} = ANY('{ids or '{}'}'::bigint[])"
    cursor.execute(f"DROP TABLE IF EXISTS {EXPORT_IDS}")
    cursor.execute(f"CREATE TEMPORARY TABLE {EXPORT_IDS} (id) ON COMMIT DROP AS {ids_sql}", params)
    cursor.execute(f"ANALYZE {EXPORT_IDS}")
    return lambda column: f"{column} IN (SELECT e.id FROM {EXPORT_IDS} e)"


def code(column):
    """SQL for a cell holding a code (country, category, currency, status…), NULL when
    blank: CHECK constraints keep these to codes, which need neither a prefix nor quotes."""
    return f"NULLIF({column}, '')"


def cell(expression):
    """SQL for a text cell as spreadsheet_safe() writes it, NULL when empty.

    ascii() gives the code point of the first character (0 for an empty string); a
    pattern match here would cost more than all the rest of the cell.
    """
    return (
        f"CASE WHEN ascii({expression}) IN ({FORMULA_CODES}) THEN '''' || {expression} "
        f"ELSE NULLIF({expression}, '') END"
    )


# As format_date() writes it. Python's %Y does not pad a year before 1000 (isoformat()
# does): FM drops the zeros that YYYY would add.
DATE = f"""CASE
        WHEN g.date IS NULL OR g.date_precision = '{DatePrecision.UNKNOWN.value}' THEN NULL
        WHEN g.date_precision = '{DatePrecision.YEAR.value}' THEN to_char(g.date, 'FMYYYY')
        WHEN g.date_precision = '{DatePrecision.MONTH.value}' THEN to_char(g.date, 'FMYYYY-MM')
        ELSE to_char(g.date, 'YYYY-MM-DD')
    END"""


# Most gifts have one or two sources: their list, sorted, is the first URL and the last.
# Sorting every gift's URLs in string_agg() costs more than all the rest of its row.
SOURCES = """CASE
        WHEN sources.n = 1 THEN sources.first_url
        WHEN sources.n = 2 THEN sources.first_url || ' ' || sources.last_url
        WHEN sources.n > 2 THEN (
            SELECT string_agg(s.url, ' ' ORDER BY s.url COLLATE "C")
            FROM giftapp_gift_sources gs
            JOIN giftapp_source s ON s.id = gs.source_id
            WHERE gs.gift_id = g.id AND s.url <> ''
        )
    END"""


def columns(public):
    """The SELECT list, in interchange.HEADER order."""
    visit = (
        f"CASE WHEN visit.publication_status = '{PUBLISHED}' THEN visit.slug END"
        if public
        else "visit.slug"
    )
    return [
        "g.id",
        DATE,
        cell("giver.name"),
        code("g.giver_country"),
        cell("recipient.name"),
        code("g.recipient_country"),
        cell(visit),
        cell("g.item"),
        cell("g.description"),
        code("g.category"),
        "g.quantity",
        # numeric(16, 2) prints its two decimal places, as format_decimal() does.
        "g.value",
        code("g.currency"),
        "g.value_usd",
        cell("g.value_note"),
        code("g.disposition"),
        cell("flags.sanctions"),
        cell(SOURCES),
        cell("g.giver_as_reported"),
        cell("g.recipient_as_reported"),
        cell("g.notes"),
        code("g.publication_status"),
    ]


def copy_statement(one_of, *, public):
    """COPY of the gifts whose id one_of("g.id") accepts (SQL of a condition), in id order.

    Flags and sources are grouped by gift_id and merged with the gifts in id order: the
    rows stream out as they are built. Sources are grouped for the selected gifts only, so
    that a narrow filter reads its gifts' sources through the gift_id index rather than all
    of them. The filter runs twice so (for the gifts and for their sources): reading each
    gift's sources on its own instead would make an export of the whole registry a fifth
    slower. COLLATE "C" sorts by code point, as Python's sorted() does.
    """
    select = ",\n    ".join(columns(public))
    flags_on = "flags.gift_id = g.id"
    flags_where = ""
    if public:  # the flag and its gift both published
        flags_on += f" AND g.publication_status = '{PUBLISHED}'"
        flags_where = f"\n    WHERE f.publication_status = '{PUBLISHED}'"
    return f"""COPY (
SELECT
    {select}
FROM giftapp_gift g
LEFT JOIN giftapp_leader giver ON giver.id = g.giver_id
LEFT JOIN giftapp_leader recipient ON recipient.id = g.recipient_id
LEFT JOIN giftapp_visit visit ON visit.id = g.visit_id
LEFT JOIN (
    SELECT
        f.gift_id,
        string_agg(
            r.code || ':' || f.status, ';' ORDER BY r.code COLLATE "C", f.status COLLATE "C"
        ) AS sanctions
    FROM giftapp_sanctionsflag f
    JOIN giftapp_sanctionsregime r ON r.id = f.regime_id{flags_where}
    GROUP BY f.gift_id
) flags ON {flags_on}
LEFT JOIN (
    SELECT
        gs.gift_id,
        count(*) AS n,
        min(s.url COLLATE "C") AS first_url,
        max(s.url COLLATE "C") AS last_url
    FROM giftapp_gift_sources gs
    JOIN giftapp_source s ON s.id = gs.source_id
    WHERE s.url <> '' AND {one_of("gs.gift_id")}
    GROUP BY gs.gift_id
) sources ON sources.gift_id = g.id
WHERE {one_of("g.id")}
ORDER BY g.id
) TO STDOUT (FORMAT csv)"""
