"""The load test's report (bench/load/report.py): its counts of failures and its check of
wrk's latencies against wrk's own count."""

import importlib.util
import json
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
        "latency_ms": {"mean": 90.0, "p50": 80.0, "p90": 180.0, "p99": 300.0, "max": 600.0},
        "errors": {"connect": 0, "read": 1, "write": 0, "timeout": 2, "status": 4},
        "statuses": {},
    } | changes


def test_without_statuses_the_failures_are_wrks_own_count_and_the_5xx_unknown():
    assert report.errors(run()) == (3, 4, None)


def test_with_statuses_the_failures_and_the_5xx_are_counted_from_them():
    counted = run(statuses={"200": 900, "304": 50, "404": 7, "503": 40})
    assert report.errors(counted) == (3, 47, 40)


def test_latencies_that_fit_the_count_pass():
    # 90 ms at 500 requests a second: 45 requests waiting at once, on 50 connections.
    assert report.impossible_latency(run()) is None


def test_latencies_that_cannot_be_those_of_the_requests_counted_are_flagged():
    # 283 ms at 9,963 requests a second: 2,820 requests waiting at once, on 50 connections.
    flagged = run(requests_per_second=9963.0, latency_ms=run()["latency_ms"] | {"mean": 283.0})
    assert "2,820 requests waiting at once, on 50 connections" in report.impossible_latency(flagged)


def test_the_table_marks_the_unknown_5xx_and_prints_the_warning(tmp_path, capsys):
    results = tmp_path / "results.jsonl"
    flagged = run(label="front cache zipf (nginx)", requests_per_second=9963.0)
    flagged["latency_ms"] = flagged["latency_ms"] | {"mean": 283.0}
    counted = run(label="outage zipf", statuses={"200": 10, "503": 5})
    results.write_text("\n".join(json.dumps(r) for r in (run(), flagged, counted)) + "\n")
    report.main(results)
    out = capsys.readouterr().out
    assert "| registry zipf | 500 | 80 ms | 180 ms | 300 ms | 600 ms | 3 | 4 | — | 1.00 |" in out
    assert "| outage zipf | 500 | 80 ms | 180 ms | 300 ms | 600 ms | 3 | 5 | 5 | 1.00 |" in out
    assert "front cache zipf (nginx): wrk's latencies do not fit its count" in out
    assert "registry zipf: wrk's latencies" not in out
    assert 'outage zipf: statuses {"200": 10, "503": 5}' in out
