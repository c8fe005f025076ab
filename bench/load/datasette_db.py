"""The registry's public gifts as Datasette would serve them, for the load test's
comparison, and the load test's paths translated to Datasette's URLs.

    DATABASE_URL=… uv run python bench/load/datasette_db.py OUT.db PATHS DATASETTE_PATHS

OUT.db: one flat table `gifts`, the interchange CSV's columns (docs/interchange.md) as
`manage.py export_gifts` writes them, with the indexes an analyst would add for the
columns the registry filters and sorts on, and a full-text index (FTS5) on the item,
description and names, which Datasette's `_search` uses. Every value stays as the CSV
has it: this is what "load the registers into a spreadsheet tool" gives.

DATASETTE_PATHS: for each line of PATHS (bench/load/urls.py), the nearest request
Datasette answers: the same filters as table filters, facets for the facet counts the
gift list shows, a row page for a gift page, CSV streamed and JSON (`_shape=array`) for
the exports. Line n of one file is line n of the other, so a Zipf mix asks both for the
same popular pages.
"""

import csv
import io
import os
import sqlite3
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import django

INDEXED = ["giver_country", "recipient_country", "category", "date", "value_usd", "giver",
           "recipient", "visit", "currency"]  # fmt: skip
FACETS = [("_facet", "giver_country"), ("_facet", "recipient_country"), ("_facet", "category")]
TABLE = "/registry/gifts"


def build(out):
    from giftapp.exports.csv_stream import csv_chunks
    from giftapp.models import Gift

    text = b"".join(data for _, data in csv_chunks(Gift.objects.public())).decode()
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    Path(out).unlink(missing_ok=True)
    db = sqlite3.connect(out)
    types = {"id": "INTEGER PRIMARY KEY", "quantity": "INTEGER", "value": "REAL",
             "value_usd": "REAL"}  # fmt: skip
    db.execute(
        "CREATE TABLE gifts ("
        + ", ".join(f"[{name}] {types.get(name, 'TEXT')}" for name in header)
        + ")"
    )
    db.executemany(
        f"INSERT INTO gifts VALUES ({', '.join('?' * len(header))})",
        ([cell or None for cell in row] for row in reader),
    )
    for column in INDEXED:
        db.execute(f"CREATE INDEX gifts_{column} ON gifts ([{column}])")
    db.execute(
        "CREATE VIRTUAL TABLE gifts_fts USING fts5(item, description, giver, recipient,"
        " content='gifts', content_rowid='id')"
    )
    db.execute(
        "INSERT INTO gifts_fts (rowid, item, description, giver, recipient)"
        " SELECT id, item, description, giver, recipient FROM gifts"
    )
    db.execute("ANALYZE")
    db.commit()
    count = db.execute("SELECT count(*) FROM gifts").fetchone()[0]
    db.close()
    return count


def translate(path, names):
    """The Datasette request nearest to a registry path."""
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    route = parts.path
    if route.startswith("/gifts/") and route.strip("/").split("/")[-1].isdigit():
        return f"{TABLE}/{route.strip('/').split('/')[-1]}"
    if route == "/gifts/":
        return gift_list(query, names)
    if route.startswith("/visits/"):
        slug = route.strip("/").split("/")[-1]
        if slug == "visits":
            return f"{TABLE}?{urlencode([('visit__notblank', '1'), ('_facet', 'visit')])}"
        return f"{TABLE}?{urlencode({'visit': slug})}"
    if route == "/timeline/":
        country = query.get("country", "")
        filters = [("_where", either_country(country))]
        if "year_from" in query:
            filters += [("date__gte", f"{query['year_from']}-01-01"),
                        ("date__lte", f"{query['year_to']}-12-31")]  # fmt: skip
        return f"{TABLE}?{urlencode(filters + [('_facet_date', 'date'), ('_size', '0')])}"
    if route.startswith("/leaders/") and route != "/leaders/":
        name = names.get(route.strip("/").split("/")[-1], "")
        where = [("_where", f"giver = {quote(name)} or recipient = {quote(name)}")]
        return f"{TABLE}?{urlencode(where + [('_facet', 'recipient_country')])}"
    if route.startswith("/countries/") and route != "/countries/":
        code = route.strip("/").split("/")[-1]
        return f"{TABLE}?{urlencode([('giver_country', code), *FACETS[1:]])}"
    if route.startswith("/sanctions/"):
        code = route.strip("/").split("/")[-1]
        if code == "sanctions":
            return f"{TABLE}?{urlencode([('sanctions__notblank', '1'), ('_facet', 'sanctions')])}"
        return f"{TABLE}?{urlencode({'sanctions__contains': code})}"
    if route.startswith("/feeds/"):
        return f"{TABLE}.json?{urlencode({'_sort_desc': 'date', '_size': '20'})}"
    if route == "/leaders/":
        return f"{TABLE}?{urlencode([('_facet', 'giver'), ('_size', '0')])}"
    if route == "/countries/":
        return f"{TABLE}?{urlencode([*FACETS[:2], ('_size', '0')])}"
    return "/registry"


def either_country(code):
    return f"giver_country = {quote(code)} or recipient_country = {quote(code)}"


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def gift_list(query, names):
    export = query.pop("format", None)
    filters = []
    for name, value in query.items():
        if name in ("giver_country", "recipient_country", "category", "currency"):
            filters.append((name, value))
        elif name == "country":
            filters.append(
                ("_where", f"giver_country = '{value}' or recipient_country = '{value}'")
            )
        elif name == "date_from":
            filters.append(("date__gte", value))
        elif name == "date_to":
            filters.append(("date__lte", value))
        elif name == "flagged":
            filters.append(("sanctions__notblank" if value == "yes" else "sanctions__isblank", "1"))
        elif name == "q":
            filters.append(("_search", value))
        elif name == "leader":
            leader = quote(names.get(value, ""))
            filters.append(("_where", f"giver = {leader} or recipient = {leader}"))
        elif name == "sort":
            column = {"value": "value_usd", "date": "date"}.get(
                value.lstrip("-"), value.lstrip("-")
            )
            filters.append(("_sort_desc" if value.startswith("-") else "_sort", column))
    if export == "csv":
        return f"{TABLE}.csv?{urlencode(filters + [('_stream', 'on')])}"
    if export == "json":
        return f"{TABLE}.json?{urlencode(filters + [('_shape', 'array'), ('_size', 'max')])}"
    if not any(name.startswith("_sort") for name, _ in filters):
        filters.append(("_sort_desc", "date"))
    return f"{TABLE}?{urlencode(filters + FACETS)}"


def main(out, paths, translated):
    from giftapp.models import Leader

    count = build(out)
    names = dict(Leader.objects.values_list("slug", "name"))
    lines = Path(paths).read_text().splitlines()
    Path(translated).write_text("".join(translate(line, names) + "\n" for line in lines))
    print(f"datasette: {count} gifts in {out}, {len(lines)} paths", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    django.setup()
    main(*sys.argv[1:4])
