"""HTTP caching (giftapp/cache.py): validators on every public response, 304s without
rendering, Cache-Control for shared caches; nothing of the kind for the admin, /healthz or
a personal response."""

import tempfile
from pathlib import Path
from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils.http import http_date

from giftapp.cache import release

from .factories import make_gift, make_leader, make_staff

PUBLIC = ["/", "/gifts/", "/gifts/?giver_country=KP", "/leaders/", "/countries/KP/",
          "/feeds/gifts/", "/gifts/?format=csv", "/gifts/?format=json", "/api/v1/gifts/",
          "/api/v1/countries/"]  # fmt: skip


@override_settings(REGISTRY_HTTP_CACHE=True, REGISTRY_PAGE_CACHE=True)
class ValidatorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kim = make_leader("Kim Jong Un", country="KP")
        cls.gift = make_gift(item="Jade horse", giver=cls.kim, giver_country="KP")

    def setUp(self):
        cache.clear()

    def test_every_public_response_carries_validators_and_shared_caching(self):
        for url in PUBLIC:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertRegex(response["ETag"], r'^"[0-9a-f]{32}"$', "strong, not W/")
                self.assertTrue(response.has_header("Last-Modified"))
                control = response["Cache-Control"]
                for part in ("public", "max-age=0", "s-maxage=60", "stale-while-revalidate=600",
                             "stale-if-error=86400"):  # fmt: skip
                    self.assertIn(part, control)

    def test_a_conditional_request_is_answered_304_without_rendering(self):
        for url in PUBLIC:
            with self.subTest(url=url):
                etag = self.client.get(url)["ETag"]
                with (
                    mock.patch("django.template.response.SimpleTemplateResponse.render") as render,
                    self.assertNumQueries(1),  # the public data version
                ):
                    response = self.client.get(url, headers={"if-none-match": etag})
                render.assert_not_called()
                self.assertEqual(response.status_code, 304)
                self.assertEqual(response["ETag"], etag)
                self.assertEqual(response.content, b"")
                self.assertIn("s-maxage=60", response["Cache-Control"])

    def test_an_edit_changes_every_validator(self):
        before = {url: self.client.get(url)["ETag"] for url in PUBLIC}
        self.gift.item = "Jade stallion"
        self.gift.save()
        for url, etag in before.items():
            with self.subTest(url=url):
                response = self.client.get(url, headers={"if-none-match": etag})
                self.assertEqual(response.status_code, 200)
                self.assertNotEqual(response["ETag"], etag)
        page = self.client.get("/gifts/", headers={"if-none-match": before["/gifts/"]})
        self.assertContains(page, "Jade stallion")

    def test_each_address_has_its_own_validator(self):
        tags = {self.client.get(url)["ETag"] for url in PUBLIC}
        self.assertEqual(len(tags), len(PUBLIC))

    def test_if_modified_since_is_answered_from_the_cached_page(self):
        first = self.client.get("/leaders/")
        response = self.client.get(
            "/leaders/", headers={"if-modified-since": first["Last-Modified"]}
        )
        self.assertEqual(response.status_code, 304)
        older = http_date(0)
        self.assertEqual(
            self.client.get("/leaders/", headers={"if-modified-since": older}).status_code, 200
        )

    def test_a_missing_record_has_no_validator(self):
        response = self.client.get("/gifts/999999/")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(response.has_header("ETag"))

    def test_a_stale_validator_on_if_match_is_412(self):
        response = self.client.get("/gifts/", headers={"if-match": '"0000"'})
        self.assertEqual(response.status_code, 412)


@override_settings(REGISTRY_HTTP_CACHE=True, REGISTRY_PAGE_CACHE=False)
class WithoutThePageCacheTests(TestCase):
    def test_validators_do_not_need_the_page_cache(self):
        make_gift(item="Jade horse")
        etag = self.client.get("/gifts/")["ETag"]
        with self.assertNumQueries(1):
            response = self.client.get("/gifts/", headers={"if-none-match": etag})
        self.assertEqual(response.status_code, 304)


@override_settings(REGISTRY_HTTP_CACHE=True, REGISTRY_PAGE_CACHE=True)
class NeverSharedTests(TestCase):
    def test_the_admin_health_and_personal_responses_are_never_shared(self):
        self.client.force_login(make_staff())
        for url in ("/admin/", "/admin/giftapp/gift/", "/healthz"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertFalse(response.has_header("ETag"))
                self.assertIn("private", response.get("Cache-Control", "private"))
                self.assertNotIn("public", response.get("Cache-Control", ""))

    def test_a_response_that_sets_a_cookie_is_not_made_public(self):
        from django.http import HttpResponse
        from django.test import RequestFactory

        from giftapp.cache import with_validators

        response = HttpResponse("hello")
        response.set_cookie("sessionid", "x")
        result = with_validators(RequestFactory().get("/"), response, '"abc"')
        self.assertFalse(result.has_header("ETag"))
        self.assertFalse(result.has_header("Cache-Control"))


class ReleaseTests(SimpleTestCase):
    def test_the_release_is_the_files_served_the_same_on_every_server(self):
        def release_of(text):
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "templates").mkdir()
                (Path(tmp) / "templates" / "page.html").write_text(text)
                with override_settings(BASE_DIR=Path(tmp)):
                    return release.__wrapped__()

        self.assertEqual(release_of("<p>One</p>"), release_of("<p>One</p>"))
        self.assertNotEqual(release_of("<p>One</p>"), release_of("<p>Two</p>"))
