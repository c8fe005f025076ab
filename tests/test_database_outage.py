"""While the database cannot be reached: cached pages still serve, every other request is
a quick 503 with Retry-After (never a 500), /healthz says 503; afterwards all recovers."""

from unittest import mock

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.test import Client, TestCase, override_settings

from .factories import make_gift


def database_down(error=None):
    """Every new query fails as it does when PostgreSQL is stopped."""
    error = error or OperationalError("connection refused")
    return mock.patch.object(type(connections["default"]), "cursor", side_effect=error)


@override_settings(REGISTRY_PAGE_CACHE=True, REGISTRY_HTTP_CACHE=True)
class OutageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gift = make_gift(item="Jade horse")

    def setUp(self):
        cache.clear()
        self.client = Client(raise_request_exception=False)

    def test_an_uncached_page_is_503_with_retry_after(self):
        for error in (OperationalError("refused"), InterfaceError("connection already closed")):
            for url in ("/gifts/", f"/gifts/{self.gift.pk}/", "/leaders/?q=kim", "/timeline/"):
                with self.subTest(url=url, error=type(error).__name__):
                    with database_down(error):
                        response = self.client.get(url)
                    self.assertEqual(response.status_code, 503)
                    self.assertEqual(response["Retry-After"], "30")
                    self.assertEqual(response["Cache-Control"], "no-store")
                    self.assertContains(response, "not answering", status_code=503)

    def test_the_api_says_so_in_json(self):
        with database_down():
            response = self.client.get("/api/v1/gifts/")
        self.assertEqual(response.status_code, 503)
        self.assertIn("not answering", response.json()["detail"])

    def test_health_is_503(self):
        with database_down():
            self.assertEqual(self.client.get("/healthz").status_code, 503)

    def test_a_cached_page_still_serves_and_everything_recovers(self):
        self.assertContains(self.client.get("/gifts/"), "Jade horse")
        with database_down():
            self.assertContains(self.client.get("/gifts/"), "Jade horse")
            self.assertEqual(self.client.get("/leaders/").status_code, 503)
        self.assertEqual(self.client.get("/leaders/").status_code, 200)
        self.assertEqual(self.client.get("/healthz").status_code, 200)

    def test_an_export_is_refused_before_its_headers_are_sent(self):
        self.client.get("/gifts/")  # a version read before the outage
        for url in ("/gifts/?format=csv", "/gifts/?format=json"):
            with self.subTest(url=url), database_down():
                response = self.client.get(url)
                self.assertEqual(response.status_code, 503)
                self.assertFalse(response.streaming)

    def test_a_bug_in_a_query_is_still_a_500(self):
        with database_down(DatabaseError("syntax error")):
            response = self.client.get("/leaders/")
        self.assertEqual(response.status_code, 500)


class ExportWithoutCachesTests(TestCase):
    def test_a_json_export_reads_its_first_rows_before_answering(self):
        # (A CSV export connects first, and on PostgreSQL starts its COPY as it is read,
        # not before: a primed COPY would hold the connection until the download is read.)
        make_gift(item="Jade horse")
        client = Client(raise_request_exception=False)
        with database_down():
            response = client.get("/gifts/?format=json")
        self.assertEqual(response.status_code, 503)
        self.assertFalse(response.streaming)
