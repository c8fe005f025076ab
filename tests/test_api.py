"""The read API, /api/v1/ (giftapp/api/): public records only, the gift list's filters,
cursors that hold while records are added, the export's gifts, errors as 4xx."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from unittest import mock
from urllib.parse import quote

from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from giftapp.api import views as api_views
from giftapp.api.serializers import GiftSerializer
from giftapp.exports import interchange
from giftapp.models import (
    Gift,
    GiftLink,
    ImportBatch,
    LeaderRedirect,
    LinkStatus,
    PublicationStatus,
    RegisterEntry,
)
from giftapp.queries.public import visible_or_404

from .factories import make_flag, make_gift, make_leader, make_regime, make_source, make_visit
from .test_database_outage import database_down

D = datetime.date
DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
RETRACTED = PublicationStatus.RETRACTED
API = "/api/v1/"


def every_page(client, url):
    """Every record of a list, following its cursor links; and the pages read."""
    records, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        records += body["results"]
        pages += 1
        url = body["next"]
    return records, pages


class VisibilityTests(TestCase):
    """Nothing unpublished is listed, found or confirmed: drafts and records in review
    answer 404 as if they did not exist, retractions 410 with the reason."""

    @classmethod
    def setUpTestData(cls):
        cls.kim = make_leader("Kim Jong Un", country="KP")
        cls.putin = make_leader("Vladimir Putin", country="RU")
        cls.secret = make_leader("Unpublished Person", country="RU")
        cls.visit = make_visit(title="Summit", visitors=[cls.putin], hosts=[cls.kim])
        cls.draft_visit = make_visit(title="Draft visit", publication_status=DRAFT)
        cls.gone_visit = make_visit(
            title="Gone visit", publication_status=RETRACTED, retraction_reason="Cancelled."
        )
        source = make_source(url="https://news.example.org/dogs")
        cls.gift = make_gift(
            item="Two Pungsan dogs", giver=cls.kim, recipient=cls.putin, giver_country="KP",
            recipient_country="RU", visit=cls.visit, sources=[source],
        )  # fmt: skip
        cls.draft = make_gift(item="Draft gift", giver=cls.secret, publication_status=DRAFT)
        cls.review = make_gift(item="Gift in review", publication_status=IN_REVIEW)
        cls.retracted = make_gift(
            item="Gold watch", publication_status=RETRACTED, retraction_reason="Misread."
        )
        cls.on_draft_visit = make_gift(item="Vase", visit=cls.draft_visit)
        regime = make_regime()
        cls.flag = make_flag(cls.gift, regime)
        cls.draft_flag = make_flag(cls.gift, make_regime("EU-DPRK"), publication_status=DRAFT)
        cls.flag_on_draft = make_flag(cls.draft, regime)
        batch = ImportBatch.objects.create(file_name="r.csv", file_sha256="0" * 64, format="x")
        cls.entries = {
            gift.item: RegisterEntry.objects.create(
                batch=batch,
                register="us-federal-register",
                row=str(n),
                record=n,
                line=n + 1,
                cells=[["id", str(n)], ["donor", gift.item]],
                gift=gift,
                status="imported",
            )  # fmt: skip
            for n, gift in enumerate((cls.gift, cls.draft, cls.retracted), start=1)
        }

    def test_lists_hold_public_records_only(self):
        gifts, _ = every_page(self.client, API + "gifts/")
        self.assertEqual(
            {g["item"] for g in gifts}, {"Two Pungsan dogs", "Vase"}, "published gifts only"
        )
        vase = next(g for g in gifts if g["item"] == "Vase")
        self.assertEqual(vase["visit"], "", "an unpublished visit is not named")
        leaders, _ = every_page(self.client, API + "leaders/")
        self.assertEqual({leader["slug"] for leader in leaders}, {"kim-jong-un", "vladimir-putin"})
        visits, _ = every_page(self.client, API + "visits/")
        self.assertEqual([v["title"] for v in visits], ["Summit"])
        flags, _ = every_page(self.client, API + "flags/")
        self.assertEqual([f["id"] for f in flags], [self.flag.pk])
        dogs = next(g for g in gifts if g["item"] == "Two Pungsan dogs")
        self.assertEqual(dogs["sanctions"], [{"regime": "UN-SC1718", "status": "alleged"}])
        entries, _ = every_page(self.client, API + "entries/")
        self.assertEqual([e["gift"] for e in entries], [self.gift.pk])
        countries = self.client.get(API + "countries/").json()
        self.assertEqual(
            {(c["code"], c["given"], c["received"]) for c in countries},
            {("KP", 1, 0), ("RU", 0, 1), ("FR", 1, 0), ("DE", 0, 1)},
        )
        regimes = self.client.get(API + "sanctions/").json()["results"]
        self.assertEqual({r["code"]: r["flagged"] for r in regimes}, {"EU-DPRK": 0, "UN-SC1718": 1})

    def test_unpublished_records_are_not_found(self):
        for url in (
            f"gifts/{self.draft.pk}/",
            f"gifts/{self.review.pk}/",
            f"leaders/{self.secret.slug}/",
            f"visits/{self.draft_visit.slug}/",
            f"flags/{self.draft_flag.pk}/",
            f"flags/{self.flag_on_draft.pk}/",
            f"entries/{self.entries['Draft gift'].pk}/",
            f"entries/{self.entries['Gold watch'].pk}/",
        ):
            with self.subTest(url=url):
                response = self.client.get(API + url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(b"Draft", response.content)

    def test_filters_cannot_confirm_an_unpublished_record(self):
        for url in (
            f"gifts/?giver={self.secret.slug}",
            f"gifts/?leader={self.secret.slug}",
            f"gifts/?visit={self.draft_visit.slug}",
        ):
            with self.subTest(url=url):
                response = self.client.get(API + url)
                self.assertEqual(response.status_code, 400)
                self.assertIn(b"No ", response.content)
        for url in (f"flags/?gift={self.draft.pk}", f"entries/?gift={self.draft.pk}"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(API + url).json()["results"], [])

    def test_a_gift_unpublished_while_it_is_read_is_not_shown_as_it_now_is(self):
        """A list reads its page's ids, then their records; a gift reads whether it is
        visible, then its record. A gift unpublished in between (an editor's change
        committed meanwhile) is left out of the list and not found alone: its draft
        wording never appears."""

        def unpublishing_after(read):
            def read_then_unpublish(*args, **kwargs):
                found = read(*args, **kwargs)
                Gift.objects.filter(pk=self.gift.pk).update(
                    item="Draft wording", publication_status=DRAFT
                )
                return found

            return read_then_unpublish

        cache.clear()
        paginate = api_views.GiftViewSet.paginate_queryset
        with mock.patch.object(
            api_views.GiftViewSet, "paginate_queryset", unpublishing_after(paginate)
        ):
            response = self.client.get(API + "gifts/")
        self.assertEqual([g["item"] for g in response.json()["results"]], ["Vase"])
        Gift.objects.filter(pk=self.gift.pk).update(
            item="Two Pungsan dogs", publication_status=PublicationStatus.PUBLISHED
        )
        cache.clear()
        with mock.patch.object(api_views, "visible_or_404", unpublishing_after(visible_or_404)):
            response = self.client.get(API + f"gifts/{self.gift.pk}/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"Draft wording", response.content)

    def test_an_address_no_endpoint_matches_is_a_404_in_json(self):
        for url in ("gifts/not-a-number/", "leaders/%C2%84/", "visits/a%20b/", "nothing/"):
            with self.subTest(url=url):
                response = self.client.get(API + url)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertEqual(response.json(), {"detail": "Not found."})
        self.assertContains(self.client.get("/gifts/not-a-number/"), "<html", status_code=404)

    def test_retractions_are_gone_with_their_reason(self):
        for url, reason in (
            (f"gifts/{self.retracted.pk}/", "Misread."),
            (f"visits/{self.gone_visit.slug}/", "Cancelled."),
        ):
            with self.subTest(url=url):
                response = self.client.get(API + url)
                self.assertEqual(response.status_code, 410)
                self.assertEqual(response.json()["retraction_reason"], reason)

    def test_a_gift_is_its_interchange_record(self):
        body = self.client.get(API + f"gifts/{self.gift.pk}/").json()
        self.assertEqual(body["item"], "Two Pungsan dogs")
        self.assertEqual(body["giver"], "Kim Jong Un")
        self.assertEqual(body["visit"], self.visit.slug)
        self.assertEqual(body["sources"], ["https://news.example.org/dogs"])
        self.assertEqual(body["url"], f"http://testserver/gifts/{self.gift.pk}/")
        export = self.client.get("/gifts/?format=json&giver_country=KP")
        self.assertEqual(json.loads(b"".join(export.streaming_content)), [body])

    def test_a_leader_carries_the_pages_counts(self):
        body = self.client.get(API + "leaders/kim-jong-un/").json()
        self.assertEqual((body["given"], body["received"]), (1, 0))
        self.assertEqual(body["country"], "KP")

    def test_a_linked_record_s_rows_belong_to_the_gift_kept(self):
        duplicate = self.retracted
        GiftLink.objects.create(
            kept=self.gift, duplicate=duplicate, status=LinkStatus.LINKED, rule="test"
        )
        entries = self.client.get(API + f"entries/?gift={self.gift.pk}").json()["results"]
        self.assertEqual(
            {(e["id"], e["gift"]) for e in entries},
            {(self.entries["Two Pungsan dogs"].pk, self.gift.pk),
             (self.entries["Gold watch"].pk, self.gift.pk)},
        )  # fmt: skip


class FilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kim = make_leader("Kim Jong Un", country="KP")
        cls.putin = make_leader("Vladimir Putin", country="RU")
        regime = make_regime()
        for n in range(30):
            gift = make_gift(
                item=f"{'Vase' if n % 3 else 'Sword'} {n}",
                giver=cls.kim if n % 2 else cls.putin,
                giver_country="KP" if n % 2 else "RU",
                recipient_country="RU" if n % 2 else "KP",
                date=D(2000 + n % 10, 1 + n % 12, 1),
                value=Decimal(100 * n) if n % 4 else None,
                currency="USD" if n % 4 else "",
                value_usd=Decimal(100 * n) if n % 4 else None,
                category="artwork" if n % 5 else "vehicle",
            )
            if n % 7 == 0:
                make_flag(gift, regime)
        make_gift(item="Draft sword", publication_status=DRAFT, giver_country="KP")

    FILTERS = [
        "",
        "giver_country=KP",
        "country=RU&category=vehicle",
        "q=sword",
        "leader=kim-jong-un&value_min=500",
        "value_min=300&value_max=2000",
        "date_from=2003-01-01&date_to=2006-12-31",
        "flagged=yes",
        "regime=UN-SC1718&flag_status=alleged",
        "category=vehicle&category=artwork&giver_country=RU",
    ]

    def test_the_api_returns_exactly_the_gifts_of_the_csv_export(self):
        for query in self.FILTERS:
            with self.subTest(query=query):
                response = self.client.get(f"/gifts/?format=csv&{query}")
                self.assertEqual(response.status_code, 200)
                text = b"".join(response.streaming_content).decode()
                exported = [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]
                gifts, _ = every_page(self.client, f"{API}gifts/?page_size=7&{query}")
                self.assertEqual([g["id"] for g in gifts], exported)
                self.assertTrue(exported or query == "q=nothing")

    def test_a_bad_filter_is_a_400_naming_it(self):
        for query, name in (
            ("giver_country=ZZ", "giver_country"),
            ("value_min=abc", "value_min"),
            ("date_from=31/12/2024", "date_from"),
            ("category=spaceship", "category"),
            ("date_from=2024-02-01&date_to=2024-01-01", "date_to"),
        ):
            with self.subTest(query=query):
                response = self.client.get(f"{API}gifts/?{query}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(name, response.json())

    def test_a_filter_given_twice_is_a_400_whatever_its_values_hold(self):
        for values in (("1", "2"), ("50%", "100%"), ("%s", "%(x)s")):
            with self.subTest(values=values):
                query = "&".join(f"value_min={quote(v)}" for v in values)
                response = self.client.get(f"{API}gifts/?{query}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(
                    f"Give one value, not several ({', '.join(values)}).",
                    response.json()["value_min"],
                )

    def test_junk_parameters_are_redirected_away(self):
        response = self.client.get(f"{API}gifts/?giver_country=KP&utm_source=x")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], f"{API}gifts/?giver_country=KP")

    def test_a_page_costs_the_same_queries_whatever_its_size(self):
        def queries(size):
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(f"{API}gifts/?page_size={size}")
            self.assertEqual(len(response.json()["results"]), size)
            return len(captured)

        self.assertEqual(queries(2), queries(25))


class CursorTests(TestCase):
    def test_a_cursor_holds_while_gifts_are_added(self):
        first = [make_gift(item=f"Gift {n}") for n in range(5)]
        page = self.client.get(f"{API}gifts/?page_size=3").json()
        for n in range(4):
            make_gift(item=f"Added {n}")
        rest, _ = every_page(self.client, page["next"])
        seen = [g["id"] for g in page["results"] + rest]
        self.assertEqual(seen[:5], [gift.pk for gift in first])
        self.assertEqual(len(seen), len(set(seen)), "no gift twice")
        self.assertEqual(len(seen), 9, "the gifts added after the first page come last")

    def test_page_size_is_capped(self):
        for _ in range(205):
            make_gift()
        body = self.client.get(f"{API}gifts/?page_size=100000").json()
        self.assertEqual(len(body["results"]), 200)

    def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(self):
        for _ in range(3):
            make_gift()
        for page_size in ("0", "-5", "abc", "2.5", "false", "%EF%BC%93", "00"):
            with self.subTest(page_size=page_size):
                response = self.client.get(f"{API}gifts/?page_size={page_size}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("page_size", response.json())
        for page_size, expected in (("", 3), ("1", 1), ("002", 2), ("9" * 5000, 3)):
            with self.subTest(page_size=page_size[:10]):
                response = self.client.get(f"{API}gifts/?page_size={page_size}")
                self.assertEqual(len(response.json()["results"]), expected)

    def test_a_forged_cursor_is_a_400(self):
        make_gift()
        for cursor in (
            "cD1hYmM=",
            "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5",
            "%C3%A9",
        ):
            with self.subTest(cursor=cursor):
                response = self.client.get(f"{API}gifts/?cursor={cursor}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("cursor", response.json())


class SchemaTests(TestCase):
    def test_the_schema_describes_every_endpoint(self):
        response = self.client.get(API + "schema.json")
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        self.assertTrue(schema["openapi"].startswith("3."))
        for resource in ("gifts", "leaders", "visits", "countries", "sanctions", "flags",
                         "entries"):  # fmt: skip
            self.assertIn(f"/api/v1/{resource}/", schema["paths"])
        gift_params = {p["name"] for p in schema["paths"]["/api/v1/gifts/"]["get"]["parameters"]}
        self.assertLessEqual(
            {"q", "giver_country", "value_min", "cursor", "page_size"}, gift_params
        )
        self.assertNotIn("sort", gift_params)
        self.assertIn("sanctions", schema["components"]["schemas"]["Gift"]["properties"])

    def test_the_gift_schema_names_every_interchange_field(self):
        self.assertEqual(set(GiftSerializer().fields), {*interchange.HEADER, "url"})

    def test_the_documentation_page_serves_its_own_scripts(self):
        response = self.client.get(API + "docs/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", page)
        self.assertNotIn("cdn.", page)

    def test_the_api_writes_nothing(self):
        for method in ("post", "put", "patch", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(API + "gifts/")
                self.assertEqual(response.status_code, 405)


@override_settings(REGISTRY_HTTP_CACHE=True, REGISTRY_PAGE_CACHE=True)
class SchemaAnswerTests(TestCase):
    """Every answer the API gives is one its schema documents for that operation, so
    that a client generated from the schema knows it."""

    @classmethod
    def setUpTestData(cls):
        kim = make_leader("Kim Jong Un", country="KP")
        LeaderRedirect.objects.create(old_slug="kim-jong-eun", leader=kim)
        cls.gift = make_gift(item="Two Pungsan dogs", giver=kim, giver_country="KP")
        cls.retracted = make_gift(publication_status=RETRACTED, retraction_reason="Misread.")
        cls.gone_visit = make_visit(publication_status=RETRACTED, retraction_reason="Off.")
        make_flag(cls.gift, make_regime())

    def setUp(self):
        cache.clear()
        self.client = Client(raise_request_exception=False)

    def documented(self, url):
        """The statuses the schema documents for the operation that answers url."""
        path = url.split("?")[0]
        for pattern, operations in self.schema["paths"].items():
            if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", pattern), path):
                return set(operations["get"]["responses"])
        self.fail(f"no operation in the schema answers {path}")

    def test_every_answer_is_documented(self):
        self.schema = self.client.get(API + "schema.json").json()
        answers = []
        for url in (
            "gifts/", "gifts/?utm_source=x", "gifts/?giver_country=ZZ", "gifts/?cursor=forged",
            f"gifts/{self.gift.pk}/", "gifts/999999/", f"gifts/{self.retracted.pk}/",
            "leaders/", "leaders/?kind=spaceship", "leaders/kim-jong-un/", "leaders/kim-jong-eun/",
            "leaders/nobody/",
            "visits/?country=ZZ", "visits/nowhere/", f"visits/{self.gone_visit.slug}/",
            "countries/", "countries/KP/", "countries/ZZ/",
            "sanctions/", "sanctions/?cursor=forged", "sanctions/UN-SC1718/", "sanctions/NONE/",
            "flags/?status=unknown", "flags/999999/",
            "entries/?register=unknown", "entries/999999/",
        ):  # fmt: skip
            answers.append((API + url, self.client.get(API + url).status_code))
        etag = self.client.get(API + "gifts/")["ETag"]
        response = self.client.get(API + "gifts/", headers={"if-none-match": etag})
        answers.append((API + "gifts/", response.status_code))
        with override_settings(REGISTRY_API_RATE="1/m"):
            cache.clear()
            # Two addresses: a page the cache holds is served without counting.
            self.client.get(API + "flags/")
            answers.append(
                (API + "flags/?gift=1", self.client.get(API + "flags/?gift=1").status_code)
            )
        cache.clear()
        with database_down():
            answers.append((API + "visits/", self.client.get(API + "visits/").status_code))

        for url, status in answers:
            with self.subTest(url=url, status=status):
                self.assertIn(str(status), self.documented(url))
        self.assertEqual(
            {status for _, status in answers}, {200, 301, 302, 304, 400, 404, 410, 429, 503}
        )


class RateTests(TestCase):
    def test_past_the_rate_the_api_answers_429_with_retry_after(self):
        cache.clear()
        with override_settings(REGISTRY_API_RATE="2/m"):
            statuses = [self.client.get(API + "countries/").status_code for _ in range(3)]
            response = self.client.get(API + "countries/")
        self.assertEqual(statuses, [200, 200, 429])
        self.assertIn("Retry-After", response)
