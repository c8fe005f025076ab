"""Error pages in the site's layout: what happened, a search box and a way home; and the
favicon every page links to."""

from django.contrib.staticfiles import finders
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.views import defaults

from .factories import make_gift, make_source


def assert_site_page(test, response, status, heading):
    test.assertContains(response, heading, status_code=status)
    test.assertContains(response, 'class="site-header"', status_code=status)
    test.assertContains(response, 'role="search"', status_code=status)
    test.assertContains(response, 'href="/"', status_code=status)
    test.assertContains(response, 'name="robots" content="noindex"', status_code=status)


class NotFoundTests(TestCase):
    def test_an_unknown_address_answers_404_in_the_sites_layout(self):
        response = self.client.get("/no-such-page/")
        assert_site_page(self, response, 404, "There is no page at this address")

    def test_an_unpublished_gift_is_the_same_404(self):
        gift = make_gift(item="Draft sword", publication_status="draft", sources=[make_source()])
        response = self.client.get(f"/gifts/{gift.pk}/")
        assert_site_page(self, response, 404, "There is no page at this address")
        self.assertNotContains(response, "Draft sword", status_code=404)


class ServerErrorTests(SimpleTestCase):
    """Rendered as Django renders them: 500 with no request context (the database may be
    the reason for the error), 400, 403 and 429 from their views."""

    def test_a_server_error_needs_no_database(self):
        request = RequestFactory().get("/gifts/")
        response = defaults.server_error(request)
        assert_site_page(self, response, 500, "Something went wrong on our side")

    def test_bad_request_and_forbidden(self):
        request = RequestFactory().get("/gifts/")
        assert_site_page(
            self, defaults.bad_request(request, Exception()), 400, "could not read this request"
        )
        assert_site_page(
            self, defaults.permission_denied(request, Exception()), 403, "not open to you"
        )


class FaviconTests(TestCase):
    def test_pages_link_the_icon_and_favicon_ico_leads_to_it(self):
        self.assertContains(self.client.get("/"), 'rel="icon"')
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("favicon.svg"))
        self.assertTrue(finders.find("img/favicon.svg"))
