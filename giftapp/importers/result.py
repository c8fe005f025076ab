"""What an import found and did: its problems, row by row, and its counts."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..models import ImportBatch, PublicationStatus

ENTITIES = ("gifts", "leaders", "visits", "sources", "flags")
RETRACTED_WITHOUT_REASON = "Imported as retracted; the file gives no reason."
NEW_VISIT_PROBLEM = "No visit has this slug, and a new one needs the gift's date and a country."
AMBIGUOUS_MATCH = (
    "Matches several gifts (same date, countries, item, giver and recipient); give the id "
    "of the one to update."
)


def duplicate_id_message(first_line):
    return f"The id is already on line {first_line}."


def conflict_message(gift_id, status):
    label = PublicationStatus(status).label.lower()
    return f"The row changed, but gift #{gift_id} is {label}: a reviewer must update it by hand."


@dataclass
class Problem:
    line: int
    column: str
    value: str
    reason: str

    def __str__(self):
        value = self.value if len(self.value) <= 60 else self.value[:57] + "…"
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}" + (f" (value: {value!r})" if self.value else "")


@dataclass
class RowLog:
    """What became of one data row of a register, for its RegisterEntry records."""

    record: int
    line: int
    row_id: str
    cells: list  # [[column, text], …] in the file's order
    status: str = "imported"
    reason: str = ""
    keys: list = field(default_factory=list)  # the import keys of its entries
    names: list = field(default_factory=list)  # (giver, recipient) as each entry names them
    source_url: str = ""
    source_note: str = ""


@dataclass
class Result:
    format: str
    dry_run: bool
    skip_invalid: bool = False
    rows: int = 0
    record: int = 0  # the CSV record number of the row being read
    header: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    rejects: list = field(default_factory=list)  # (row dict, reason)
    skipped: Counter = field(default_factory=Counter)  # reason -> rows
    skipped_lines: list = field(default_factory=list)  # (line, reason)
    conflicts: list = field(default_factory=list)  # (line, gift, message)
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    row_outcomes: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)
    batch: ImportBatch | None = None
    written: bool = False

    @property
    def rejected_lines(self):
        return sorted({p.line for p in self.problems})
