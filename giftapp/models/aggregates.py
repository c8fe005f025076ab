"""Counts that PostgreSQL keeps by trigger (migrations 0002 to 0009) so that lists and
pages at a million gifts read a few rows; empty and unused on SQLite (backends.py)."""

from django.db import models

from .leaders import Leader


class GiftFacet(models.Model):
    """How many published gifts share each combination of the list's main facets.

    Kept by PostgreSQL triggers on giftapp_gift (migration 0002), one set-based upsert per
    statement, so the gift list's counts for country, category, year and flag filters
    read a few hundred rows instead of scanning a million gifts. Year 0 stands for an
    unknown date. Unused on SQLite, where the counts are computed from the gifts.
    """

    giver_country = models.CharField(max_length=2)
    recipient_country = models.CharField(max_length=2)
    category = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    is_flagged = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["giver_country", "recipient_country", "category", "year", "is_flagged"],
                name="giftfacet_combination_unique",
            )
        ]
        # Lists filtered on two dimensions or more read the combinations through these
        # (the unique constraint's index serves filters that name the giver country).
        indexes = [
            models.Index(fields=["recipient_country", "category"], name="giftfacet_recipient_idx"),
            models.Index(fields=["category", "year"], name="giftfacet_category_year_idx"),
            models.Index(fields=["year"], name="giftfacet_year_idx"),
        ]

    def __str__(self):
        return (
            f"{self.giver_country}→{self.recipient_country} {self.category} {self.year}: {self.n}"
        )


class GiftFacetPair(models.Model):
    """Published gifts counted by one facet value among those with another: the rollups
    of GiftFacet that answer a list with at most one filter dimension at once.

    A row says: of the published gifts whose `filter_dimension` is `filter_value`, `n`
    have `facet_dimension` = `facet_value`. An empty filter dimension means all published
    gifts (one facet counted alone). Dimensions are giver_country, recipient_country,
    category, year (0 for an unknown date) and is_flagged ("true"/"false"); values are
    stored as text. Every pair of dimensions is kept in both orders, so a lookup always
    reads the few rows of one filter value. The filter dimension value_band, whose values
    number the bands of counts.facets.VALUE_BOUNDS, counts each facet among the gifts
    valued in one band (migration 0020). Kept by the same PostgreSQL triggers as
    GiftFacet (migration 0004); unused on SQLite.
    """

    filter_dimension = models.CharField(max_length=20)
    filter_value = models.CharField(max_length=20)
    facet_dimension = models.CharField(max_length=20)
    facet_value = models.CharField(max_length=20)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["filter_dimension", "filter_value", "facet_dimension", "facet_value"],
                name="giftfacetpair_unique",
            )
        ]

    def __str__(self):
        return (
            f"{self.filter_dimension}={self.filter_value}: "
            f"{self.facet_dimension}={self.facet_value} {self.n}"
        )


class FlagFacet(models.Model):
    """The public flags of published gifts, each with its gift's facet dimensions and
    value: what the gift list's flag-status counts read, a few thousand rows instead of a
    join of every flag to a million gifts.

    One row per gift, regime and status. Kept by PostgreSQL statement triggers on
    giftapp_gift and giftapp_sanctionsflag (migrations 0005 and 0023), which rewrite the
    rows of every gift a statement touched; unused on SQLite.
    """

    gift_id = models.BigIntegerField(db_index=True)
    regime_id = models.BigIntegerField()
    status = models.CharField(max_length=20)
    giver_country = models.CharField(max_length=2)
    recipient_country = models.CharField(max_length=2)
    category = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    is_flagged = models.BooleanField()
    value_usd = models.DecimalField(max_digits=16, decimal_places=2, null=True)

    def __str__(self):
        return f"gift {self.gift_id}: {self.status}"


class LeaderActivity(models.Model):
    """How many published gifts a leader gave and received, and how many published visits
    they made and hosted: what the leader index shows and filters on, read in one join
    instead of four counts per leader over a million gifts.

    Kept by PostgreSQL statement triggers on the gifts, the visits, their visitors and
    hosts, and the leaders (migration 0006); a leader with no row has no public record.
    Unused on SQLite, where the index counts from the records.
    """

    leader = models.OneToOneField(
        Leader,
        primary_key=True,
        # The triggers delete the row with its leader.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="activity",
    )
    given = models.IntegerField(db_default=0)
    received = models.IntegerField(db_default=0)
    visits_made = models.IntegerField(db_default=0)
    visits_hosted = models.IntegerField(db_default=0)

    def __str__(self):
        return (
            f"leader {self.leader_id}: {self.given} given, {self.received} received, "
            f"{self.visits_made} visits made, {self.visits_hosted} hosted"
        )


class VisitCountry(models.Model):
    """A published visit and a country it involves: its host country, or the country of
    one of its visitors or hosts. One row per visit and country, with the year the visit
    began and whether the country hosted it.

    What the timeline's country filter reads, instead of joining every visit to its
    participants and their leaders. Kept by PostgreSQL statement triggers on the visits,
    their visitors and hosts, and the leaders (migration 0006), which rewrite the rows of
    every visit a statement touched; unused on SQLite.
    """

    visit_id = models.BigIntegerField(db_index=True)
    country = models.CharField(max_length=2)
    year = models.SmallIntegerField()
    hosted = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "visit_id"], name="visitcountry_unique")
        ]

    def __str__(self):
        return f"visit {self.visit_id}: {self.country}"


class CountryVisits(models.Model):
    """Published visits per country and the year they began: how many involve the country
    (as in VisitCountry) and how many of those it hosted. The country pages, the country
    index and the timeline's year strip read a few rows here instead of counting visits.

    Kept with VisitCountry by the same triggers (migration 0006); unused on SQLite.
    """

    country = models.CharField(max_length=2)
    year = models.SmallIntegerField()
    visits = models.BigIntegerField(default=0)
    hosted = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "country visits"
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="countryvisits_unique")
        ]

    def __str__(self):
        return f"{self.country} {self.year}: {self.visits} visits, {self.hosted} hosted"
