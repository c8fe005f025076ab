"""The import report in words: the same lines for the command line and the admin."""

from .result import ENTITIES

OUTCOMES = ("created", "updated", "unchanged", "conflict")


def summary_lines(result, *, detail_limit=None):
    """The closing summary: what happened to every row, per entity, and every problem."""
    lines = []
    if result.written:
        lines.append(f"Imported as batch #{result.batch.pk}.")
    elif result.dry_run and not (result.problems and not _skipping(result)):
        lines.append("Dry run: this is what the import would do; nothing was written.")
    elif not result.problems or _skipping(result):
        lines.append("Nothing to change: the registry already holds every row as it stands.")
    elif result.problems:
        lines.append("Nothing was written: the file has invalid rows (listed below).")
    tally = result.row_outcomes
    lines.append(
        f"Rows: {result.rows} read — {tally['imported']} imported, {tally['skipped']} skipped, "
        f"{tally['rejected']} rejected, {tally['conflict']} in conflict."
    )
    if not result.problems or _skipping(result):
        lines.append(f"{'':10}" + "".join(f"{o:>11}" for o in OUTCOMES))
        for entity in ENTITIES:
            counts = result.counts.get(entity, {})
            lines.append(f"{entity:10}" + "".join(f"{counts.get(o, 0):>11}" for o in OUTCOMES))
    if result.skipped:
        lines.append("Skipped rows, by reason:")
        lines += [f"  {n:>6}  {reason}" for reason, n in result.skipped.most_common()]
    if result.problems:
        lines.append(f"Invalid rows ({len(result.rejects)}):")
        problems = result.problems if detail_limit is None else result.problems[:detail_limit]
        lines += [f"  {problem}" for problem in problems]
        if len(problems) < len(result.problems):
            lines.append(f"  … and {len(result.problems) - len(problems)} more problems.")
    if result.conflicts:
        lines.append(f"Conflicts for a reviewer ({len(result.conflicts)}):")
        lines += [f"  line {line}: {message}" for line, _gift, message in result.conflicts]
    lines += result.notes
    return lines


def _skipping(result):
    return result.skip_invalid
