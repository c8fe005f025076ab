"""The countries index, the home page's counts and a country's page."""

from django.db.models import Max
from django.http import Http404

from ..charts import years_chart
from ..codes import COUNTRY_CODES, country_name
from ..counts import activity
from ..models import Gift
from ..sentences import COUNTRY_NOTES
from ..text import fold
from .gift_list import url_with_query
from .gifts import latest_involving_country
from .registers import covered_years
from .sorting import sort_in, sort_links

COUNTRY_PARTNERS_SHOWN = 10
COUNTRY_GIFTS_SHOWN = 10


# The countries index's columns, each with the sort its header asks for first.
COUNTRY_SORT_COLUMNS = {"name": "name", "given": "-given", "received": "-received",
                        "hosted": "-hosted", "latest": "-latest"}  # fmt: skip


def country_list_page(path, query):
    """The countries index: every country with a public record, searched by name (?q=,
    accents and case aside) and sorted by a column (?sort=), with the date of its latest
    public gift given or received."""
    rows, _totals = country_activity()
    latest = latest_gift_dates()
    for row in rows:
        row["latest"] = latest.get(row["code"])
    search = query.get("q", "").strip()[:200]
    if search:
        wanted = fold(search)
        rows = [row for row in rows if wanted in fold(row["name"]) or wanted == fold(row["code"])]
    sort = sort_in(query, COUNTRY_SORT_COLUMNS, "name")
    column, descending = sort.lstrip("-"), sort.startswith("-")
    if column == "name":
        rows.sort(key=lambda row: fold(row["name"]), reverse=descending)
    else:
        # By the column, ties by name; countries with no date last either way.
        rows.sort(key=lambda row: fold(row["name"]))
        known = [row for row in rows if row[column] is not None]
        known.sort(key=lambda row: row[column], reverse=descending)
        rows = known + [row for row in rows if row[column] is None]
    return {
        "countries": rows,
        "search": search,
        "sort": sort,
        "sort_links": sort_links(
            lambda target: url_with_query(path, query, sort=target), COUNTRY_SORT_COLUMNS, sort
        ),
    }


def latest_gift_dates():
    """{country code: the date of its newest public gift, given or received}: two
    grouped queries."""
    latest = {}
    gifts = Gift.objects.public().exclude(date=None).order_by()
    for side in ("giver_country", "recipient_country"):
        for code, date in (
            gifts.values(side).annotate(newest=Max("date")).values_list(side, "newest")
        ):
            if code and (code not in latest or date > latest[code]):
                latest[code] = date
    return latest


def country_activity():
    """Public activity per country code, in two queries: gifts given and received (and
    how many are flagged), and visits hosted by each country a published visit involves.
    Returns (rows by country name, totals)."""
    given, received, flagged = activity.gift_totals()
    hosted = activity.country_visits()
    codes = (set(given) | set(received) | set(hosted)) - {""}
    rows = [
        {
            "code": code,
            "name": country_name(code),
            "given": given.get(code, 0),
            "received": received.get(code, 0),
            "hosted": hosted.get(code, 0),
        }
        for code in codes
    ]
    rows.sort(key=lambda row: row["name"])
    totals = {"gifts": sum(given.values()), "visits": sum(hosted.values()), "flagged": flagged}
    return rows, totals


def partners(side):
    """The partner countries most gifts went to or came from: [(code, n, name)]."""
    ranked = sorted(side.partners.items(), key=lambda item: (-item[1], item[0]))
    return [(code, n, country_name(code)) for code, n in ranked[:COUNTRY_PARTNERS_SHOWN]]


def country_page(code):
    """What a country's page shows (code in capitals); 404 for an unknown code or a
    country no public record involves."""
    if code not in COUNTRY_CODES:
        raise Http404("No country has this code.")
    given, received = activity.country_gifts(code)
    visits = activity.visit_count(code)
    if not (given.total or received.total or visits):
        raise Http404("No public record involves this country.")
    gifts = Gift.objects.public()
    flagged_count = given.flagged + received.flagged
    return {
        "code": code,
        "name": country_name(code),
        "note": COUNTRY_NOTES.get(code, ""),
        "given": given.total,
        "received": received.total,
        "visits": visits,
        "flagged_count": flagged_count,
        "chart": years_chart(given.years, received.years, covered=covered_years()),
        "undated": given.undated + received.undated,
        "partners_given": partners(given),
        "partners_received": partners(received),
        "flagged_gifts": (
            gifts.involving_country(code).flagged().for_listing()[:COUNTRY_GIFTS_SHOWN]
            if flagged_count
            else []
        ),
        "latest_gifts": latest_involving_country(gifts, code, COUNTRY_GIFTS_SHOWN),
        "shown": COUNTRY_GIFTS_SHOWN,
    }
