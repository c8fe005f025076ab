"""How long the four bundled registers take to import, on SQLite and on PostgreSQL.

    uv run python bench/import_registers.py [--repeat 3] [--only sqlite|postgresql]

Each run imports `manage.py load_registers --no-link` (all four registers, every row,
published), then links the two US transcriptions (`manage.py link_gifts`), into a fresh
database — a temporary SQLite file, and the PostgreSQL database
`registry_bench_registers` on 127.0.0.1 (created and dropped) — migrated beforehand and
not timed. The times are taken inside the importing process, without its start-up. Goals:
the import ≤ 30 s on SQLite and ≤ 10 s on PostgreSQL; import and linking together ≤ 60 s;
on the 2-core machine. The machine is shared:
the table gives the median of the runs and the load average before them.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"sqlite": 30.0, "postgresql": 10.0}
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/registry_bench_registers"
ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "localhost",
    "SECURE_SSL_REDIRECT": "false",
}


def child():
    """Migrate (untimed), then time load_registers; print the seconds and counts as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    import io

    from django.core.management import call_command

    from giftapp.models import Gift, GiftLink, RegisterEntry

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_registers", "--no-link", stdout=io.StringIO())
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    call_command("link_gifts", stdout=io.StringIO())
    linking = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "linking": linking,
                "gifts": Gift.objects.count(),
                "entries": RegisterEntry.objects.count(),
                "links": GiftLink.objects.count(),
            }
        )
    )


def run_once(database_url):
    env = os.environ | ENV | {"DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres(statement):
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(statement)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=sorted(GOALS))
    options = parser.parse_args()
    if options.child:
        return child()
    load = os.getloadavg()
    rows = []
    for vendor in sorted(GOALS, reverse=True):
        if options.only and vendor != options.only:
            continue
        times, linking, last = [], [], None
        for _ in range(options.repeat):
            if vendor == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    last = run_once(f"sqlite:///{tmp}/bench.sqlite3")
            else:
                postgres("DROP DATABASE IF EXISTS registry_bench_registers")
                postgres("CREATE DATABASE registry_bench_registers")
                try:
                    last = run_once(PG_BENCH)
                finally:
                    postgres("DROP DATABASE IF EXISTS registry_bench_registers")
            times.append(last["seconds"])
            linking.append(last["linking"])
        median = statistics.median(times)
        met = "met" if median <= GOALS[vendor] else "**no**"
        link_median = statistics.median(linking)
        rows.append(
            f"| {vendor} | {len(times)} | {median:.1f} s ({', '.join(f'{t:.1f}' for t in times)})"
            f" | {link_median:.1f} s | {last['gifts']:,} gifts, {last['entries']:,} entries, "
            f"{last['links']:,} links | ≤ {GOALS[vendor]:.0f} s; ≤ 60 s with linking"
            f" | {met}; {'met' if median + link_median <= 60 else '**no**'} |"
        )
    print(f"Load average before the runs: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        "| database | runs | import of the four registers (median; each run) | linking "
        "(median) | written | goal | met |"
    )
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
