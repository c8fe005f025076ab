"""The register entries as CSV: one line per entry, what became of every data row of
every imported register file (manage.py export_entries)."""

import csv
import io

from ..models import RegisterEntry

# giver and recipient are the leaders' slugs; the spellings are the row's own.
HEADER = (
    "register", "row", "entry", "gift", "giver", "giver_spelling", "recipient",
    "recipient_spelling", "status", "reason",
)  # fmt: skip


def entry_lines(entries=None):
    """Yield the CSV text of the header and then of each entry, a few hundred at a time."""
    entries = RegisterEntry.objects.all() if entries is None else entries
    rows = entries.order_by("register", "record", "entry", "pk").values_list(
        "register",
        "row",
        "entry",
        "gift_id",
        "gift__giver__slug",
        "giver_name",
        "gift__recipient__slug",
        "recipient_name",
        "status",
        "reason",
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        writer.writerow(["" if value is None else value for value in row])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
