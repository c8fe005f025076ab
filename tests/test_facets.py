"""The facet aggregates that PostgreSQL keeps by trigger agree with counting the gifts,
and the gift list's counts read from them agree with the counts made from the gifts."""

import bisect
import datetime
import threading
from collections import Counter
from decimal import Decimal
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.test import TestCase, TransactionTestCase

from giftapp.counts import facets
from giftapp.filters import GiftFilter
from giftapp.models import FlagFacet, Gift, GiftFacet, GiftFacetPair, SanctionsFlag

from .factories import make_flag, make_gift, make_leader, make_regime, make_source


def live_counts(*, banded=False):
    """{combination: published gifts}; with `banded`, each combination ends with the
    value band, and gifts without a value are left out."""
    names = ["giver_country", "recipient_country", "category", "year", "is_flagged"]
    gifts = Gift.objects.published().annotate(year=ExtractYear("date"))
    if banded:
        gifts = gifts.filter(value_usd__isnull=False)
        names.append("value_usd")
    counts = Counter()
    for row in gifts.values(*names).annotate(n=Count("pk")):
        combination = [row[name] for name in names]
        combination[3] = combination[3] or 0
        if banded:
            combination[5] = bisect.bisect_right(facets.VALUE_BOUNDS, combination[5])
        counts[tuple(combination)] += row["n"]
    return dict(counts)


def kept_counts():
    return {
        (f.giver_country, f.recipient_country, f.category, f.year, f.is_flagged): f.n
        for f in GiftFacet.objects.filter(n__gt=0)
    }


DIMENSIONS = ("giver_country", "recipient_country", "category", "year", "is_flagged")


def live_pairs():
    """The pair rollups, computed here from the combinations counted live."""
    pairs = Counter()
    for combination, n in live_counts().items():
        values = dict(zip(DIMENSIONS, map(text, combination), strict=True))
        for facet in DIMENSIONS:
            pairs["", "", facet, values[facet]] += n
            for dimension in DIMENSIONS:
                if dimension != facet:
                    pairs[dimension, values[dimension], facet, values[facet]] += n
    # Each facet under each value band.
    for (*combination, band), n in live_counts(banded=True).items():
        for facet, value in zip(DIMENSIONS, combination, strict=True):
            pairs["value_band", str(band), facet, text(value)] += n
    return dict(pairs)


def text(value):
    return str(value).lower() if isinstance(value, bool) else str(value)


def kept_pairs():
    return {
        (p.filter_dimension, p.filter_value, p.facet_dimension, p.facet_value): p.n
        for p in GiftFacetPair.objects.filter(n__gt=0)
    }


def live_flag_rows():
    flags = SanctionsFlag.objects.public().filter(gift__publication_status="published")
    return sorted(
        (
            f.gift_id,
            f.regime_id,
            f.status,
            f.gift.giver_country,
            f.gift.recipient_country,
            f.gift.category,
            f.gift.date.year if f.gift.date else 0,
            f.gift.is_flagged,
            f.gift.value_usd,
        )
        for f in flags.select_related("gift").distinct()
    )


def kept_flag_rows():
    return sorted(
        FlagFacet.objects.values_list(
            "gift_id",
            "regime_id",
            "status",
            "giver_country",
            "recipient_country",
            "category",
            "year",
            "is_flagged",
            "value_usd",
        )
    )


def assert_kept(test):
    test.assertEqual(kept_counts(), live_counts())
    test.assertEqual(kept_pairs(), live_pairs())
    test.assertEqual(kept_flag_rows(), live_flag_rows())


@pytest.mark.postgresql("triggers")
class FacetAggregateTests(TestCase):
    def test_inserts_updates_deletes_and_flags_keep_the_aggregate_exact(self):
        source = make_source()
        gifts = [
            make_gift(
                giver_country="RU",
                recipient_country="KP",
                category="vehicle",
                value_usd=Decimal("1999.99"),
            ),
            make_gift(
                giver_country="KP",
                recipient_country="RU",
                date=None,
                date_precision="unknown",
                value_usd=Decimal("0.50"),
            ),
            make_gift(giver_country="FR", recipient_country="DE", publication_status="draft"),
        ]
        assert_kept(self)
        gifts[2].publication_status = "published"
        gifts[2].sources.add(source)
        gifts[2].value_usd = Decimal(2000)
        gifts[2].save()
        gifts[0].recipient_country = "CN"
        gifts[0].date = datetime.date(2001, 1, 1)
        gifts[0].value_usd = None
        gifts[0].save()
        assert_kept(self)
        self.assertTrue(GiftFacetPair.objects.filter(filter_dimension="value_band").exists())
        flag = make_flag(gifts[1], make_regime())
        assert_kept(self)
        self.assertEqual(facets.totals({})["flagged"], 1)
        flag.status = "cleared"
        flag.save()
        assert_kept(self)
        gifts[1].value_usd = Decimal("12.25")
        gifts[1].save()
        assert_kept(self)
        gifts[1].recipient_country = "CN"
        gifts[1].save()
        assert_kept(self)
        gifts[1].delete()
        Gift.objects.filter(pk=gifts[0].pk).update(category="artwork")
        assert_kept(self)
        self.assertEqual(facets.totals({}), {"total": 2, "flagged": 0})

    def test_counts_answer_only_the_filters_they_can(self):
        self.assertTrue(facets.answerable({"recipient_country": "KP", "category": ["book"]}))
        self.assertFalse(facets.answerable({"q": "vase"}))
        self.assertFalse(facets.answerable({"date_from": datetime.date(2024, 3, 1)}))

    def test_rebuild_recounts_both_aggregates(self):
        make_gift(giver_country="RU", recipient_country="KP", value_usd=Decimal(5000))
        make_gift(giver_country="KP", recipient_country="RU", category="animal")
        GiftFacet.objects.update(n=7)
        GiftFacetPair.objects.all().delete()
        facets.rebuild()
        assert_kept(self)


def filterset(data):
    bound = GiftFilter(QueryDict(urlencode(data, doseq=True)))
    assert bound.is_valid(), bound.errors
    return bound


def list_counts(data):
    """The list's total, flagged count and facets for these parameters."""
    bound = filterset(data)
    return bound.counts(), [(f.name, f.items) for f in bound.facets()]


@pytest.mark.postgresql("triggers")
class AggregateAnswersTests(TestCase):
    """Every filter the aggregates answer gives the counts made from the gifts."""

    @classmethod
    def setUpTestData(cls):
        cls.regime = regime = make_regime()
        other = make_regime(code="EU-RU")
        rows = [
            ("RU", "KP", "vehicle", datetime.date(2024, 6, 19)),
            ("RU", "KP", "artwork", datetime.date(2024, 6, 19)),
            ("KP", "RU", "animal", datetime.date(2024, 6, 19)),
            ("KP", "RU", "artwork", datetime.date(2019, 4, 25)),
            ("CN", "KP", "artwork", datetime.date(2018, 1, 1)),
            ("KP", "CN", "tableware", None),
            ("US", "GB", "artwork", datetime.date(999, 5, 1)),
            ("FR", "RU", "vehicle", datetime.date(2010, 12, 31)),
        ]
        for giver, recipient, category, date in rows:
            gift = make_gift(
                giver_country=giver,
                recipient_country=recipient,
                category=category,
                date=date,
                date_precision="day" if date else "unknown",
            )
            if category == "vehicle":
                make_flag(gift, regime)
                make_flag(gift, other, status="disputed")
            elif recipient == "KP":
                make_flag(gift, other, status="cleared")
                make_flag(gift, regime, publication_status="draft")
        make_gift(giver_country="RU", recipient_country="KP", publication_status="draft")

    def test_the_aggregates_agree_with_counting_the_gifts(self):
        cases = [
            {},
            {"recipient_country": "KP"},
            {"giver_country": "RU"},
            {"country": "KP"},
            {"country": "RU"},
            {"category": ["artwork"]},
            {"category": ["artwork", "vehicle"]},
            {"date_from": "2018-01-01", "date_to": "2019-12-31"},
            {"date_from": "2019-01-01"},
            {"date_to": "2018-12-31"},
            {"flagged": "yes"},
            {"flagged": "no"},
            {"giver_country": "RU", "recipient_country": "KP"},
            {"country": "KP", "category": ["artwork"]},
            {"category": ["artwork"], "date_from": "2018-01-01", "date_to": "2024-12-31"},
            {"recipient_country": "RU", "flagged": "yes"},
        ]
        for data in cases:
            with self.subTest(data):
                self.assertTrue(facets.answerable(filterset(data).form.cleaned_data))
                self.assert_same_counts(data)
        # The flag-status facet leaves these two filters out, so reads its aggregate.
        code = self.regime.code
        for data in (
            {"regime": code},
            {"regime": code, "recipient_country": "KP"},
            {"flag_status": "alleged", "category": ["vehicle"]},
        ):
            with self.subTest(data):
                self.assertFalse(facets.answerable(filterset(data).form.cleaned_data))
                self.assert_same_counts(data)

    def assert_same_counts(self, data):
        kept = list_counts(data)
        self.assertTrue(any(items for _name, items in kept[1]))
        with mock.patch.object(facets, "available", return_value=False):
            self.assertEqual(kept, list_counts(data))


def list_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    context = response.context
    return (
        context["total"],
        context["summary"],
        [gift.pk for gift in context["gifts"]],
        [(f["name"], [(i["value"], i["count"]) for i in f["items"]]) for f in context["facets"]],
    )


@pytest.mark.postgresql("triggers")
class SinglePassTests(TestCase):
    """Lists counted, faceted and paged in one pass give what the separate queries give."""

    @classmethod
    def setUpTestData(cls):
        regime = make_regime()
        leader = make_leader(name="Kim Jong Un", country="KP")
        for number in range(60):
            gift = make_gift(
                item=f"{'Silver' if number % 3 else 'Gold'} vase {number}",
                giver_country=("RU", "CN", "KP")[number % 3],
                recipient_country="KP" if number % 3 != 2 else "RU",
                recipient=leader if number % 3 != 2 else None,
                category=("artwork", "tableware", "vehicle", "animal")[number % 4],
                date=None if number % 7 == 0 else datetime.date(2000 + number % 25, 6, 1),
                date_precision="unknown" if number % 7 == 0 else "day",
                value_usd=None if number % 5 == 0 else 100 * number,
                publication_status="draft" if number % 11 == 0 else "published",
            )
            if number % 6 == 1:
                make_flag(gift, regime, status=("alleged", "cleared")[number % 2])
        cls.slug = leader.slug

    def test_single_pass_agrees_with_separate_queries(self):
        urls = [
            "/gifts/?q=silver",
            "/gifts/?q=silver&sort=-value&page=2",
            "/gifts/?q=vase&sort=item",
            "/gifts/?q=vase&sort=date&page=3",
            "/gifts/?value_min=1000&value_max=4000",
            "/gifts/?value_min=100&sort=value&page=2",
            f"/gifts/?leader={self.slug}",
            f"/gifts/?leader={self.slug}&flagged=yes",
            "/gifts/?q=gold&country=RU",
            "/gifts/?q=nothing-matches-this",
            "/gifts/?q=vase&page=9",
            # With the facets' own filters: each facet counts under the others.
            "/gifts/?q=vase&category=artwork&category=vehicle",
            "/gifts/?q=silver&recipient_country=KP&date_from=2004-01-01&date_to=2015-06-30",
            "/gifts/?value_min=500&giver_country=RU&sort=-date&page=2",
            f"/gifts/?leader={self.slug}&giver_country=CN&category=tableware",
            "/gifts/?q=gold&date_to=2010-12-31&recipient_country=RU&flagged=no",
        ]
        for url in urls:
            with self.subTest(url):
                scanned = list_page(self.client, url)
                self.assertIsNotNone(filterset(dict(QueryDict(url.split("?")[1]).lists())).scanned)
                with mock.patch.object(facets, "scannable", return_value=False):
                    self.assertEqual(scanned, list_page(self.client, url))


@pytest.mark.postgresql("triggers")
class ValueBandTests(TestCase):
    """A value range alone is counted from the value bands it covers and the gifts at its
    ends: the same counts, facets and page as counting the gifts."""

    @classmethod
    def setUpTestData(cls):
        regime = make_regime()
        values = [None, "0.50", "1", "999.99", "1000", "1500", "2000", "4321", "5000", "9999.99"]
        values += ["10000", "10000.01", "250000", "7000000"]
        for number in range(56):
            gift = make_gift(
                item=f"Vase {number}",
                giver_country=("RU", "CN", "KP", "US")[number % 4],
                recipient_country=("GB", "DE", "FR")[number % 3],
                category=("artwork", "tableware", "vehicle")[number % 3],
                date=None if number % 9 == 0 else datetime.date(2000 + number % 20, 6, 1),
                date_precision="unknown" if number % 9 == 0 else "day",
                value_usd=None if values[number % 14] is None else Decimal(values[number % 14]),
                publication_status="draft" if number % 13 == 0 else "published",
            )
            if number % 5 == 1:
                make_flag(gift, regime, status=("alleged", "cleared")[number % 2])

    def test_value_ranges_count_as_the_gifts_do(self):
        urls = [
            "/gifts/?value_min=1000&value_max=10000",
            "/gifts/?value_min=1000&value_max=9999.99&sort=-value",
            "/gifts/?value_min=150&value_max=4321",
            "/gifts/?value_min=1000",
            "/gifts/?value_min=1000.01&page=2",
            "/gifts/?value_max=2000&sort=item",
            "/gifts/?value_min=0",
            "/gifts/?value_min=0&value_max=0.99",
            "/gifts/?value_min=10000&value_max=10000",
            "/gifts/?value_min=300000&value_max=400000",
            "/gifts/?value_min=1&value_max=99999999999999",
        ]
        for url in urls:
            with self.subTest(url):
                values = filterset(dict(QueryDict(url.split("?")[1]).lists())).form.cleaned_data
                self.assertTrue(facets.bandable(values))
                banded = list_page(self.client, url)
                with mock.patch.object(facets, "available", return_value=False):
                    self.assertEqual(banded, list_page(self.client, url))

    def test_a_minimum_of_zero_leaves_out_the_gifts_without_a_value(self):
        total = list_page(self.client, "/gifts/?value_min=0")[0]
        self.assertEqual(total, Gift.objects.published().filter(value_usd__isnull=False).count())

    def test_only_a_value_range_alone_is_counted_from_the_bands(self):
        for data in (
            {"value_min": "1000", "recipient_country": "KP"},
            {"value_min": "1000", "q": "vase"},
            {"value_max": "1000", "date_from": "2004-03-01"},
            {"value_max": "1000", "flagged": "yes"},
            {},
        ):
            with self.subTest(data):
                self.assertFalse(facets.bandable(filterset(data).form.cleaned_data))

    def test_value_bands_split_a_range_into_whole_bands_and_ends(self):
        def band_bounds(low, high):
            bands, edges = facets.value_bands(
                low if low is None else Decimal(low), high if high is None else Decimal(high)
            )
            starts = (0, *facets.VALUE_BOUNDS)
            return starts[bands[0]] if bands else None, len(bands), edges

        self.assertEqual(band_bounds("1000", "10000"), (1000, 3, [(10000, None)]))
        self.assertEqual(band_bounds("150", "4321"), (200, 3, [(150, 200), (2000, None)]))
        self.assertEqual(band_bounds(None, "0.5"), (None, 0, [(0, None)]))
        self.assertEqual(band_bounds("5", None), (5, 40, []))


@pytest.mark.postgresql("triggers")
class DeferredUpkeepTests(TestCase):
    def test_a_deferred_bulk_write_recounts_the_aggregates_at_its_end(self):
        make_gift(giver_country="RU", recipient_country="KP")
        with facets.deferred():
            make_gift(giver_country="KP", recipient_country="RU", category="animal")
            Gift.objects.filter(giver_country="RU").update(category="vehicle")
            # Skipped while deferred: the aggregates still count the first gift only.
            self.assertEqual(facets.totals({})["total"], 1)
        assert_kept(self)
        make_gift(giver_country="CN", recipient_country="KP")
        assert_kept(self)


@pytest.mark.postgresql("triggers")
class ConcurrentRebuildTests(TransactionTestCase):
    """A recount while another transaction writes gifts (outside a test transaction, so
    that each commits)."""

    def test_a_gift_written_during_a_recount_is_counted_once(self):
        original = make_gift(giver_country="RU", recipient_country="KP")
        columns = [f.column for f in Gift._meta.concrete_fields if f.column != "id"]
        copied = ", ".join("'CN'" if column == "giver_country" else column for column in columns)
        writer = connections.create_connection(DEFAULT_DB_ALIAS)
        failures = []

        def recount():
            try:
                with transaction.atomic():
                    facets.rebuild()
            except Exception as exc:  # noqa: BLE001 - reported by the test below
                failures.append(exc)
            finally:
                connection.close()

        try:
            writer.set_autocommit(False)
            with writer.cursor() as cursor:
                # A published gift from a new country: its trigger adds combinations and
                # pairs the recount has not seen, and adds to some it has.
                cursor.execute(
                    f"INSERT INTO giftapp_gift ({', '.join(columns)}) "
                    f"SELECT {copied} FROM giftapp_gift WHERE id = %s",
                    [original.pk],
                )
            recounting = threading.Thread(target=recount)
            recounting.start()
            recounting.join(timeout=0.5)  # the recount waits for the writer
            writer.commit()
            recounting.join()
        finally:
            writer.close()
        self.assertEqual(failures, [])
        self.assertEqual(Gift.objects.published().count(), 2)
        assert_kept(self)
