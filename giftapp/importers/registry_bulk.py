"""The registry's interchange CSV on PostgreSQL: read, checked and COPYed in one pass.

A registry file is mostly plain rows: ASCII codes, ISO dates, plain decimals, known
regimes. Each row gets a few cheap checks here (set lookups, parses remembered by their
text, a hash) and, when they leave no doubt that it is valid, goes to COPY as a line of
text, typed, without any per-row objects. Every other row, every invalid one among them,
goes through the importer's own validation (RegistryAdapter.entries, Importer._validate),
which rejects it with its line, column, value and reason as on every other path, or
stages it like any row. So these checks only let through rows that the validation
accepts, staged exactly as it would stage them; tests/test_import_registry_bulk.py holds
both to the same rows.
"""

import hashlib
import re
from datetime import date

from ..models import Category, Disposition, PublicationStatus, source_url_problem
from ..text import fold
from .base import Party
from .bulk import STAGED_COLUMNS, STAGED_TYPES, STAGING, PostgresImport
from .reading import CELL_LIMIT, REJECT_REASON, csv_reader, row_problem, strip_formula_quotes
from .registry import _sanctions, parse_date
from .result import RETRACTED_WITHOUT_REASON, Problem
from .rules import COUNTRIES, CURRENCIES, ITEM_LENGTH, NAME_LENGTH, VALUE_NOTE_LENGTH

# The staged columns a registry row fills; the others (entries, import keys, titles, a
# giver not stated, a second giver, a converted value's basis: the interchange format has
# no cells for them) keep their defaults.
COLUMNS = tuple(
    column
    for column in STAGED_COLUMNS
    if column
    not in (
        "entry",
        "import_key",
        "giver_title",
        "recipient_title",
        "giver_not_stated",
        "co_giver_id",
        "value_usd_basis",
    )
)
TYPES = tuple(STAGED_TYPES[STAGED_COLUMNS.index(column)] for column in COLUMNS)
PICK = tuple(STAGED_COLUMNS.index(column) for column in COLUMNS)

CATEGORIES = frozenset(Category.values)
DISPOSITIONS = frozenset(Disposition.values)
STATUSES = frozenset(PublicationStatus.values)
NOT_FOR_EDITORS = frozenset({PublicationStatus.PUBLISHED, PublicationStatus.RETRACTED})
# What the adapter's parsers accept, narrowed to the plain forms that need no parsing:
# numbers are written as they are, so as the parsed value would be (no leading zeros).
AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,13})(?:\.[0-9]{1,2})?")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# COPY's text format writes backslashes, tabs and line breaks in a value as escapes.
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"
SEPARATOR = "\x1f"  # between the cells whose hash is a row's digest (reading.row_digest)
FLUSH_ROWS = 2000  # rows handed to COPY at a time
REMEMBERED = 50_000  # parses remembered per column, before they are all forgotten


def array(items):
    """A PostgreSQL array literal of items that need no quoting (numbers, regime:status)."""
    return "{" + ",".join(items) + "}"


class RegistryImport(PostgresImport):
    def copy_rows(self, cursor, binary, progress, into=None):
        """COPY every valid row: into the staging table, or, given `into`
        (registry_load.RegistryLoad), into the table it writes, as the line it makes of
        the staged row's fields."""
        imp, result = self.importer, self.result
        if into is None:
            sql = f"COPY {STAGING} ({', '.join(COLUMNS)}) FROM STDIN"
            text_of = staged_text
        else:
            sql, text_of = into.copy_sql, into.line
        with csv_reader(binary, imp.adapter, result) as reader, cursor.copy(sql) as copy:
            copy.set_types(TYPES)
            header = result.header
            width = len(header)
            plain_line = plain_rows(self, header)
            lines, reported = [], 0
            line = reader.line_num + 1
            for cells in reader:
                joined = SEPARATOR.join(cells)
                if not joined.strip():  # blank: every cell is whitespace
                    line = reader.line_num + 1
                    continue
                result.rows += 1
                # The cells' total length tells cheaply that none can be too long.
                if (len(cells) != width or len(joined) > CELL_LIMIT) and (
                    problem := row_problem(cells, header)
                ):
                    column, reason = problem
                    imp._reject(line, {}, [Problem(line, column, "", reason)])
                elif (fields := plain_line(cells, joined, line)) is not None:
                    lines.append(text_of(fields))
                    if len(lines) == FLUSH_ROWS:
                        copy.write("".join(lines))
                        lines.clear()
                        if progress:
                            progress(result.rows - reported)
                            reported = result.rows
                else:
                    raw = dict(zip(header, cells, strict=True))
                    row = imp.validate_row(line, strip_formula_quotes(raw))
                    if row is not None:
                        values = self.staged(row, 0, row.entries[0])
                        picked = [values[index] for index in PICK]
                        if into is None:
                            copy.write("".join(lines))
                            lines.clear()
                            copy.write_row(picked)
                        else:
                            lines.append(text_of(copy_fields(picked)))
                line = reader.line_num + 1
            copy.write("".join(lines))
        if progress:
            progress(result.rows - reported)


def staged_text(fields):
    """A staging table's line of COPY text."""
    return "\t".join(fields) + "\n"


def copy_text(value):
    """One value as COPY's text format writes it (a staged row's value, typed as
    STAGED_TYPES types it)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return array(
            # Quoted, but for numbers: any text is then an element as it stands.
            str(item) if isinstance(item, int) else quoted(item)
            for item in value
        ).translate(ESCAPES)
    if isinstance(value, str):
        return value.translate(ESCAPES)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def quoted(text):
    """A text as a quoted element of an array literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def copy_fields(values):
    """A staged row's values as the fields of its line of COPY text."""
    return tuple(copy_text(value) for value in values)


def remembered(compute):
    """A cache of compute(text) by text, and the function that fills it: most values of a
    column recur. A text that compute finds invalid (None) is not kept; the cache is
    emptied once it holds REMEMBERED values."""
    cache = {}

    def lookup(text):
        value = compute(text)
        if value is not None:
            if len(cache) >= REMEMBERED:
                cache.clear()
            cache[text] = value
        return value

    return cache, lookup


def plain_rows(bulk, header):
    """A function of a row's cells (in the header's order), the cells joined by
    SEPARATOR, and its line: the row as the fields of a staging table's line of COPY
    text (COLUMNS), its references resolved, when it is plainly valid; None when the
    importer's validation must decide."""
    imp, refs = bulk.importer, bulk.references
    (
        i_id,
        i_date,
        i_giver,
        i_giver_country,
        i_recipient,
        i_recipient_country,
        i_visit,
        i_item,
        i_description,
        i_category,
        i_quantity,
        i_value,
        i_currency,
        i_value_usd,
        i_value_note,
        i_disposition,
        i_sanctions,
        i_sources,
        i_giver_as_reported,
        i_recipient_as_reported,
        i_notes,
        i_status,
    ) = (header.index(column) for column in imp.adapter.columns)
    reason_at = header.index(REJECT_REASON) if REJECT_REASON in header else None
    regimes, reviewer = imp.regimes, imp.reviewer
    visit_slugs, first_line = imp.visit_slugs, imp.seen_ids.first_line
    default_status = PublicationStatus.PUBLISHED if imp.publish else PublicationStatus.DRAFT
    draft, published = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED
    retracted = PublicationStatus.RETRACTED
    other, unknown = Category.OTHER, Disposition.UNKNOWN
    amount, slug_match = AMOUNT.fullmatch, SLUG.fullmatch
    sha256, escapes = hashlib.sha256, ESCAPES
    leaders = {}  # (country, name as written) -> id or reference

    def parsed_date(text):
        try:
            parsed, precision = parse_date(text)
        except ValueError:
            return None
        return (parsed, NULL if parsed is None else parsed.isoformat(), precision)

    def flag_array(text):
        try:
            parsed = _sanctions(text)
        except ValueError:
            return None
        if any(code not in regimes for code, _status in parsed):
            return None
        return array(f"{c}:{s}" for c, s in parsed)

    def source_array(text):
        return array(map(str, sorted({refs.source(url, url) for url in text.split()})))

    def sources_valid(text):
        return True if not any(source_url_problem(url) for url in text.split()) else None

    # Each is looked up inline first (a call costs more than the lookup).
    dates, date_of = remembered(parsed_date)
    flag_sets, flags_of = remembered(flag_array)
    source_sets, sources_of = remembered(source_array)
    valid_sources, check_sources = remembered(sources_valid)
    folds, folded = remembered(fold)

    def plain_line(cells, joined, line):
        if joined[:1] == "'" or SEPARATOR + "'" in joined:
            return None  # a spreadsheet-safe quote to take off: the validation does it
        gift_id = cells[i_id]
        if gift_id and not (gift_id.isascii() and gift_id.isdigit() and gift_id[0] != "0"):
            return None
        day = dates.get(cells[i_date]) or date_of(cells[i_date])
        if day is None:
            return None
        giver_country = cells[i_giver_country]
        recipient_country = cells[i_recipient_country]
        if (
            giver_country not in COUNTRIES
            or recipient_country not in COUNTRIES
            or (giver_country and giver_country == recipient_country)
        ):
            return None
        giver, recipient, item = cells[i_giver], cells[i_recipient], cells[i_item]
        if (
            len(giver) > NAME_LENGTH
            or len(recipient) > NAME_LENGTH
            or len(item) > ITEM_LENGTH
            or not item.strip()
        ):
            return None
        category = cells[i_category] or other
        disposition = cells[i_disposition] or unknown
        if category not in CATEGORIES or disposition not in DISPOSITIONS:
            return None
        quantity = cells[i_quantity]
        if quantity and not (quantity.isascii() and quantity.isdigit() and quantity[0] != "0"):
            return None
        value, currency, value_usd = cells[i_value], cells[i_currency], cells[i_value_usd]
        if (
            (value and not amount(value))
            or (value_usd and not amount(value_usd))
            or currency not in CURRENCIES
            or bool(value) != bool(currency)
            or len(cells[i_value_note]) > VALUE_NOTE_LENGTH
        ):
            return None
        sources = cells[i_sources]
        if sources and not (valid_sources.get(sources) or check_sources(sources)):
            return None  # an address that is no web page's: the validation names it
        flags = "{}"
        if cells[i_sanctions]:
            flags = flag_sets.get(cells[i_sanctions]) or flags_of(cells[i_sanctions])
            if flags is None:
                return None
        slug = cells[i_visit]
        if slug and not slug_match(slug):
            return None
        status = cells[i_status] or default_status
        if status not in STATUSES:
            return None
        withheld = status in NOT_FOR_EDITORS and not reviewer
        if withheld:
            status = draft
        if status == published and not (
            cells[i_sources].split() and giver_country and recipient_country
        ):
            return None

        # What only the file so far tells, asked of the importer's own rules, last: they
        # remember this row as the one that gave its id and created its visit.
        if (
            slug
            and slug not in visit_slugs
            and (day[0] is None or not (giver_country or recipient_country))
        ):
            return None
        if gift_id and first_line(int(gift_id), line) != line:
            return None
        if slug:
            visit_slugs.add(slug)

        # Valid: resolve what it names, and write it.
        if withheld:
            imp.withheld_publication = True
        giver_ref = recipient_ref = None
        if giver and giver_country:
            giver_ref = leaders.get((giver_country, giver))
            if giver_ref is None:
                giver_ref = refs.leader(Party(name=giver, country=giver_country))
                leaders[(giver_country, giver)] = giver_ref
        if recipient and recipient_country:
            recipient_ref = leaders.get((recipient_country, recipient))
            if recipient_ref is None:
                recipient_ref = refs.leader(Party(name=recipient, country=recipient_country))
                leaders[(recipient_country, recipient)] = recipient_ref
        description = cells[i_description]
        giver_as_reported = cells[i_giver_as_reported]
        recipient_as_reported = cells[i_recipient_as_reported]
        value_note, notes = cells[i_value_note], cells[i_notes]
        search_text = " ".join(
            filter(
                None,
                [
                    folds.get(text) or folded(text)
                    for text in (item, description, giver_as_reported, recipient_as_reported)
                    if text
                ],
            )
        )
        if reason_at is not None:  # a rejects file, imported again: its reasons are no data
            joined = SEPARATOR.join(cells[:reason_at] + cells[reason_at + 1 :])
        digest = sha256(joined.encode()).hexdigest()
        if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
            item, description, giver_as_reported, recipient_as_reported, value_note, notes = (
                text.translate(escapes)
                for text in (
                    item,
                    description,
                    giver_as_reported,
                    recipient_as_reported,
                    value_note,
                    notes,
                )
            )
        return (
            # In the order of the staged columns (COLUMNS).
            str(line),
            gift_id or NULL,
            item,
            description,
            category,
            quantity or NULL,
            day[1],
            day[2],
            value or NULL,
            currency,
            value_usd or NULL,
            value_note,
            disposition,
            notes,
            NULL if giver_ref is None else str(giver_ref),
            NULL if recipient_ref is None else str(recipient_ref),
            giver_country,
            recipient_country,
            giver_as_reported,
            recipient_as_reported,
            slug,
            status,
            RETRACTED_WITHOUT_REASON if status == retracted else "",
            digest,
            search_text,
            source_sets.get(cells[i_sources]) or sources_of(cells[i_sources]),
            flags,
        )

    return plain_line
