"""Whole-page caching: a cached page is served without queries, and every kind of change
that affects public pages is visible on the next request."""

import io

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giftapp.backends import backend
from giftapp.cache import bump_public_version, public_version
from giftapp.editorial.workflow import merge_leaders, retract
from giftapp.importers.pipeline import run_import
from giftapp.models import Gift

from .factories import make_gift, make_leader, make_source, make_user
from .test_import_registry_csv import csv_bytes, row


@override_settings(REGISTRY_PAGE_CACHE=True)
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = make_source()
        cls.gift = make_gift(item="Jade horse", sources=[cls.source])

    def setUp(self):
        cache.clear()

    def test_a_cached_page_costs_no_queries_until_the_data_changes(self):
        self.assertContains(self.client.get("/gifts/"), "Jade horse")
        # Reading the version every process shares (see giftapp/cache.py).
        with self.assertNumQueries(1):
            self.assertContains(self.client.get("/gifts/"), "Jade horse")
        self.gift.item = "Jade stallion"
        self.gift.save()
        response = self.client.get("/gifts/")
        self.assertContains(response, "Jade stallion")
        self.assertNotContains(response, "Jade horse")

    def test_each_address_is_cached_apart(self):
        make_gift(item="Silk rug", giver_country="CN", sources=[self.source])
        self.assertNotContains(self.client.get("/gifts/?giver_country=FR"), "Silk rug")
        self.assertContains(self.client.get("/gifts/?giver_country=CN"), "Silk rug")

    @override_settings(ALLOWED_HOSTS=["registry.example.org", "mirror.example.net"])
    def test_one_hosts_address_never_reaches_another_hosts_page(self):
        url = "/countries/FR/"
        first = self.client.get(url, headers={"host": "registry.example.org"})
        self.assertContains(first, "registry.example.org/countries/FR/")
        second = self.client.get(url, headers={"host": "mirror.example.net"})
        self.assertContains(second, "mirror.example.net/countries/FR/")
        self.assertNotContains(second, "registry.example.org")
        feed = self.client.get("/feeds/gifts/", headers={"host": "mirror.example.net"})
        self.assertNotContains(feed, "registry.example.org")

    def test_a_query_is_first_made_canonical(self):
        # Copies of a value collapse; parameters a page does not read are dropped.
        response = self.client.get("/gifts/?" + "giver_country=RU&" * 300 + "utm_source=x")
        self.assertRedirects(response, "/gifts/?giver_country=RU", fetch_redirect_response=False)
        response = self.client.get(self.gift.get_absolute_url() + "?x=1&y=2")
        self.assertRedirects(response, self.gift.get_absolute_url(), fetch_redirect_response=False)
        for url in ("/leaders/?q=a&sort=-given&page=1", "/timeline/?country=KP&year_from=2020"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)
        # So the work of a page does not grow with its query string.
        with CaptureQueriesContext(connection) as plain:
            self.client.get("/gifts/?giver_country=RU&category=vehicle")
        cache.clear()
        long = "/gifts/?" + "giver_country=RU&category=vehicle&" * 400 + "junk=1"
        with CaptureQueriesContext(connection) as repeated:
            self.client.get(long, follow=True)
        self.assertEqual(len(repeated), len(plain))

    def test_a_parameter_takes_at_most_twenty_values(self):
        query = "&".join(f"category=c{i}" for i in range(21))
        self.assertContains(self.client.get(f"/gifts/?{query}"), "Give at most 20 values, not 21.")

    def test_exports_are_never_cached(self):
        self.client.get("/gifts/?format=csv")
        # On PostgreSQL a setting, the ids and a COPY; the gifts, their sources and flags
        # on SQLite.
        with self.assertNumQueries(3):
            b"".join(self.client.get("/gifts/?format=csv").streaming_content)

    def test_a_retraction_is_visible_on_the_next_request(self):
        url = self.gift.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.get("/feeds/gifts/")
        retract(self.gift, "Wrong register entry")
        self.assertContains(self.client.get(url), "Wrong register entry", status_code=410)
        self.assertNotContains(self.client.get("/feeds/gifts/"), "Jade horse")

    def test_an_import_is_visible_on_the_next_request(self):
        self.client.get("/gifts/")
        run_import(
            io.BytesIO(csv_bytes([row(item="Imported vase")])),
            "registry",
            file_name="x.csv",
            publish=True,
        )
        self.assertContains(self.client.get("/gifts/"), "Imported vase")

    def test_a_change_of_sources_and_a_merge_are_visible(self):
        url = self.gift.get_absolute_url()
        self.client.get(url)
        self.gift.sources.add(make_source(title="A second report"))
        self.assertContains(self.client.get(url), "A second report")
        kim = make_leader("Kim Jong Un", "KP")
        dupe = make_leader("Kim Jong-eun", "KP")
        make_gift(item="Pungsan dog", giver=dupe, giver_country="KP", sources=[self.source])
        self.assertContains(self.client.get("/leaders/kim-jong-eun/"), "Pungsan dog")
        merge_leaders(kim, dupe)
        self.assertRedirects(
            self.client.get("/leaders/kim-jong-eun/"), "/leaders/kim-jong-un/", status_code=301
        )

    def test_an_admin_publish_action_is_visible(self):
        draft = make_gift(item="Ivory fan", publication_status="draft", sources=[self.source])
        self.assertNotContains(self.client.get("/gifts/"), "Ivory fan")
        self.client.force_login(make_user("rita", "reviewer"))
        self.client.post(
            reverse("admin:giftapp_gift_changelist"),
            {"action": "publish_selected", ACTION_CHECKBOX_NAME: [draft.pk]},
        )
        self.client.logout()
        self.assertContains(self.client.get("/gifts/"), "Ivory fan")

    def test_a_change_made_by_another_process_is_visible(self):
        self.client.get("/gifts/")
        # Another worker saves a gift: its own cache sees the change, this one's does not,
        # but both read the version from the database (tests/test_cache_processes.py runs
        # the two processes for real).
        Gift.objects.filter(pk=self.gift.pk).update(item="Jade stallion")
        with connection.cursor() as cursor:
            backend().bump_public_version(cursor)
        self.assertContains(self.client.get("/gifts/"), "Jade stallion")

    def test_the_version_only_grows(self):
        first = public_version()
        bump_public_version()
        self.assertGreater(public_version(), first)
        cache.delete("public-data-version")
        self.assertGreater(public_version(), first)

    def test_a_version_rolled_back_is_never_handed_out_again(self):
        with self.assertRaises(DatabaseError), transaction.atomic():
            bump_public_version()
            inside = public_version()
            raise DatabaseError("the change failed")
        bump_public_version()
        self.assertGreater(public_version(), inside)

    def test_error_pages_for_bad_input_are_not_server_errors_when_cached(self):
        for _ in range(2):
            response = self.client.get("/gifts/?date_from=2024-13-45")
            self.assertLess(response.status_code, 500)
        self.assertEqual(Gift.objects.count(), 1)
