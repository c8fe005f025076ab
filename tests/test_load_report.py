"""The load test's report (bench/load/report.py): its counts of failures, the requests'
latencies taken from wrk's corrected histogram, and its checks of those latencies against
wrk's own count."""

import importlib.util
import json
import random
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "bench" / "load" / "report.py"
_spec = importlib.util.spec_from_file_location("load_report", REPORT)
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)


def run(**changes):
    """A phase as bench/load/run records it: 50 connections, 500 requests a second."""
    return {
        "label": "registry zipf",
        "load": "1.00",
        "connections": 50,
        "requests": 30000,
        "seconds": 60.0,
        "requests_per_second": 500.0,
        "megabytes": 100.0,
        "wrk_latency_ms": {"mean": 90.0, "p50": 80.0, "p90": 180.0, "p99": 300.0, "max": 600.0},
        "errors": {"connect": 0, "read": 1, "write": 0, "timeout": 2, "status": 4},
        "statuses": {},
        "histogram_us": None,  # wrk's could not be read: its own figures stand
    } | changes


def test_without_statuses_the_failures_are_wrks_own_count_and_the_5xx_unknown():
    assert report.errors(run()) == (3, 4, None)


def test_with_statuses_the_failures_and_the_5xx_are_counted_from_them():
    counted = run(statuses={"200": 900, "304": 50, "404": 7, "503": 40})
    assert report.errors(counted) == (3, 47, 40)


def test_latencies_that_fit_the_count_pass():
    # 90 ms at 500 requests a second: 45 requests waiting at once, on 50 connections.
    assert report.impossible_latency(run(), run()["wrk_latency_ms"]) is None


def test_latencies_that_cannot_be_those_of_the_requests_counted_are_flagged():
    # 283 ms at 9,963 requests a second: 2,820 requests waiting at once, on 50 connections.
    flagged = run(
        requests_per_second=9963.0, wrk_latency_ms=run()["wrk_latency_ms"] | {"mean": 283.0}
    )
    note = report.impossible_latency(flagged, flagged["wrk_latency_ms"])
    assert "2,820 requests waiting at once, on 50 connections" in note


def test_the_table_marks_the_unknown_5xx_and_prints_the_warning(tmp_path, capsys):
    results = tmp_path / "results.jsonl"
    flagged = run(label="front cache zipf (nginx)", requests_per_second=9963.0)
    flagged["wrk_latency_ms"] = flagged["wrk_latency_ms"] | {"mean": 283.0}
    counted = run(label="outage zipf", statuses={"200": 10, "503": 5})
    results.write_text("\n".join(json.dumps(r) for r in (run(), flagged, counted)) + "\n")
    report.main(results)
    out = capsys.readouterr().out
    assert "| registry zipf | 500 | 80 ms | 180 ms | 300 ms | 600 ms | 3 | 4 | — | 1.00 |" in out
    assert "| outage zipf | 500 | 80 ms | 180 ms | 300 ms | 600 ms | 3 | 5 | 5 | 1.00 |" in out
    assert "front cache zipf (nginx): the latencies do not fit wrk's count" in out
    assert "registry zipf: the latencies" not in out
    assert 'outage zipf: statuses {"200": 10, "503": 5}' in out
    assert "registry zipf: no histogram from wrk: the latencies are its own" in out


def corrected(answers, duration_us, requests, connections):
    """What wrk 4 reports for these answers ({µs: count}): its histogram after its
    correction for coordinated omission, done as its stats.c does it (stats_correct),
    bucket by bucket."""
    data = dict(answers)
    per_connection = requests // connections
    if per_connection:
        expected = duration_us // per_connection
        for n in range(2 * expected, max(answers) + 1):
            count, m = answers.get(n, 0), n - expected
            while count and m > expected:
                data[m] = data.get(m, 0) + count
                m -= expected
    return sorted(data.items())


def test_the_correction_is_undone_exactly():
    generator = random.Random(18)
    for _ in range(200):
        connections = generator.choice([1, 3, 50])
        duration_us = generator.randrange(1_000, 3_000_000)
        answers = {}
        for _ in range(generator.randrange(1, 60)):
            # Mostly quick answers, some slow ones, a few at the edges of the correction.
            latency = generator.choice(
                [generator.randrange(1, 2_000), generator.randrange(1, 3_000_000)]
            )
            answers[latency] = answers.get(latency, 0) + generator.randrange(1, 5)
        requests = sum(answers.values())
        histogram = corrected(answers, duration_us, requests, connections)
        assert report.uncorrected(histogram, duration_us, requests, connections) == answers


def test_a_few_slow_answers_no_longer_fill_the_tail():
    # 50 connections, 60 s, 30,000 answers: wrk's interval is 100 ms. 29,700 answers took
    # 5 ms and 300 took 3 s; wrk adds 28 samples behind each slow one.
    answers = {5_000: 29_700, 3_000_000: 300}
    phase = run(
        requests=30_000,
        requests_per_second=500.0,
        duration_us=60_000_000,
        histogram_us=corrected(answers, 60_000_000, 30_000, 50),
        wrk_latency_ms={},
    )
    assert sum(count for _, count in phase["histogram_us"]) == 30_000 + 300 * 28
    latency = report.requests_latency(phase)
    assert latency == {
        "answers": 30_000, "mean": 34.95, "p50": 5.0, "p90": 5.0, "p99": 3000.0, "max": 3000.0,
    }  # fmt: skip
    assert report.impossible_latency(phase, latency) is None
    assert report.unaccounted(phase, latency) is None


def test_a_histogram_that_does_not_hold_the_requests_is_flagged():
    answers = {5_000: 29_700, 3_000_000: 300}
    # Reported as if the run had had 10 connections: undone with the wrong interval.
    phase = run(
        requests=30_000,
        duration_us=60_000_000,
        histogram_us=corrected(answers, 60_000_000, 30_000, 10),
        errors=run()["errors"] | {"timeout": 0},
    )
    note = report.unaccounted(phase, report.requests_latency(phase))
    assert "where it completed 30,000 requests" in note
