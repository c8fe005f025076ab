"""Exports and searches are limited per client with a clear 429; browsing is not."""

from django.core.cache import cache
from django.test import TestCase, override_settings

from .factories import make_gift, make_source


@override_settings(REGISTRY_EXPORT_RATE="3/m", REGISTRY_SEARCH_RATE="2/m")
class RateLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_gift(item="Jade horse", sources=[make_source()])

    def setUp(self):
        cache.clear()

    def test_exports_past_the_limit_answer_429_with_retry_after(self):
        for _ in range(3):
            self.assertEqual(self.client.get("/gifts/?format=csv").status_code, 200)
        response = self.client.get("/gifts/?format=json")
        self.assertEqual(response.status_code, 429)
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        self.assertContains(response, "Too many searches or downloads", status_code=429)
        self.assertContains(response, 'role="search"', status_code=429)  # the site's layout
        # Another address is counted apart.
        other = self.client.get("/gifts/?format=csv", REMOTE_ADDR="203.0.113.9")
        self.assertEqual(other.status_code, 200)

    def test_searches_are_limited_and_browsing_is_not(self):
        for query in ("jade", "horse"):
            self.assertContains(self.client.get("/gifts/", {"q": query}), "Jade horse")
        self.assertEqual(self.client.get("/gifts/", {"q": "silk"}).status_code, 429)
        for _ in range(5):
            self.assertEqual(self.client.get("/gifts/?giver_country=FR").status_code, 200)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_the_client_is_the_address_it_saw(self):
        for n in range(2):
            response = self.client.get(
                "/gifts/", {"q": f"jade {n}"}, HTTP_X_FORWARDED_FOR="198.51.100.7"
            )
            self.assertEqual(response.status_code, 200)
        response = self.client.get("/gifts/", {"q": "jade 3"}, HTTP_X_FORWARDED_FOR="198.51.100.8")
        self.assertEqual(response.status_code, 200)

    @override_settings(REGISTRY_EXPORT_RATE=None)
    def test_a_limit_can_be_lifted(self):
        for _ in range(5):
            self.assertEqual(self.client.get("/gifts/?format=csv").status_code, 200)
