"""The load test's table: one row per phase of bench/load/run, from wrk's reports.

python bench/load/report.py results.jsonl
"""

import json
import sys
from pathlib import Path


def errors(run):
    """Socket errors and answers that are not a success (2xx) or a redirect (3xx)."""
    sockets = sum(run["errors"][kind] for kind in ("connect", "read", "write", "timeout"))
    failed = sum(n for status, n in run["statuses"].items() if not status.startswith(("2", "3")))
    return sockets, failed


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
        sockets, failed = errors(run)
        fives = sum(n for status, n in run["statuses"].items() if status.startswith("5"))
        latency = run["latency_ms"]
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
        print(f"\n{run['label']}: statuses {json.dumps(run['statuses'], sort_keys=True)}")


if __name__ == "__main__":
    main(sys.argv[1])
