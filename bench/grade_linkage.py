"""Grade the linking of the two US transcriptions against pairs read by hand.

    uv run python bench/grade_linkage.py

Parses both bundled registers (`us-federal-register`, `us-foreign-gifts`) as an import
does, proposes links (giftapp/importers/linkage.py), and compares them with the pairs in
tests/fixtures/linkage/us-gift-pairs.csv, each read against both source rows and marked
the same gift or not:
- "proposed": 180 of the proposals drawn at random;
- "block": pairs that share a day and a value but were not proposed together — the hard
  negatives (the same watch to fifty recipients, several objects of one value);
- "search": 100 gifts of the second transcription drawn at random, each beside the Federal
  Register record with the most alike words, whatever its day or value — the sample that
  measures recall without the rule's own blocking.

Precision is the share of linked labelled pairs that are the same gift; recall the share of
labelled same-gift pairs that are linked (over all, and over the "search" sample). Goals:
precision ≥ 99 %, recall ≥ 95 %.
"""

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.grade_registers import ROOT, parsed_entries, setup_django  # noqa: E402

PAIRS = ROOT / "tests" / "fixtures" / "linkage" / "us-gift-pairs.csv"
FILES = {
    "us-federal-register": "us-federal-register-gifts-1999-2018.csv.xz",
    "us-foreign-gifts": "us-foreign-gifts-1977-2022.csv.xz",
}


def records(fmt):
    from giftapp.importers.linkage import Record
    from giftapp.text import fold

    return [
        Record(
            key=key,
            date=entry.date if entry.date_precision == "day" else None,
            value=entry.value_usd,
            text=fold(f"{entry.item} {entry.description}"),
            recipient=fold(entry.recipient.title),
            country=entry.giver.country,
        )
        for key, entry, _row in parsed_entries(fmt, FILES[fmt])
    ]


def grade():
    """{measure: (hits, total)} and the proposals' counts by status."""
    from giftapp.importers.linkage import propose

    proposals = propose(records("us-federal-register"), records("us-foreign-gifts"))
    status = {(p.kept.key, p.duplicate.key): p.status for p in proposals}
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle))
    linked = [
        p
        for p in pairs
        if status.get((p["us_federal_register"], p["us_foreign_gifts"])) == "linked"
    ]
    same = [p for p in pairs if p["same"] == "yes"]
    same_searched = [p for p in same if p["set"] == "search"]

    def is_linked(pair):
        return status.get((pair["us_federal_register"], pair["us_foreign_gifts"])) == "linked"

    counts = {}
    for proposal in proposals:
        counts[proposal.status] = counts.get(proposal.status, 0) + 1
    return {
        "precision": (sum(p["same"] == "yes" for p in linked), len(linked)),
        "recall": (sum(map(is_linked, same)), len(same)),
        "recall, search sample": (sum(map(is_linked, same_searched)), len(same_searched)),
        "hard negatives kept apart": (
            sum(not is_linked(p) for p in pairs if p["same"] == "no"),
            sum(p["same"] == "no" for p in pairs),
        ),
    }, counts


def main():
    setup_django()
    measures, counts = grade()
    print(f"Labelled pairs: {PAIRS.relative_to(ROOT)}")
    print(f"Proposals over both registers: {counts}")
    print("| measure | hits | share | goal |")
    print("|---|---|---|---|")
    goals = {"precision": 0.99, "recall": 0.95, "recall, search sample": 0.95}
    for name, (hits, total) in measures.items():
        goal = goals.get(name)
        target = "—" if goal is None else f"≥ {goal:.0%}"
        if goal is not None:
            target += " (met)" if hits / total >= goal else " (**no**)"
        print(f"| {name} | {hits}/{total} | {hits / total:.1%} | {target} |")


if __name__ == "__main__":
    main()
