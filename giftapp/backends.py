"""The database the registry runs on, told by the connection: PostgreSQL in production,
SQLite for the zero-setup demo and the second run of the tests.

Code that must work differently on the two asks `backend()` what the database can do, and
never looks at the connection's vendor itself. What PostgreSQL adds:
- aggregates kept by statement triggers (migrations 0002 to 0009): facet counts and
  activity counts read from them instead of counting the gifts;
- COPY, for imports (importers/bulk.py) and CSV exports (exports/csv_stream.py);
- sequences, for the public data version (cache.py; a row of its own on SQLite) and for
  ids an import sets itself;
- snapshots, for a consistent backup or export while editors work (one_snapshot).
"""

import time
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import InterfaceError, OperationalError, connections, models, transaction

# The errors that mean the database cannot be reached (stopped, restarting, unreachable),
# as opposed to a bug in a query.
UNREACHABLE = (OperationalError, InterfaceError)


class SQLite:
    name = "sqlite"
    keeps_aggregates = False  # counts come from the gifts themselves
    copies_rows = False  # imports write through the ORM, exports through the csv module
    has_sequences = False

    def analyze(self, models, using="default"):
        """Gather the planner's statistics on the tables of these models (after a bulk
        write, so that the next query is planned on what the tables now hold)."""
        connection = connections[using]
        with connection.cursor() as cursor:
            for table in tables_of(models):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def reset_sequences(self, models, using="default"):
        """Move the id sequences past the largest ids (after rows were written with ids of
        their own)."""
        connection = connections[using]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def snapshot(self, cursor, *, read_only):
        """Make the transaction just opened read one consistent snapshot; SQLite's
        transactions already do."""

    def public_version(self, cursor):
        """The version of the public data, as every process sees it (cache.py): a row of
        its own here (migration 0017)."""
        cursor.execute("SELECT value FROM giftapp_public_version")
        return cursor.fetchone()[0]

    def bump_public_version(self, cursor):
        # The row is transactional: a bump rolled back returns, so the next one moves on
        # to the clock, past every number already handed out.
        cursor.execute(
            "UPDATE giftapp_public_version SET value = MAX(value + 1, %s)", [time.time_ns()]
        )

    def insert(self, model, names, rows, batch_size=2000, using="default"):
        """Insert new records, given as rows of values for the fields named, as fast as
        the database allows, without signals or returned ids: bulk_create here."""
        model.objects.using(using).bulk_create(
            (model(**dict(zip(names, row, strict=True))) for row in rows), batch_size=batch_size
        )


class PostgreSQL(SQLite):
    name = "postgresql"
    keeps_aggregates = True
    copies_rows = True
    has_sequences = True

    def snapshot(self, cursor, *, read_only):
        cursor.execute(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ" + (" READ ONLY" if read_only else "")
        )

    def public_version(self, cursor):
        # A sequence (migration 0008): not transactional, so a bump is seen at once by
        # every session, and never handed out twice.
        cursor.execute("SELECT last_value FROM giftapp_public_version")
        return cursor.fetchone()[0]

    def bump_public_version(self, cursor):
        cursor.execute("SELECT nextval('giftapp_public_version')")

    def insert(self, model, names, rows, batch_size=2000, using="default"):
        """COPY the rows in: several times faster than INSERT for thousands of rows with
        large values (a register entry's cells)."""
        connection = connections[using]
        fields = [model._meta.get_field(name) for name in names]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
        # Text goes in as it is; every other value as its field prepares it (JSON, dates).
        plain = [isinstance(f, (models.CharField, models.TextField)) for f in fields]
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        v
                        if is_plain and (v is None or type(v) is str)
                        else f.get_db_prep_save(v, connection)
                        for f, is_plain, v in zip(fields, plain, row, strict=True)
                    ]
                )


# One of each, shared: they hold no state, and the page cache asks on every request.
BACKENDS = {"postgresql": PostgreSQL(), "sqlite": SQLite()}


def backend(using="default"):
    return BACKENDS[connections[using].vendor]


@contextmanager
def one_snapshot(using="default", *, read_only=True, savepoint=True):
    """A transaction (transaction.atomic) whose statements all read one snapshot of the
    database, whatever is committed meanwhile. Inside a transaction already open, that
    transaction's own isolation holds: only the statement opening one can choose it.
    read_only=False lets it write temporary tables."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using, savepoint=savepoint):
        if outermost:
            with connection.cursor() as cursor:
                backend(using).snapshot(cursor, read_only=read_only)
        yield


def tables_of(models):
    """The tables of the models, with their many-to-many tables."""
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables += [
            field.remote_field.through._meta.db_table
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    return tables
