"""Grade leader resolution against name groups read by hand.

    uv run python bench/grade_leaders.py             # the figures
    uv run python bench/grade_leaders.py --propose   # candidate groups, for labelling

Parses the four bundled registers in the order `load_registers` imports them and resolves
every giver as an import into an empty registry does (the same LeaderBook, people.py), then
compares the leaders it gets with tests/fixtures/people/leader-groups.csv: one line per
spelling (the giver's name as the register's row gives it, or the register's whole words
where they name only an office), each with the person it names, read against the rows.

For each labelled person: how many leaders its gifts went to, and the share the largest of
them holds. The groups were read where spellings vary most; a second file,
tests/fixtures/people/leader-sample.csv, holds the people of 100 giver rows drawn at random,
for the duplicate rate of the registry as a whole. Figures: the 50 labelled people with
the most gifts, each one leader holding ≥ 95 % of their gifts; duplicate leaders (leaders
beyond the first for a person, over all the labelled people's leaders) ≤ 2 %; and wrong
merges (a leader holding two labelled people's gifts), which must be none.
"""

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.grade_registers import ROOT, parsed_entries, setup_django  # noqa: E402

GROUPS = ROOT / "tests" / "fixtures" / "people" / "leader-groups.csv"
# The people of 100 giver rows drawn at random (seed 2026), each with every spelling.
SAMPLE = ROOT / "tests" / "fixtures" / "people" / "leader-sample.csv"
TOP = 50
SHARE_GOAL = 0.95
DUPLICATE_GOAL = 0.02


def spelling_of(party):
    return party.name or party.as_reported


def resolved_givers():
    """[(country, spelling, handle)] for every entry's giver, resolved as an import into an
    empty registry resolves it (handle: an int naming the leader; None for no leader, or
    for a body); and the number of leaders made for people."""
    from giftapp.importers.formats import BUNDLED_REGISTERS
    from giftapp.importers.people import BODY, LeaderBook

    book = LeaderBook(resolve=True)
    people, bodies = [], set()  # the handles made, for people and for bodies

    def made(person):
        handle = len(people) + len(bodies) + 1
        if person.kind == BODY:
            bodies.add(handle)
        else:
            people.append(handle)
        return handle

    found = []
    for file_name, fmt in BUNDLED_REGISTERS.items():
        for _key, entry, _row in parsed_entries(fmt, file_name):
            party = entry.giver
            handle = book.leader(party, entry.date, made)
            found.append((party.country, spelling_of(party), None if handle in bodies else handle))
    return found, len(people)


def read_groups(path=GROUPS):
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["country"], row["spelling"]): row["person"] for row in csv.DictReader(handle)}


def grade(found, groups):
    """Per labelled person: Counter of leaders; and the leaders holding several people."""
    people = defaultdict(Counter)
    for country, spelling, handle in found:
        person = groups.get((country, spelling))
        if person is not None:
            people[person][handle] += 1
    holders = defaultdict(set)
    for person, handles in people.items():
        for handle in handles:
            if handle is not None:
                holders[handle].add(person)
    merged = {h: ps for h, ps in holders.items() if len(ps) > 1}
    return people, merged


def figures(people, merged):
    ranked = sorted(people.items(), key=lambda item: -sum(item[1].values()))
    top = ranked[:TOP]
    shares = {
        person: max(n for h, n in handles.items() if h is not None) / sum(handles.values())
        if any(h is not None for h in handles)
        else 0.0
        for person, handles in ranked
    }
    top_ok = sum(1 for person, _ in top if shares[person] >= SHARE_GOAL)
    leaders = sum(len([h for h in handles if h is not None]) for _, handles in ranked)
    extra = sum(max(0, len([h for h in handles if h is not None]) - 1) for _, handles in ranked)
    return {
        "people": len(ranked),
        "top": len(top),
        "top_ok": top_ok,
        "top_shares": [(person, shares[person], sum(h.values())) for person, h in top],
        "leaders": leaders,
        "duplicates": extra,
        "duplicate_rate": extra / leaders if leaders else 0.0,
        "wrong_merges": len(merged),
    }


def propose(found, limit):
    """Print loose groups of spellings within a country, largest first, to read and label."""
    from rapidfuzz import fuzz

    from giftapp.text import fold

    counts = Counter((c, s) for c, s, _h in found if c and s)
    by_country = defaultdict(list)
    for (country, spelling), n in counts.items():
        by_country[country].append((spelling, n))
    groups = []
    for country, spellings in by_country.items():
        parent = list(range(len(spellings)))

        def root(i, parent=parent):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        folded = [fold(s) for s, _n in spellings]
        for i in range(len(spellings)):
            for j in range(i + 1, len(spellings)):
                if fuzz.token_set_ratio(folded[i], folded[j]) >= 80:
                    parent[root(i)] = root(j)
        clusters = defaultdict(list)
        for i, item in enumerate(spellings):
            clusters[root(i)].append(item)
        groups += [(country, sorted(c, key=lambda x: -x[1])) for c in clusters.values()]
    groups.sort(key=lambda g: -sum(n for _s, n in g[1]))
    for country, members in groups[:limit]:
        print(f"## {country} {sum(n for _s, n in members)}")
        for spelling, n in members:
            print(f"   {n:4d}  {spelling}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--propose", type=int, nargs="?", const=150, metavar="GROUPS")
    args = parser.parse_args()
    setup_django()
    found, leaders = resolved_givers()
    if args.propose:
        propose(found, args.propose)
        return
    people, merged = grade(found, read_groups())
    result = figures(people, merged)
    print(f"Leaders made from the four registers' givers: {leaders:,}")
    print(f"Labelled people: {result['people']} ({result['leaders']} leaders hold their gifts)")
    print(
        f"The {result['top']} labelled people with the most gifts held ≥ {SHARE_GOAL:.0%} by "
        f"one leader: {result['top_ok']} of {result['top']}"
    )
    print(
        f"Duplicate leaders: {result['duplicates']} of {result['leaders']} "
        f"({result['duplicate_rate']:.1%}; goal ≤ {DUPLICATE_GOAL:.0%})"
    )
    print(f"Wrong merges (a leader holding two labelled people): {result['wrong_merges']}")
    sample = figures(*grade(found, read_groups(SAMPLE)))
    print(
        f"Random sample, the people of 100 giver rows: {sample['people']} people, "
        f"{sample['leaders']} leaders, {sample['duplicates']} duplicates "
        f"({sample['duplicate_rate']:.1%}); wrong merges: {sample['wrong_merges']}"
    )
    for person, share, n in result["top_shares"]:
        if share < SHARE_GOAL:
            print(f"  below the goal: {person} — {share:.0%} of {n} gifts")
    for handle, persons in merged.items():
        print(f"  merged: leader {handle} holds {', '.join(sorted(persons))}")


if __name__ == "__main__":
    main()
