"""A registry file loaded offline into a registry that holds no gift: its rows go
straight into the gift table as the file is read.

An offline import (`import_gifts --offline`, the site not serving) into an empty gift
table has nothing to match: every valid row creates a gift. So, rather than staging the
rows and inserting the gifts from the staging table afterwards (bulk.py), the file's
reader (registry_bulk.py) COPYs each row into the gift table itself, its leaders, visit
and sources already resolved to ids. The database writes the gifts on one core while
Python reads the next rows on the other, and the gifts are neither written twice nor
sorted back into the file's order. The table, empty, is truncated first so that the rows
go in frozen (see truncated()).

The new leaders, sources and visits take the ids their tables' sequences will draw when
they are written after the gifts (References.write draws them in the order it was asked
for them), those tables locked meanwhile so that nothing else draws one. A gift without
an id waits in a spooled file, and is written after the others with an id past the
file's highest, as bulk.py numbers them: the gifts lie in the table in the file's order,
those without an id last. The links to sources wait in a spooled file, the flags (few)
in a list; both are written after the gifts, as their history rows are.
"""

import tempfile
from contextlib import ExitStack, contextmanager
from itertools import batched
from operator import itemgetter

from django.db import connection

from ..counts import facets as facet_counts
from ..models import Gift, GiftFacet, GiftFacetPair, Leader, PublicationStatus, Source, Visit
from .bulk import (
    References,
    add_keys,
    default_values,
    drop_keys,
    id_sequence,
    insert_flags,
    large_into,
    set_aside,
    temp_table,
    write_history,
)
from .registry_bulk import COLUMNS, NULL, REMEMBERED, RegistryImport, copy_text

LINKS = Gift.sources.through._meta.db_table
# The staged fields (registry_bulk.COLUMNS) that go into the gift's columns as they are.
AS_STAGED = (
    "item",
    "description",
    "category",
    "quantity",
    "date",
    "date_precision",
    "value",
    "currency",
    "value_usd",
    "value_note",
    "disposition",
    "notes",
    "giver_country",
    "recipient_country",
    "giver_as_reported",
    "recipient_as_reported",
    "publication_status",
    "retraction_reason",
    "source_hash",
    "search_text",
)
# The gift's columns this writer resolves row by row; the others (created_at, the batch,
# the fields the registry format has no cells for) are the same for every gift.
RESOLVED = ("id", "giver_id", "recipient_id", "visit_id", "published_at", "retracted_at")
SPOOL_BYTES = 8 << 20  # what a spool keeps in memory before it goes to a temporary file
LINKS_AT_ONCE = 10_000  # lines written to a spool or COPY at a time


def last_drawn(cursor, model):
    """The last id the model's sequence drew: the next it draws, less one."""
    cursor.execute(
        "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
        f"FROM {id_sequence(cursor, model)}"
    )
    return cursor.fetchone()[0]


class RegistryLoad(RegistryImport):
    """A registry file's import on PostgreSQL: COPYed into the empty gift table as it is
    read when that applies (offline, no gift), else staged (RegistryImport)."""

    loading = False

    @staticmethod
    def applies(importer):
        """Whether the import loads straight into the gift table: offline, into a registry
        without a gift. Locks the tables whose ids it draws (see the module's notes)."""
        if not importer.offline:
            return False
        tables = [model._meta.db_table for model in (Gift, Leader, Visit, Source)]
        empty = f"SELECT NOT EXISTS (SELECT 1 FROM {tables[0]})"
        with connection.cursor() as cursor:
            cursor.execute(empty)
            if not cursor.fetchone()[0]:
                return False
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
            cursor.execute(empty)
            return cursor.fetchone()[0]

    def stage(self, binary, progress=None):
        imp = self.importer
        if not self.applies(imp):
            return super().stage(binary, progress)
        self.loading = True
        self.aside = ExitStack()  # what is built again once the gifts are written
        self.rows = self.unnumbered = self.top = 0
        self.new_visits = []  # (slug, date, host country), in the order they take ids
        self.links_of = {}  # a staged array of source references -> their ids, as text
        self.links, self.held = (  # the links; the gifts without an id, but for their ids
            self.aside.enter_context(
                tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", newline="\n")  # noqa: SIM115
            )
            for _spool in range(2)
        )
        self.link_lines = []  # the links' lines not yet in the spool
        self.flags = []  # (gift id, staged array of "regime:status")
        imp.start_file()
        self.references = References(imp)
        with connection.cursor() as cursor:
            self.leader_base = last_drawn(cursor, Leader)
            self.source_base = last_drawn(cursor, Source)
            self.visit_base = last_drawn(cursor, Visit)
            # slug -> id, as text: the visits there are, and those the rows create
            self.visits = {slug: str(pk) for slug, pk in Visit.objects.values_list("slug", "pk")}
            self.prepare()
            # Gifts, their links and the facet counts are written without their indexes
            # and keys, and recounted at the end, as a large import into few rows is.
            tables = (Gift, Gift.sources.through, GiftFacet, GiftFacetPair)
            self.aside.enter_context(set_aside([model._meta.db_table for model in tables]))
            self.aside.enter_context(truncated(Gift._meta.db_table))
            self.aside.enter_context(facet_counts.deferred())
            self.copy_rows(cursor, binary, progress, into=self)

    def prepare(self):
        """The COPY statement, and the function that makes each gift's line of it."""
        now, batch = self.now, self.importer.result.batch.pk
        constant = {"created_at": now, "updated_at": now, "import_batch_id": batch}
        constant |= default_values(Gift, (*AS_STAGED, *RESOLVED, *constant))
        fields = {f.attname: f for f in Gift._meta.concrete_fields}
        columns = [*RESOLVED, *AS_STAGED, *constant]
        self.copy_sql = (
            f"COPY {Gift._meta.db_table} "
            f"({', '.join(fields[name].column for name in columns)}) FROM STDIN (FREEZE)"
        )
        self.line = self.gift_line(
            "".join(f"\t{copy_text(value)}" for value in constant.values()) + "\n"
        )

    def gift_line(self, tail):
        """A function of a staged row's fields (COLUMNS): the gift's line of COPY text,
        ending with tail (the constant columns)."""
        (
            i_id, i_giver, i_recipient, i_slug, i_status, i_sources, i_flags, i_date,
            i_giver_country, i_recipient_country,
        ) = (
            COLUMNS.index(name)
            for name in (
                "id", "giver_id", "recipient_id", "visit_slug", "publication_status",
                "source_ids", "flags", "date", "giver_country", "recipient_country",
            )
        )  # fmt: skip
        picked = itemgetter(*(COLUMNS.index(name) for name in AS_STAGED))
        stamp = copy_text(self.now)
        stamps = {  # publication status -> published_at, retracted_at
            PublicationStatus.PUBLISHED: (stamp, NULL),
            PublicationStatus.RETRACTED: (NULL, stamp),
        }
        unstamped = (NULL, NULL)
        visits, new_visits = self.visits, self.new_visits
        leader_ids = {}  # a staged reference (text) -> the leader's id (text)

        def leader_id(ref):
            leader = ref if ref[0] != "-" else str(self.leader_base - int(ref))
            leader_ids[ref] = leader
            return leader

        links_of, source_ids, links = self.links_of, self.source_ids, self.link_lines
        flags = self.flags

        def line(fields):
            self.rows += 1
            gift_id = fields[i_id]
            held = gift_id == NULL
            if held:
                # Its id comes after the file's highest: it waits, minus its rank, till then.
                self.unnumbered += 1
                gift_id = str(-self.unnumbered)
            elif (number := int(gift_id)) > self.top:
                self.top = number
            giver, recipient = fields[i_giver], fields[i_recipient]
            giver = leader_ids.get(giver) or leader_id(giver)
            recipient = leader_ids.get(recipient) or leader_id(recipient)
            visit = NULL
            if slug := fields[i_slug]:
                visit = visits.get(slug)
                if visit is None:
                    # The first valid row to name a slug no visit has creates the visit:
                    # the validation rejects one that cannot (without a date or country).
                    host = fields[i_recipient_country] or fields[i_giver_country]
                    new_visits.append((slug, fields[i_date], host))
                    visit = visits[slug] = str(self.visit_base + len(new_visits))
            sources = fields[i_sources]
            if sources != "{}":
                ids = links_of.get(sources)
                if ids is None:
                    ids = source_ids(sources)
                for source in ids:
                    links.append(f"{gift_id}\t{source}\n")
            if len(links) >= LINKS_AT_ONCE:
                self.links.write("".join(links))
                links.clear()
            if fields[i_flags] != "{}":
                flags.append((gift_id, fields[i_flags]))
            text = (
                "\t".join(
                    (
                        giver,
                        recipient,
                        visit,
                        *stamps.get(fields[i_status], unstamped),
                        *picked(fields),
                    )
                )
                + tail
            )
            if held:
                self.held.write(text)
                return ""
            return f"{gift_id}\t{text}"

        return line

    def source_ids(self, staged):
        """The source ids of a staged array of references ("{3,-1}"), remembered (up to
        REMEMBERED arrays, then forgotten together, as the reader's parses are)."""
        ids = [
            str(self.source_base - int(ref)) if ref[0] == "-" else ref
            for ref in staged[1:-1].split(",")
        ]
        if len(self.links_of) >= REMEMBERED:
            self.links_of.clear()
        self.links_of[staged] = ids
        return ids

    def write(self):
        """After the gifts: the new leaders, sources and visits, the gifts' ids where the
        file gave none, their links and history rows; the indexes, keys and facet counts
        built again; then the flags. Nothing updates an existing gift: no gift existed."""
        if not self.loading:
            return super().write()
        imp, now, counts = self.importer, self.now, self.result.counts
        with connection.cursor() as cursor, self.aside:
            base = None
            if self.unnumbered:
                # Past the file's own ids, in the file's order, after the gifts with one.
                base = max(self.top, last_drawn(cursor, Gift))
                self.held.seek(0)
                self.copy_lines(
                    cursor,
                    self.copy_sql,
                    (f"{base + rank}\t{text}" for rank, text in enumerate(self.held, 1)),
                )
                self.flags = [(numbered(pk, base), flags) for pk, flags in self.flags]
            self.links.write("".join(self.link_lines))
            self.links.seek(0)
            links = (
                self.links
                if base is None
                else (
                    f"{numbered(gift, base)}\t{source}"
                    for gift, source in (line.split("\t") for line in self.links)
                )
            )
            self.copy_lines(cursor, f"COPY {LINKS} (gift_id, source_id) FROM STDIN", links)
            self.references.write(cursor, now, self.new_visits)
            counts["gifts"]["created"] += self.rows
            history = Gift.history.model
            with set_aside(large_into(cursor, (history,), self.rows, offline=True)):
                write_history(cursor, Gift, imp, now)
        with connection.cursor() as cursor:
            temp_table(cursor, "import_flags", "gift_id bigint, flags text[]")
            self.copy_lines(
                cursor,
                "COPY import_flags (gift_id, flags) FROM STDIN",
                (f"{pk}\t{flags}\n" for pk, flags in self.flags),
            )
            insert_flags(cursor, imp, now, "s.gift_id", "import_flags s")
        self.result.row_outcomes["imported"] += self.rows
        return {}

    @staticmethod
    def copy_lines(cursor, sql, lines):
        """COPY lines of text, a batch of them at a time."""
        with cursor.copy(sql) as copy:
            for batch in batched(lines, LINKS_AT_ONCE, strict=False):
                copy.write("".join(batch))


@contextmanager
def truncated(table):
    """The (empty) table truncated, for a COPY FREEZE into it; the keys of other tables
    that point to it, which TRUNCATE refuses, dropped meanwhile and then added back (and
    checked).

    COPY FREEZE writes rows already frozen and marks their pages all-visible: what reads
    the gifts next (their history rows, the facets' recount, the indexes, the site's
    first pages and exports) checks no row's visibility or sets its hint bits, and no
    later VACUUM visits every page to freeze them. PostgreSQL allows it only into a table
    created or truncated in the same transaction.
    """
    with connection.cursor() as cursor:
        keys = drop_keys(cursor, "confrelid", [table])
        cursor.execute(f"TRUNCATE {table}")
    yield
    with connection.cursor() as cursor:
        add_keys(cursor, keys)


def numbered(gift_id, base):
    """A gift's id (text), the placeholder of one without an id made its id past base."""
    return str(base - int(gift_id)) if gift_id[0] == "-" else gift_id
