"""The PostgreSQL path for imports of every format: COPY and set-based SQL.

One streaming pass reads, validates and COPYs every row into a temporary staging table,
with leaders, visits and sources resolved in memory (their new ids reserved from their
sequences), so memory stays flat whatever the file's size. Set-based statements then
match the staged rows to existing gifts, insert the new gifts with their sources, flags
and history rows, and count what is unchanged or in conflict. The few rows that update an
existing draft go through the ORM path, row by row, exactly as on SQLite. Everything
happens in one transaction: an invalid row (without --skip-invalid) or a dry run rolls it
all back.
"""

from collections import Counter

from django.db import connection
from django.utils import timezone

from ..models import (
    Gift,
    Leader,
    PublicationStatus,
    SanctionsFlag,
    Source,
    Visit,
    gift_search_text,
)
from ..text import fold, fold_all
from .pipeline import (
    AMBIGUOUS_MATCH,
    Problem,
    _rows,
    conflict_message,
    duplicate_id_message,
    entry_digest,
    free_slug,
)

STAGING = "import_staging"
STAGED_COLUMNS = (
    "line",
    "entry",
    "id",
    "import_key",
    "giver_title",
    "recipient_title",
    "item",
    "description",
    "category",
    "quantity",
    "giver_id",
    "recipient_id",
    "giver_country",
    "recipient_country",
    "giver_as_reported",
    "recipient_as_reported",
    "visit_id",
    "date",
    "date_precision",
    "value",
    "currency",
    "value_usd",
    "value_note",
    "disposition",
    "notes",
    "publication_status",
    "retraction_reason",
    "source_hash",
    "search_text",
    "source_ids",
    "flags",
)
# The gift columns filled from the staging table; the rest get their defaults below.
GIFT_COLUMNS = STAGED_COLUMNS[3:-2]
COPY_CHUNK = 5000


class IdPool:
    """Ids reserved from a table's sequence in blocks, for rows inserted later."""

    def __init__(self, model, block=1000):
        self.sequence = f"{model._meta.db_table}_id_seq"
        self.block = block
        self.free = iter(())

    def next(self, cursor):
        for value in self.free:
            return value
        cursor.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, self.block]
        )
        self.free = iter([row[0] for row in cursor.fetchall()])
        return next(self.free)


class PostgresRegistryImport:
    def __init__(self, importer):
        self.importer = importer
        self.result = importer.result
        self.now = timezone.now()

    # Pass one: stream, validate, resolve, COPY -------------------------------------------

    def stage(self, binary, progress=None):
        with connection.cursor() as cursor:
            self._prepare(cursor)
            # Dropped at commit; also here, for an import inside a longer transaction.
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMP TABLE {STAGING} ("
                "line integer, entry integer, id bigint, import_key text, giver_title text, "
                "recipient_title text, item text, description text, category text, "
                "quantity integer, giver_id bigint, recipient_id bigint, giver_country text, "
                "recipient_country text, giver_as_reported text, recipient_as_reported text, "
                "visit_id bigint, date date, date_precision text, value numeric, "
                "currency text, value_usd numeric, value_note text, disposition text, "
                "notes text, publication_status text, retraction_reason text, "
                "source_hash text, search_text text, source_ids bigint[], flags text[], "
                "existing_id bigint, existing_hash text, existing_status text, new_id bigint"
                ") ON COMMIT DROP"
            )
            buffer = []
            rows = self.importer.validated_rows(binary, progress, check_ids=False)
            for row in rows:
                for number, entry in enumerate(row.entries):
                    buffer.append(self._staged(row, number, entry))
                if len(buffer) >= COPY_CHUNK:
                    self._copy(cursor, buffer)
            self._copy(cursor, buffer)
            self._insert_new_references(cursor)

    def _copy(self, cursor, buffer):
        """COPY a chunk of staged rows. In chunks, because ids for new leaders, visits and
        sources are reserved by queries between them (none can run during a COPY)."""
        with cursor.copy(f"COPY {STAGING} ({', '.join(STAGED_COLUMNS)}) FROM STDIN") as copy:
            for staged in buffer:
                copy.write_row(staged)
        buffer.clear()

    def _prepare(self, cursor):
        imp = self.importer
        imp.regimes = {r.code: r for r in imp.regimes_queryset()}
        self.visits = dict(Visit.objects.values_list("slug", "id"))
        imp.visit_slugs = set(self.visits)
        self.leaders = {}
        for pk, country, name, native, aliases in Leader.objects.values_list(
            "pk", "country", "name", "native_name", "aliases"
        ):
            for each in [name, native, *aliases]:
                if each:
                    self.leaders.setdefault((country, fold(each)), pk)
        self.leader_slugs = set(Leader.objects.values_list("slug", flat=True))
        self.sources = {}
        for pk, url in Source.objects.exclude(url="").values_list("pk", "url").order_by("-pk"):
            self.sources[url] = pk
        self.new_leaders, self.new_visits, self.new_sources = [], [], []
        self.pools = {model: IdPool(model) for model in (Leader, Visit, Source)}
        self.cursor = connection.cursor()

    def _staged(self, row, number, entry):
        """One entry as a row of the staging table, its references resolved."""
        imp = self.importer
        status = imp._status_for(entry)
        return (
            row.line,
            number,
            entry.id,
            entry.import_key,
            entry.giver.title if imp.has_titles else "",
            entry.recipient.title if imp.has_titles else "",
            entry.item,
            entry.description,
            entry.category,
            entry.quantity,
            self._leader_id(entry.giver),
            self._leader_id(entry.recipient),
            entry.giver.country,
            entry.recipient.country,
            entry.giver.as_reported,
            entry.recipient.as_reported,
            self._visit_id(entry),
            entry.date,
            entry.date_precision,
            entry.value,
            entry.currency,
            entry.value_usd,
            entry.value_note,
            entry.disposition,
            entry.notes,
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
            sorted({self._source_id(spec) for spec in entry.sources}),
            [f"{code}:{flag_status}" for code, flag_status in entry.flags],
        )

    def _leader_id(self, party):
        if not party.name or not party.country:
            return None
        key = (party.country, fold(party.name))
        pk = self.leaders.get(key)
        if pk is None:
            pk = self.pools[Leader].next(self.cursor)
            slug = free_slug(party.name, self.leader_slugs)
            self.new_leaders.append(
                Leader(
                    pk=pk,
                    name=party.name,
                    country=party.country,
                    title=party.title,
                    slug=slug,
                    aliases=[],
                    search_text=fold_all(party.name),
                    import_batch=self.result.batch,
                )
            )
            self.leaders[key] = pk
        return pk

    def _visit_id(self, entry):
        slug = entry.visit_slug
        if not slug:
            return None
        pk = self.visits.get(slug)
        if pk is None:
            pk = self.pools[Visit].next(self.cursor)
            self.new_visits.append(
                Visit(
                    pk=pk,
                    slug=slug,
                    title=slug.replace("-", " ").capitalize(),
                    host_country=entry.recipient.country or entry.giver.country,
                    start_date=entry.date,
                    end_date=entry.date,
                    publication_status=PublicationStatus.DRAFT,
                    import_batch=self.result.batch,
                )
            )
            self.visits[slug] = pk
        return pk

    def _source_id(self, spec):
        pk = self.sources.get(spec.url)
        if pk is None:
            pk = self.pools[Source].next(self.cursor)
            self.new_sources.append(
                Source(
                    pk=pk,
                    url=spec.url,
                    title=spec.title[:500],
                    publisher=spec.publisher[:200],
                    published_on=spec.published_on,
                    import_batch=self.result.batch,
                )
            )
            self.sources[spec.url] = pk
        return pk

    def _insert_new_references(self, cursor):
        self.cursor.close()
        imp, counts = self.importer, self.result.counts
        for model, objects, entity in (
            (Leader, self.new_leaders, "leaders"),
            (Source, self.new_sources, "sources"),
            (Visit, self.new_visits, "visits"),
        ):
            if not objects:
                continue
            model.objects.bulk_create(objects, batch_size=2000)
            model.history.bulk_history_create(
                objects,
                batch_size=2000,
                default_user=imp._history_user(),
                default_change_reason=imp.reason,
            )
            counts[entity]["created"] += len(objects)

    # Set-based matching and writing ----------------------------------------------------

    def write(self):
        """Match, insert, count; return the lines that update an existing draft."""
        with connection.cursor() as cursor:
            self._duplicate_ids(cursor)
            # Rows name the gift they update by id (registry) or import key (registers).
            for condition in ("s.id = g.id", "s.import_key <> '' AND s.import_key = g.import_key"):
                cursor.execute(
                    f"UPDATE {STAGING} s SET existing_id = g.id, existing_hash = g.source_hash, "
                    f"existing_status = g.publication_status FROM giftapp_gift g WHERE {condition}"
                )
            self._natural_keys(cursor)
            if self.result.problems and not self.importer.skip_invalid:
                return []
            self._insert_gifts(cursor)
            return self._count_existing(cursor)

    def _duplicate_ids(self, cursor):
        cursor.execute(
            f"SELECT id, array_agg(line ORDER BY line) FROM {STAGING} "
            "WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1"
        )
        for gift_id, lines in cursor.fetchall():
            for line in lines[1:]:
                self._reject_staged(
                    cursor,
                    line,
                    Problem(line, "id", str(gift_id), duplicate_id_message(lines[0])),
                )

    def _natural_keys(self, cursor):
        """A row without an id updates the one gift with its date, countries, item and
        leaders; a row matching several is rejected."""
        cursor.execute(
            f"SELECT s.line, array_agg(g.id) FROM {STAGING} s JOIN giftapp_gift g ON "
            "g.item = s.item AND g.date IS NOT DISTINCT FROM s.date "
            "AND g.date_precision = s.date_precision AND g.giver_country = s.giver_country "
            "AND g.recipient_country = s.recipient_country "
            "AND g.giver_id IS NOT DISTINCT FROM s.giver_id "
            "AND g.recipient_id IS NOT DISTINCT FROM s.recipient_id "
            "WHERE s.id IS NULL AND s.import_key = '' GROUP BY s.line"
        )
        single = []
        for line, ids in cursor.fetchall():
            if len(ids) > 1:
                self._reject_staged(
                    cursor,
                    line,
                    Problem(line, "id", "", AMBIGUOUS_MATCH),
                )
            else:
                single.append((line, ids[0]))
        if single:
            cursor.execute(
                f"UPDATE {STAGING} s SET existing_id = g.id, existing_hash = g.source_hash, "
                "existing_status = g.publication_status FROM giftapp_gift g, "
                "unnest(%s::int[], %s::bigint[]) AS m(line, gift_id) "
                "WHERE s.line = m.line AND g.id = m.gift_id",
                [[line for line, _ in single], [pk for _, pk in single]],
            )

    def _reject_staged(self, cursor, line, problem):
        """Reject a row found bad after staging; its cells are filled in for the rejects
        file afterwards (fill_rejected_cells)."""
        self.importer.rejected_after_staging[line] = len(self.result.rejects)
        self.importer._reject(line, {}, [problem])
        cursor.execute(f"DELETE FROM {STAGING} WHERE line = %s", [line])

    def _insert_gifts(self, cursor):
        counts, batch = self.result.counts, self.result.batch
        cursor.execute(
            f"UPDATE {STAGING} SET new_id = COALESCE(id, nextval('giftapp_gift_id_seq')) "
            "WHERE existing_id IS NULL"
        )
        columns = ", ".join(GIFT_COLUMNS)
        cursor.execute(
            f"INSERT INTO giftapp_gift (id, {columns}, created_at, updated_at, published_at, "
            "retracted_at, import_batch_id) "
            f"SELECT new_id, {columns}, %(now)s, %(now)s, "
            "CASE WHEN publication_status = 'published' THEN %(now)s END, "
            "CASE WHEN publication_status = 'retracted' THEN %(now)s END, "
            f"%(batch)s FROM {STAGING} WHERE new_id IS NOT NULL",
            {"now": self.now, "batch": batch.pk},
        )
        created = cursor.rowcount
        counts["gifts"]["created"] += created
        if not created:
            return
        cursor.execute(
            "INSERT INTO giftapp_gift_sources (gift_id, source_id) "
            f"SELECT new_id, unnest(source_ids) FROM {STAGING} WHERE new_id IS NOT NULL "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            "INSERT INTO giftapp_sanctionsflag (gift_id, regime_id, status, "
            "publication_status, provisions, rationale, alleged_by, denied_by, denial, "
            "retraction_reason, created_at, updated_at, import_batch_id) "
            "SELECT s.new_id, r.id, split_part(f, ':', 2), 'draft', '', '', '', '', '', '', "
            f"%(now)s, %(now)s, %(batch)s FROM {STAGING} s, unnest(s.flags) AS f "
            "JOIN giftapp_sanctionsregime r ON r.code = split_part(f, ':', 1) "
            "WHERE s.new_id IS NOT NULL",
            {"now": self.now, "batch": batch.pk},
        )
        counts["flags"]["created"] += cursor.rowcount
        for model in (Gift, SanctionsFlag):
            self._history(cursor, model)

    def _history(self, cursor, model):
        """A '+' history row for each record this batch created, written in one statement."""
        columns = ", ".join(f.column for f in model._meta.concrete_fields)
        history = model.history.model._meta.db_table
        cursor.execute(
            f"INSERT INTO {history} ({columns}, history_date, history_change_reason, "
            f"history_type, history_user_id) SELECT {columns}, %s, %s, '+', %s "
            f"FROM {model._meta.db_table} WHERE import_batch_id = %s",
            [
                self.now,
                self.importer.reason,
                self.importer._history_user_id(),
                self.result.batch.pk,
            ],
        )

    def _count_existing(self, cursor):
        """Count unchanged entries and conflicts; return {(line, entry): gift id} of the
        entries that update an existing draft."""
        counts = self.result.counts
        cursor.execute(
            f"SELECT count(*) FROM {STAGING} WHERE existing_id IS NOT NULL "
            "AND existing_hash = source_hash"
        )
        counts["gifts"]["unchanged"] += cursor.fetchone()[0]
        cursor.execute(
            f"SELECT line, entry, existing_id, existing_status FROM {STAGING} "
            "WHERE existing_id IS NOT NULL AND existing_hash IS DISTINCT FROM source_hash "
            "ORDER BY line, entry"
        )
        updates, conflict_lines = {}, set()
        for line, number, gift_id, status in cursor.fetchall():
            if status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW):
                updates[(line, number)] = gift_id
            else:
                self.result.conflicts.append((line, gift_id, conflict_message(gift_id, status)))
                counts["gifts"]["conflict"] += 1
                conflict_lines.add(line)
        # A row is in conflict when every one of its entries is.
        cursor.execute(f"SELECT line, count(*) FROM {STAGING} GROUP BY line")
        per_line = dict(cursor.fetchall())
        conflicting = Counter(line for line, _gift, _message in self.result.conflicts)
        whole = sum(1 for line in conflict_lines if conflicting[line] == per_line[line])
        self.result.row_outcomes["conflict"] += whole
        self.result.row_outcomes["imported"] += len(per_line) - whole
        return updates


def run_bulk(importer, binary, *, file_name, file_sha256, progress=None):
    """The registry format on PostgreSQL: stage, check, write, all in one batch."""
    result = importer.result

    def work():
        bulk = PostgresRegistryImport(importer)
        bulk.stage(binary, progress=progress.read if progress else None)
        if result.problems and not importer.skip_invalid:
            return
        updates = bulk.write()
        if updates and not (result.problems and not importer.skip_invalid):
            importer.update_lines(binary, updates)

    importer.in_batch(work, file_name=file_name, file_sha256=file_sha256)
    fill_rejected_cells(importer, binary)


def fill_rejected_cells(importer, binary):
    """Rows rejected after staging were recorded without their cells: read them again."""
    waiting = importer.rejected_after_staging
    if not waiting:
        return
    binary.seek(0)
    rejects = importer.result.rejects
    for line, raw, _shape in _rows(binary, importer.adapter, importer.result):
        if line in waiting and raw:
            index = waiting[line]
            rejects[index] = (raw, rejects[index][1])
