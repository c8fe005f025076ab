"""The PostgreSQL writer of imports of every format: COPY and set-based SQL.

The rows come validated: every rule, the file's own included (an id given twice, a visit
that no earlier valid row creates), was applied once by the importer (pipeline.py), as
for the ORM writer. One streaming pass COPYs each valid row, typed, into a temporary
staging table. The registry's own format has a reader of its own for that pass
(registry_bulk.py); the other formats stage the importer's entries row by row.
Leaders and sources are resolved in memory as the rows go by: an existing one by its id,
a new one by a negative reference, written after the rows (References.write) and swapped
for its id where the gifts are written. Visits, of which a file may name one for every
few gifts, are staged by slug and created set-based from the first row that can create
each (References.write_visits), so that memory stays flat whatever the file's size.
Set-based statements then link the staged rows to existing gifts (by id, import key, or
the natural key, rejecting a row that matches several), insert the new gifts with their
sources, flags and history rows, and count what is unchanged or in conflict.
The few rows that update an existing draft go through the ORM writer, row by row, exactly
as on SQLite. Everything happens in one transaction: an invalid row (without
--skip-invalid) or a dry run rolls it all back.

An offline import (`import_gifts --offline`: a registry loaded from an export while the
site is not serving) that is large, into tables holding fewer rows than it adds, sets their
secondary indexes and foreign keys aside while it writes, and builds and checks them again
right after (set_aside): one sort per index and one join per key instead of a million index
insertions and key lookups. Until the import commits, those tables, and the tables their
keys point to (users, import batches), are locked to everyone else, readers included: so
no other import does it, and the admin's never. An offline import of the registry's own
format into a registry without a gift has nothing to match and skips the staging table:
registry_load.py COPYs its rows straight into the gift table as the file is read.
"""

import json
from collections import Counter
from contextlib import contextmanager, nullcontext

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from ..counts import facets as facet_counts
from ..models import (
    Gift,
    GiftFacet,
    GiftFacetPair,
    Leader,
    PublicationStatus,
    SanctionsFlag,
    Source,
    Visit,
    gift_search_text,
)
from ..text import fold_all
from .people import LeaderBook, gifts_naming, save_spellings
from .reading import entry_digest, read_rows
from .result import (
    AMBIGUOUS_MATCH,
    Problem,
    conflict_message,
)
from .rules import PUBLISHER_LENGTH, SOURCE_TITLE_LENGTH, free_slug

STAGING = "import_staging"
# The staged columns COPY fills, each with its type, so that COPY never has to guess
# from the Python values.
# The gift's own fields an entry gives are staged as the model types them.
COPY_TYPES = {
    "CharField": "text",
    "TextField": "text",
    "PositiveIntegerField": "int4",
    "IntegerField": "int4",
    "DateField": "date",
    "DecimalField": "numeric",
    "BooleanField": "bool",
}
STAGED = (
    ("line", "int4"),
    ("entry", "int4"),
    ("id", "int8"),
    ("import_key", "text"),
    ("giver_title", "text"),
    ("recipient_title", "text"),
    *(
        (name, COPY_TYPES[Gift._meta.get_field(name).get_internal_type()])
        for name in Gift.ENTRY_FIELDS
    ),
    ("giver_id", "int8"),
    ("recipient_id", "int8"),
    ("co_giver_id", "int8"),
    ("giver_country", "text"),
    ("recipient_country", "text"),
    ("giver_as_reported", "text"),
    ("recipient_as_reported", "text"),
    ("visit_slug", "text"),
    ("publication_status", "text"),
    ("retraction_reason", "text"),
    ("source_hash", "text"),
    ("search_text", "text"),
    ("source_ids", "int8[]"),
    ("flags", "text[]"),
)
# What the matching fills in later, for each staged row.
MATCHED = (
    ("existing_id", "int8"),
    ("existing_hash", "text"),
    ("existing_status", "text"),
    ("new_id", "int8"),
)
# The registry's reader leaves out the columns its format has no cells for.
STAGED_DEFAULTS = {
    "line": "NOT NULL",
    "entry": "NOT NULL DEFAULT 0",
    "import_key": "NOT NULL DEFAULT ''",
    "giver_title": "NOT NULL DEFAULT ''",
    "recipient_title": "NOT NULL DEFAULT ''",
    "giver_not_stated": "NOT NULL DEFAULT false",
    "value_usd_basis": "NOT NULL DEFAULT ''",
}
STAGING_TABLE = (
    f"CREATE TEMP TABLE {STAGING} ("
    + ", ".join(
        f"{column} {type_} {STAGED_DEFAULTS.get(column, '')}".strip()
        for column, type_ in (*STAGED, *MATCHED)
    )
    + ") ON COMMIT DROP"
)
STAGED_COLUMNS = tuple(column for column, _type in STAGED)
STAGED_TYPES = tuple(type_ for _column, type_ in STAGED)
# A staged row's leaders, with new ones' references swapped for their ids, and its visit.
RESOLVED = {
    "giver_id": "COALESCE(giver.id, s.giver_id)",
    "recipient_id": "COALESCE(recipient.id, s.recipient_id)",
    "co_giver_id": "COALESCE(co_giver.id, s.co_giver_id)",
    "visit_id": "visit.id",
}
RESOLVING = (
    "LEFT JOIN import_new_leaders giver ON giver.ref = s.giver_id "
    "LEFT JOIN import_new_leaders recipient ON recipient.ref = s.recipient_id "
    "LEFT JOIN import_new_leaders co_giver ON co_giver.ref = s.co_giver_id "
    "LEFT JOIN giftapp_visit visit ON s.visit_slug <> '' AND visit.slug = s.visit_slug"
)
NO_SUCH_VISIT = (
    "s.visit_slug <> '' AND NOT EXISTS (SELECT 1 FROM giftapp_visit v WHERE v.slug = s.visit_slug)"
)
GIFT_ID = "COALESCE(s.id, s.new_id)"
# Imports smaller than this never set indexes aside, whatever the tables hold.
SET_ASIDE_MIN_ROWS = 20_000
COPY_CHUNK = 5000  # staged rows per COPY on the general path
WORK_MEM = "64MB"  # for the sorts and hashes of the statements that write an import


def can_create_visit(alias):
    """Whether the staged row can create the visit it names: a new visit takes the
    gift's date and a country (the recipient's, else the giver's)."""
    return (
        f"{alias}.date IS NOT NULL "
        f"AND ({alias}.recipient_country <> '' OR {alias}.giver_country <> '')"
    )


def temp_table(cursor, name, definition):
    """A temporary table dropped at commit; also dropped first, for an import inside a
    longer transaction (a test's)."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMP TABLE {name} ({definition}) ON COMMIT DROP")


def id_sequence(cursor, model):
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
    return cursor.fetchone()[0]


def default_values(model, given):
    """{field name: value} for the model's concrete fields not in `given`, each its
    default as a new instance would have it, ready for the database; fields the database
    fills itself (db_default) are left out."""
    return {
        field.attname: field.get_db_prep_save(field.get_default(), connection)
        for field in model._meta.concrete_fields
        if field.attname not in given and field.db_default is NOT_PROVIDED
    }


def insert_select(cursor, model, source, values, params):
    """INSERT INTO the model's table SELECT ... FROM source: values maps field names to
    SQL expressions over source; every other field gets its default, as a new instance
    would have it."""
    columns, expressions = [], []
    defaults = default_values(model, values)
    params = dict(params) | {f"default_{name}": value for name, value in defaults.items()}
    for field in model._meta.concrete_fields:
        if field.attname in values:
            expression = values[field.attname]
        elif field.attname in defaults:
            expression = f"%(default_{field.attname})s"
        else:
            continue
        columns.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM {source}",
        params,
    )


def write_history(cursor, model, importer, now):
    """A '+' history row for each record of the model this batch created, in one statement."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    history = model.history.model._meta.db_table
    cursor.execute(
        f"INSERT INTO {history} ({columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) SELECT {columns}, %s, %s, '+', %s "
        f"FROM {model._meta.db_table} WHERE import_batch_id = %s",
        [now, importer.reason, importer._history_user_id(), importer.result.batch.pk],
    )


def insert_flags(cursor, importer, now, gift_id, rows):
    """A draft flag for each "regime:status" in the `flags` of the rows (SQL, aliased s),
    on the gift whose id is gift_id (an expression over s), with its history rows."""
    cursor.execute(
        "INSERT INTO giftapp_sanctionsflag (gift_id, regime_id, status, "
        "publication_status, provisions, rationale, alleged_by, denied_by, denial, "
        "retraction_reason, created_at, updated_at, import_batch_id) "
        f"SELECT {gift_id}, r.id, split_part(f, ':', 2), 'draft', '', '', '', '', '', '', "
        "%(now)s, %(now)s, %(batch)s FROM (SELECT * FROM "
        f"{rows}) AS s, unnest(s.flags) AS f "
        "JOIN giftapp_sanctionsregime r ON r.code = split_part(f, ':', 1)",
        {"now": now, "batch": importer.result.batch.pk},
    )
    importer.result.counts["flags"]["created"] += cursor.rowcount
    write_history(cursor, SanctionsFlag, importer, now)


class References:
    """The leaders and sources that staged rows name, resolved as the rows go by, and the
    visits they name, created from the staged rows.

    An existing leader or source is named by its id. A new one is queued and named by a
    negative reference (-1, -2, …); write() inserts the queued records, each with an id
    from its table's sequence, and keeps reference -> id in a temporary table that the
    statements writing the gifts join (RESOLVING)."""

    def __init__(self, importer):
        self.importer = importer
        resolve = importer.adapter.resolves_people
        self.book = LeaderBook(resolve=resolve)
        named = gifts_naming() if resolve else {}
        for pk, country, name, native, aliases, kind in Leader.objects.values_list(
            "pk", "country", "name", "native_name", "aliases", "kind"
        ):
            self.book.add(country, [name, native, *aliases], pk, kind, named.get(pk, 0))
        self.leader_slugs = set(Leader.objects.values_list("slug", flat=True))
        self.sources = {}
        for pk, url in Source.objects.exclude(url="").values_list("pk", "url").order_by("-pk"):
            self.sources[url] = pk
        self.new_leaders, self.new_sources = [], []

    def leader(self, party, date=None):
        """The id or reference of the leader a party names, found within its country by
        name, alias or (for a public register) the resolution of people.py."""

        def queued(person):
            slug = free_slug(person.name, self.leader_slugs)
            title = person.office or party.title
            self.new_leaders.append(
                [person.name, party.country, title, slug, person.wikidata_id, person.kind]
            )
            return -len(self.new_leaders)

        return self.book.leader(party, date, queued)

    def leader_rows(self):
        """The queued leaders as rows to COPY, each with the spellings it gathered."""
        aliases = {ref: spellings for ref, (_h, spellings) in self.book.aliases_added.items()}
        for number, (name, country, title, slug, wikidata_id, kind) in enumerate(
            self.new_leaders, 1
        ):
            spellings = sorted(set(aliases.get(-number, ())))
            yield (
                name, country, title, slug, fold_all(name, *spellings),
                json.dumps(spellings), wikidata_id, kind,
            )  # fmt: skip

    def add_spellings(self):
        """Keep the new spellings of leaders that existed before the import as aliases
        (none when the file was imported before: an unchanged file changes nothing; none
        from an editor's import, as a leader from before it may be on public pages)."""
        if self.importer.file_seen or not self.importer.reviewer:
            return
        added = {ref: s for ref, (_h, s) in self.book.aliases_added.items() if ref > 0}
        leaders = list(Leader.objects.filter(pk__in=added))
        for leader in leaders:
            leader.aliases = sorted({*leader.aliases, *added[leader.pk]})
        importer = self.importer
        importer.result.counts["leaders"]["updated"] += save_spellings(
            leaders, user=importer._history_user(), reason=importer.reason
        )

    def source(self, url, title, publisher="", published_on=None):
        """The source with this URL; a new one takes the title and publisher given."""
        ref = self.sources.get(url)
        if ref is None:
            self.new_sources.append(
                (url, title[:SOURCE_TITLE_LENGTH], publisher[:PUBLISHER_LENGTH], published_on)
            )
            ref = self.sources[url] = -len(self.new_sources)
        return ref

    def write(self, cursor, now, new_visits=None):
        """Insert the new leaders, sources and visits, with their history rows (the
        visits given as (slug, date, host country) rows, else from the staged rows)."""
        # The new references that staged rows hold (rows rejected once staged are gone).
        in_use = {
            "leaders": (
                f"SELECT giver_id FROM {STAGING} WHERE giver_id < 0 "
                f"UNION SELECT recipient_id FROM {STAGING} WHERE recipient_id < 0 "
                f"UNION SELECT co_giver_id FROM {STAGING} WHERE co_giver_id < 0"
            ),
            "sources": f"SELECT ref FROM {STAGING}, unnest(source_ids) AS ref WHERE ref < 0",
        }
        for model, entity, rows, columns in (
            (
                Leader,
                "leaders",
                list(self.leader_rows()),
                (
                    "name",
                    "country",
                    "title",
                    "slug",
                    "search_text",
                    "aliases jsonb",
                    "wikidata_id",
                    "kind",
                ),  # fmt: skip
            ),
            (
                Source,
                "sources",
                self.new_sources,
                ("url", "title", "publisher", "published_on date"),
            ),
        ):
            table = f"import_new_{entity}"
            names = [column.split()[0] for column in columns]
            temp_table(
                cursor,
                table,
                f"ref bigint, id bigint DEFAULT nextval('{id_sequence(cursor, model)}'), "
                + ", ".join(c if " " in c else f"{c} text" for c in columns),
            )
            if not rows:
                continue
            with cursor.copy(f"COPY {table} (ref, {', '.join(names)}) FROM STDIN") as copy:
                for number, row in enumerate(rows, 1):
                    copy.write_row((-number, *row))
            created = len(rows)
            if self.importer.rejected_after_staging:
                # Only what the rows left still name.
                cursor.execute(f"DELETE FROM {table} WHERE ref NOT IN ({in_use[entity]})")
                created -= cursor.rowcount
            cursor.execute(f"ANALYZE {table}")
            if created:
                self.create(cursor, model, entity, table, {n: n for n in names}, created, now)
        self.write_visits(cursor, now, new_visits)
        self.add_spellings()

    def write_visits(self, cursor, now, new_visits=None):
        """A draft visit for each slug that staged rows name and no visit has, dated and
        placed by the first row that can create it (PostgresImport._unknown_visits
        rejected the rows before it), titled after its slug. Or, given new_visits,
        one for each of these (slug, date, host country), in their order."""
        table = "import_new_visits"
        temp_table(
            cursor,
            table,
            f"id bigint DEFAULT nextval('{id_sequence(cursor, Visit)}'), slug text, "
            "visit_date date, host_country text",
        )
        if new_visits is not None:
            with cursor.copy(f"COPY {table} (slug, visit_date, host_country) FROM STDIN") as copy:
                for visit in new_visits:
                    copy.write_row(visit)
            self.create_visits(cursor, table, len(new_visits), now)
            return
        # In the order the file first names them, as the ids are drawn. The rows are
        # grouped by slug byte by byte (COLLATE "C"): the same groups as the database's
        # collation makes, without its slower comparisons.
        slug = 's.visit_slug COLLATE "C"'
        cursor.execute(
            f"INSERT INTO {table} (slug, visit_date, host_country) "
            "SELECT slug, visit_date, host_country FROM ("
            f"SELECT DISTINCT ON ({slug}) s.visit_slug AS slug, s.date AS visit_date, "
            "COALESCE(NULLIF(s.recipient_country, ''), s.giver_country) AS host_country, "
            "s.line, s.entry "
            f"FROM {STAGING} s WHERE {NO_SUCH_VISIT} AND {can_create_visit('s')} "
            f"ORDER BY {slug}, s.line, s.entry) AS first ORDER BY line, entry"
        )
        self.create_visits(cursor, table, cursor.rowcount, now)

    def create_visits(self, cursor, table, created, now):
        if created:
            # As str.capitalize() does, for ASCII slugs, whatever the database's locale.
            title = "replace(slug, '-', ' ') COLLATE \"C\""
            values = {
                "slug": "slug",
                "title": f"upper(left({title}, 1)) || lower(substr({title}, 2))",
                "host_country": "host_country",
                "start_date": "visit_date",
                "end_date": "visit_date",
                "publication_status": f"'{PublicationStatus.DRAFT}'",
            }
            self.create(cursor, Visit, "visits", table, values, created, now)

    def create(self, cursor, model, entity, table, values, n, now):
        """Insert the n records of a temporary table into the model's table, each with
        the id the temporary table drew, and write their history rows. values maps the
        model's fields to SQL expressions over the temporary table."""
        importer = self.importer
        fields = {f.attname for f in model._meta.concrete_fields}
        with set_aside(large_into(cursor, (model, model.history.model), n, importer.offline)):
            insert_select(
                cursor,
                model,
                f"{table} ORDER BY id",
                {
                    "id": "id",
                    "created_at": "%(now)s",
                    "updated_at": "%(now)s",
                    "import_batch_id": "%(batch)s",
                    **{name: sql for name, sql in values.items() if name in fields},
                },
                {"now": now, "batch": importer.result.batch.pk},
            )
            write_history(cursor, model, importer, now)
        importer.result.counts[entity]["created"] += n


@contextmanager
def set_aside(tables):
    """Write into tables without their secondary indexes and foreign keys, then build
    and check them again, in the same transaction.

    Foreign keys are deferred: each row written queues a check that runs at commit, one
    query per row and key; and indexes updated row by row cost more than the rows
    themselves. Checking each key in one join, and building each index in one sort, is
    several times faster. Primary keys and unique constraints stay: they are checked as
    rows arrive. Checks already queued run first (no table with pending checks can be
    altered), and the constraints are deferred again afterwards.
    """
    if not tables:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        keys = drop_keys(cursor, "conrelid", tables)
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for index, _definition in indexes:
            cursor.execute(f"DROP INDEX {index}")
    yield
    with connection.cursor() as cursor:
        for _index, definition in indexes:
            cursor.execute(definition)
        add_keys(cursor, keys)
        # Django declares its keys DEFERRABLE INITIALLY DEFERRED: back to that.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def drop_keys(cursor, side, tables):
    """Drop the foreign keys that the tables hold (side "conrelid") or that point to them
    ("confrelid"); return them, for add_keys()."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        f"FROM pg_constraint WHERE contype = 'f' AND {side} = ANY(%s::regclass[]) "
        "ORDER BY 1, 2",
        [tables],
    )
    keys = cursor.fetchall()
    for table, name, _definition in keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    return keys


def add_keys(cursor, keys):
    """Add back (and check) the foreign keys drop_keys() dropped."""
    for table, name, definition in keys:
        cursor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        )


def holds_fewer_rows(cursor, table, n):
    """Whether the table holds fewer than n rows (reading at most n of them)."""
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS held", [n])
    return cursor.fetchone()[0] < n


def large_into(cursor, models, n, offline):
    """The tables of the models that an import of n rows should write with their indexes
    set aside: those that hold fewer rows than it adds, when it adds many, and only
    offline (the site not serving): setting them aside locks them to readers."""
    if not offline or n < SET_ASIDE_MIN_ROWS:
        return []
    tables = [model._meta.db_table for model in models]
    return [table for table in tables if holds_fewer_rows(cursor, table, n)]


class PostgresImport:
    """Stage, check and write one import on PostgreSQL; the staging pass is the format's."""

    def __init__(self, importer):
        self.importer = importer
        self.result = importer.result
        self.now = timezone.now()
        self.references = None

    def stage(self, binary, progress=None):
        imp = self.importer
        imp.start_file()
        self.references = References(imp)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(STAGING_TABLE)
            self.copy_rows(cursor, binary, progress)
            # Statistics for the joins to come (temporary tables are never analyzed
            # automatically); the columns joined on are enough.
            cursor.execute(f"ANALYZE {STAGING} (id, giver_id, recipient_id, visit_slug)")

    def copy_rows(self, cursor, binary, progress):
        """Every valid row, typed, into the staging table: the importer's own validation,
        row by row, for any format."""
        staged = []
        for row in self.importer.validated_rows(binary, progress):
            staged += (self.staged(row, n, entry) for n, entry in enumerate(row.entries))
            if len(staged) >= COPY_CHUNK:
                self.copy_staged(cursor, staged)
        self.copy_staged(cursor, staged)

    def copy_staged(self, cursor, staged):
        """COPY a chunk of staged rows. In chunks, between which the validation may
        query the database (no query can run during a COPY)."""
        sql = f"COPY {STAGING} ({', '.join(STAGED_COLUMNS)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            copy.set_types(STAGED_TYPES)
            for values in staged:
                copy.write_row(values)
        staged.clear()

    def staged(self, row, number, entry):
        """One entry as a row of the staging table, its references resolved."""
        imp, refs = self.importer, self.references
        status = imp._status_for(entry)
        giver = self.party(entry.giver, entry.date)
        return (
            row.line,
            number,
            entry.id,
            entry.import_key,
            entry.giver.title if imp.has_titles else "",
            entry.recipient.title if imp.has_titles else "",
            *(getattr(entry, name) for name in Gift.ENTRY_FIELDS),
            giver,
            self.party(entry.recipient, entry.date),
            None if giver is None else self.co_giver(entry),
            entry.giver.country,
            entry.recipient.country,
            entry.giver.as_reported,
            entry.recipient.as_reported,
            entry.visit_slug,
            status,
            imp.retraction_reason_for(status),
            entry_digest(row, entry),
            gift_search_text(
                entry.item,
                entry.description,
                entry.giver.as_reported,
                entry.recipient.as_reported,
                entry.giver.title,
                entry.recipient.title,
            ),
            sorted(
                {refs.source(s.url, s.title, s.publisher, s.published_on) for s in entry.sources}
            ),
            [f"{code}:{flag_status}" for code, flag_status in entry.flags],
        )

    def party(self, party, date):
        return self.references.leader(party, date)

    def co_giver(self, entry):
        spouse = self.references.book.spouse(entry.giver)
        return None if spouse is None else self.party(spouse, entry.date)

    # Set-based checking, matching and writing ------------------------------------------

    def write(self):
        """Write the new references, match, insert, count; return the entries that
        update an existing draft."""
        with connection.cursor() as cursor:
            # The statements below join and sort every staged row: at 4 MB (PostgreSQL's
            # default) a million of them spill to disk in batches.
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            self.references.write(cursor, self.now)
            # Rows name the gift they update by id (registry) or import key (registers).
            for condition in ("s.id = g.id", "s.import_key <> '' AND s.import_key = g.import_key"):
                cursor.execute(
                    f"UPDATE {STAGING} s SET existing_id = g.id, existing_hash = g.source_hash, "
                    f"existing_status = g.publication_status FROM giftapp_gift g WHERE {condition}"
                )
            self._natural_keys(cursor)
            if self.result.problems and not self.importer.skip_invalid:
                return {}
            self._insert_gifts(cursor)
            return self._count_existing(cursor)

    def _natural_keys(self, cursor):
        """A row without an id updates the one gift with its date, countries, item and
        leaders; a row matching several is rejected."""
        cursor.execute(
            f"SELECT s.line, array_agg(g.id) FROM {STAGING} s {RESOLVING} "
            "JOIN giftapp_gift g ON g.item = s.item AND g.date IS NOT DISTINCT FROM s.date "
            "AND g.date_precision = s.date_precision AND g.giver_country = s.giver_country "
            "AND g.recipient_country = s.recipient_country "
            f"AND g.giver_id IS NOT DISTINCT FROM {RESOLVED['giver_id']} "
            f"AND g.recipient_id IS NOT DISTINCT FROM {RESOLVED['recipient_id']} "
            "WHERE s.id IS NULL AND s.import_key = '' GROUP BY s.line ORDER BY s.line"
        )
        single, rejected = [], []
        for line, ids in cursor.fetchall():
            if len(ids) > 1:
                rejected.append((line, Problem(line, "id", "", AMBIGUOUS_MATCH)))
            else:
                single.append((line, ids[0]))
        self._reject_staged(cursor, rejected)
        if single:
            cursor.execute(
                f"UPDATE {STAGING} s SET existing_id = g.id, existing_hash = g.source_hash, "
                "existing_status = g.publication_status FROM giftapp_gift g, "
                "unnest(%s::int[], %s::bigint[]) AS m(line, gift_id) "
                "WHERE s.line = m.line AND g.id = m.gift_id",
                [[line for line, _ in single], [pk for _, pk in single]],
            )

    def _reject_staged(self, cursor, rejected):
        """Reject rows found bad after staging; their cells are filled in for the rejects
        file afterwards (fill_rejected_cells)."""
        if not rejected:
            return
        for line, problem in rejected:
            self.importer.rejected_after_staging[line] = len(self.result.rejects)
            self.importer._reject(line, {}, [problem])
        cursor.execute(
            f"DELETE FROM {STAGING} WHERE line = ANY(%s)", [[line for line, _ in rejected]]
        )

    def _insert_gifts(self, cursor):
        counts = self.result.counts
        cursor.execute(
            "SELECT count(*) FILTER (WHERE existing_id IS NULL), "
            f"count(*) FILTER (WHERE existing_id IS NULL AND id IS NULL), max(id) FROM {STAGING}"
        )
        new, unnumbered, top = cursor.fetchone()
        if not new:
            return
        if unnumbered:
            sequence = id_sequence(cursor, Gift)
            if top is not None:
                # Past the file's own ids first, or a gift without one could take one.
                cursor.execute(
                    "SELECT setval(%s, %s) "
                    "WHERE %s > COALESCE(pg_sequence_last_value(%s::regclass), 0)",
                    [sequence, top, top, sequence],
                )
            cursor.execute(
                f"UPDATE {STAGING} SET new_id = nextval(%s) "
                "WHERE existing_id IS NULL AND id IS NULL",
                [sequence],
            )
        aside = large_into(
            cursor, (Gift, Gift.sources.through, Gift.history.model), new, self.importer.offline
        )
        # The facet aggregates are kept by the gifts' trigger, once for the one statement
        # that inserts them all: cheaper than recounting every gift, unless the import
        # more than doubles the gifts. Then they are recounted at the end, into tables
        # whose secondary indexes are set aside too (facets.deferred).
        recount = Gift._meta.db_table in aside
        if recount:
            aside += [model._meta.db_table for model in (GiftFacet, GiftFacetPair)]
        with set_aside(aside), facet_counts.deferred() if recount else nullcontext():
            self._insert_gift_rows(cursor)
            counts["gifts"]["created"] += new
            write_history(cursor, Gift, self.importer, self.now)
        insert_flags(
            cursor,
            self.importer,
            self.now,
            GIFT_ID,
            # Few gifts are flagged: the others' empty lists are not unnested.
            f"{STAGING} s WHERE s.existing_id IS NULL AND cardinality(s.flags) > 0",
        )

    def _insert_gift_rows(self, cursor):
        # The gift's own fields as staged; its id, leaders and visit are resolved. In the
        # file's order, which is the gifts' layout in the table: the joins that resolve
        # them may return them in another (by visit, say).
        fields = {f.attname for f in Gift._meta.concrete_fields} - {"id", *RESOLVED}
        staged = {column: f"s.{column}" for column in STAGED_COLUMNS if column in fields}
        insert_select(
            cursor,
            Gift,
            f"{STAGING} s {RESOLVING} WHERE s.existing_id IS NULL ORDER BY s.line, s.entry",
            {
                "id": GIFT_ID,
                **staged,
                **RESOLVED,
                "created_at": "%(now)s",
                "updated_at": "%(now)s",
                "published_at": (
                    f"CASE WHEN s.publication_status = '{PublicationStatus.PUBLISHED}' "
                    "THEN %(now)s::timestamptz END"
                ),
                "retracted_at": (
                    f"CASE WHEN s.publication_status = '{PublicationStatus.RETRACTED}' "
                    "THEN %(now)s::timestamptz END"
                ),
                "import_batch_id": "%(batch)s",
            },
            {"now": self.now, "batch": self.result.batch.pk},
        )
        # Every link is new (the gifts are, and a row's sources are a set): no conflicts.
        cursor.execute(
            "INSERT INTO giftapp_gift_sources (gift_id, source_id) "
            f"SELECT {GIFT_ID}, COALESCE(created.id, u.ref) FROM {STAGING} s "
            "CROSS JOIN LATERAL unnest(s.source_ids) AS u(ref) "
            "LEFT JOIN import_new_sources created ON created.ref = u.ref "
            "WHERE s.existing_id IS NULL"
        )

    def _count_existing(self, cursor):
        """Count unchanged entries and conflicts; return {(line, entry): gift id} of the
        entries that update an existing draft."""
        counts = self.result.counts
        cursor.execute(
            "SELECT count(DISTINCT line), "
            "count(*) FILTER (WHERE existing_id IS NOT NULL AND existing_hash = source_hash) "
            f"FROM {STAGING}"
        )
        lines, unchanged = cursor.fetchone()
        counts["gifts"]["unchanged"] += unchanged
        cursor.execute(
            f"SELECT line, entry, existing_id, existing_status FROM {STAGING} "
            "WHERE existing_id IS NOT NULL AND existing_hash IS DISTINCT FROM source_hash "
            "ORDER BY line, entry"
        )
        updates, conflicting = {}, Counter()
        for line, number, gift_id, status in cursor.fetchall():
            if status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW):
                updates[(line, number)] = gift_id
            else:
                self.result.conflicts.append((line, gift_id, conflict_message(gift_id, status)))
                counts["gifts"]["conflict"] += 1
                conflicting[line] += 1
        # A row is in conflict when every one of its entries is.
        whole = 0
        if conflicting:
            cursor.execute(
                f"SELECT line, count(*) FROM {STAGING} WHERE line = ANY(%s) GROUP BY line",
                [list(conflicting)],
            )
            whole = sum(1 for line, n in cursor.fetchall() if conflicting[line] == n)
        self.result.row_outcomes["conflict"] += whole
        self.result.row_outcomes["imported"] += lines - whole
        return updates


def fill_rejected_cells(importer, binary):
    """Rows rejected after staging were recorded without their cells: read them again."""
    waiting = importer.rejected_after_staging
    if not waiting:
        return
    binary.seek(0)
    rejects = importer.result.rejects
    for line, raw, _shape in read_rows(binary, importer.adapter, importer.result):
        if line in waiting and raw:
            index = waiting[line]
            rejects[index] = (raw, rejects[index][1])
