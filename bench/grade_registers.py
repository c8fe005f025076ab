"""Grade the register importers against the golden files: 50 entries of each register,
drawn at random and read against their source rows by hand (tests/fixtures/golden/).

    uv run python bench/grade_registers.py

For each register it parses the whole bundled file with the format's adapter, exactly as
an import does, finds the graded entries by their import key, and compares seven fields:
giver, giver's country, recipient, item, value with its currency, date with its
precision, and disposition. It prints the share of fields right per register and overall,
and each field that differs from the golden reading. The golden files say how each field is
written (see GOLDEN_README below); tests/test_golden_registers.py holds the same figures to
at least 98 %.
"""

import csv
import io
import lzma
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
FIELDS = ("giver", "giver_country", "recipient", "item", "value", "date", "disposition")
TARGET = 0.98
GOLDEN_README = """
giver: the leader's name the importer should record; "(as reported)" when the register names
  no person (an office, a body), so the page shows the register's words; "(not stated)" when
  the register does not state the giver.
giver_country: the ISO code, or blank when the register does not state it.
recipient: the recipient's name when the importer names recipients as leaders (UK, Pakistan),
  else the office as the register gives it.
item: the short name; value: "amount CUR" or blank; date: "YYYY-MM-DD precision" or
  "unknown"; disposition: the registry's code.
"""


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def parsed_entries(fmt, file_name):
    """(import key, entry, source row) for each entry of a whole bundled register, parsed
    by the format's adapter as an import parses it (rows skipped or rejected left out)."""
    from giftapp.importers.base import RowError, RowErrors, Skip
    from giftapp.importers.formats import get_adapter

    adapter = get_adapter(fmt)
    text = lzma.decompress((ROOT / "data" / "registers" / file_name).read_bytes()).decode()
    seen = set()
    for record, row in enumerate(csv.DictReader(io.StringIO(text)), start=1):
        adapter.record = record
        try:
            entries = adapter.entries(row, record)
        except (RowError, RowErrors, Skip):
            continue
        for entry in entries:
            key = entry.import_key
            # A register that reuses a row id: the importer keys the later row "id.2".
            if key in seen:
                register, row_id, number = key.rsplit(":", 2)
                key = f"{register}:{row_id}.2:{number}"
            seen.add(key)
            yield key, entry, row


def readings(fmt, file_name, rows=None):
    """{import key: the seven fields as the importer reads them} for a whole register;
    `rows`, a dict, is filled with {import key: the source row}."""
    found = {}
    for key, entry, row in parsed_entries(fmt, file_name):
        found.setdefault(key, fields_of(entry))
        if rows is not None:
            rows.setdefault(key, row)
    return found


def fields_of(entry):
    if entry.giver.name and entry.giver.country:
        giver = entry.giver.name
    elif entry.giver_not_stated and not entry.giver.as_reported:
        giver = "(not stated)"
    else:
        giver = "(as reported)"
    recipient = entry.recipient.name or entry.recipient.title
    value = f"{entry.value} {entry.currency}" if entry.value is not None else ""
    date = f"{entry.date} {entry.date_precision}" if entry.date else "unknown"
    return {
        "giver": giver,
        "giver_country": entry.giver.country,
        "recipient": recipient,
        "item": entry.item,
        "value": value,
        "date": date,
        "disposition": entry.disposition,
    }


def grade(fmt, file_name):
    """(fields right, fields graded, [(key, field, golden, read)])."""
    with (GOLDEN / f"{fmt}.csv").open(encoding="utf-8", newline="") as handle:
        golden = list(csv.DictReader(handle))
    read = readings(fmt, file_name)
    right, wrong = 0, []
    for row in golden:
        got = read.get(row["key"])
        for field in FIELDS:
            value = got[field] if got else "(not imported)"
            if value == row[field]:
                right += 1
            else:
                wrong.append((row["key"], field, row[field], value))
    return right, len(golden) * len(FIELDS), wrong


def main():
    setup_django()
    from giftapp.importers.formats import BUNDLED_REGISTERS

    total_right = total = 0
    print(f"| register | entries | fields right | share | goal ≥ {TARGET:.0%} |")
    print("|---|---|---|---|---|")
    failures = []
    for file_name, fmt in BUNDLED_REGISTERS.items():
        right, graded, wrong = grade(fmt, file_name)
        total_right, total = total_right + right, total + graded
        share = right / graded
        met = "met" if share >= TARGET else "**no**"
        print(f"| {fmt} | {graded // len(FIELDS)} | {right}/{graded} | {share:.1%} | {met} |")
        failures += [(fmt, *w) for w in wrong]
    print(
        f"| all | {total // len(FIELDS)} | {total_right}/{total} | {total_right / total:.1%} | "
        f"{'met' if total_right / total >= TARGET else '**no**'} |"
    )
    if failures:
        print("\nFields read otherwise than the golden files:")
        for _fmt, key, field, golden, read in failures:
            print(f"- {key} {field}: golden {golden!r}, read {read!r}")


if __name__ == "__main__":
    main()
