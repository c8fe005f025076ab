"""Counts of the gift list from aggregates that PostgreSQL keeps by trigger.

GiftFacet counts published gifts by each combination of giver country, recipient
country, category, year and whether they are flagged; GiftFacetPair rolls it up into one
facet counted under one filter dimension (or none); FlagFacet lists the public flags of
published gifts with the same dimensions. A list with at most one of those filters reads
a few dozen pair rows; with two or more, the combinations matching them; the flag-status
counts read the few flag rows. The pairs also count each facet under each value band, so a
value range alone reads the pairs of the bands it covers. Any other filter (text, leaders,
visit, values with other filters, currency, regime, flag status, a date range that is not
whole years) is counted from the gifts.
"""

import functools
import operator
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import ExtractYear, LPad
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from ..models import FlagFacet, GiftFacet, GiftFacetPair, SanctionsRegime
from . import available

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

# The facet dimensions, as text, of a row of giftapp_giftfacet (or of a change to it).
DIMENSIONS = [
    ("giver_country", "giver_country"),
    ("recipient_country", "recipient_country"),
    ("category", "category"),
    ("year", "year::text"),
    ("is_flagged", "is_flagged::text"),
]


def _left_out(*names):
    """The GROUPING() bits of the dimensions a grouping set leaves out (the first
    dimension is the highest bit)."""
    return sum(
        1 << (len(DIMENSIONS) - 1 - index)
        for index, (name, _value) in enumerate(DIMENSIONS)
        if name not in names
    )


# Each dimension alone (under no filter), then every pair of two dimensions.
GROUPING_SETS = ", ".join(
    [f"({name})" for name, _value in DIMENSIONS]
    + [
        f"({a}, {b})"
        for i, (a, _a_value) in enumerate(DIMENSIONS)
        for b, _b_value in DIMENSIONS[i + 1 :]
    ]
)
# The pairs that each grouping set gives, by its GROUPING() bits: a dimension alone is a
# facet under no filter; a pair of two is each one's facet under the other.
# Each dimension alone: (its grouping bits, its name).
SINGLES = [(_left_out(name), name) for name, _value in DIMENSIONS]
PAIRS = ", ".join(
    [f"({bits}, '', '{name}')" for bits, name in SINGLES]
    + [
        f"({_left_out(a, b)}, '{a}', '{b}')"
        for a, _a_value in DIMENSIONS
        for b, _b_value in DIMENSIONS
        if a != b
    ]
)


def _value_of(dimension):
    """SQL: the value, as text, of the dimension named by the SQL `dimension` in the row
    `c`; '' for none."""
    cases = " ".join(f"WHEN '{name}' THEN c.{value}" for name, value in DIMENSIONS)
    return f"CASE {dimension} {cases} ELSE '' END"


# The rebuild's rollups, into the pairs it has just emptied: every row is new, so a plain
# insert, not an upsert. Each grouped row finds its pairs by a hash join on its
# GROUPING() bits, not by evaluating the list of all pairs for every row. The gifts'
# trigger (migrations 0009 and 0020 install it) adds each statement's changes to the
# pairs as they come, with an upsert; tests/test_facets.py checks both against counting
# the gifts.
ROLLUP_SQL = f"""
INSERT INTO giftapp_giftfacetpair
    (filter_dimension, filter_value, facet_dimension, facet_value, n)
SELECT p.filter_dimension, {_value_of("p.filter_dimension")},
       p.facet_dimension, {_value_of("p.facet_dimension")}, c.n
FROM (
    SELECT {", ".join(name for name, _value in DIMENSIONS)}, sum(n) AS n,
           GROUPING({", ".join(name for name, _value in DIMENSIONS)}) AS left_out
    FROM giftapp_giftfacet
    GROUP BY GROUPING SETS ({GROUPING_SETS})
) AS c
JOIN (VALUES {PAIRS}) AS p(left_out, filter_dimension, facet_dimension)
    ON p.left_out = c.left_out
WHERE c.n <> 0
"""

# Value bands: the values in US dollars cut at 1, 2 and 5 times each power of ten, from
# 1 to 5 × 10^13. width_bucket() numbers a value's band: 0 below the first bound, n from
# the n-th bound up to the next; a gift without a value is in none. GiftFacetPair keeps
# each facet counted under each band (filter dimension "value_band"), so that a value range
# with round bounds, alone, is counted from the bands it covers (see banded()).
VALUE_BOUNDS = tuple(Decimal(m) * 10**k for k in range(14) for m in (1, 2, 5))
VALUE_BAND = f"width_bucket(value_usd, '{{{','.join(map(str, VALUE_BOUNDS))}}}'::numeric[])"
# The pairs of each band with each facet, counted from the published gifts with a value.
BAND_ROLLUP_SQL = f"""
INSERT INTO giftapp_giftfacetpair
    (filter_dimension, filter_value, facet_dimension, facet_value, n)
SELECT 'value_band', c.value_band::text, p.facet_dimension, {_value_of("p.facet_dimension")}, c.n
FROM (
    SELECT value_band, {", ".join(name for name, _value in DIMENSIONS)}, count(*) AS n,
           GROUPING({", ".join(name for name, _value in DIMENSIONS)}) AS left_out
    FROM (
        SELECT giver_country, recipient_country, category,
               COALESCE(EXTRACT(YEAR FROM date)::int, 0) AS year, is_flagged,
               {VALUE_BAND} AS value_band
        FROM giftapp_gift WHERE publication_status = 'published' AND value_usd IS NOT NULL
    ) AS banded
    WHERE value_band IS NOT NULL
    GROUP BY GROUPING SETS ({", ".join(f"(value_band, {name})" for name, _value in DIMENSIONS)})
) AS c
JOIN (VALUES {", ".join(f"({bits}, '{name}')" for bits, name in SINGLES)})
    AS p(left_out, facet_dimension)
    ON p.left_out = c.left_out
WHERE c.n <> 0
"""

# In memory, as the trigger function (a million gifts grouped by band: 0.7 s, not 1.4 s).
# The lock lets readers go on and makes a writer of gifts wait until the recount is
# committed, then add its own changes, which the recount did not see: the rollups can
# insert into tables no one else writes.
REBUILD_SQL = f"""
SET LOCAL work_mem = '64MB';
LOCK TABLE giftapp_giftfacet, giftapp_giftfacetpair IN EXCLUSIVE MODE;
DELETE FROM giftapp_giftfacet;
DELETE FROM giftapp_giftfacetpair;
INSERT INTO giftapp_giftfacet (giver_country, recipient_country, category, year, is_flagged, n)
SELECT giver_country, recipient_country, category,
       COALESCE(EXTRACT(YEAR FROM date)::int, 0), is_flagged, count(*)
FROM giftapp_gift WHERE publication_status = 'published'
GROUP BY 1, 2, 3, 4, 5;
ANALYZE giftapp_giftfacet;
{ROLLUP_SQL};
{BAND_ROLLUP_SQL};
"""


def rebuild():
    """Recount the aggregates from the gifts (after bulk SQL that bypassed the triggers)."""
    if available():
        with connection.cursor() as cursor:
            cursor.execute(REBUILD_SQL)


@contextmanager
def deferred():
    """For a bulk write, inside its transaction: the triggers skip their per-statement
    upkeep of GiftFacet and GiftFacetPair, which are recounted once at the end. Upserting
    the rollups of a hundred thousand new gifts costs several times more than counting a
    million gifts afresh."""
    if not available():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL giftapp.defer_facets = 'on'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL giftapp.defer_facets = 'off'")
        cursor.execute(REBUILD_SQL)


def whole_years(date_from, date_to):
    """(first year, last year) when the range is made of whole years, else False."""
    if date_from and (date_from.month, date_from.day) != (1, 1):
        return False
    if date_to and (date_to.month, date_to.day) != (12, 31):
        return False
    return (date_from.year if date_from else None, date_to.year if date_to else None)


def is_set(values, name):
    """Whether a cleaned filter value is given: a minimum value of 0 is."""
    return values.get(name) not in (None, "", [])


def answerable(values):
    """Whether the aggregate can answer counts under these cleaned filter values."""
    if not available() or any(is_set(values, name) for name in GIFT_ONLY_FILTERS):
        return False
    return whole_years(values.get("date_from"), values.get("date_to")) is not False


def condition(values, *, without=()):
    """The GiftFacet (or FlagFacet) rows matching the filters, leaving out the named ones."""
    q = Q()
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


# The aggregate's filters as GiftFacetPair dimensions (the either-country filter aside).
PAIR_DIMENSIONS = {
    "giver_country": "giver_country",
    "recipient_country": "recipient_country",
    "category": "category",
    "date_from": "year",
    "flagged": "is_flagged",
}


def active_dimensions(values, without=()):
    """The names of the aggregate's filters that are set, leaving out the named ones."""
    names = [name for name in (*PAIR_DIMENSIONS, "country") if name not in without]
    if "date_from" in names and whole_years(values.get("date_from"), values.get("date_to")) in (
        False,
        (None, None),
    ):
        names.remove("date_from")
    return [name for name in names if name == "date_from" or values.get(name)]


def pair_condition(values, name, facet):
    """GiftFacetPair rows counting `facet` among the gifts matching the one filter `name`
    (None for no filter)."""
    if name is None:
        return Q(filter_dimension="", facet_dimension=facet)
    if name == "country":
        # Gifts given by the country plus gifts received by it (never both). Those it
        # gave all have it as giver: counted alone, they make its own giver facet value.
        code = values["country"]
        q = Q(
            filter_dimension__in=["giver_country", "recipient_country"],
            filter_value=code,
            facet_dimension=facet,
        )
        if facet in ("giver_country", "recipient_country"):
            q |= Q(filter_dimension="", facet_dimension=facet, facet_value=code)
        return q
    dimension = PAIR_DIMENSIONS[name]
    if dimension == facet:
        # Only the totals ask this (of the flagged filter): the gifts counted alone.
        return Q(filter_dimension="", facet_dimension=facet, facet_value__in=_texts(values, name))
    q = Q(filter_dimension=dimension, facet_dimension=facet)
    if dimension != "year":
        return q & Q(filter_value__in=_texts(values, name))
    # Years are stored as text: compared zero-padded, so that "999" < "2006"; 0 is unknown.
    first, last = whole_years(values.get("date_from"), values.get("date_to"))
    padded = LPad("filter_value", 4, Value("0"))
    q &= ~Q(filter_value="0")
    if first is not None:
        q &= Q(GreaterThanOrEqual(padded, f"{first:04d}"))
    if last is not None:
        q &= Q(LessThanOrEqual(padded, f"{last:04d}"))
    return q


def _texts(values, name):
    if name == "flagged":
        return ["true" if values["flagged"] == "yes" else "false"]
    value = values[name]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def totals(values):
    """{"total": gifts matching, "flagged": of which flagged}: one query."""
    names = active_dimensions(values)
    if len(names) <= 1:
        row = GiftFacetPair.objects.filter(
            pair_condition(values, names[0] if names else None, "is_flagged")
        ).aggregate(total=Sum("n"), flagged=Sum("n", filter=Q(facet_value="true")))
    else:
        row = GiftFacet.objects.filter(condition(values), n__gt=0).aggregate(
            total=Sum("n"), flagged=Sum("n", filter=Q(is_flagged=True))
        )
    return {"total": row["total"] or 0, "flagged": row["flagged"] or 0}


def counts_by(values, dimension, *, without):
    """[(value, count)] of one dimension under the other filters, most first."""
    names = active_dimensions(values, without)
    if len(names) <= 1:
        rows = (
            GiftFacetPair.objects.filter(
                pair_condition(values, names[0] if names else None, dimension)
            )
            .values("facet_value")
            .annotate(count=Sum("n"))
            .filter(count__gt=0)
            .order_by("-count", "facet_value")
        )
        cast = int if dimension == "year" else str
        return [(cast(row["facet_value"]), row["count"]) for row in rows]
    rows = (
        GiftFacet.objects.filter(condition(values, without=without), n__gt=0)
        .values(dimension)
        .annotate(count=Sum("n"))
        .filter(count__gt=0)
        .order_by("-count", dimension)
    )
    return [(row[dimension], row["count"]) for row in rows]


def flag_status_counts(values, regime=None):
    """{status: published gifts with a public flag of that status (of the regime, when
    given)} under the other filters: one query over the few flag rows."""
    rows = FlagFacet.objects.filter(condition(values))
    if regime:
        rows = rows.filter(regime_id__in=SanctionsRegime.objects.filter(code=regime).values("pk"))
    return _status_counts(rows)


def _status_counts(rows):
    """{status: distinct gifts} of FlagFacet rows."""
    counts = rows.values("status").annotate(n=Count("gift_id", distinct=True))
    return dict(counts.values_list("status", "n"))


# The filters the flag-status facet leaves out: with either set, the flag statuses count a
# different set of gifts from the rest of the page, so its counts go query by query.
FLAG_FILTERS = ("regime", "flag_status")
SCAN_DIMENSIONS = ("giver_country", "recipient_country", "category", "year")
SCAN_WORK_MEM = "64MB"
# The GROUPING() value of scan's row holding the page's ids (no grouping set gives one).
PAGE_ROW = -1


def scannable(values):
    """Whether a list the aggregates cannot answer can be counted in one pass."""
    return available() and not any(values.get(name) for name in FLAG_FILTERS)


def scan(queryset, conditions, ordering, window, *, matching):
    """Everything a list page counts, read in one pass over the matching gifts.

    For filters the aggregates cannot answer (text, leaders, values…), each count would
    otherwise read the same gifts again. Here `queryset` (the gifts under every filter
    but those of the facets) is read once, in parallel where PostgreSQL can, into a
    materialized CTE; `conditions` holds the facets' own filters ({dimension: Q}), each
    facet counting the gifts that meet all the others. GROUPING SETS count the total, the
    flagged gifts and the four facets from the matches, and the ids of the page `window`
    (offset, limit) of those that meet them all come from a bounded sort of the same
    matches in the list's `ordering`, in one statement. The flag statuses of the `matching`
    gifts take a second, driven by the few FlagFacet rows. Returns {"total", "flagged",
    "facets": {dimension: [(value, count)]}, "flag_status": {status: count}, "page": [ids]}.
    """
    meets = {
        f"meets_{name}": ExpressionWrapper(conditions.get(name, Value(True)), BooleanField())
        for name in SCAN_DIMENSIONS
    }
    meets_all = ExpressionWrapper(
        functools.reduce(operator.and_, conditions.values(), Q()), BooleanField()
    )
    keys, order_by = sort_keys(ordering)
    matches = (
        queryset.order_by()
        .annotate(**meets, meets_all=meets_all, year=ExtractYear("date"), **keys)
        .values("id", *SCAN_DIMENSIONS, "is_flagged", *meets, "meets_all", *keys)
    )
    sql, params = matches.query.sql_with_params()

    def count_meeting(*names):
        return f"count(*) FILTER (WHERE {' AND '.join(f'meets_{n}' for n in names) or 'true'})"

    counts = [count_meeting(*SCAN_DIMENSIONS)] + [
        count_meeting(*(other for other in SCAN_DIMENSIONS if other != name))
        for name in SCAN_DIMENSIONS
    ]
    offset, limit = window or (0, 0)
    # Numbering every match in the list's order would sort them all: the page's ids come
    # from a sort that keeps only the first offset + limit of the matches the CTE holds.
    statement = f"""
        WITH matches AS MATERIALIZED ({sql})
        SELECT GROUPING(giver_country, recipient_country, category, year, is_flagged),
            giver_country, recipient_country, category, year, is_flagged, {", ".join(counts)},
            NULL
        FROM matches
        GROUP BY GROUPING SETS (
            (giver_country), (recipient_country), (category), (year), (is_flagged)
        )
        UNION ALL
        SELECT {PAGE_ROW}, NULL, NULL, NULL, NULL, NULL, {", ".join(["NULL"] * len(counts))},
            ARRAY(SELECT id FROM matches WHERE meets_all ORDER BY {order_by} LIMIT %s OFFSET %s)
    """
    # GROUPING() sets a bit for each column left out of the row's grouping set.
    sets = {0b01111: "giver_country", 0b10111: "recipient_country", 0b11011: "category"}
    sets |= {0b11101: "year", 0b11110: "is_flagged"}
    result = {"facets": {name: [] for name in SCAN_DIMENSIONS}, "flagged": 0, "total": 0}
    with connection.cursor() as cursor:
        # Holding and grouping a few hundred thousand matches in memory, not on disk; and
        # scanning in parallel even where PostgreSQL cannot tell how few rows will match
        # (it guesses a third of the gifts for a search), as the matches are all it passes
        # on.
        cursor.execute(f"SET work_mem = '{SCAN_WORK_MEM}'; SET parallel_tuple_cost = 0.01")
        try:
            cursor.execute(statement, (*params, limit, offset))
            rows = cursor.fetchall()
        finally:
            cursor.execute("RESET work_mem; RESET parallel_tuple_cost")
    for grouping, *row in rows:
        columns, (count, *facet_counts), ids = row[:5], row[5:10], row[10]
        if grouping == PAGE_ROW:
            result["page"] = ids
            continue
        name = sets[grouping]
        if name == "is_flagged":
            # Flagged or not, these two rows hold every match: the total.
            result["total"] += count
            result["flagged"] += count if columns[4] else 0
        else:
            index = SCAN_DIMENSIONS.index(name)
            value, count = columns[index], facet_counts[index]
            if value not in ("", None) and count:
                # EXTRACT gives a numeric: years are ints, as the aggregates give them.
                result["facets"][name].append((int(value) if name == "year" else value, count))
    for name, counted in result["facets"].items():
        result["facets"][name] = _most_first(name, counted)
    if matching is not None:
        result["flag_status"] = matching_flag_statuses(matching)
    return result


def sort_keys(ordering):
    """The keys of an ORM `ordering` (OrderBy expressions, or field names ascending) as
    annotations named sort_0, sort_1…, and the ORDER BY clause over those names."""
    keys, terms = {}, []
    for index, term in enumerate(ordering):
        order = F(term).asc() if isinstance(term, str) else term
        name = f"sort_{index}"
        keys[name] = order.expression
        nulls = " NULLS LAST" if order.nulls_last else " NULLS FIRST" if order.nulls_first else ""
        terms.append(f"{name} {'DESC' if order.descending else 'ASC'}{nulls}")
    return keys, ", ".join(terms)


def matching_flag_statuses(matching):
    """{status: gifts} of the public flags of the `matching` gifts, read from the few
    FlagFacet rows."""
    return _status_counts(FlagFacet.objects.filter(gift_id__in=matching.order_by().values("pk")))


def bandable(values):
    """Whether the list's only filter is a value range, which the value bands count."""
    others = [name for name in GIFT_ONLY_FILTERS if name not in ("value_min", "value_max")]
    return (
        available()
        and (is_set(values, "value_min") or is_set(values, "value_max"))
        and not any(is_set(values, name) for name in (*others, "date_from", "date_to"))
        and not active_dimensions(values)
    )


def value_bands(low, high):
    """The value bands wholly within [low, high] (either bound None for none), and the
    ranges at its ends that no such band covers, as (from, below) pairs of which `below`
    None includes `high` (or has no end): [(low, first band's start), (last band's end,
    None)] with the bands, [(low, None)] without."""
    low = low or Decimal(0)
    starts = (Decimal(0), *VALUE_BOUNDS)
    ends = (*VALUE_BOUNDS, None)
    bands = [
        band
        for band, (start, end) in enumerate(zip(starts, ends, strict=True))
        if start >= low and (high is None or (end is not None and end <= high))
    ]
    if not bands:
        return [], [(low, None)]
    first, last = starts[bands[0]], ends[bands[-1]]
    edges = []
    if first > low:
        edges.append((low, first))
    if last is not None:
        edges.append((last, None))
    return bands, edges


def banded(values, gifts):
    """What scan() gives but the page (None: the list reads its ids through its order's
    index), for a list filtered by a value range alone (bandable): the bands the range
    covers whole are counted from their pairs with each facet, and the gifts at its ends
    outside them in one pass each. With round bounds (1, 2 or 5 times a power of ten) the
    only such gifts are those valued at the maximum itself, read from the value index.
    `gifts` are the public gifts. The flags are counted by status from the FlagFacet rows
    in the range."""
    high = values.get("value_max")
    bands, edges = value_bands(values.get("value_min"), high)
    counted = {name: Counter() for name in (*SCAN_DIMENSIONS, "is_flagged")}
    if bands:
        rows = (
            GiftFacetPair.objects.filter(
                filter_dimension="value_band", filter_value__in=[str(band) for band in bands]
            )
            .values_list("facet_dimension", "facet_value")
            .annotate(count=Sum("n"))
        )
        for dimension, value, count in rows:
            # Years are ints, as scan() gives them; 0, an unknown date, is none.
            counted[dimension][(int(value) or None) if dimension == "year" else value] += count
    flagged = counted["is_flagged"]
    totals = {"total": sum(flagged.values()), "flagged": flagged["true"]}
    for start, below in edges:
        edge = gifts.filter(value_usd__gte=start)
        if below is not None:
            edge = edge.filter(value_usd__lt=below)
        elif high is not None:
            edge = edge.filter(value_usd__lte=high)
        # Counted only: no page, so no order to number them in.
        part = scan(edge, {}, ["id"], None, matching=None)
        totals["total"] += part["total"]
        totals["flagged"] += part["flagged"]
        for name, pairs in part["facets"].items():
            counted[name].update(dict(pairs))
    return {
        **totals,
        "facets": {name: _most_first(name, counted[name].items()) for name in SCAN_DIMENSIONS},
        "flag_status": _status_counts(FlagFacet.objects.filter(value_range(values))),
        "page": None,
    }


def value_range(values):
    """The FlagFacet rows of gifts whose value is within the list's range, as the list's
    filters have it (a gift without a value is in none)."""
    q = Q()
    if is_set(values, "value_min"):
        q &= Q(value_usd__gte=values["value_min"])
    if is_set(values, "value_max"):
        q &= Q(value_usd__lte=values["value_max"])
    return q


def _most_first(name, pairs):
    """A facet's (value, count) pairs as the list shows them: years newest first, other
    values most counted first; unknown values and empty counts left out."""
    pairs = [(value, count) for value, count in pairs if value not in ("", None) and count]
    if name == "year":
        return sorted(pairs, reverse=True)
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
