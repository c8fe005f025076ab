"""/healthz, which load balancers and uptime checks probe."""

import json
import os
import subprocess
import sys
from unittest import mock

from django.db import OperationalError
from django.test import TestCase, override_settings

from registry import health

PROBE = """
import django
django.setup()
from django.test import Client
response = Client().get("/healthz", headers={"host": "localhost"})
print(response.status_code, response.content.decode())
"""


class HealthCheckTests(TestCase):
    def test_healthz_answers_ok_after_asking_the_database(self):
        with self.assertNumQueries(1):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertEqual(response["Content-Type"], "application/json")

    def test_healthz_is_never_cached(self):
        response = self.client.get("/healthz")
        cache_control = response["Cache-Control"]
        for directive in ("no-cache", "no-store", "must-revalidate", "max-age=0"):
            self.assertIn(directive, cache_control)

    def test_healthz_answers_head_and_refuses_post(self):
        self.assertEqual(self.client.head("/healthz").status_code, 200)
        self.assertEqual(self.client.post("/healthz").status_code, 405)

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_healthz_answers_over_plain_http_while_the_site_redirects_to_https(self):
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        response = self.client.get("/about/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver/about/")

    def test_healthz_answers_503_when_the_database_fails(self):
        failing = mock.patch.object(
            health.connection, "cursor", side_effect=OperationalError("connection refused")
        )
        with failing, self.assertLogs("registry.health", "ERROR"):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "error", "database": "unreachable"})
        self.assertNotContains(response, "connection refused", status_code=503)


def test_healthz_answers_503_when_no_database_listens():
    """A real app process whose DATABASE_URL points at a port where nothing listens."""
    env = os.environ | {
        "DATABASE_URL": "postgres://registry@127.0.0.1:1/registry",
        "DJANGO_SETTINGS_MODULE": "registry.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    status, _, body = result.stdout.strip().partition(" ")
    assert status == "503", result.stdout + result.stderr
    assert json.loads(body) == {"status": "error", "database": "unreachable"}
    assert "Health check failed: the database did not answer." in result.stderr
