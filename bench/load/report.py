"""The load test's table: one row per phase of bench/load/run, from wrk's reports.

python bench/load/report.py results.jsonl
"""

import json
import sys
from pathlib import Path


def errors(run):
    """Socket errors, answers that are not a success (2xx) or a redirect (3xx), and answers
    5xx (None when the statuses were not counted: wrk's own count is of answers 400 and
    above, see bench/load/mixed.lua)."""
    sockets = sum(run["errors"][kind] for kind in ("connect", "read", "write", "timeout"))
    statuses = run["statuses"]
    if not statuses:
        return sockets, run["errors"]["status"], None
    failed = sum(n for status, n in statuses.items() if not status.startswith(("2", "3")))
    fives = sum(n for status, n in statuses.items() if status.startswith("5"))
    return sockets, failed, fives


def impossible_latency(run):
    """A warning when wrk's latencies cannot be those of the requests it counted: each
    connection waits on one request at a time, so the mean latency times the requests a
    second is at most the number of connections (Little's law). None when they agree."""
    mean, connections = run["latency_ms"].get("mean"), run.get("connections")
    if not (mean and connections):
        return None
    busy = mean / 1000 * run["requests_per_second"]
    if busy <= connections * 1.1:
        return None
    return (
        f"wrk's latencies do not fit its count: a mean of {mean:,.0f} ms at "
        f"{run['requests_per_second']:,.0f} requests a second would keep {busy:,.0f} "
        f"requests waiting at once, on {connections} connections"
    )


def main(path):
    runs = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    print(
        "| phase | requests/s | p50 | p90 | p99 | max | socket errors | non-2xx/3xx "
        "| 5xx | load before |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    by_label = {}
    for run in runs:
        by_label[run["label"]] = run
        sockets, failed, fives = errors(run)
        latency = run["latency_ms"]
        fives = "—" if fives is None else fives
        print(
            f"| {run['label']} | {run['requests_per_second']:,.0f} "
            f"| {latency['p50']:,.0f} ms | {latency['p90']:,.0f} ms | {latency['p99']:,.0f} ms "
            f"| {latency['max']:,.0f} ms | {sockets} | {failed} | {fives} | {run['load']} |"
        )
    for mix in ("uniform", "zipf"):
        ours, theirs = by_label.get(f"registry {mix}"), by_label.get(f"datasette {mix}")
        if ours and theirs:
            ratio = ours["requests_per_second"] / theirs["requests_per_second"]
            print(f"\n{mix}: the registry serves {ratio:.1f}x Datasette's requests a second")
    for run in runs:
        if (note := impossible_latency(run)) is not None:
            print(f"\n{run['label']}: {note}")
    for run in runs:
        if run["statuses"]:
            print(f"\n{run['label']}: statuses {json.dumps(run['statuses'], sort_keys=True)}")


if __name__ == "__main__":
    main(sys.argv[1])
