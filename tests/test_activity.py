"""The activity counts PostgreSQL keeps by trigger (each leader's gifts and visits, the
countries each visit involves, visits per country and year) agree with counting the
records, and the pages that read them show what counting from the records shows."""

import datetime
import importlib
from collections import Counter
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import TestCase

from giftapp.counts import activity
from giftapp.editorial.workflow import merge_leaders
from giftapp.models import (
    CountryVisits,
    Gift,
    Leader,
    LeaderActivity,
    PublicationStatus,
    Visit,
    VisitCountry,
)

from .factories import make_gift, make_leader, make_visit
from .pages_support import load_demo_story, page_text

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


def live_leader_activity():
    """{leader id: (given, received, visits made, visits hosted)}, counted from the records."""
    counts = {}
    relations = ("gifts_given", "gifts_received", "visits_made", "visits_hosted")
    for column, relation in enumerate(relations):
        published = Q(**{f"{relation}__publication_status": PUBLISHED})
        rows = Leader.objects.annotate(n=Count(relation, filter=published)).values_list("pk", "n")
        for pk, n in rows:
            counts.setdefault(pk, [0, 0, 0, 0])[column] = n
    return {pk: tuple(row) for pk, row in counts.items() if any(row)}


def kept_leader_activity():
    rows = LeaderActivity.objects.values_list(
        "leader_id", "given", "received", "visits_made", "visits_hosted"
    )
    return {pk: tuple(row) for pk, *row in rows if any(row)}


def live_visit_countries():
    """{(visit id, country): (year, hosted)} for every published visit and country it involves."""
    rows = {}
    for visit in Visit.objects.published().prefetch_related("visitors", "hosts"):
        year = visit.start_date.year
        for leader in [*visit.visitors.all(), *visit.hosts.all()]:
            rows[visit.pk, leader.country.code] = (year, False)
        rows[visit.pk, visit.host_country.code] = (year, True)
    return rows


def kept_visit_countries():
    return {
        (row.visit_id, row.country): (row.year, row.hosted) for row in VisitCountry.objects.all()
    }


def live_country_visits():
    counts = Counter()
    for (_visit, country), (year, hosted) in live_visit_countries().items():
        counts[country, year, "visits"] += 1
        counts[country, year, "hosted"] += hosted
    return {
        (country, year): (counts[country, year, "visits"], counts[country, year, "hosted"])
        for country, year, kind in counts
        if kind == "visits"
    }


def kept_country_visits():
    return {
        (row.country, row.year): (row.visits, row.hosted)
        for row in CountryVisits.objects.filter(visits__gt=0)
    }


@pytest.mark.postgresql("triggers")
class ActivityAggregateTests(TestCase):
    def assert_kept(self):
        self.assertEqual(kept_leader_activity(), live_leader_activity())
        self.assertEqual(kept_visit_countries(), live_visit_countries())
        self.assertEqual(kept_country_visits(), live_country_visits())

    def test_every_change_to_gifts_visits_participants_and_leaders_keeps_them_exact(self):
        kim, putin = make_leader("Kim", "KP"), make_leader("Putin", "RU")
        xi, scholz = make_leader("Xi", "CN"), make_leader("Scholz", "DE")
        summit = make_visit(host_country="RU", visitors=[kim], hosts=[putin])
        planned = make_visit(
            host_country="KP",
            visitors=[putin, xi],
            hosts=[kim],
            publication_status=DRAFT,
            start_date=datetime.date(2019, 4, 25),
            end_date=datetime.date(2019, 4, 26),
        )
        limousine = make_gift(giver=putin, recipient=kim, giver_country="RU", visit=summit)
        make_gift(giver=kim, recipient=putin, giver_country="KP", publication_status=DRAFT)
        make_gift(giver_country="FR", recipient_country="DE")
        self.assert_kept()
        self.assertEqual(LeaderActivity.objects.get(leader=kim).visits_made, 1)

        summit.visitors.add(xi, scholz)
        summit.hosts.remove(putin)
        self.assert_kept()
        summit.hosts.set([putin, kim])
        self.assert_kept()

        planned.publication_status = PUBLISHED
        planned.save()
        self.assert_kept()
        summit.host_country = "CN"
        summit.start_date, summit.end_date = datetime.date(2001, 1, 1), datetime.date(2001, 1, 2)
        summit.save()
        self.assert_kept()

        xi.country = "TW"
        xi.save()
        self.assert_kept()

        limousine.giver, limousine.recipient = xi, scholz
        limousine.save()
        Gift.objects.filter(giver=kim).update(publication_status=PUBLISHED)
        Gift.objects.bulk_create(
            [
                Gift(
                    item="Vase",
                    giver=scholz,
                    giver_country="DE",
                    recipient_country="FR",
                    date=datetime.date(2020, 1, 1),
                ),
                Gift(
                    item="Book",
                    recipient=scholz,
                    giver_country="FR",
                    recipient_country="DE",
                    date=datetime.date(2020, 1, 1),
                    publication_status=PUBLISHED,
                ),
            ]
        )
        self.assert_kept()

        merge_leaders(kim, xi)
        self.assertFalse(LeaderActivity.objects.filter(leader_id=xi.pk).exists())
        self.assert_kept()

        Visit.objects.filter(pk=summit.pk).update(
            publication_status=PublicationStatus.RETRACTED, retraction_reason="Never happened."
        )
        self.assert_kept()
        summit.visitors.clear()
        planned.delete()
        limousine.delete()
        self.assert_kept()
        self.assertEqual(kept_visit_countries(), {})

    def test_only_published_visits_have_their_countries_recounted(self):
        """A draft's countries are never counted: creating, editing or deleting draft
        visits calls no recount (an import creates thousands at once); publishing one
        does."""

        def recounts(cursor):
            cursor.execute(
                "SELECT COALESCE(sum(calls), 0) FROM pg_stat_xact_user_functions "
                "WHERE funcname = 'giftapp_visitcountry_refresh'"
            )
            return cursor.fetchone()[0]

        day = datetime.date(2024, 6, 18)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL track_functions = 'pl'")
            drafts = Visit.objects.bulk_create(
                Visit(
                    title=f"Visit {n}",
                    slug=f"visit-{n}",
                    host_country="RU",
                    start_date=day,
                    end_date=day,
                    publication_status=DRAFT,
                )
                for n in range(3)
            )
            Visit.objects.filter(pk=drafts[0].pk).update(host_country="CN")
            # (Django's delete would clear the visit's participants too, whose trigger
            # recounts whatever visits they name.)
            cursor.execute("DELETE FROM giftapp_visit WHERE id = %s", [drafts[1].pk])
            self.assertEqual(recounts(cursor), 0)
            Visit.objects.filter(pk=drafts[2].pk).update(publication_status=PUBLISHED)
            self.assertEqual(recounts(cursor), 1)
        self.assert_kept()
        self.assertEqual(kept_visit_countries(), {(drafts[2].pk, "RU"): (2024, True)})

    def test_the_migration_counts_what_is_already_there(self):
        kim, putin = make_leader("Kim", "KP"), make_leader("Putin", "RU")
        make_visit(host_country="RU", visitors=[kim], hosts=[putin])
        make_visit(host_country="KP", hosts=[kim], publication_status=DRAFT)
        make_gift(giver=putin, recipient=kim, giver_country="RU", recipient_country="KP")
        migration = importlib.import_module("giftapp.migrations.0006_activity_counts")
        for model in (LeaderActivity, VisitCountry, CountryVisits):
            model.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(migration.FILL_SQL)
        self.assert_kept()


@pytest.mark.postgresql("triggers")
class PagesFromTheAggregatesTests(TestCase):
    """The pages read from the aggregates show exactly what counting the records shows."""

    @classmethod
    def setUpTestData(cls):
        load_demo_story()
        kim = Leader.objects.get(slug="kim-jong-un")
        xi = make_leader("Xi Jinping", "CN")
        make_visit(host_country="CN", visitors=[kim], hosts=[xi])
        make_visit(host_country="CN", hosts=[xi], publication_status=DRAFT)
        make_gift(
            giver=xi,
            recipient=kim,
            giver_country="CN",
            recipient_country="KP",
            date=None,
            date_precision="unknown",
        )
        make_gift(giver_country="CN", recipient_country="RU", date=datetime.date(1999, 5, 1))

    def test_pages_read_from_the_aggregates_match_pages_counted_from_the_records(self):
        urls = [
            "/",
            "/countries/",
            "/countries/KP/",
            "/countries/CN/",
            "/countries/RU/",
            "/leaders/",
            "/timeline/",
            "/timeline/?country=CN",
            "/timeline/?country=kp&year_from=2024",
            "/timeline/?country=RU&leader=kim-jong-un",
        ]
        for url in urls:
            with self.subTest(url=url):
                kept = self.client.get(url)
                with mock.patch.object(activity, "available", return_value=False):
                    counted = self.client.get(url)
                self.assertEqual(kept.status_code, 200)
                self.assertEqual(kept.content.decode(), counted.content.decode())
        text = page_text(self.client.get("/timeline/?country=KP"))
        self.assertIn("3 visits involving North Korea", text)
