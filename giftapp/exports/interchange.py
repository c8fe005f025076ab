"""The registry's interchange format (docs/interchange.md) and its JSON twin.

CSV: one row per gift in HEADER order, UTF-8 without BOM, RFC 4180 quoting, CRLF line
ends, rows by id; every cell made spreadsheet-safe.

JSON: an array of objects with the CSV's field names, typed for JSON, plus `url`:
- `id` and `quantity` are numbers (quantity null when the source says "several");
- `value` and `value_usd` are strings of plain decimals ("1500.00"), so that no amount
  passes through a binary float; null when unknown;
- `date` is the CSV's string ("2024-06-19", "2024-06" or "2024" by precision), null when
  unknown;
- `sanctions` is a list of {"regime": code, "status": status} and `sources` a list of URLs,
  in the CSV's order;
- every other field is a string, "" when blank. No spreadsheet-safety prefix is added.

With public=True (the public export) only public flags are listed and a visit's slug only
when the visit is published; with public=False every flag and visit is written.

On PostgreSQL the CSV is written by SQL (csv_stream.py), byte for byte as here: a change to
these rules is made in both places (tests/test_csv_export.py compares the two).
"""

import csv
import json
from collections import defaultdict

from ..models import DatePrecision, Gift, PublicationStatus, SanctionsFlag

HEADER = (
    "id",
    "date",
    "giver",
    "giver_country",
    "recipient",
    "recipient_country",
    "visit",
    "item",
    "description",
    "category",
    "quantity",
    "value",
    "currency",
    "value_usd",
    "value_note",
    "disposition",
    "sanctions",
    "sources",
    "giver_as_reported",
    "recipient_as_reported",
    "notes",
    "publication_status",
)

# A spreadsheet reads a cell starting with one of these as a formula (or strips the quote).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(text):
    """'=HYPERLINK(…)' -> "'=HYPERLINK(…)": the registry importer removes one leading '."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def format_date(date, precision):
    """A date by its precision: '2024-06-19', '2024-06', '2024', or '' when unknown."""
    if date is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{date:%Y-%m}"
    return date.isoformat()


def format_decimal(value):
    """Decimal('1500') -> '1500.00'; None -> ''."""
    return "" if value is None else f"{value:.2f}"


EXPORT_FIELDS = (
    "id",
    "date",
    "date_precision",
    "giver__name",
    "giver_country",
    "recipient__name",
    "recipient_country",
    "visit__slug",
    "visit__publication_status",
    "item",
    "description",
    "category",
    "quantity",
    "value",
    "currency",
    "value_usd",
    "value_note",
    "disposition",
    "giver_as_reported",
    "recipient_as_reported",
    "notes",
    "publication_status",
)


def for_export(queryset, *, public=True, chunk_size=2000):
    """The gifts' interchange values (dicts, as gift_values gives), in id order.

    Rows are read as tuples, not model instances, a chunk at a time by id (keyset
    paging: every chunk costs the same), with the chunk's sources and flags in one query
    each: three queries per chunk, memory flat whatever the size.
    """
    flags = SanctionsFlag.objects.public() if public else SanctionsFlag.objects.all()
    rows = queryset.order_by("id").values_list(*EXPORT_FIELDS)
    last = 0
    while chunk := list(rows.filter(id__gt=last)[:chunk_size]):
        ids = [row[0] for row in chunk]
        urls = defaultdict(list)
        for gift_id, url in (
            Gift.sources.through.objects.filter(gift_id__in=ids)
            .exclude(source__url="")
            .values_list("gift_id", "source__url")
        ):
            urls[gift_id].append(url)
        claims = defaultdict(list)
        for gift_id, code, status in flags.filter(gift_id__in=ids).values_list(
            "gift_id", "regime__code", "status"
        ):
            claims[gift_id].append((code, status))
        for row in chunk:
            yield _values(dict(zip(EXPORT_FIELDS, row, strict=True)), urls, claims, public)
        if len(chunk) < chunk_size:
            break  # the last chunk: no need to ask for another
        last = ids[-1]


def _values(row, urls, claims, public):
    gift_id = row["id"]
    show_visit = row["visit__slug"] and (
        not public or row["visit__publication_status"] == PublicationStatus.PUBLISHED
    )
    return {
        "id": gift_id,
        "date": format_date(row["date"], row["date_precision"]) or None,
        "giver": row["giver__name"] or "",
        "giver_country": row["giver_country"] or "",
        "recipient": row["recipient__name"] or "",
        "recipient_country": row["recipient_country"] or "",
        "visit": row["visit__slug"] if show_visit else "",
        "item": row["item"],
        "description": row["description"],
        "category": row["category"],
        "quantity": row["quantity"],
        "value": None if row["value"] is None else format_decimal(row["value"]),
        "currency": row["currency"],
        "value_usd": None if row["value_usd"] is None else format_decimal(row["value_usd"]),
        "value_note": row["value_note"],
        "disposition": row["disposition"],
        "sanctions": [{"regime": c, "status": s} for c, s in sorted(claims.get(gift_id, ()))],
        "sources": sorted(urls.get(gift_id, ())),
        "giver_as_reported": row["giver_as_reported"],
        "recipient_as_reported": row["recipient_as_reported"],
        "notes": row["notes"],
        "publication_status": row["publication_status"],
    }


def _flags(gift, public):
    """One gift's flags as the export lists them (a query; for_export reads them by chunk)."""
    if public and not gift.is_public:
        return []
    flags = gift.flags.select_related("regime")
    if public:
        flags = flags.filter(publication_status=PublicationStatus.PUBLISHED)
    return sorted((flag.regime.code, flag.status) for flag in flags)


def source_urls(record):
    """A record's sorted source URLs (a gift, visit, flag or regime); runs a query unless
    its sources were prefetched."""
    return sorted(source.url for source in record.sources.all() if source.url)


def gift_values(gift, *, public=True):
    """The interchange fields of one gift, typed: the common ground of CSV and JSON."""
    visit = gift.visit
    show_visit = visit is not None and (
        not public or visit.publication_status == PublicationStatus.PUBLISHED
    )
    return {
        "id": gift.pk,
        "date": format_date(gift.date, gift.date_precision) or None,
        "giver": gift.giver.name if gift.giver else "",
        "giver_country": str(gift.giver_country or ""),
        "recipient": gift.recipient.name if gift.recipient else "",
        "recipient_country": str(gift.recipient_country or ""),
        "visit": visit.slug if show_visit else "",
        "item": gift.item,
        "description": gift.description,
        "category": gift.category,
        "quantity": gift.quantity,
        "value": None if gift.value is None else format_decimal(gift.value),
        "currency": gift.currency,
        "value_usd": None if gift.value_usd is None else format_decimal(gift.value_usd),
        "value_note": gift.value_note,
        "disposition": gift.disposition,
        "sanctions": [{"regime": code, "status": status} for code, status in _flags(gift, public)],
        "sources": source_urls(gift),
        "giver_as_reported": gift.giver_as_reported,
        "recipient_as_reported": gift.recipient_as_reported,
        "notes": gift.notes,
        "publication_status": gift.publication_status,
    }


def gift_row(gift, *, public=True):
    """One gift as a CSV row: a list of spreadsheet-safe strings in HEADER order."""
    return row_cells(gift_values(gift, public=public))


def row_cells(values):
    """Interchange values as a CSV row of spreadsheet-safe strings in HEADER order."""
    cells = dict(values)
    cells["sanctions"] = ";".join(f"{s['regime']}:{s['status']}" for s in values["sanctions"])
    cells["sources"] = " ".join(values["sources"])
    return [spreadsheet_safe("" if cells[name] is None else cells[name]) for name in HEADER]


def _as_values(record, public):
    """for_export() gives values already; a model instance is turned into them."""
    return record if isinstance(record, dict) else gift_values(record, public=public)


class _Line:
    """A file-like object whose write() hands back the text, for csv.writer."""

    def write(self, text):
        return text


def csv_lines(gifts, *, public=True, header=True):
    """The interchange CSV as lines of text (each ending CRLF): the header, then a row for
    each gift in the order given (for_export() gives id order)."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    if header:
        yield writer.writerow(HEADER)
    for record in gifts:
        yield writer.writerow(row_cells(_as_values(record, public)))


def json_chunks(gifts, *, public=True, url_for=lambda gift_id: ""):
    """A JSON array of gift records (with each one's URL), as pieces of text to stream."""
    yield "["
    separator = "\n"
    for record in gifts:
        values = _as_values(record, public)
        values = values | {"url": url_for(values["id"])}
        yield separator + json.dumps(values, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
