from django.test import TestCase


class AdminAccessTests(TestCase):
    def test_anonymous_visitor_to_admin_is_redirected_to_login(self):
        response = self.client.get("/admin/")
        self.assertRedirects(response, "/admin/login/?next=/admin/")
