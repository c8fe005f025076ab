"""The facet aggregate that PostgreSQL keeps by trigger agrees with counting the gifts."""

import datetime

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.test import TestCase

from giftapp import facets
from giftapp.models import Gift, GiftFacet

from .factories import make_flag, make_gift, make_regime, make_source


def live_counts():
    rows = (
        Gift.objects.published()
        .annotate(year=ExtractYear("date"))
        .values("giver_country", "recipient_country", "category", "year", "is_flagged")
        .annotate(n=Count("pk"))
    )
    return {
        (
            r["giver_country"],
            r["recipient_country"],
            r["category"],
            r["year"] or 0,
            r["is_flagged"],
        ): r["n"]
        for r in rows
    }


def kept_counts():
    return {
        (f.giver_country, f.recipient_country, f.category, f.year, f.is_flagged): f.n
        for f in GiftFacet.objects.filter(n__gt=0)
    }


@pytest.mark.postgresql
class FacetAggregateTests(TestCase):
    def test_inserts_updates_deletes_and_flags_keep_the_aggregate_exact(self):
        source = make_source()
        gifts = [
            make_gift(giver_country="RU", recipient_country="KP", category="vehicle"),
            make_gift(
                giver_country="KP", recipient_country="RU", date=None, date_precision="unknown"
            ),
            make_gift(giver_country="FR", recipient_country="DE", publication_status="draft"),
        ]
        self.assertEqual(kept_counts(), live_counts())
        gifts[2].publication_status = "published"
        gifts[2].sources.add(source)
        gifts[2].save()
        gifts[0].recipient_country = "CN"
        gifts[0].date = datetime.date(2001, 1, 1)
        gifts[0].save()
        self.assertEqual(kept_counts(), live_counts())
        flag = make_flag(gifts[1], make_regime())
        self.assertEqual(kept_counts(), live_counts())
        self.assertEqual(facets.totals({})["flagged"], 1)
        flag.status = "cleared"
        flag.save()
        gifts[1].delete()
        Gift.objects.filter(pk=gifts[0].pk).update(category="artwork")
        self.assertEqual(kept_counts(), live_counts())
        self.assertEqual(facets.totals({}), {"total": 2, "flagged": 0})

    def test_counts_answer_only_the_filters_they_can(self):
        self.assertTrue(facets.answerable({"recipient_country": "KP", "category": ["book"]}))
        self.assertFalse(facets.answerable({"q": "vase"}))
        self.assertFalse(facets.answerable({"date_from": datetime.date(2024, 3, 1)}))
