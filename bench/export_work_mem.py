"""Rows per second of the CSV export under several `work_mem` settings, on a bench database.

    DATABASE_URL=postgres://… uv run python bench/export_work_mem.py \
        [--work-mem 4MB 12MB 24MB] [--workers 0 2] [--repeat 3] \
        [--query 'recipient_country=US' …]

For each query of the gift list (the commonest recipient country, category and giver
country of the public gifts, a five-year span and the whole registry by default) and each
setting, the export's own code (`csv_stream.csv_chunks`, as `/gifts/?format=csv` runs it,
without HTTP) reads every row, with `csv_stream.WORK_MEM` set to the setting and, with
`--workers`, each number of parallel workers (`max_parallel_workers_per_gather`, the
server's own otherwise); the runs alternate between the settings. Each cell gives the
slowest and the fastest of the runs.
The machine is shared: the load average before the runs is printed with the table.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_queries():
    from django.db.models import Count

    from giftapp.models import Gift

    public = Gift.objects.public()

    def commonest(field):
        return public.values_list(field).annotate(n=Count("pk")).order_by("-n")[0][0]

    return [
        f"recipient_country={commonest('recipient_country')}",
        f"giver_country={commonest('giver_country')}",
        f"category={commonest('category')}",
        "date_from=2010-01-01&date_to=2014-12-31",
        "",
    ]


def export_rate(query):
    """(rows, rows per second) of one export of the gift list under this query."""
    from django.http import QueryDict

    from giftapp.exports.csv_stream import csv_chunks
    from giftapp.filters import GiftFilter
    from giftapp.models import Gift

    started = time.perf_counter()
    filterset = GiftFilter(QueryDict(query), queryset=Gift.objects.public())
    rows = sum(n for n, _chunk in csv_chunks(filterset.qs))
    return rows, rows / (time.perf_counter() - started)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--work-mem", nargs="+", default=["4MB", "12MB", "24MB"])
    parser.add_argument("--workers", nargs="+", type=int, default=[None])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--query", action="append", help="A gift list query (repeatable).")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to the PostgreSQL bench database.")
    sys.path.insert(0, str(ROOT))
    from bench.run import configure_environment

    configure_environment()
    import django

    django.setup()
    from django.db import connection

    from giftapp.exports import csv_stream

    queries = args.query or default_queries()
    settings = [(memory, workers) for memory in args.work_mem for workers in args.workers]
    load = os.getloadavg()[0]
    rates = {(q, s): [] for q in queries for s in settings}
    counts = {}
    for _ in range(args.repeat):
        for query in queries:
            for setting in settings:
                csv_stream.WORK_MEM, workers = setting
                with connection.cursor() as cursor:
                    if workers is None:
                        cursor.execute("RESET max_parallel_workers_per_gather")
                    else:
                        cursor.execute(
                            "SELECT set_config('max_parallel_workers_per_gather', %s, false)",
                            [str(workers)],
                        )
                counts[query], rate = export_rate(query)
                rates[query, setting].append(rate)

    names = [m if w is None else f"{m}, {w} workers" for m, w in settings]
    print(f"Load average {load:.1f} before; rows/s, slowest to fastest of {args.repeat} runs.\n")
    print("| query | rows | " + " | ".join(names) + " |")
    print("| --- | ---: |" + " ---: |" * len(settings))
    for query in queries:
        cells = [f"{min(rates[query, s]):,.0f}–{max(rates[query, s]):,.0f}" for s in settings]
        print(f"| `{query or '(all)'}` | {counts[query]:,} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
