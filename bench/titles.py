"""How the gift titles read over the whole of every bundled register.

    uv run python bench/titles.py

Each register is parsed as an import parses it (bench/grade_registers.py), and every
entry's title is checked for what a title must never be: cut off ("…"), a value ("$450",
"(Rs. 5,000)"), a register's code (a barcode, a catalogue tag), a measurement ("76″ x 49″"),
longer than the limit, or empty. It prints one row per register with the count of each,
the share of entries whose title lists several objects, and the median and longest title;
then the titles of the hand-graded golden entries (tests/fixtures/golden/) that read
otherwise than the graders wrote them.
"""

import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.grade_registers import grade, parsed_entries, setup_django  # noqa: E402

CHECKS = {
    "cut off": re.compile(r"…|\.\.\.$"),
    "a value": re.compile(r"[$£€]\s*\d|\b(?:Rs|PKR|USD)\.?\s*\d"),
    "a code": re.compile(r"(?i)\bbar\s?code\b|<[a-z-]+>|\bDB\s*#|\bserial\s*#"),
    "a measurement": re.compile(r"\d(?:″|′|''|\")|\d\s?(?:cm|mm|in\.)(?!\w)|\d\s*[x×]\s*\d"),
}


def main():
    setup_django()
    from giftapp.importers.formats import BUNDLED_REGISTERS
    from giftapp.importers.titles import TITLE_LENGTH

    header = ["register", "entries", *CHECKS, f"over {TITLE_LENGTH}", "empty", "lists"]
    print(f"| {' | '.join(header)} | median length | longest |")
    print("|" + "---|" * (len(header) + 2))
    totals = dict.fromkeys(header[1:], 0)
    examples = []
    for file_name, fmt in BUNDLED_REGISTERS.items():
        titles = [entry.item for _key, entry, _row in parsed_entries(fmt, file_name)]
        counts = {"entries": len(titles)}
        for name, pattern in CHECKS.items():
            found = [title for title in titles if pattern.search(title)]
            counts[name] = len(found)
            examples += [(fmt, name, title) for title in found[:3]]
        counts[f"over {TITLE_LENGTH}"] = sum(len(title) > TITLE_LENGTH for title in titles)
        counts["empty"] = sum(title == "Gift (not described)" for title in titles)
        counts["lists"] = sum(" and " in title or ", " in title for title in titles)
        for name, count in counts.items():
            totals[name] += count
        lengths = [len(title) for title in titles]
        cells = [f"{counts[name]:,}" for name in header[1:]]
        print(
            f"| {fmt} | {' | '.join(cells)} | {statistics.median(lengths):.0f} | {max(lengths)} |"
        )
    print(f"| all | {' | '.join(f'{totals[name]:,}' for name in header[1:])} | | |")
    print()
    print(
        '`empty`: entries whose description names nothing ("Gift (not described)"); '
        '`lists`: titles naming several objects ("A, B and 3 other items").'
    )
    for fmt, name, title in examples:
        print(f"- {fmt}, {name}: {title!r}")

    print()
    right = graded = 0
    for file_name, fmt in BUNDLED_REGISTERS.items():
        _right, _graded, wrong = grade(fmt, file_name)
        graded += 50
        wrong_items = [w for w in wrong if w[1] == "item"]
        right += 50 - len(wrong_items)
        for key, _field, golden, read in wrong_items:
            print(f"- golden {key}: {golden!r}, read {read!r}")
    print(
        f"Golden titles read as the graders wrote them: {right} of {graded} ({right / graded:.1%})"
    )


if __name__ == "__main__":
    main()
