"""The registry's own interchange CSV (docs/interchange.md), read back: the inverse of
exports/interchange.py."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..codes import COUNTRY_CODES, CURRENCY_CODES
from ..exports.interchange import HEADER
from ..models import Category, DatePrecision, Disposition, FlagStatus, PublicationStatus
from .base import Adapter, Entry, Party, RowError, RowErrors, SourceSpec

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SANCTION = re.compile(r"^([A-Z0-9-]+):([a-z_]+)$")
_FLAG_STATUSES = frozenset(FlagStatus.values)


def parse_date(text):
    """'2024-06-19' | '2024-06' | '2024' | '' -> (date or None, precision)."""
    if not text:
        return None, DatePrecision.UNKNOWN
    match = _DATE.match(text)
    if not match:
        raise ValueError("use YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        return date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError:
        raise ValueError("no such date") from None


def parse_decimal(text):
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("write a plain decimal number, e.g. 1500.00") from None
    if not value.is_finite():
        raise ValueError("write a plain decimal number, e.g. 1500.00")
    return value


class RegistryAdapter(Adapter):
    name = "registry"
    columns = HEADER
    id_column = ""  # the id is the registry's own and matters: rows are never duplicates
    strip_formula_quote = True
    has_titles = False  # the interchange CSV carries no titles at the time
    keeps_entries = False
    resolves_people = False

    def entries(self, row, line):
        errors = []

        def field(column, parse, *args):
            try:
                return parse(row[column], *args)
            except ValueError as exc:
                errors.append(RowError(column, row[column], str(exc)))
                return None

        gift_id = field("id", _parse_id)
        gift_date, precision = field("date", parse_date) or (None, DatePrecision.UNKNOWN)
        entry = Entry(
            id=gift_id,
            item=row["item"],
            description=row["description"],
            giver=Party(
                name=row["giver"],
                country=field("giver_country", _code, _COUNTRIES, "country") or "",
                as_reported=row["giver_as_reported"],
            ),
            recipient=Party(
                name=row["recipient"],
                country=field("recipient_country", _code, _COUNTRIES, "country") or "",
                as_reported=row["recipient_as_reported"],
            ),
            visit_slug=field("visit", _slug) or "",
            category=field("category", _choice, Category, Category.OTHER),
            quantity=field("quantity", _quantity),
            date=gift_date,
            date_precision=precision,
            value=field("value", parse_decimal),
            currency=field("currency", _code, _CURRENCIES, "currency") or "",
            value_usd=field("value_usd", parse_decimal),
            value_note=row["value_note"],
            disposition=field("disposition", _choice, Disposition, Disposition.UNKNOWN),
            notes=row["notes"],
            flags=field("sanctions", _sanctions) or [],
            sources=[SourceSpec(url=url, title=url) for url in row["sources"].split()],
            publication_status=field("publication_status", _status) or "",
        )
        if errors:
            raise RowErrors(errors)
        return [entry]


def _parse_id(text):
    if not text:
        return None
    if not text.isdigit() or int(text) == 0:
        raise ValueError("an id is a whole number above 0, or blank for a new gift")
    return int(text)


_COUNTRIES = frozenset(COUNTRY_CODES)
_CURRENCIES = frozenset(CURRENCY_CODES)


def _code(text, codes, kind):
    code = text.upper()
    if code and code not in codes:
        raise ValueError(f"not a known {kind} code")
    return code


_VALUES = {}


def _choice(text, choices, default):
    if not text:
        return default
    values = _VALUES.get(choices)
    if values is None:
        values = _VALUES[choices] = frozenset(choices.values)
    if text not in values:
        raise ValueError(f"use one of: {', '.join(choices.values)}")
    return text


def _quantity(text):
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError("a quantity is a whole number of at least 1, or blank for 'several'")
    return int(text)


def _slug(text):
    if text and not re.fullmatch(r"[-a-zA-Z0-9_]+", text):
        raise ValueError("a visit is named by its slug (letters, digits, hyphens)")
    return text


def _status(text):
    return _choice(text, PublicationStatus, "") if text else ""


def _sanctions(text):
    flags = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = _SANCTION.match(part)
        if not match or match.group(2) not in _FLAG_STATUSES:
            raise ValueError(
                f"'{part}' is not REGIME_CODE:status (status one of {', '.join(FlagStatus.values)})"
            )
        flags.append(match.groups())
    return flags
