"""Reading a register file: its header checked against the format, its rows as dicts with
their line numbers, and the hashes that tell a changed file or row from an unchanged one.
Nothing here queries the database."""

import csv
import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass

from ..models.base import TEXT_LIMIT
from .formats import format_of

REJECT_REASON = "reject_reason"  # the extra column of a rejects file, ignored on re-import
FIELD_LIMIT = 16 * 1024 * 1024  # past this the csv module cannot read the file at all
# The longest cell a row may have, in characters, the limit of a gift's free text: a longer
# one rejects its row before any parser sees it.
CELL_LIMIT = TEXT_LIMIT

csv.field_size_limit(FIELD_LIMIT)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, emptiness)."""


@dataclass
class Row:
    line: int
    raw: dict
    entries: list
    digest: str


def file_sha256(binary):
    digest = hashlib.sha256()
    for chunk in iter(lambda: binary.read(1 << 20), b""):
        digest.update(chunk)
    binary.seek(0)
    return digest.hexdigest()


def count_rows(binary):
    """The data rows of a binary CSV file (records after the header), or None when it cannot
    be read as UTF-8 CSV: for a progress bar's total. Rewinds the file."""
    try:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        try:
            return max(sum(1 for _ in csv.reader(text)) - 1, 0)
        finally:
            text.detach()
            binary.seek(0)
    except (UnicodeDecodeError, csv.Error):
        return None


@contextmanager
def csv_reader(binary, adapter, result):
    """A csv reader of a binary CSV file, past its header, which is checked against the
    adapter's columns and kept in result.header. File-level problems (the header, the
    encoding, the CSV itself) raise ImportFileError, also while the rows are read."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise ImportFileError("The file is empty: it has no header row.") from None
        header = [name.strip() for name in header]
        columns = [c for c in header if c != REJECT_REASON]
        missing = [c for c in adapter.columns if c not in columns]
        unexpected = [c for c in columns if c not in adapter.columns]
        if missing or unexpected or len(set(columns)) != len(columns):
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if unexpected:
                parts.append("unexpected " + ", ".join(unexpected))
            if len(set(columns)) != len(columns):
                parts.append("a column named twice")
            found = format_of(columns)
            hint = f" The file looks like the {found} format." if found else ""
            raise ImportFileError(
                f"Line 1: the header does not match the {adapter.name} format ("
                + "; ".join(parts)
                + f"). Expected: {','.join(adapter.columns)}.{hint}"
            )
        result.header = header
        yield reader
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not UTF-8 (near line {reader.line_num + 1}, byte {exc.start}): "
            "save it as UTF-8 and import it again."
        ) from None
    except csv.Error as exc:
        raise ImportFileError(f"Line {reader.line_num}: the CSV cannot be read ({exc}).") from None
    finally:
        text.detach()  # leave the binary file open: it may be read again


def row_problem(cells, header):
    """Why a row of cells cannot be read against the header, as (column, reason); or
    None."""
    if len(cells) != len(header):
        return "", f"The row has {len(cells)} cells where the header has {len(header)}."
    longest = max(map(len, cells), default=0)
    if longest > CELL_LIMIT:
        column = header[[len(cell) for cell in cells].index(longest)]
        return column, (
            f"The cell holds {longest:,} characters; a cell holds at most {CELL_LIMIT:,}."
        )
    return None


def read_rows(binary, adapter, result):
    """Yield (line, row dict, None) from a binary CSV file, or (line, cells, (column,
    reason)) for a row that cannot be read against the header (row_problem); blank rows
    are passed over. result.record is the CSV record number (1 after the header) of the
    row last yielded, blank records counted."""
    with csv_reader(binary, adapter, result) as reader:
        header = result.header
        line = reader.line_num + 1
        result.record = 0
        for cells in reader:
            result.record += 1
            if not any(cell.strip() for cell in cells):
                line = reader.line_num + 1
                continue
            problem = row_problem(cells, header)
            if problem:
                yield line, cells, problem
            else:
                yield line, dict(zip(header, cells, strict=True)), None
            line = reader.line_num + 1


def entry_digest(row, entry):
    """The source hash of one entry: its row's, told apart for each entry of the row."""
    if len(row.entries) == 1:
        return row.digest
    return hashlib.sha256(f"{row.digest}:{entry.import_key}".encode()).hexdigest()


def strip_formula_quotes(raw):
    """Take off the quote a spreadsheet-safe export put before a cell (interchange.py)."""
    return {k: v[1:] if v.startswith("'") else v for k, v in raw.items()}


def row_digest(row):
    """A hash of the row's cells: a changed row in the register changes it."""
    cells = [v for k, v in row.items() if k != REJECT_REASON]
    return hashlib.sha256("\x1f".join(cells).encode()).hexdigest()
