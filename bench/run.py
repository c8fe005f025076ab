"""Benchmark the registry on PostgreSQL and print one table of results against the targets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench \\
        uv run python bench/run.py --generate --gifts 100000

What it measures, in this process (django.test.Client, DEBUG off), for each case:
- the server time of R requests (default 20): p50 and p95 in milliseconds, the number of
  SQL queries per request, and the median time those queries took together ("SQL p50"):
  the rest is Python (views, templates);
- WARM: the cache kept (one untimed request first); COLD: the cache cleared before every
  request. PostgreSQL's own buffers stay warm in both: "cold" is the application's cache;
- the gift list (with its facets, which the page always shows) unfiltered and under each
  kind of filter, a deep page, the gift, visit, leader and country pages and the timeline of
  one country; the query parameters are chosen from the data (the commonest recipient
  country and country pair, the most prolific leader and one of their aliases in another
  script, a common word…) so that they hit real rows;
- the CSV export: rows per second over the first --export-rows rows (default 100,000) of
  /gifts/?format=csv (the median of --export-repeat runs, default 3; then the same for the
  export filtered to the commonest recipient country), and the peak memory it took: the
  growth of this process's peak resident set (Linux VmHWM, reset just before), which
  counts everything the worker holds (Python objects, psycopg's buffers, the database
  cursor's rows), not only what tracemalloc sees;
- the import rate: `export_gifts --all` writes the first --import-rows rows (default
  100,000) of this database to an interchange CSV, which `import_gifts --format registry
  --offline` loads into a fresh database created for it (this one's name + "_import", with
  the same sanctions regimes) and dropped afterwards: straight into the empty gift table
  (giftapp/importers/registry_load.py), or with --import-staged through the staging table,
  as into a registry that holds gifts. Timed inside the importing process, without its
  start-up; with --import-repeat N (default 1), the median of N runs, each into a fresh
  database.

--generate creates the database if needed, migrates it, and fills it with
`bench/generate.py --gifts N --shape S` when it holds no gift. Without it the database must already
hold a registry. The exit status is 0 unless the benchmark itself failed: the table says
which targets are met.
"""

import argparse
import contextlib
import csv
import io
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PLAIN_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Targets (issue 6), in milliseconds for pages.
LIST_MS = 150
SLOW_FILTER_MS = 600  # leader filters and other sorts, cold
SEARCH_MS = 100  # text search and value ranges, cold (issue 18)
DETAIL_MS = 30
EXPORT_ROWS_PER_S = 100_000
EXPORT_PEAK_MB = 200
IMPORT_ROWS_PER_S = 20_000
GENERATE_S_PER_MILLION = 120


# Output -----------------------------------------------------------------------------------


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with `fraction` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def format_ms(value):
    return "—" if value is None else f"{value:,.1f}"


def format_queries(counts):
    if not counts:
        return "—"
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high}"


def format_table(rows):
    """The results as one markdown table. Each row: case, p50, p95 (ms or None), queries
    (list of counts), measured (text), target (text), met (True, False or None)."""
    header = ["case", "p50 ms", "p95 ms", "queries", "measured", "target", "met"]
    lines = [header, ["---", "---:", "---:", "---:", "---", "---", "---"]]
    for row in rows:
        met = {True: "yes", False: "**no**", None: "—"}[row["met"]]
        lines.append(
            [
                row["case"].replace("|", "\\|"),
                format_ms(row.get("p50")),
                format_ms(row.get("p95")),
                format_queries(row.get("queries")),
                row.get("measured", ""),
                row.get("target", ""),
                met,
            ]
        )
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines) + "\n"


def say(*parts):
    print(*parts, file=sys.stderr, flush=True)


# Environment and databases ----------------------------------------------------------------


def configure_environment():
    """Production-like settings for an in-process client: DEBUG off, the test host allowed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ["DEBUG"] = "false"
    # One client asks for every page here: the per-address limits would answer it 429.
    os.environ.setdefault("REGISTRY_SEARCH_RATE", "off")
    os.environ.setdefault("REGISTRY_EXPORT_RATE", "off")
    if len(os.environ.get("SECRET_KEY", "")) < 32:
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    os.environ["ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/run.py measures PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME "
            "(e.g. postgres://postgres@127.0.0.1:5432/registry_bench)."
        )
    return url


def with_database_name(url, name):
    parts = urlsplit(url)
    return parts._replace(path="/" + name).geturl()


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def admin_connection(url):
    """An autocommit connection to the server's maintenance database, for CREATE/DROP."""
    import psycopg

    return psycopg.connect(
        with_database_name(url, "postgres").replace("postgresql://", "postgres://", 1),
        autocommit=True,
    )


def create_database(url, *, replace=False):
    from psycopg import sql

    name = database_name(url)
    with admin_connection(url) as conn:
        if replace:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    return False


def drop_database(url):
    from psycopg import sql

    with admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


# Memory -----------------------------------------------------------------------------------


def _status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


@contextlib.contextmanager
def peak_rss_growth():
    """Yields a dict whose "mb" is set, on exit, to how far this process's resident set
    grew at its peak inside the block (Linux: VmHWM reset through /proc/self/clear_refs)."""
    result = {"mb": None, "how": "peak RSS growth"}
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        before = _status_kb("VmRSS")
    except OSError:
        before = None
    yield result
    if before is not None:
        result["mb"] = max(0, _status_kb("VmHWM") - before) / 1024


# Cases ------------------------------------------------------------------------------------


def choose_parameters():
    """Query parameters that hit real rows: the commonest of each kind among public gifts."""
    from django.db.models import Count, F, Q

    from giftapp.models import Gift, Leader, SanctionsFlag, Visit

    public = Gift.objects.public()
    top = commonest_recipient_country()
    if top is None:
        sys.exit("The database holds no public gift: run with --generate (see --help).")
    country, country_count = top
    giver, recipient = (
        public.values_list("giver_country", "recipient_country")
        .annotate(n=Count("pk"))
        .order_by("-n")[:1][0][:2]
    )
    category = public.values_list("category").annotate(n=Count("pk")).order_by("-n")[0][0]
    years = sorted(
        public.exclude(date=None).order_by("pk").values_list("date__year", flat=True)[:5000]
    )
    middle = years[len(years) // 2] if years else 2010
    leader_id = (
        public.exclude(giver=None).values_list("giver").annotate(n=Count("pk")).order_by("-n")[0][0]
    )
    leader = Leader.objects.get(pk=leader_id)
    alias = next(
        (a for a in leader.aliases if any(ord(ch) >= 0x400 for ch in a)),
        (leader.aliases or [leader.name])[0],
    )
    words = {}
    for item in public.order_by("pk").values_list("item", flat=True)[:5000]:
        for word in item.lower().split():
            if len(word) >= 5:
                words[word] = words.get(word, 0) + 1
    word = max(words, key=words.get) if words else "gift"
    flagged_gift = (
        public.filter(pk__in=SanctionsFlag.objects.public().values("gift"))
        .filter(visit__publication_status="published")
        .order_by("pk")
        .first()
    )
    gift = flagged_gift or public.order_by("pk").first()
    visit = (
        Visit.objects.published()
        .annotate(n=Count("gifts", filter=Q(gifts__publication_status="published")))
        .filter(n__gt=0)
        .order_by(F("n").desc(), "pk")
        .first()
        if gift.visit is None or not gift.visit.is_public
        else gift.visit
    )
    return {
        "country": country,
        "country_count": country_count,
        "giver": giver,
        "recipient": recipient,
        "category": category,
        "year_from": middle - 2,
        "year_to": middle + 2,
        "word": word,
        "alias": alias,
        "leader": leader,
        "gift": gift,
        "visit": visit,
    }


def url(path, **params):
    return f"{path}?{urlencode(params)}" if params else path


def page_cases(p):
    """(case name, URL, target kind) for every page measured."""
    country = p["country"]
    deep_filter = (
        {"recipient_country": country} if p["country_count"] >= 200 * 50 else {}
    )  # page 200 exists only with 10,000 rows or more
    return [
        ("gifts unfiltered", url("/gifts/"), "list"),
        ("gifts by recipient country", url("/gifts/", recipient_country=country), "list"),
        (
            "gifts by country pair",
            url("/gifts/", giver_country=p["giver"], recipient_country=p["recipient"]),
            "list",
        ),
        (
            "gifts by category and years",
            url(
                "/gifts/",
                category=p["category"],
                date_from=f"{p['year_from']}-01-01",
                date_to=f"{p['year_to']}-12-31",
            ),
            "list",
        ),
        ("gifts flagged", url("/gifts/", flagged="yes"), "list"),
        ("gifts by q, a common word", url("/gifts/", q=p["word"]), "search"),
        ("gifts by q, a leader's alias", url("/gifts/", q=p["alias"]), "search"),
        ("gifts by leader", url("/gifts/", leader=p["leader"].slug), "slow"),
        ("gifts by value range", url("/gifts/", value_min=1000, value_max=10000), "search"),
        ("gifts, page 200 of a filter", url("/gifts/", **deep_filter, page=200), "list"),
        ("gifts sorted by giver", url("/gifts/", sort="giver"), "slow"),
        (
            "gifts by recipient country, 200 a page",
            url("/gifts/", recipient_country=country, per_page=200),
            "list",
        ),
        ("timeline of one country", url("/timeline/", country=country), "list"),
        ("gift page", p["gift"].get_absolute_url(), "detail"),
        ("visit page", p["visit"].get_absolute_url(), "detail"),
        ("leader page", p["leader"].get_absolute_url(), "detail"),
        ("country page", f"/countries/{country}/", "detail"),
        ("home (extra)", "/", "extra"),
        ("leader index (extra)", "/leaders/", "extra"),
        ("leader index by latest gift (extra)", url("/leaders/", sort="-latest"), "extra"),
        ("country index (extra)", "/countries/", "extra"),
    ]


def target_for(kind, mode):
    """(target text, limit in ms or None)."""
    if kind == "detail":
        return f"p95 ≤ {DETAIL_MS} ms", DETAIL_MS
    if mode == "warm" or kind == "list":
        return f"p95 ≤ {LIST_MS} ms", LIST_MS
    if kind == "slow":
        return f"p95 ≤ {SLOW_FILTER_MS} ms", SLOW_FILTER_MS
    if kind == "search":
        return f"p95 ≤ {SEARCH_MS} ms", SEARCH_MS
    return "none set", None


def measure_page(client, path, mode, requests, explain=None):
    """Server time (ms) and query counts of `requests` GETs of path."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, sql_times, statuses = [], [], [], set()
    if mode == "warm":
        cache.clear()
        client.get(path, secure=True)
    slowest = None
    for _ in range(requests):
        if mode == "cold":
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
        statuses.add(response.status_code)
        times.append(elapsed)
        queries.append(len(captured))
        sql_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        if explain is not None and captured.captured_queries:
            worst = max(captured.captured_queries, key=lambda q: float(q["time"]))
            if slowest is None or float(worst["time"]) > float(slowest["time"]):
                slowest = worst
    if explain is not None and slowest is not None:
        explain.append((path, mode, slowest))
    return times, queries, sql_times, statuses


def page_rows(cases, requests, explain):
    from django.test import Client

    client = Client()
    rows = []
    for name, path, kind in cases:
        for mode in ("warm", "cold"):
            say(f"  {mode:4} {unquote(path)}")
            times, queries, sql_times, statuses = measure_page(
                client, path, mode, requests, explain
            )
            target, limit = target_for(kind, mode)
            p95 = percentile(times, 0.95)
            bad_status = statuses - {200}
            rows.append(
                {
                    "case": f"{name}: `{unquote(path)}`, {mode}",
                    "p50": statistics.median(times),
                    "p95": p95,
                    "queries": queries,
                    "measured": (
                        f"HTTP {', '.join(map(str, sorted(statuses)))}; " if bad_status else ""
                    )
                    + f"SQL p50 {statistics.median(sql_times):,.1f} ms",
                    "target": target,
                    "met": None if limit is None else (p95 <= limit and not bad_status),
                }
            )
    return rows


def generate_row(gifts, seconds):
    """generate_registry's time, against 2 minutes per million gifts."""
    target = GENERATE_S_PER_MILLION * gifts / 1_000_000
    return {
        "case": f"generate_registry --gifts {gifts:,}",
        "measured": f"{seconds:,.1f} s; {gifts / seconds:,.0f} gifts/s",
        "target": f"≤ {target:,.0f} s (2 minutes per million)",
        "met": seconds <= target,
    }


def stream_csv(path, limit=0):
    """Request a CSV export and read it: (rows, seconds, queries), over its first `limit`
    rows (0 for all)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = -1  # the header
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = Client().get(path, secure=True)
        for chunk in response.streaming_content:
            rows += chunk.count(b"\r\n")
            if limit and rows >= limit:
                break
        elapsed = time.perf_counter() - started
        response.close()
    return rows, elapsed, len(captured)


def export_row(limit, path="/gifts/?format=csv", what="CSV export", repeat=3):
    """Rows per second and peak memory of a CSV export, over its first `limit` rows: the
    median of `repeat` runs (the machine is noisy), with the slowest and fastest."""
    say(f"  {what}: the first {limit:,} rows of {path}" if limit else f"  {what}: {path}")
    runs = []
    with peak_rss_growth() as memory:
        for _ in range(repeat):
            runs.append(stream_csv(path, limit))
    rows, elapsed, queries = sorted(runs, key=lambda run: run[1])[len(runs) // 2]
    rate = rows / elapsed if elapsed else 0
    peak = memory["mb"]
    met = rate >= EXPORT_ROWS_PER_S and (peak is not None and peak <= EXPORT_PEAK_MB)
    spread = ""
    if repeat > 1:
        rates = sorted(r / e for r, e, _q in runs if e)
        spread = f" (median of {repeat}: {rates[0]:,.0f} to {rates[-1]:,.0f})"
    return {
        "case": f"{what}, {rows:,} rows" + ("" if path == "/gifts/?format=csv" else f": `{path}`"),
        "queries": [queries],
        "measured": f"{rate:,.0f} rows/s{spread}; {'?' if peak is None else f'{peak:,.0f}'} MB "
        f"{memory['how']}; {elapsed:.1f} s",
        "target": f"≥ {EXPORT_ROWS_PER_S:,} rows/s, ≤ {EXPORT_PEAK_MB} MB",
        "met": met,
    }


def commonest_recipient_country():
    """(country, public gifts to it) for the country receiving most public gifts, or
    None when there is no public gift."""
    from django.db.models import Count

    from giftapp.models import Gift

    top = (
        Gift.objects.public()
        .exclude(recipient_country="")
        .values_list("recipient_country")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return tuple(top) if top else None


def filtered_export_path():
    """The CSV export of the gifts to the commonest recipient country."""
    return f"/gifts/?format=csv&recipient_country={commonest_recipient_country()[0]}"


def make_statistics_stale():
    """Forget the planner's statistics on the tables an import writes, as if none had been
    gathered since they were empty: what a registry looks like when a bulk load's
    ANALYZE has not run (and autovacuum has not caught up)."""
    from django.db import connection

    from giftapp.backends import tables_of
    from giftapp.importers.pipeline import IMPORTED_MODELS

    tables = tables_of(IMPORTED_MODELS.values())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pg_statistic WHERE starelid = ANY(%s::regclass[])", [tables])
        cursor.execute(
            "UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid = ANY(%s::regclass[])",
            [tables],
        )


def write_import_file(path, limit):
    """The first `limit` rows of `export_gifts --all` of the bench database, into path."""
    command = [sys.executable, str(ROOT / "manage.py"), "export_gifts", "-", "--all"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    written = 0
    try:
        text = io.TextIOWrapper(process.stdout, encoding="utf-8", newline="")
        reader = csv.reader(text)
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(next(reader))
            for row in reader:
                writer.writerow(row)
                written += 1
                if written >= limit:
                    break
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.terminate()
        process.wait()
    return written


def import_row(bench_url, limit, timeout, repeat=1, staged=False):
    """Rows per second of import_gifts --format registry into a fresh database: the median
    of `repeat` runs (the machine is noisy), each into a database created for it, with the
    slowest and fastest."""
    from giftapp.models import SanctionsRegime

    import_url = with_database_name(bench_url, database_name(bench_url) + "_import")
    regimes = [
        {k: (str(v) if v is not None else None) for k, v in regime.items()}
        for regime in SanctionsRegime.objects.values(
            "code",
            "name",
            "short_name",
            "authority",
            "target_country",
            "legal_basis",
            "in_force_from",
            "in_force_to",
        )
    ]
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        say(f"  import: export_gifts --all, first {limit:,} rows")
        rows = write_import_file(path, limit)
        case = f"import_gifts --format registry, {rows:,} rows" + (
            ", through the staging table" if staged else ""
        )
        for run in range(1, repeat + 1):
            which = f" (run {run} of {repeat})" if repeat > 1 else ""
            say(f"  import: {rows:,} rows into {database_name(import_url)}{which}")
            result = import_once(import_url, path, regimes, rows, timeout, staged)
            if "failed" in result:
                return [
                    {
                        "case": case,
                        "measured": result["failed"],
                        "target": f"≥ {IMPORT_ROWS_PER_S:,} rows/s",
                        "met": False,
                    }
                ]
            results.append(result)
    result = sorted(results, key=lambda run: run["seconds"])[len(results) // 2]
    rate = result["gifts"] / result["seconds"] if result["seconds"] else 0
    spread = ""
    if repeat > 1:
        rates = sorted(run["gifts"] / run["seconds"] for run in results if run["seconds"])
        spread = f" (median of {repeat}: {rates[0]:,.0f} to {rates[-1]:,.0f})"
    measured = [
        {
            "case": case,
            "measured": f"{rate:,.0f} rows/s{spread}; {result['seconds']:.1f} s; "
            f"{result['peak_mb']:,.0f} MB peak RSS growth",
            "target": f"≥ {IMPORT_ROWS_PER_S:,} rows/s",
            "met": rate >= IMPORT_ROWS_PER_S and all(run["gifts"] == rows for run in results),
        }
    ]
    path = result["exports"]["path"]
    for state, what in [
        ("current", "statistics as the import left them"),
        ("stale", "no statistics at all"),
    ]:
        exported, seconds, queries = result["exports"][state]
        rate = exported / seconds if seconds else 0
        measured.append(
            {
                "case": f"straight after the import, {what}: `{path}`, {exported:,} rows",
                "queries": [queries],
                "measured": f"{rate:,.0f} rows/s; {seconds:.1f} s",
                "target": f"≥ {EXPORT_ROWS_PER_S:,} rows/s",
                "met": rate >= EXPORT_ROWS_PER_S,
            }
        )
    return measured


def import_once(import_url, path, regimes, rows, timeout, staged=False):
    """One run of the import worker into a database created for it and dropped after:
    its JSON, or {"failed": what to print} when it failed or ran out of time."""
    create_database(import_url, replace=True)
    env = os.environ | {"DATABASE_URL": import_url, "BENCH_REGIMES": json.dumps(regimes)}
    if staged:
        env["BENCH_IMPORT_STAGED"] = "1"
    command = [sys.executable, str(Path(__file__).resolve()), "--import-worker", str(path)]
    try:
        done = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"failed": f"stopped after {timeout} s: < {rows / timeout:,.0f} rows/s"}
    finally:
        drop_database(import_url)
    if done.returncode != 0:
        say(done.stdout[-3000:] + done.stderr[-3000:])
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        return {"failed": f"failed: {last[:160]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_worker(path):
    """In the import database: migrate, add the regimes, time the import, print JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    from giftapp.models import Gift, SanctionsRegime

    call_command("migrate", verbosity=0)
    for regime in json.loads(os.environ.get("BENCH_REGIMES", "[]")):
        SanctionsRegime.objects.create(**{k: v for k, v in regime.items() if v is not None})
    out = io.StringIO()
    staged = contextlib.nullcontext()
    if os.environ.get("BENCH_IMPORT_STAGED"):
        # As an import into a registry holding gifts is written: staged, then inserted.
        from unittest import mock

        from giftapp.importers.registry_load import RegistryLoad

        staged = mock.patch.object(RegistryLoad, "applies", return_value=False)
    with staged, peak_rss_growth() as memory:
        started = time.perf_counter()
        call_command("import_gifts", path, format="registry", offline=True, stdout=out)
        seconds = time.perf_counter() - started
    print(out.getvalue(), file=sys.stderr)
    # The site's server loads the application before its first request (gunicorn
    # --preload, registry/wsgi.py); so does this process, so that the first export times
    # the export and the database as the import left it, not Python importing the views.
    import registry.wsgi  # noqa: F401

    # Straight after the import, the filtered export; then again with no statistics.
    path = filtered_export_path()
    exports = {"path": path, "current": stream_csv(path)}
    make_statistics_stale()
    exports["stale"] = stream_csv(path)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "gifts": Gift.objects.count(),
                "peak_mb": memory["mb"],
                "exports": exports,
            }
        )
    )


def write_explains(path, explain):
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each measured page and mode."""
    from django.db import connection

    with open(path, "w", encoding="utf-8") as out, connection.cursor() as cursor:
        for page, mode, query in explain:
            out.write(f"## {unquote(page)} ({mode}): {float(query['time']) * 1000:.1f} ms\n\n")
            out.write(query["sql"] + "\n\n")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            out.write("\n".join(line for (line,) in cursor.fetchall()) + "\n\n")


# Main -------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--generate",
        action="store_true",
        help="Create and migrate the database if needed; fill it when it holds no gift.",
    )
    parser.add_argument(
        "--gifts", type=int, default=100_000, help="Gifts to generate (default 100000)."
    )
    parser.add_argument("--seed", type=int, default=1, help="Seed for generate (default 1).")
    parser.add_argument(
        "--shape",
        choices=("bench", "sourced"),
        default="bench",
        help="The generated registry's shape: bench (the default) or sourced (many sources, "
        "most gifts on visits; see bench/generate_registry.py).",
    )
    parser.add_argument(
        "--requests", type=int, default=20, help="Timed requests per case and mode (default 20)."
    )
    parser.add_argument(
        "--export-rows",
        type=int,
        default=100_000,
        help="Rows of the CSV export to time (default 100000; 0 for the whole export).",
    )
    parser.add_argument(
        "--import-rows", type=int, default=100_000, help="Rows to import (default 100000)."
    )
    parser.add_argument(
        "--import-timeout", type=int, default=900, help="Give up the import after S seconds."
    )
    parser.add_argument(
        "--import-repeat",
        type=int,
        default=1,
        help="Runs of the import, of which the median is given (default 1).",
    )
    parser.add_argument(
        "--export-repeat",
        type=int,
        default=3,
        help="Runs of each export, of which the median is given (default 3).",
    )
    parser.add_argument(
        "--import-staged",
        action="store_true",
        help="Import through the staging table, as into a registry holding gifts, rather "
        "than straight into the empty gift table (to compare the two).",
    )
    parser.add_argument("--skip-import", action="store_true", help="Do not measure the import.")
    parser.add_argument(
        "--skip-pages",
        action="store_true",
        help="Do not measure the pages (exports and import only).",
    )
    parser.add_argument(
        "--only", help="Measure only the pages whose case or URL contains this text."
    )
    parser.add_argument(
        "--explain",
        metavar="FILE",
        help="Write EXPLAIN ANALYZE of each page's slowest query (cold and warm) to FILE.",
    )
    parser.add_argument("--import-worker", metavar="CSV", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    configure_environment()
    if args.import_worker:
        import_worker(args.import_worker)
        return 0
    bench_url = database_url()
    if args.generate and create_database(bench_url):
        say(f"Created database {database_name(bench_url)}.")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from bench.generate_registry import Command as GenerateRegistry
    from giftapp.models import Gift

    # Static files unhashed, as in the tests: the manifest exists only after collectstatic,
    # and whitenoise's warning about the missing folder says nothing about speed.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    override_settings(STORAGES=PLAIN_STORAGES).enable()

    generated = None
    if args.generate:
        call_command("migrate", verbosity=0)
        if not Gift.objects.exists():
            say(f"Generating {args.gifts:,} gifts…")
            started = time.perf_counter()
            call_command(GenerateRegistry(), gifts=args.gifts, seed=args.seed, shape=args.shape)
            generated = generate_row(args.gifts, time.perf_counter() - started)
    total, public = Gift.objects.count(), Gift.objects.public().count()
    say(
        f"{total:,} gifts ({public:,} public) in {database_name(bench_url)}; "
        f"PostgreSQL {connection.pg_version // 10000}; {os.cpu_count()} CPUs; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    load_before = os.getloadavg()[0]
    params = choose_parameters()
    explain = [] if args.explain else None
    rows = [generated] if generated else []
    cases = page_cases(params)
    if args.only:
        cases = [c for c in cases if args.only in c[0] or args.only in unquote(c[1])]
    if not args.skip_pages:
        say(f"Pages, {args.requests} requests each, warm and cold:")
        rows += page_rows(cases, args.requests, explain)
    if not args.only:
        rows.append(export_row(args.export_rows, repeat=args.export_repeat))
        rows.append(
            export_row(0, filtered_export_path(), "Filtered CSV export", args.export_repeat)
        )
        if not args.skip_import:
            rows += import_row(
                bench_url,
                args.import_rows,
                args.import_timeout,
                args.import_repeat,
                staged=args.import_staged,
            )
    if explain:
        write_explains(args.explain, explain)
        say(f"Query plans written to {args.explain}.")
    sys.stdout.write(
        f"\nRegistry of {total:,} gifts ({public:,} public), {args.requests} requests per "
        f"case; times are server times in milliseconds. Load average {load_before:.1f} "
        f"before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs).\n\n"
    )
    sys.stdout.write(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
