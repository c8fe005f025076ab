import datetime

from django.test import TestCase
from django.urls import reverse

from giftapp.demo import load_demo
from giftapp.models import Gift, Leader, SanctionsFlag, SanctionsRegime, Source, Visit

from .factories import make_gift, make_leader, make_staff

D = datetime.date


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


GIFT_INLINES = management_form("flags")
VISIT_INLINES = management_form("gifts") | management_form("gifts-2")


class AdminEntryTests(TestCase):
    """A staff editor with the registry's permissions can work in every admin page."""

    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.editor = make_staff("editor")
        cls.pyongyang = Visit.objects.get(slug="putin-state-visit-to-the-dprk-2024")
        cls.putin = Leader.objects.get(name="Vladimir Putin")
        cls.kim = Leader.objects.get(name="Kim Jong Un")
        cls.source = Source.objects.get(publisher="CBS News")
        cls.regime = SanctionsRegime.objects.get(code="UN-SC1718")

    def setUp(self):
        self.client.force_login(self.editor)

    def gift_data(self, **overrides):
        data = {
            "item": "Porcelain vase",
            "description": "",
            "category": "tableware",
            "quantity": "1",
            "giver": self.putin.pk,
            "giver_country": "RU",
            "giver_title": "President of Russia",
            "recipient": self.kim.pk,
            "recipient_country": "KP",
            "recipient_title": "",
            "giver_as_reported": "",
            "recipient_as_reported": "",
            "visit": self.pyongyang.pk,
            "date": "2024-06-19",
            "date_precision": "day",
            "value": "",
            "currency": "",
            "value_usd": "",
            "value_note": "undisclosed",
            "disposition": "unknown",
            "notes": "",
            "sources": [self.source.pk],
            "publication_status": "draft",
            "retraction_reason": "",
            "retracted_at_0": "",
            "retracted_at_1": "",
        }
        return data | GIFT_INLINES | overrides

    def test_a_description_longer_than_an_import_accepts_is_a_form_error(self):
        from giftapp.models.base import TEXT_LIMIT

        data = self.gift_data(description="x" * (TEXT_LIMIT + 1))
        response = self.client.post("/admin/giftapp/gift/add/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ensure this value has at most 100000 characters")
        self.assertFalse(Gift.objects.filter(item="Porcelain vase").exists())

    def visit_data(self, **overrides):
        data = {
            "title": "Kim Jong Un's second visit to Russia",
            "slug": "",
            "kind": "official_visit",
            "start_date": "2025-05-08",
            "end_date": "2025-05-10",
            "host_country": "RU",
            "city": "Moscow",
            "venue": "",
            "visitors": [self.kim.pk],
            "hosts": [self.putin.pk],
            "summary": "",
            "sources": [self.source.pk],
            "publication_status": "draft",
            "retraction_reason": "",
            "retracted_at_0": "",
            "retracted_at_1": "",
        }
        return data | VISIT_INLINES | overrides

    def test_add_and_change_pages_of_every_model_render(self):
        gift = Gift.objects.get(item="Tea set")
        objects = {
            "gift": gift,
            "visit": self.pyongyang,
            "leader": self.kim,
            "source": self.source,
            "sanctionsregime": self.regime,
            "sanctionsflag": SanctionsFlag.objects.first(),
        }
        for name, obj in objects.items():
            with self.subTest(model=name):
                add = self.client.get(reverse(f"admin:giftapp_{name}_add"))
                self.assertEqual(add.status_code, 200)
                change = self.client.get(reverse(f"admin:giftapp_{name}_change", args=[obj.pk]))
                self.assertEqual(change.status_code, 200)
                changelist = self.client.get(reverse(f"admin:giftapp_{name}_changelist"))
                self.assertEqual(changelist.status_code, 200)
                history = self.client.get(reverse(f"admin:giftapp_{name}_history", args=[obj.pk]))
                self.assertEqual(history.status_code, 200)

    def test_editor_adds_a_gift_to_the_pyongyang_visit_with_a_source(self):
        response = self.client.post(reverse("admin:giftapp_gift_add"), self.gift_data())
        self.assertRedirects(response, reverse("admin:giftapp_gift_changelist"))
        gift = Gift.objects.get(item="Porcelain vase")
        self.assertEqual(gift.visit, self.pyongyang)
        self.assertEqual(list(gift.sources.all()), [self.source])
        self.assertEqual(gift.recipient_country, "KP")

    def test_editor_adds_a_flag_inline_on_the_gift_page(self):
        data = self.gift_data() | management_form("flags", total=1)
        data |= {
            "flags-0-regime": self.regime.pk,
            "flags-0-status": "possible",
            "flags-0-publication_status": "draft",
            "flags-0-provisions": "S/RES/2321 (2016)",
            "flags-0-rationale": "",
            "flags-0-alleged_by": "",
            "flags-0-alleged_on": "",
            "flags-0-denied_by": "",
            "flags-0-denial": "",
            "flags-0-sources": [self.source.pk],
        }
        response = self.client.post(reverse("admin:giftapp_gift_add"), data)
        self.assertEqual(response.status_code, 302)
        gift = Gift.objects.get(item="Porcelain vase")
        self.assertEqual(gift.flags.get().provisions, "S/RES/2321 (2016)")

    def test_editor_adds_a_visit_and_a_leader_and_a_source(self):
        response = self.client.post(reverse("admin:giftapp_visit_add"), self.visit_data())
        self.assertEqual(response.status_code, 302)
        visit = Visit.objects.get(city="Moscow")
        self.assertEqual(visit.slug, "kim-jong-uns-second-visit-to-russia-2025")
        self.assertEqual(list(visit.visitors.all()), [self.kim])

        response = self.client.post(
            reverse("admin:giftapp_leader_add"),
            {
                "name": "Choe Son Hui",
                "kind": "person",
                "native_name": "최선희",
                "aliases": "Choe Son-hui\nChoi Son Hee\n",
                "country": "KP",
                "title": "Minister of Foreign Affairs",
                "slug": "choe-son-hui",
                "wikidata_id": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Leader.objects.get(name="Choe Son Hui").aliases, ["Choe Son-hui", "Choi Son Hee"]
        )

        response = self.client.post(
            reverse("admin:giftapp_source_add"),
            {
                "url": "https://example.org/report",
                "title": "A report",
                "publisher": "Example",
                "published_on": "2025-05-10",
                "archived_url": "",
                "quote": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Source.objects.filter(title="A report").exists())

    def test_editor_changes_a_gift_and_a_visit_with_its_inline_gifts(self):
        gift = Gift.objects.get(item="Tea set")
        data = self.gift_data(item="Tea set (porcelain)", publication_status="published")
        response = self.client.post(reverse("admin:giftapp_gift_change", args=[gift.pk]), data)
        self.assertEqual(response.status_code, 302)
        gift.refresh_from_db()
        self.assertEqual(gift.item, "Tea set (porcelain)")

        change = self.client.get(reverse("admin:giftapp_visit_change", args=[self.pyongyang.pk]))
        self.assertContains(change, "Gifts from the visiting side")
        self.assertContains(change, "Gifts from the host side")
        self.assertContains(change, "Tea set (porcelain)")
        self.assertContains(change, "Two Pungsan hunting dogs")

    def test_invalid_input_shows_form_errors_not_a_server_error(self):
        cases = {
            "end before start": (
                "visit",
                self.visit_data(start_date="2025-05-10", end_date="2025-05-08"),
                "The end date cannot be before the start date.",
            ),
            "value without currency": (
                "gift",
                self.gift_data(value="100"),
                "Give the currency of the value.",
            ),
            "same countries": (
                "gift",
                self.gift_data(giver_country="KP"),
                "The giver&#x27;s and the recipient&#x27;s countries must differ.",
            ),
            "date off its precision": (
                "gift",
                self.gift_data(date_precision="month"),
                "With month precision, enter the first day of the month (2024-06-01).",
            ),
            "quantity zero": ("gift", self.gift_data(quantity="0"), "greater than or equal to 1"),
            "negative value": (
                "gift",
                self.gift_data(value="-5", currency="USD"),
                "The value cannot be negative.",
            ),
            "unknown currency": ("gift", self.gift_data(value="5", currency="XYZ"), "valid"),
            "unknown country": ("gift", self.gift_data(giver_country="ZZ"), "valid"),
        }
        for label, (model, data, message) in cases.items():
            with self.subTest(label):
                response = self.client.post(reverse(f"admin:giftapp_{model}_add"), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Please correct the error")
                self.assertContains(response, message)
        self.assertFalse(Gift.objects.filter(item="Porcelain vase").exists())

    def test_admin_edit_records_history_with_the_acting_user(self):
        gift = Gift.objects.get(item="Tea set")
        self.client.post(
            reverse("admin:giftapp_gift_change", args=[gift.pk]),
            self.gift_data(item="Tea service", publication_status="published"),
        )
        latest = gift.history.latest()
        self.assertEqual(latest.history_user, self.editor)
        self.assertEqual(latest.item, "Tea service")
        self.assertEqual(latest.history_type, "~")
        history_page = self.client.get(reverse("admin:giftapp_gift_history", args=[gift.pk]))
        self.assertContains(history_page, "editor")

    def test_autocomplete_finds_leaders_by_alias_and_native_name(self):
        url = reverse("admin:autocomplete")
        for term in ["Kim Jong-eun", "김정은"]:
            with self.subTest(term=term):
                response = self.client.get(
                    url,
                    {
                        "app_label": "giftapp",
                        "model_name": "gift",
                        "field_name": "giver",
                        "term": term,
                    },
                )
                self.assertEqual(response.status_code, 200)
                texts = [r["text"] for r in response.json()["results"]]
                self.assertEqual(texts, ["Kim Jong Un (North Korea)"])

    def test_changelist_search_covers_aliases_and_items(self):
        url = reverse("admin:giftapp_gift_changelist")
        response = self.client.get(url, {"q": "Kim Jong-eun"})
        self.assertContains(response, "Two Pungsan hunting dogs")
        response = self.client.get(url, {"q": "dagger"})
        self.assertContains(response, "1 gift")

    def test_a_huge_search_term_is_cut_not_a_server_error(self):
        for model in ("gift", "leader"):
            with self.subTest(model=model):
                url = reverse(f"admin:giftapp_{model}_changelist")
                self.assertEqual(self.client.get(url, {"q": "kim " * 15000}).status_code, 200)

    def test_changelist_filters_by_year_country_category_and_status(self):
        url = reverse("admin:giftapp_gift_changelist")
        response = self.client.get(url, {"year": "2024", "category": "vehicle"})
        self.assertContains(response, "2 gifts")
        response = self.client.get(url, {"giver_country": "KP"})
        self.assertContains(response, "2 gifts")
        response = self.client.get(url, {"year": "unknown"})
        self.assertContains(response, "0 gifts")

    def test_gift_changelist_query_count_does_not_grow_with_rows(self):
        url = reverse("admin:giftapp_gift_changelist")

        def count_queries():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(ctx.captured_queries)

        baseline = count_queries()
        for n in range(40):
            leader = make_leader(f"Minister {n}", country="FR")
            make_gift(giver=leader, recipient=self.kim, recipient_country="KP")
        self.assertEqual(count_queries(), baseline)


class AdminAccessTests(TestCase):
    def test_anonymous_visitor_to_admin_is_redirected_to_login(self):
        for url in ["/admin/", "/admin/giftapp/gift/", "/admin/giftapp/gift/add/"]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/admin/login/"))

    def test_a_non_staff_user_cannot_use_the_admin(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("reader", password="x-long-password-1")
        self.client.force_login(user)
        response = self.client.get("/admin/giftapp/gift/")
        self.assertEqual(response.status_code, 302)


class LoadDemoTests(TestCase):
    def test_load_demo_gives_the_story_counts_and_is_idempotent(self):
        self.assertGreater(load_demo(), 0)
        history_rows = Gift.history.count()
        self.assertEqual(load_demo(), 0)
        self.assertEqual(Gift.history.count(), history_rows)
        self.assertEqual(Leader.objects.count(), 2)
        self.assertEqual(Visit.objects.count(), 2)
        self.assertEqual(Gift.objects.count(), 6)
        self.assertEqual(SanctionsRegime.objects.count(), 1)
        self.assertEqual(SanctionsFlag.objects.count(), 3)
        self.assertEqual(SanctionsFlag.objects.filter(publication_status="draft").count(), 1)
        self.assertEqual(Source.objects.count(), 9)
        self.assertEqual(Gift.objects.published().count(), 6)
        self.assertEqual(Visit.objects.published().count(), 2)

    def test_demo_records_match_the_story(self):
        load_demo()
        dogs = Gift.objects.get(item="Two Pungsan hunting dogs")
        self.assertEqual((dogs.quantity, dogs.category), (2, "animal"))
        self.assertEqual(dogs.giver.name, "Kim Jong Un")
        self.assertEqual(dogs.date, D(2024, 6, 19))
        self.assertEqual(dogs.value_note, "undisclosed")
        self.assertIsNone(dogs.value)
        self.assertIsNone(Gift.objects.get(item__startswith="Artworks").quantity)
        car = Gift.objects.get(item="Russian-made car (Aurus; Kim's first)")
        self.assertEqual(car.date, D(2024, 2, 18))
        self.assertEqual(car.visit.venue, "Vostochny Cosmodrome")
        self.assertEqual(car.sources.count(), 4)
        self.assertIn("accounts of the date differ", car.notes.lower())
        flag = SanctionsFlag.objects.get(gift=car)
        self.assertEqual(flag.alleged_by, "South Korea's Ministry of Unification")
        self.assertEqual(flag.provisions, "S/RES/1718 (2006) OP 8(a)(iii); S/RES/2397 (2017)")
        draft = SanctionsFlag.objects.get(publication_status="draft")
        self.assertEqual(draft.gift.item, "Artworks depicting Putin, including busts")
        self.assertEqual(draft.status, "possible")
        kim = Leader.objects.get(name="Kim Jong Un")
        self.assertEqual(kim.aliases, ["Kim Jong-eun", "Kim Jong-un"])
        self.assertEqual(kim.native_name, "김정은")
        regime = SanctionsRegime.objects.get()
        self.assertIn("S/RES/2397 (2017)", regime.legal_basis)
        self.assertEqual(regime.sources.count(), 5)


class LocalAdminTests(TestCase):
    def test_the_printed_local_admin_login_works(self):
        import re
        from io import StringIO

        from django.core.management import call_command
        from django.test import override_settings

        out = StringIO()
        with override_settings(DEBUG=True):
            call_command("create_local_admin", stdout=out)
        username, password = re.search(r"as (\S+) / (\S+)", out.getvalue()).groups()
        # Through the login form: the lockout backend needs the request.
        response = self.client.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        self.assertRedirects(response, "/admin/")
        self.assertContains(self.client.get("/admin/"), "Gift registry")

    def test_create_local_admin_refuses_without_debug(self):
        from django.core.management import CommandError, call_command

        with self.assertRaises(CommandError):
            call_command("create_local_admin")
