"""The load test's table: one row per phase of bench/load/run, from wrk's reports.

python bench/load/report.py results.jsonl

The latencies are the requests' own, taken from wrk's histogram with its correction for
coordinated omission undone (requests_latency).
"""

import json
import math
import sys
from collections import defaultdict
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


def uncorrected(histogram, duration_us, requests, connections):
    """{latency in µs: answers} as the requests took them, from wrk's histogram
    ([[µs, count], …]) of a run of duration_us that completed `requests` on `connections`.

    Before a script sees it, wrk 4 corrects its histogram for coordinated omission
    (stats_correct, in its stats.c): with e the run's time over the requests each
    connection made, every answer that took n ≥ 2e adds one sample at each of n − e,
    n − 2e, … while above e, the waits a client sending at a steady rate would have had
    behind it. Those samples are no request's: behind the front cache a few answers of
    seconds made wrk's p90 a second while nine answers in ten took milliseconds. The
    correction is arithmetic on the histogram, so it is undone exactly: from the longest
    latency down, each count less what the longer latencies of its class modulo e added.
    """
    counts = dict(map(tuple, histogram))
    per_connection = requests // connections
    if not per_connection:  # wrk corrects nothing then
        return counts
    e = duration_us // per_connection
    added = defaultdict(int)  # residue modulo e -> samples the longer latencies added
    answers = {}
    for latency in sorted(counts, reverse=True):
        n = counts[latency] - (added[latency % e] if latency > e else 0)
        if n:
            answers[latency] = n
        if latency >= 2 * e:
            added[latency % e] += n
    return answers


def percentiles(answers, fractions):
    """The latency at each fraction (below 1, in increasing order) of the answers
    ({latency: count}), ranked as wrk ranks them: one pass over the latencies in order."""
    count = sum(answers.values())
    ranks = [math.floor(fraction * count + 1) for fraction in fractions]
    found, total = [], 0
    for latency in sorted(answers):
        total += answers[latency]
        while len(found) < len(ranks) and total >= ranks[len(found)]:
            found.append(latency)
    return found  # a rank below 1 is at most the count: every fraction is found


def requests_latency(run):
    """The requests' latencies in ms ({answers, mean, p50, p90, p99, max}), from the
    histogram wrk reported (see uncorrected). Without one (wrk's could not be read, or the
    run predates it), wrk's own figures, which are corrected: see wrk_figures."""
    if run.get("histogram_us") is None:
        return run.get("latency_ms") or run["wrk_latency_ms"]
    answers = uncorrected(
        run["histogram_us"], run["duration_us"], run["requests"], run["connections"]
    )
    count = sum(answers.values())
    if not count:
        return {"answers": 0, "mean": 0, "p50": 0, "p90": 0, "p99": 0, "max": 0}
    p50, p90, p99 = (latency / 1000 for latency in percentiles(answers, (0.5, 0.9, 0.99)))
    mean = sum(latency * n for latency, n in answers.items()) / count / 1000
    return {
        "answers": count, "mean": mean, "p50": p50, "p90": p90, "p99": p99,
        "max": max(answers) / 1000,
    }  # fmt: skip


def wrk_figures(run):
    """A warning when the latencies shown are wrk's own (no histogram); None otherwise."""
    if run.get("histogram_us") is not None:
        return None
    return "no histogram from wrk: the latencies are its own, corrected for coordinated omission"


def unaccounted(run, latency):
    """A warning when the histogram, once uncorrected (latency: requests_latency), does
    not hold one answer for each request wrk completed within its timeout (as it must);
    None when it does."""
    if "answers" not in latency or run["errors"]["timeout"]:
        return None
    if latency["answers"] == run["requests"]:
        return None
    return (
        f"wrk's histogram holds {latency['answers']:,} answers once uncorrected, where it "
        f"completed {run['requests']:,} requests: its latencies are not the requests'"
    )


def impossible_latency(run, latency):
    """A warning when the latencies (requests_latency) cannot be those of the requests
    counted: each connection waits on one request at a time, so the mean latency times
    the requests a second is at most the number of connections (Little's law). None when
    they agree."""
    mean, connections = latency.get("mean"), run.get("connections")
    if not (mean and connections):
        return None
    busy = mean / 1000 * run["requests_per_second"]
    if busy <= connections * 1.1:
        return None
    return (
        f"the latencies do not fit wrk's count: a mean of {mean:,.0f} ms at "
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
    by_label, latencies = {}, {}
    for run in runs:
        by_label[run["label"]] = run
        sockets, failed, fives = errors(run)
        latency = latencies[run["label"]] = requests_latency(run)
        fives = "—" if fives is None else f"{fives:,}"
        print(
            f"| {run['label']} | {run['requests_per_second']:,.0f} "
            f"| {latency['p50']:,.0f} ms | {latency['p90']:,.0f} ms | {latency['p99']:,.0f} ms "
            f"| {latency['max']:,.0f} ms | {sockets:,} | {failed:,} | {fives} | {run['load']} |"
        )
    for mix in ("uniform", "zipf"):
        ours, theirs = by_label.get(f"registry {mix}"), by_label.get(f"datasette {mix}")
        if ours and theirs:
            ratio = ours["requests_per_second"] / theirs["requests_per_second"]
            print(f"\n{mix}: the registry serves {ratio:.1f}x Datasette's requests a second")
    for run in runs:
        latency = latencies[run["label"]]
        notes = (wrk_figures(run), unaccounted(run, latency), impossible_latency(run, latency))
        for note in notes:
            if note is not None:
                print(f"\n{run['label']}: {note}")
    for run in runs:
        if run["statuses"]:
            print(f"\n{run['label']}: statuses {json.dumps(run['statuses'], sort_keys=True)}")


if __name__ == "__main__":
    main(sys.argv[1])
