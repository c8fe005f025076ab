"""What the country, leader and timeline pages count, and the visits they select: gifts
per country, the visits involving a country or a leader, each leader's gifts and visits.

On PostgreSQL the counts come from the aggregates kept by triggers (GiftFacetPair,
CountryVisits and VisitCountry, LeaderActivity), a few rows instead of a million gifts;
on SQLite they are counted from the records. Each count is one query on either database,
and both give the same answers.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from ..models import (
    CountryVisits,
    Gift,
    GiftFacetPair,
    Leader,
    LeaderActivity,
    PublicationStatus,
    Visit,
    VisitCountry,
)
from . import available

PUBLISHED = PublicationStatus.PUBLISHED


# Gifts ---------------------------------------------------------------------------------------


def gift_totals():
    """Published gifts given and received per country code, and how many are flagged:
    ({code: n}, {code: n}, flagged)."""
    given, received, flagged = Counter(), Counter(), 0
    if available():
        rows = GiftFacetPair.objects.filter(
            filter_dimension="",
            facet_dimension__in=("giver_country", "recipient_country", "is_flagged"),
            n__gt=0,
        ).values_list("facet_dimension", "facet_value", "n")
        for dimension, value, n in rows:
            if dimension == "giver_country":
                given[value] = n
            elif dimension == "recipient_country":
                received[value] = n
            elif value == "true":
                flagged = n
    else:
        rows = (
            Gift.objects.public()
            .order_by()
            .values_list("giver_country", "recipient_country", "is_flagged")
            .annotate(n=Count("pk"))
        )
        for giver, recipient, is_flagged, n in rows:
            given[giver] += n
            received[recipient] += n
            flagged += n if is_flagged else 0
    return dict(given), dict(received), flagged


@dataclass
class CountryGifts:
    """A country's published gifts in one direction (given, or received)."""

    years: dict = field(default_factory=dict)  # {year: n} for the dated gifts
    undated: int = 0
    partners: Counter = field(default_factory=Counter)  # {country code: n}
    flagged: int = 0

    @property
    def total(self):
        return sum(self.years.values()) + self.undated

    def add_year(self, year, n):
        if year:
            self.years[year] = self.years.get(year, 0) + n
        else:
            self.undated += n


def country_gifts(code):
    """(given, received): the published gifts `code` gave and received, as CountryGifts.

    A gift's giver and recipient countries always differ, so no gift is in both."""
    given, received = CountryGifts(), CountryGifts()
    if available():
        rows = GiftFacetPair.objects.filter(
            Q(filter_dimension="giver_country") | Q(filter_dimension="recipient_country"),
            filter_value=code,
            facet_dimension__in=("year", "giver_country", "recipient_country", "is_flagged"),
            n__gt=0,
        ).values_list("filter_dimension", "facet_dimension", "facet_value", "n")
        for dimension, facet, value, n in rows:
            side = given if dimension == "giver_country" else received
            if facet == "year":
                side.add_year(int(value), n)
            elif facet == "is_flagged":
                side.flagged += n if value == "true" else 0
            else:
                side.partners[value] = n
    else:
        rows = (
            Gift.objects.public()
            .involving_country(code)
            .order_by()
            .values_list("giver_country", "recipient_country", ExtractYear("date"), "is_flagged")
            .annotate(n=Count("pk"))
        )
        for giver, recipient, year, is_flagged, n in rows:
            side, partner = (given, recipient) if giver == code else (received, giver)
            side.add_year(year, n)
            side.partners[partner] += n
            side.flagged += n if is_flagged else 0
    return given, received


# Visits --------------------------------------------------------------------------------------


def _takes_part_in_public_visit():
    """Condition on Leader: the leader visited or hosted a published visit."""
    return Exists(
        Visit.visitors.through.objects.filter(
            leader=OuterRef("pk"), visit__publication_status=PUBLISHED
        )
    ) | Exists(
        Visit.hosts.through.objects.filter(
            leader=OuterRef("pk"), visit__publication_status=PUBLISHED
        )
    )


def country_visits():
    """{code: published visits it hosted} for every country a published visit involves:
    its host, or the country of one of its visitors or hosts (0 if it hosted none)."""
    if available():
        rows = (
            CountryVisits.objects.filter(visits__gt=0)
            .values_list("country")
            .annotate(hosted=Sum("hosted"))
        )
        return dict(rows)
    hosted = (
        Visit.objects.published().order_by().values_list("host_country").annotate(n=Count("pk"))
    )
    attended = (
        Leader.objects.filter(_takes_part_in_public_visit())
        .order_by()
        .values_list("country")
        .annotate(n=Value(0))
        .distinct()
    )
    counts = {}
    for code, n in hosted.union(attended, all=True).order_by():
        counts[code] = counts.get(code, 0) + n
    return counts


def involving_country(visits, code):
    """The visits hosted by the country, or with a visitor or host from it."""
    if available():
        return visits.filter(pk__in=VisitCountry.objects.filter(country=code).values("visit_id"))
    return visits.filter(
        Q(host_country=code)
        | Exists(Visit.visitors.through.objects.filter(visit=OuterRef("pk"), leader__country=code))
        | Exists(Visit.hosts.through.objects.filter(visit=OuterRef("pk"), leader__country=code))
    )


def involving_leader(visits, leader):
    """The visits the leader made or hosted."""
    return visits.filter(
        pk__in=Visit.visitors.through.objects.filter(leader=leader)
        .values("visit_id")
        .union(Visit.hosts.through.objects.filter(leader=leader).values("visit_id"))
    )


def visit_count(code):
    """How many published visits involve the country."""
    if available():
        total = CountryVisits.objects.filter(country=code).aggregate(n=Sum("visits"))["n"]
        return total or 0
    return involving_country(Visit.objects.published(), code).count()


def visits_per_year(visits, country=None):
    """[(year, n)] of `visits` (published), by the year they began, in order.

    `country` says that `visits` are exactly the published visits involving it, which
    PostgreSQL has counted already."""
    if country and available():
        return list(
            CountryVisits.objects.filter(country=country, visits__gt=0)
            .order_by("year")
            .values_list("year", "visits")
        )
    return list(
        visits.order_by()
        .annotate(year=ExtractYear("start_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )


# Leaders -------------------------------------------------------------------------------------


def _count_of(queryset, field):
    """A subquery counting the rows of queryset whose `field` is the outer leader."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1]), 0)


def leader_gift_counts(leader):
    """{"given": n, "received": n}: the leader's published gifts."""
    if available():
        row = LeaderActivity.objects.filter(leader=leader).values("given", "received").first()
        return row or {"given": 0, "received": 0}
    return (
        Gift.objects.public()
        .involving_leader(leader)
        .aggregate(
            given=Count("pk", filter=Q(giver=leader)),
            received=Count("pk", filter=Q(recipient=leader)),
        )
    )


def leaders_with_public_records():
    """The leaders named in a published gift or visit, each with `given`, `received`,
    `made_count` and `hosted_count`: their published gifts, and visits made and hosted."""
    if available():
        return Leader.objects.annotate(
            given=F("activity__given"),
            received=F("activity__received"),
            made_count=F("activity__visits_made"),
            hosted_count=F("activity__visits_hosted"),
        ).filter(Q(given__gt=0) | Q(received__gt=0) | Q(made_count__gt=0) | Q(hosted_count__gt=0))
    gifts = Gift.objects.public()
    return Leader.objects.annotate(
        given=_count_of(gifts, "giver"),
        received=_count_of(gifts, "recipient"),
        made_count=_count_of(
            Visit.visitors.through.objects.filter(visit__publication_status=PUBLISHED), "leader"
        ),
        hosted_count=_count_of(
            Visit.hosts.through.objects.filter(visit__publication_status=PUBLISHED), "leader"
        ),
    ).filter(Q(given__gt=0) | Q(received__gt=0) | Q(made_count__gt=0) | Q(hosted_count__gt=0))
