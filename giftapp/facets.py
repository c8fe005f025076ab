"""Facet counts of the gift list from the GiftFacet aggregate (PostgreSQL).

The aggregate counts published gifts by giver country, recipient country, category,
year and whether they are flagged. A filter made only of those dimensions (countries,
categories, whole years, flagged) is answered from it in a few milliseconds; any other
filter (text, leaders, visit, values, currency, regime, flag status, a date range that is
not whole years) is counted from the gifts themselves.
"""

import datetime

from django.db import connection
from django.db.models import Q, Sum

from .models import GiftFacet

FACET_DIMENSIONS = ("giver_country", "recipient_country", "category", "year")
# Filters the aggregate cannot answer.
GIFT_ONLY_FILTERS = (
    "q",
    "giver",
    "recipient",
    "leader",
    "visit",
    "value_min",
    "value_max",
    "currency",
    "regime",
    "flag_status",
)

REBUILD_SQL = """
DELETE FROM giftapp_giftfacet;
INSERT INTO giftapp_giftfacet (giver_country, recipient_country, category, year, is_flagged, n)
SELECT giver_country, recipient_country, category,
       COALESCE(EXTRACT(YEAR FROM date)::int, 0), is_flagged, count(*)
FROM giftapp_gift WHERE publication_status = 'published'
GROUP BY 1, 2, 3, 4, 5;
"""


def available():
    return connection.vendor == "postgresql"


def rebuild():
    """Recount the aggregate from the gifts (after bulk SQL that bypassed the triggers)."""
    if available():
        with connection.cursor() as cursor:
            cursor.execute(REBUILD_SQL)


def whole_years(date_from, date_to):
    """(first year, last year) when the range is made of whole years, else False."""
    if date_from and (date_from.month, date_from.day) != (1, 1):
        return False
    if date_to and (date_to.month, date_to.day) != (12, 31):
        return False
    return (date_from.year if date_from else None, date_to.year if date_to else None)


def answerable(values):
    """Whether the aggregate can answer counts under these cleaned filter values."""
    if not available() or any(values.get(name) for name in GIFT_ONLY_FILTERS):
        return False
    return whole_years(values.get("date_from"), values.get("date_to")) is not False


def condition(values, *, without=()):
    """The aggregate rows matching the filters, leaving out the named ones."""
    q = Q(n__gt=0)
    for name in ("giver_country", "recipient_country"):
        if values.get(name) and name not in without:
            q &= Q(**{name: values[name]})
    if values.get("country") and "country" not in without:
        q &= Q(giver_country=values["country"]) | Q(recipient_country=values["country"])
    if values.get("category") and "category" not in without:
        q &= Q(category__in=values["category"])
    if "date_from" not in without:
        first, last = whole_years(values.get("date_from"), values.get("date_to"))
        if first is not None:
            q &= Q(year__gte=first)
        if last is not None:
            q &= Q(year__lte=last, year__gt=0)
        if first is not None:
            q &= Q(year__gt=0)
    if values.get("flagged") and "flagged" not in without:
        q &= Q(is_flagged=values["flagged"] == "yes")
    return q


def totals(values):
    """{"total": gifts matching, "flagged": of which flagged}: one query."""
    row = GiftFacet.objects.filter(condition(values)).aggregate(
        total=Sum("n"), flagged=Sum("n", filter=Q(is_flagged=True))
    )
    return {"total": row["total"] or 0, "flagged": row["flagged"] or 0}


def counts_by(values, dimension, *, without):
    """[(value, count)] of one dimension under the other filters, most first."""
    rows = (
        GiftFacet.objects.filter(condition(values, without=without))
        .values(dimension)
        .annotate(count=Sum("n"))
        .filter(count__gt=0)
        .order_by("-count", dimension)
    )
    return [(row[dimension], row["count"]) for row in rows]


def year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
