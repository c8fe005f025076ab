"""Reading a register file, validating every row, and writing it all or nothing.

The import runs in two phases. The first reads and validates every row without writing;
if any row is invalid (and --skip-invalid was not given) nothing is written and the report
lists every bad row with its line, column, value and reason. The second writes inside one
transaction, in chunks; a dry run does the same work and rolls it back, so its counts are
the real ones.
"""

import hashlib

from django.db import transaction

from ..backends import backend
from ..cache import bump_public_version
from ..models import (
    COUNTRIES_PROBLEM,
    EDITABLE_BY_EDITORS,
    NO_SOURCE_PROBLEM,
    EntryStatus,
    Gift,
    ImportBatch,
    Leader,
    PublicationStatus,
    RegisterEntry,
    SanctionsFlag,
    SanctionsRegime,
    Source,
    Visit,
    gift_rule_errors,
    is_reviewer,
    source_url_problem,
)
from ..text import fold_all
from . import formats
from .base import RowError, RowErrors, Skip
from .bulk import PostgresImport, fill_rejected_cells
from .people import LeaderBook, gifts_naming, keep_latest_offices, save_spellings
from .reading import (
    REJECT_REASON,
    ImportFileError,
    Row,
    entry_digest,
    file_sha256,
    read_rows,
    row_digest,
    strip_formula_quotes,
)
from .registry_load import RegistryLoad
from .result import (
    AMBIGUOUS_MATCH,
    ENTITIES,
    NEW_VISIT_PROBLEM,
    RETRACTED_WITHOUT_REASON,
    Problem,
    Result,
    RowLog,
    conflict_message,
    duplicate_id_message,
)
from .rules import (
    CATEGORIES,
    COUNTRIES,
    CURRENCIES,
    DISPOSITIONS,
    FILE_NAME_LENGTH,
    ITEM_LENGTH,
    NAME_LENGTH,
    PUBLISHER_LENGTH,
    SOURCE_TITLE_LENGTH,
    TITLE_LENGTH,
    VALUE_NOTE_LENGTH,
    SeenIds,
    fits_amount,
    free_slug,
)

FORMATS = formats.FORMATS

__all__ = ["ENTITIES", "FORMATS", "REJECT_REASON", "ImportFileError", "Importer", "run_import"]

# What an import writes to, by the name its counts go under (result.ENTITIES).
IMPORTED_MODELS = {
    "gifts": Gift,
    "leaders": Leader,
    "visits": Visit,
    "sources": Source,
    "flags": SanctionsFlag,
}
# The PostgreSQL stager of a format, where it has a faster one than the general one.
STAGERS = {"registry": RegistryLoad}
CHUNK = 500
ENTRY_CHUNK = 2000  # import keys or row ids per query
ENTRY_COLUMNS = (
    "batch_id",
    "register",
    "row",
    "record",
    "line",
    "entry",
    "cells",
    "gift_id",
    "status",
    "reason",
    "source_url",
    "source_note",
    "giver_name",
    "recipient_name",
)


def get_adapter(name):
    try:
        return formats.get_adapter(name)
    except formats.UnknownFormat as exc:
        raise ImportFileError(str(exc)) from None


class Importer:
    def __init__(
        self,
        format,
        *,
        user=None,
        publish=False,
        skip_invalid=False,
        dry_run=False,
        offline=False,
    ):
        self.adapter = get_adapter(format)
        # May lock the tables it writes to readers, for speed (bulk.set_aside).
        self.offline = offline
        self.has_titles = getattr(self.adapter, "has_titles", True)
        self.user = user
        # The command line runs as the operator, who is trusted; in the admin, a reviewer.
        self.reviewer = user is None or is_reviewer(user)
        self.publish = publish
        self.skip_invalid = skip_invalid
        self.result = Result(format=format, dry_run=dry_run, skip_invalid=skip_invalid)
        self.regimes = {}
        self.withheld_publication = False
        self.rejected_after_staging = {}  # line -> index in result.rejects (bulk path)
        # A public register's spellings are resolved to people; the registry's own
        # format names its leaders exactly.
        self._book = LeaderBook(resolve=self.adapter.resolves_people)
        self._leaders_loaded = set()
        self._new_leaders = []
        self._respelt = {}  # pk -> a leader from before the import, with new spellings
        self._chosen = {}
        self.file_seen = False
        self._slugs = None
        self._sources = {}
        self._visits = {}
        # Every data row of a public register is kept as RegisterEntry records.
        self.keeps_entries = getattr(self.adapter, "keeps_entries", False)
        self.row_log = {}  # line -> RowLog

    # Phase one: read and validate ------------------------------------------------------

    def read(self, binary, progress=None):
        self.start_file()
        return list(self.validated_rows(binary, progress))

    def start_file(self):
        """What the rules need to know of the registry and of the file read so far: the
        regimes, the visits that exist or that earlier rows create, the ids and import
        keys earlier rows gave."""
        self.regimes = {r.code: r for r in self.regimes_queryset()}
        self.visit_slugs = set(Visit.objects.values_list("slug", flat=True))
        self.seen_ids = SeenIds()
        self.seen_keys = {}

    def validated_rows(self, binary, progress=None):
        """Yield each valid row as a Row; record every invalid or skipped one
        (start_file first)."""
        adapter, result = self.adapter, self.result
        seen_rows = {}
        for line, raw, shape in read_rows(binary, adapter, result):
            result.rows += 1
            if progress:
                progress(1)
            if self.keeps_entries:
                self._log_row(line, raw, shape)
            if shape:
                column, reason = shape
                self._reject(line, {}, [Problem(line, column, "", reason)])
                continue
            if getattr(adapter, "strip_formula_quote", False):
                raw = strip_formula_quotes(raw)
            if adapter.id_column:
                same = [v for k, v in raw.items() if k not in (adapter.id_column, REJECT_REASON)]
                fingerprint = hashlib.sha256("\x1f".join(same).encode()).digest()
                if fingerprint in seen_rows:
                    self._skip(
                        line,
                        "repeats an earlier row in every column but the register's id",
                        f"same as line {seen_rows[fingerprint]}",
                    )
                    continue
                seen_rows[fingerprint] = line
            row = self.validate_row(line, raw)
            if row is not None:
                yield row

    def validate_row(self, line, raw):
        """The row as a Row when it is valid; otherwise None, with the row recorded as
        rejected or skipped. Every rule an import applies is applied here, whichever
        writer then writes the row (start_file first)."""
        self.adapter.record = self.result.record
        try:
            entries = self.adapter.entries(
                {k: v for k, v in raw.items() if k != REJECT_REASON}, line
            )
        except Skip as skip:
            self._skip(line, skip.reason)
            return None
        except RowErrors as exc:
            self._reject(line, raw, [_problem(line, e) for e in exc.errors])
            return None
        except RowError as exc:
            self._reject(line, raw, [_problem(line, exc)])
            return None
        problems = []
        for entry in entries:
            problems += self._validate(entry, line)
            self._unique_key(entry, line, raw)
            if entry.id:
                first = self.seen_ids.first_line(entry.id, line)
                if first != line:
                    problems.append(Problem(line, "id", str(entry.id), duplicate_id_message(first)))
        if problems:
            self._reject(line, raw, problems)
            return None
        # A valid row creates the visits it names: later rows may name them, dated or not.
        self.visit_slugs.update(entry.visit_slug for entry in entries if entry.visit_slug)
        log = self.row_log.get(line)
        if log is not None:
            log.keys = [entry.import_key for entry in entries]
            log.names = [(entry.giver.name, entry.recipient.name) for entry in entries]
            source = next((s for entry in entries for s in entry.sources), None)
            if source is not None:
                log.source_url, log.source_note = source.url, source.kind
        return Row(line, raw, entries, row_digest(raw))

    def _log_row(self, line, raw, shape):
        result, id_column = self.result, self.adapter.id_column
        if shape:  # a row of the wrong length: its cells as they come, under the header's names
            names = [*result.header, *[""] * max(0, len(raw) - len(result.header))]
            cells = [[name, text] for name, text in zip(names, raw, strict=False)]
        else:
            cells = [[k, v] for k, v in raw.items() if k != REJECT_REASON]
        row_id = dict(cells).get(id_column, "").strip() if id_column else ""
        self.row_log[line] = RowLog(
            record=result.record,
            line=line,
            row_id=row_id[:40] or str(result.record),
            cells=cells,
        )

    def _unique_key(self, entry, line, raw):
        """A register that reuses a row id for a different row (US 6736: Turkey, then
        Cyprus) gets a distinct key for the later row: 'register:6736.2:1'."""
        if not entry.import_key:
            return
        first = self.seen_keys.setdefault(entry.import_key, line)
        if first != line:
            register, row_id, number = entry.import_key.rsplit(":", 2)
            n = 2
            while f"{register}:{row_id}.{n}:{number}" in self.seen_keys:
                n += 1
            entry.import_key = f"{register}:{row_id}.{n}:{number}"
            self.seen_keys[entry.import_key] = line

    def _validate(self, entry, line):
        """Every model rule, checked on the entry itself: building a model instance and
        running its field validation costs milliseconds a row, this microseconds."""
        problems = []

        def add(column, value, reason):
            problems.append(Problem(line, column, _text(value), reason))

        if not entry.item.strip():
            add("item", "", "The item is required.")
        for column, value, limit in (
            ("item", entry.item, ITEM_LENGTH),
            ("value_note", entry.value_note, VALUE_NOTE_LENGTH),
            ("giver", entry.giver.title, TITLE_LENGTH),
            ("recipient", entry.recipient.title, TITLE_LENGTH),
            ("giver", entry.giver.name, NAME_LENGTH),
            ("recipient", entry.recipient.name, NAME_LENGTH),
        ):
            if len(value) > limit:
                add(column, value, f"At most {limit} characters here (this has {len(value)}).")
        for column, value, codes in (
            ("category", entry.category, CATEGORIES),
            ("disposition", entry.disposition, DISPOSITIONS),
            ("giver_country", entry.giver.country, COUNTRIES),
            ("recipient_country", entry.recipient.country, COUNTRIES),
            ("currency", entry.currency, CURRENCIES),
        ):
            if value not in codes:
                add(column, value, "Not one of the registry's codes.")
        if entry.quantity is not None and entry.quantity < 1:
            add("quantity", entry.quantity, "The quantity is at least 1.")
        for column, value in (("value", entry.value), ("value_usd", entry.value_usd)):
            if value is not None and not fits_amount(value):
                add(column, value, "Amounts have at most 14 digits and 2 decimal places.")
        rules = gift_rule_errors(
            value=entry.value,
            currency=entry.currency,
            value_usd=entry.value_usd,
            giver_country=entry.giver.country,
            recipient_country=entry.recipient.country,
            date=entry.date,
            date_precision=entry.date_precision,
        )
        for name, message in rules.items():
            value = {"recipient_country": entry.recipient.country}.get(name, "")
            add(_column(name), value or getattr(entry, name, ""), message)
        for spec in entry.sources:
            problem = source_url_problem(spec.url)
            if problem:
                add("sources", spec.url, problem)
        for code, _status in entry.flags:
            if code not in self.regimes:
                add("sanctions", code, "No sanctions regime has this code.")
        new_visit = entry.visit_slug and entry.visit_slug not in self.visit_slugs
        can_create = entry.date is not None and (entry.recipient.country or entry.giver.country)
        if new_visit and not can_create:
            add("visit", entry.visit_slug, NEW_VISIT_PROBLEM)
        if self._status_for(entry) == PublicationStatus.PUBLISHED:
            if not entry.sources:
                add("publication_status", "published", NO_SOURCE_PROBLEM)
            if not (entry.recipient.country and (entry.giver.country or entry.giver_not_stated)):
                add("publication_status", "published", COUNTRIES_PROBLEM)
        return problems

    def regimes_queryset(self):
        return SanctionsRegime.objects.all()

    def retraction_reason_for(self, status):
        return RETRACTED_WITHOUT_REASON if status == PublicationStatus.RETRACTED else ""

    def _status_for(self, entry):
        """The status a row asks for, if the importer may give it; else draft."""
        wanted = entry.publication_status or (
            PublicationStatus.PUBLISHED if self.publish else PublicationStatus.DRAFT
        )
        if wanted not in EDITABLE_BY_EDITORS and not self.reviewer:
            self.withheld_publication = True
            return PublicationStatus.DRAFT
        return wanted

    def _gift_instance(self, entry, gift=None):
        gift = gift or Gift()
        for name in Gift.ENTRY_FIELDS:
            setattr(gift, name, getattr(entry, name))
        gift.giver_country = entry.giver.country
        gift.recipient_country = entry.recipient.country
        gift.giver_as_reported = entry.giver.as_reported
        gift.recipient_as_reported = entry.recipient.as_reported
        if self.has_titles:
            gift.giver_title = entry.giver.title
            gift.recipient_title = entry.recipient.title
        if entry.import_key and not gift.import_key:
            gift.import_key = entry.import_key
        return gift

    def _reject(self, line, raw, problems):
        reason = "; ".join(str(p) for p in problems)
        self.result.problems.extend(problems)
        self.result.rejects.append((raw, reason))
        self.result.row_outcomes["rejected"] += 1
        self._log_outcome(line, EntryStatus.REJECTED, reason)

    def _skip(self, line, reason, detail=""):
        said = f"{reason} ({detail})" if detail else reason
        self.result.skipped[reason] += 1
        self.result.skipped_lines.append((line, said))
        self.result.row_outcomes["skipped"] += 1
        self._log_outcome(line, EntryStatus.SKIPPED, said)

    def _log_outcome(self, line, status, reason):
        log = self.row_log.get(line)
        if log is not None:
            log.status, log.reason, log.keys = status, reason, []

    def write_entries(self):
        """Keep every data row of the file as RegisterEntry records, each with the gift it
        produced (found by import key, whichever writer wrote it) or why it did not. They
        replace the entries an earlier import of the register kept for the same rows."""
        logs = list(self.row_log.values())
        if not logs:
            return
        register = self.result.format
        conflicts = {line: message for line, _gift, message in self.result.conflicts}
        keys = [key for log in logs for key in log.keys]
        gifts = {}
        for start in range(0, len(keys), ENTRY_CHUNK):
            gifts.update(
                Gift.objects.filter(import_key__in=keys[start : start + ENTRY_CHUNK]).values_list(
                    "import_key", "pk"
                )
            )
        row_ids = sorted({log.row_id for log in logs})
        for start in range(0, len(row_ids), ENTRY_CHUNK):
            RegisterEntry.objects.filter(
                register=register, row__in=row_ids[start : start + ENTRY_CHUNK]
            ).delete()
        batch = self.result.batch.pk
        records = [
            (
                batch,
                register,
                log.row_id,
                log.record,
                log.line,
                number,
                log.cells,
                gifts.get(key),
                log.status,
                log.reason or conflicts.get(log.line, ""),
                log.source_url,
                log.source_note[:300],
                *(log.names[number - 1] if number <= len(log.names) else ("", "")),
            )
            for log in logs
            for number, key in enumerate(log.keys or [None], start=1)
        ]
        backend().insert(RegisterEntry, ENTRY_COLUMNS, records)
        self.result.counts["entries"]["created"] += len(records)

    # Phase two: write ------------------------------------------------------------------

    def write(self, rows, *, file_name, file_sha256, progress=None):
        def work():
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                self._write_chunk(chunk)
                if progress:
                    progress(len(chunk))

        self.in_batch(work, file_name=file_name, file_sha256=file_sha256)

    def in_batch(self, work, *, file_name, file_sha256):
        """Run work() inside one transaction with this import's batch; keep what it wrote
        only when every row was valid (or skipped on request), something changed, and this
        is not a dry run."""
        result = self.result

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                result.batch = ImportBatch.objects.create(
                    user=self._history_user(),
                    file_name=file_name[:FILE_NAME_LENGTH],
                    file_sha256=file_sha256,
                    format=result.format,
                    published=self.publish,
                    rows=0,
                )
                self.reason = f"Import #{result.batch.pk} ({file_name})"
                # This very file, imported before: its spellings were kept then.
                self.file_seen = self._file_entries_kept()
                work()
                self._flush_spellings()
                if result.problems and not self.skip_invalid:
                    raise Rollback  # a row failed while writing: all or nothing
                self.new_entries = self.keeps_entries and not self.file_seen
                if self.keeps_entries:
                    self.write_entries()
                if self.adapter.resolves_people:
                    result.counts["leaders"]["updated"] += keep_latest_offices(
                        result.batch, user=self._history_user(), reason=self.reason
                    )
                self._move_id_sequence()
                result.batch.rows = result.rows
                result.batch.counts = {k: dict(v) for k, v in result.counts.items()}
                result.batch.skipped = dict(result.skipped)
                result.batch.save()
                if result.dry_run or not self._changed_anything():
                    raise Rollback
                result.written = True
        except Rollback:
            result.written = False
        if result.written:
            bump_public_version()  # bulk writes send no signals
            # The next query plans on what the tables now hold, not on what they held.
            backend().analyze(
                model
                for entity, model in IMPORTED_MODELS.items()
                if any(result.counts[entity].get(k) for k in ("created", "updated"))
            )
        else:
            result.batch = None

    def update_lines(self, binary, updates):
        """Update existing drafts row by row: {(line, entry): gift id}, found by the
        bulk path, by (line, entry number within the row). The file is read again for just
        those rows."""
        gifts = Gift.objects.in_bulk(updates.values())
        lines = {line for line, _key in updates}
        binary.seek(0)
        for line, raw, _shape in read_rows(binary, self.adapter, self.result):
            if line not in lines:
                continue
            if getattr(self.adapter, "strip_formula_quote", False):
                raw = strip_formula_quotes(raw)
            self.adapter.record = self.result.record
            entries = self.adapter.entries(
                {k: v for k, v in raw.items() if k != REJECT_REASON}, line
            )
            row = Row(line, raw, entries, row_digest(raw))
            for number, entry in enumerate(entries):
                gift_id = updates.get((line, number))
                if gift_id is not None:
                    self._update_gift(gifts[gift_id], entry, entry_digest(row, entry), row)

    def _changed_anything(self):
        """Whether the import wrote a record, or kept entries that no earlier import of
        the same file had kept: re-importing a file changes nothing."""
        counts = self.result.counts
        wrote = any(counts[name].get("created") or counts[name].get("updated") for name in ENTITIES)
        return wrote or self.new_entries

    def _file_entries_kept(self):
        """Whether an earlier import of this very file kept its register entries."""
        batch = self.result.batch
        return RegisterEntry.objects.filter(
            register=batch.format, batch__file_sha256=batch.file_sha256
        ).exists()

    def _write_chunk(self, rows):
        entries = [entry for row in rows for entry in row.entries]
        self._chosen = {}  # id(party) -> its leader, for this chunk
        for entry in entries:
            self._leader(entry.giver, date=entry.date)
            self._leader(entry.recipient, date=entry.date)
            self._co_giver(entry)
        self._flush_leaders()
        existing = self._existing_gifts(entries)
        new = []  # (gift, entry)
        for row in rows:
            matches = [self._match(entry, existing) for entry in row.entries]
            problems = [problem for _gift, problem in matches if problem]
            if problems:
                self._reject(row.line, row.raw, [Problem(row.line, "id", "", p) for p in problems])
                continue
            outcomes = set()
            for entry, (gift, _problem) in zip(row.entries, matches, strict=True):
                digest = entry_digest(row, entry)
                if gift is None:
                    new.append((self._new_gift(entry, digest), entry))
                    outcomes.add("imported")
                else:
                    outcomes.add(self._update_gift(gift, entry, digest, row))
            self.result.row_outcomes["conflict" if outcomes == {"conflict"} else "imported"] += 1
        if not new:
            return
        gifts = [gift for gift, _entry in new]
        # Gifts with the file's ids first, then the sequence past them, then the others.
        with_ids = [gift for gift in gifts if gift.pk is not None]
        if with_ids:
            Gift.objects.bulk_create(with_ids)
            self._move_id_sequence()
        Gift.objects.bulk_create([gift for gift in gifts if gift.pk is None])
        Gift.history.bulk_history_create(
            gifts, default_user=self._history_user(), default_change_reason=self.reason
        )
        self.result.counts["gifts"]["created"] += len(gifts)
        through = Gift.sources.through
        through.objects.bulk_create(
            [
                through(gift_id=gift.pk, source_id=source.pk)
                for gift, entry in new
                for source in self._sources_for(entry)
            ],
            ignore_conflicts=True,
        )
        for gift, entry in new:
            self._write_flags(gift, entry)

    def _existing_gifts(self, entries):
        keys = [e.import_key for e in entries if e.import_key]
        ids = [e.id for e in entries if e.id]
        by_key = {g.import_key: g for g in Gift.objects.filter(import_key__in=keys)} if keys else {}
        by_id = Gift.objects.in_bulk(ids) if ids else {}
        return by_key, by_id

    def _match(self, entry, existing):
        by_key, by_id = existing
        if entry.import_key:
            return by_key.get(entry.import_key), None
        if entry.id:
            return by_id.get(entry.id), None
        # The registry format's natural key: date with precision, countries, item, leaders.
        candidates = Gift.objects.filter(
            date=entry.date,
            date_precision=entry.date_precision,
            giver_country=entry.giver.country,
            recipient_country=entry.recipient.country,
            item=entry.item,
            giver=self._leader(entry.giver, create=False),
            recipient=self._leader(entry.recipient, create=False),
        )[:2]
        candidates = list(candidates)
        if len(candidates) > 1:
            return None, AMBIGUOUS_MATCH
        return (candidates[0] if candidates else None), None

    def _new_gift(self, entry, digest):
        gift = self._gift_instance(entry)
        if entry.id:
            gift.pk = entry.id
        gift.giver = self._leader(entry.giver, date=entry.date)
        gift.recipient = self._leader(entry.recipient, date=entry.date)
        gift.co_giver = self._co_giver(entry)
        gift.visit = self._visit(entry)
        gift.source_hash = digest
        gift.import_batch = self.result.batch
        self._set_status(gift, entry)
        gift.refresh_search_text()
        gift.stamp_publication()
        return gift

    def _set_status(self, gift, entry):
        gift.publication_status = self._status_for(entry)
        if not gift.retraction_reason:
            gift.retraction_reason = self.retraction_reason_for(gift.publication_status)

    def _update_gift(self, gift, entry, digest, row):
        if gift.source_hash == digest:
            self.result.counts["gifts"]["unchanged"] += 1
            return "imported"
        if gift.publication_status not in EDITABLE_BY_EDITORS:
            self.result.conflicts.append(
                (row.line, gift.pk, conflict_message(gift.pk, gift.publication_status))
            )
            self.result.counts["gifts"]["conflict"] += 1
            return "conflict"
        self._gift_instance(entry, gift)
        gift.giver = self._leader(entry.giver, date=entry.date)
        gift.recipient = self._leader(entry.recipient, date=entry.date)
        gift.co_giver = self._co_giver(entry)
        if entry.visit_slug:
            gift.visit = self._visit(entry)
        gift.source_hash = digest
        self._set_status(gift, entry)
        gift._history_user = self._history_user()
        gift._change_reason = self.reason
        gift.save()
        gift.sources.add(*self._sources_for(entry))
        self._write_flags(gift, entry)
        self.result.counts["gifts"]["updated"] += 1
        return "imported"

    def _write_flags(self, gift, entry):
        """Add or change the row's flags; an import never removes a flag, nor changes a
        published or retracted one (a draft gift may carry one: a reviewer changes it).
        New flags are drafts: a file carries no provisions or allegation."""
        if not entry.flags:
            return
        current = {flag.regime.code: flag for flag in gift.flags.select_related("regime")}
        for code, status in entry.flags:
            flag = current.get(code)
            if flag is None:
                flag = SanctionsFlag(gift=gift, regime=self.regimes[code], status=status)
                flag.import_batch = self.result.batch
                outcome = "created"
            elif flag.status != status and flag.publication_status not in EDITABLE_BY_EDITORS:
                self.result.counts["flags"]["conflict"] += 1
                continue
            elif flag.status != status:
                flag.status = status
                outcome = "updated"
            else:
                self.result.counts["flags"]["unchanged"] += 1
                continue
            flag._history_user = self._history_user()
            flag._change_reason = self.reason
            flag.save()
            current[code] = flag
            self.result.counts["flags"][outcome] += 1

    def _history_user(self):
        return self.user if self.user and self.user.pk else None

    def _history_user_id(self):
        return self.user.pk if self.user and self.user.pk else None

    def _leader(self, party, create=True, date=None):
        """The leader a party names, found within its country by name, alias or (for a
        public register) the resolution of people.py. A new one is queued, and written
        with the others of its chunk (_flush_leaders). A party is resolved once: asked
        again, it answers as it first did, whatever the leaders made since."""
        if id(party) in self._chosen:
            return self._chosen[id(party)]
        leader = self._resolve_leader(party, create, date)
        if create:
            self._chosen[id(party)] = leader
        return leader

    def _co_giver(self, entry):
        """The leader of the second giver an entry names beside the giver, or None (and
        None when the giver is no one the registry can tell)."""
        spouse = self._book.spouse(entry.giver)
        if spouse is None or self._leader(entry.giver, date=entry.date) is None:
            return None
        return self._leader(spouse, date=entry.date)

    def _resolve_leader(self, party, create, date):
        country = party.country
        if country and country not in self._leaders_loaded:
            named = gifts_naming(country) if self.adapter.resolves_people else {}
            for leader in Leader.objects.filter(country=country):
                self._book.add(
                    country, leader.all_names(), leader, leader.kind, named.get(leader.pk, 0)
                )
            self._leaders_loaded.add(country)

        def queued(person):
            if self._slugs is None:
                self._slugs = set(Leader.objects.values_list("slug", flat=True))
            leader = Leader(
                name=person.name,
                country=country,
                title=person.office or party.title,
                wikidata_id=person.wikidata_id,
                kind=person.kind,
                slug=free_slug(person.name, self._slugs),
                import_batch=self.result.batch,
            )
            self._new_leaders.append(leader)
            return leader

        return self._book.leader(party, date, queued if create else None)

    def _flush_leaders(self):
        """Write the queued leaders in one statement, with their history rows, and the
        new spellings of the leaders this import made in earlier chunks (part of their
        making: no history row of their own). New spellings of leaders that were there
        before wait for the end (_flush_spellings), one change each."""
        grown = []
        for leader, spellings in self._book.aliases_added.values():
            leader.aliases = sorted({*leader.aliases, *spellings})
            leader.search_text = fold_all(*leader.all_names())
            if leader.pk and leader.import_batch_id == self.result.batch.pk:
                grown.append(leader)
            elif leader.pk and self.reviewer:
                # A leader from before the import may be on public pages: an editor's
                # import leaves it as it is (the row keeps the spelling).
                self._respelt[leader.pk] = leader
        self._book.aliases_added.clear()
        if grown:
            Leader.objects.bulk_update(grown, ["aliases", "search_text"])
        history = {"default_user": self._history_user(), "default_change_reason": self.reason}
        if not self._new_leaders:
            return
        for leader in self._new_leaders:
            leader.search_text = fold_all(*leader.all_names())
        Leader.objects.bulk_create(self._new_leaders)
        Leader.history.bulk_history_create(self._new_leaders, **history)
        self.result.counts["leaders"]["created"] += len(self._new_leaders)
        self._new_leaders = []

    def _flush_spellings(self):
        """Keep the new spellings of the leaders that were there before the import (none
        when the file was imported before: an unchanged file changes nothing)."""
        changed = [] if self.file_seen else list(self._respelt.values())
        self._respelt = {}
        self.result.counts["leaders"]["updated"] += save_spellings(
            changed, user=self._history_user(), reason=self.reason
        )

    def _sources_for(self, entry):
        sources = []
        for spec in entry.sources:
            source = self._sources.get(spec.url)
            if source is None:
                source = Source.objects.filter(url=spec.url).order_by("pk").first()
                if source is None:
                    source = Source(
                        url=spec.url,
                        title=spec.title[:SOURCE_TITLE_LENGTH],
                        publisher=spec.publisher[:PUBLISHER_LENGTH],
                        published_on=spec.published_on,
                    )
                    source.import_batch = self.result.batch
                    source._history_user = self._history_user()
                    source._change_reason = self.reason
                    source.save()
                    self.result.counts["sources"]["created"] += 1
                self._sources[spec.url] = source
            sources.append(source)
        return sources

    def _visit(self, entry):
        """The visit a row names by slug; created (as a draft) from the gift when new."""
        slug = entry.visit_slug
        if not slug:
            return None
        if slug not in self._visits:
            visit = Visit.objects.filter(slug=slug).first()
            if visit is None:
                day = entry.date
                visit = Visit(
                    slug=slug,
                    title=slug.replace("-", " ").capitalize(),
                    host_country=entry.recipient.country or entry.giver.country,
                    start_date=day,
                    end_date=day,
                    publication_status=PublicationStatus.DRAFT,
                )
                visit.import_batch = self.result.batch
                visit._history_user = self._history_user()
                visit._change_reason = self.reason
                visit.save()
                self.result.counts["visits"]["created"] += 1
            self._visits[slug] = visit
        return self._visits[slug]

    def _move_id_sequence(self):
        """After gifts were created with the file's ids, new gifts must not collide."""
        backend().reset_sequences([Gift])


_COLUMNS = {
    "giver_country": "giver_country",
    "recipient_country": "recipient_country",
    "date_precision": "date",
    "__all__": "",
}


def _column(field_name):
    return _COLUMNS.get(field_name, field_name)


def _text(value):
    return "" if value is None else str(value)


def _problem(line, error):
    return Problem(line, error.column, _text(error.value), error.reason)


def run_import(
    binary,
    format,
    *,
    file_name,
    user=None,
    publish=False,
    skip_invalid=False,
    dry_run=False,
    progress=None,
    copy=None,
    offline=False,
):
    """Import a binary CSV file. Returns the Result; writes nothing when a row is invalid
    (unless skip_invalid) or on a dry run.

    The rows are validated once, here in Python, and written by one of two writers: COPY
    and set-based SQL where the database has them (bulk.py), the ORM a chunk at a time
    elsewhere. `copy` chooses the writer instead of the database (True needs PostgreSQL);
    both write the same registry (tests/test_import_parity.py). `offline` lets a large
    import lock the tables it writes to, readers included, for speed: only for a load while
    the site is not serving."""
    importer = Importer(
        format,
        user=user,
        publish=publish,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        offline=offline,
    )
    sha = file_sha256(binary)
    result = importer.result
    if backend().copies_rows if copy is None else copy:
        _write_staged(importer, binary, file_name=file_name, file_sha256=sha, progress=progress)
    else:
        rows = importer.read(binary, progress=progress.read if progress else None)
        if result.problems and not skip_invalid:
            return result
        importer.write(
            rows,
            file_name=file_name,
            file_sha256=sha,
            progress=progress.write if progress else None,
        )
    if importer.withheld_publication:
        result.notes.append(
            "Only a reviewer's import may publish: the records were imported as drafts."
        )
    return result


def _write_staged(importer, binary, *, file_name, file_sha256, progress=None):
    """An import on PostgreSQL: stage, check, write, all in one batch (bulk.py)."""
    result = importer.result
    stager = STAGERS.get(result.format, PostgresImport)

    def work():
        bulk = stager(importer)
        bulk.stage(binary, progress=progress.read if progress else None)
        if result.problems and not importer.skip_invalid:
            return
        updates = bulk.write()
        if updates and not (result.problems and not importer.skip_invalid):
            importer.update_lines(binary, updates)

    importer.in_batch(work, file_name=file_name, file_sha256=file_sha256)
    fill_rejected_cells(importer, binary)
