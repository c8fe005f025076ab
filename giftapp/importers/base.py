"""What every register adapter produces, and how it says a row is bad or out of scope.

An adapter turns one row of its register (a dict of column -> text) into one or more
`Entry` objects, one per gift. It raises `RowError` for a row that is invalid (the import
reports it with its line, column, value and reason) and `Skip` for a row that is valid but
not imported (out of scope: a company, a private person, a body of the same state).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Party:
    """One side of a gift as the register gives it."""

    name: str = ""  # a person's name, matched to (or creating) a Leader; "" when unknown
    country: str = ""  # ISO 3166-1 alpha-2 (or a historical code); "" when the register omits it
    title: str = ""  # office at the time
    as_reported: str = ""  # the register's verbatim text


@dataclass
class SourceSpec:
    url: str
    title: str
    publisher: str = ""
    published_on: datetime.date | None = None
    kind: str = ""  # which source this is, in words: "the notice", "a search of …"


@dataclass
class Entry:
    """One gift, ready to be matched against the registry and written."""

    item: str
    giver: Party = field(default_factory=Party)
    recipient: Party = field(default_factory=Party)
    giver_not_stated: bool = False  # the register does not name the giver (a stated fact)
    import_key: str = ""  # "register:row id:entry number"; "" for the registry format
    description: str = ""
    category: str = "other"
    quantity: int | None = None
    date: datetime.date | None = None
    date_precision: str = "unknown"
    value: Decimal | None = None
    currency: str = ""
    value_usd: Decimal | None = None
    value_note: str = ""
    value_usd_basis: str = ""  # how value_usd was found when the register does not give it
    disposition: str = "unknown"
    notes: str = ""
    visit_slug: str = ""
    sources: list[SourceSpec] = field(default_factory=list)
    flags: list[tuple[str, str]] = field(default_factory=list)  # (regime code, claim status)
    publication_status: str = ""  # "" means draft, or published with --publish
    id: int | None = None  # the registry format's id column


class RowError(Exception):
    """A row that cannot be imported as it stands."""

    def __init__(self, column, value, reason):
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


class RowErrors(Exception):
    """Several problems with one row."""

    def __init__(self, errors):
        super().__init__("; ".join(e.reason for e in errors))
        self.errors = list(errors)


class Skip(Exception):  # noqa: N818 (a row skipped is not an error)
    """A valid row that is not imported, with the reason (counted in the summary)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Adapter:
    """A register format. Subclasses set the class attributes and implement entries()."""

    name = ""  # the --format value, also the first part of import keys
    columns = ()  # the header the file must have (extra columns are an error too)
    id_column = ""  # the register's own row id; rows equal but for it are duplicates
    # A public register keeps every data row as RegisterEntry records; the registry's own
    # interchange format is the registry's record already and keeps none.
    keeps_entries = True
    # A public register's spellings of people are resolved to one leader per person
    # (people.py); the interchange format names its leaders exactly as exported.
    resolves_people = True
    record = 0  # the CSV record number of the row being read, set by the importer

    def entries(self, row, line):
        """Return the gifts in one row (a dict of column -> text), or raise RowError,
        RowErrors or Skip. `line` is the row's first line number in the file."""
        raise NotImplementedError
