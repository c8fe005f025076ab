"""Security headers, the Content Security Policy, production settings and the admin login.

The suite runs on the production settings (DEBUG false; `make test` only turns off the
HTTPS redirect, as the test server speaks plain HTTP), so what is asserted here is what
`make serve` sends.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from registry.security import client_ip

from .factories import make_flag, make_gift, make_regime, make_source, make_staff

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PASSWORD = "correct horse battery staple"
STRONG_KEY = "production-secret-key-for-the-settings-tests-0123456789"
# Everything a deployment may set for the security section, so that each subprocess below
# sees exactly the variables it is given.
SECURITY_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "TRUSTED_PROXY_COUNT",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "LOG_LEVEL",
    "DATABASE_CONNECT_TIMEOUT",
}
ROOT = Path(__file__).resolve().parent.parent
# Never connected to: the script stops before it would.
PG_URL = "postgres://registry@127.0.0.1:1/registry"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "gifts.example.org"}
SHOW_SETTINGS = """
import json
from django.conf import settings
names = [
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
    "TRUSTED_PROXY_COUNT", "AXES_FAILURE_LIMIT",
]
values = {name: getattr(settings, name, None) for name in names}
values["AXES_COOLOFF_SECONDS"] = settings.AXES_COOLOFF_TIME.total_seconds()
print(json.dumps(values))
"""


def run_python(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SECURITY_VARIABLES}
    return subprocess.run(
        [sys.executable, *args],
        env=clean | {"DJANGO_SETTINGS_MODULE": "registry.settings"} | env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def settings_under(**env):
    result = run_python(["-c", "import django; django.setup()\n" + SHOW_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class ProductionSettingsTests(SimpleTestCase):
    def test_production_defaults_are_the_strict_ones(self):
        values = settings_under(**PRODUCTION)
        self.assertEqual(
            values,
            {
                "SECURE_SSL_REDIRECT": True,
                "SECURE_PROXY_SSL_HEADER": None,
                "SECURE_HSTS_SECONDS": 31536000,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                "SECURE_HSTS_PRELOAD": False,
                "SESSION_COOKIE_SECURE": True,
                "CSRF_COOKIE_SECURE": True,
                "SESSION_COOKIE_HTTPONLY": True,
                "CSRF_COOKIE_HTTPONLY": True,
                "TRUSTED_PROXY_COUNT": 0,
                "AXES_FAILURE_LIMIT": 5,
                "AXES_COOLOFF_SECONDS": 1800.0,
            },
        )

    def test_every_security_knob_is_read_from_the_environment(self):
        values = settings_under(
            **PRODUCTION,
            SECURE_SSL_REDIRECT="off",
            SECURE_PROXY_SSL_HEADER="yes",
            SECURE_HSTS_SECONDS="600",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
            SECURE_HSTS_PRELOAD="true",
            TRUSTED_PROXY_COUNT="2",
            AXES_FAILURE_LIMIT="10",
            AXES_COOLOFF_MINUTES="5",
        )
        self.assertFalse(values["SECURE_SSL_REDIRECT"])
        self.assertEqual(values["SECURE_PROXY_SSL_HEADER"], ["HTTP_X_FORWARDED_PROTO", "https"])
        self.assertEqual(values["SECURE_HSTS_SECONDS"], 600)
        self.assertFalse(values["SECURE_HSTS_INCLUDE_SUBDOMAINS"])
        self.assertTrue(values["SECURE_HSTS_PRELOAD"])
        self.assertEqual(values["TRUSTED_PROXY_COUNT"], 2)
        self.assertEqual(values["AXES_FAILURE_LIMIT"], 10)
        self.assertEqual(values["AXES_COOLOFF_SECONDS"], 300.0)

    def test_local_development_neither_redirects_nor_sends_hsts(self):
        values = settings_under(DEBUG="true")
        self.assertFalse(values["SECURE_SSL_REDIRECT"])
        self.assertEqual(values["SECURE_HSTS_SECONDS"], 0)
        self.assertFalse(values["SESSION_COOKIE_SECURE"])

    def test_a_bad_security_value_is_refused_naming_the_variable(self):
        for name, raw, message in [
            (
                "SECURE_SSL_REDIRECT",
                "sometimes",
                "SECURE_SSL_REDIRECT='sometimes' is not a boolean",
            ),
            ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS='a year' is not a whole number"),
            ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS='-1' is too small"),
            ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT='0' is too small; use 1 or more"),
            ("AXES_COOLOFF_MINUTES", "0", "AXES_COOLOFF_MINUTES='0' is too small"),
            ("TRUSTED_PROXY_COUNT", "-2", "TRUSTED_PROXY_COUNT='-2' is too small"),
            ("LOG_LEVEL", "loud", "LOG_LEVEL='LOUD' is not a level"),
        ]:
            with self.subTest(name=name, raw=raw):
                result = run_python(["-c", "import registry.settings"], **PRODUCTION, **{name: raw})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(message, result.stderr)

    def test_check_deploy_is_clean_under_production_settings(self):
        result = run_python(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)

    def test_check_deploy_warns_when_an_operator_turns_the_https_redirect_off(self):
        result = run_python(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            **PRODUCTION,
            SECURE_SSL_REDIRECT="false",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W008", result.stdout + result.stderr)


class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        regime = make_regime()
        cls.gift = make_gift(item="Tea set", sources=[make_source()])
        make_flag(cls.gift, regime, sources=[make_source()])

    def assertStrictHeaders(self, response):
        self.assertEqual(response["Content-Security-Policy"], STRICT_POLICY)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")

    def test_every_kind_of_public_response_carries_the_headers_and_the_strict_policy(self):
        urls = [
            "/",
            "/gifts/",
            "/gifts/?category=nonsense",
            f"/gifts/{self.gift.pk}/",
            "/gifts/999999/",
            "/gifts/?format=csv",
            "/gifts/?format=json",
            "/gifts/?format=xml",
            "/visits/",
            "/timeline/",
            "/leaders/",
            "/countries/",
            "/countries/FR/",
            "/sanctions/",
            "/sanctions/UN-SC1718/",
            "/about/",
            "/feeds/gifts/",
            "/feeds/flags/",
            "/healthz",
            "/admin/login/",
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertStrictHeaders(self.client.get(url, secure=True))

    def test_https_responses_carry_hsts_for_a_year_with_subdomains(self):
        response = self.client.get("/about/", secure=True)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains"
        )

    def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere(self):
        policy = self.client.get("/").headers["Content-Security-Policy"]
        directives = dict(part.split(" ", 1) for part in policy.split("; "))
        self.assertEqual(directives["script-src"], "'self'")
        self.assertEqual(directives["style-src"], "'self'")
        self.assertEqual(directives["object-src"], "'none'")
        self.assertEqual(directives["base-uri"], "'none'")
        self.assertEqual(directives["frame-ancestors"], "'none'")
        self.assertEqual(directives["form-action"], "'self'")
        self.assertNotIn("unsafe", policy)

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_plain_http_is_redirected_to_https(self):
        response = self.client.get("/gifts/?country=KP")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver/gifts/?country=KP")

    @override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    )
    def test_behind_a_tls_proxy_its_forwarded_proto_header_counts_as_https(self):
        response = self.client.get("/about/", headers={"x-forwarded-proto": "https"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Strict-Transport-Security", response)
        self.assertEqual(self.client.get("/about/").status_code, 301)


class AdminPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gift = make_gift(item="Tea set")
        cls.draft = make_gift(item="Dagger", publication_status="draft")
        cls.admin = make_staff("chief", superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_admin_pages_carry_the_strict_policy(self):
        for url in [
            "/admin/",
            "/admin/giftapp/gift/",
            f"/admin/giftapp/gift/{self.gift.pk}/change/",
            "/admin/giftapp/gift/add/",
            f"/admin/giftapp/gift/{self.draft.pk}/delete/",
            "/admin/giftapp/visit/",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Security-Policy"], STRICT_POLICY)

    def test_only_the_history_list_allows_its_one_style_attribute_by_hash(self):
        response = self.client.get(f"/admin/giftapp/gift/{self.gift.pk}/history/")
        self.assertContains(response, 'style="border-top: 0"')
        self.assertEqual(
            response["Content-Security-Policy"],
            STRICT_POLICY + "; style-src-attr 'unsafe-hashes' "
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        )
        # Nothing else on that page needs it: the only style attribute is that one.
        self.assertEqual(len(re.findall(r"\bstyle=", response.content.decode())), 1)

    def test_the_history_hash_is_the_hash_of_that_style_attribute(self):
        import base64
        import hashlib

        digest = base64.b64encode(hashlib.sha256(b"border-top: 0").digest()).decode()
        self.assertEqual(digest, "XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM=")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class CookieTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_staff("chief", superuser=True)

    def test_the_csrf_cookie_is_secure_and_http_only(self):
        response = self.client.get("/admin/login/", secure=True)
        cookie = response.cookies["csrftoken"]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_the_session_cookie_is_secure_and_http_only(self):
        self.client.get("/admin/login/", secure=True)
        response = self.client.post(
            "/admin/login/", {"username": "chief", "password": PASSWORD}, secure=True
        )
        self.assertEqual(response.status_code, 302)
        cookie = response.cookies["sessionid"]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])

    def test_public_pages_set_no_cookie(self):
        for url in ["/", "/gifts/", "/about/", "/feeds/gifts/"]:
            with self.subTest(url=url):
                self.assertEqual(dict(self.client.get(url).cookies), {})


def login_form(response, username):
    """The login page with what differs between two requests blanked out: the CSRF token,
    and the username echoed back in the form."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "CSRF", text)
    return text.replace(f'value="{username}"', 'value="USERNAME"')


# Logins here are about counting, not hashing: a fast hasher keeps each attempt cheap.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class AdminLoginProtectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("editor")
        get_user_model().objects.create_user("reader", password=PASSWORD)

    def attempt(self, username, password, address="203.0.113.7", **headers):
        return self.client.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            **headers,
        )

    def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(self):
        wrong_password = self.attempt("editor", "not the password")
        unknown_user = self.attempt("nobody1", "not the password")
        self.assertEqual(wrong_password.status_code, 200)
        self.assertEqual(unknown_user.status_code, 200)
        self.assertContains(wrong_password, "Please enter the correct username and password")
        self.assertEqual(login_form(wrong_password, "editor"), login_form(unknown_user, "nobody1"))

    def test_a_user_who_is_not_staff_gets_the_same_answer_as_a_wrong_password(self):
        not_staff = self.attempt("reader", PASSWORD)
        wrong_password = self.attempt("editor", "not the password")
        self.assertEqual(not_staff.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(login_form(not_staff, "reader"), login_form(wrong_password, "editor"))

    def test_the_fifth_failure_locks_the_username_out_from_that_address(self):
        for _ in range(4):
            self.assertEqual(self.attempt("editor", "guess").status_code, 200)
        self.assertEqual(self.attempt("editor", "guess").status_code, 429)
        locked = self.attempt("editor", PASSWORD)
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "too many login attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_four_failures_do_not_lock_and_a_success_clears_the_count(self):
        for _ in range(4):
            self.attempt("editor", "guess")
        self.assertRedirects(self.attempt("editor", PASSWORD), "/admin/")
        self.client.logout()
        for _ in range(4):
            self.attempt("editor", "guess")
        self.assertRedirects(self.attempt("editor", PASSWORD), "/admin/")

    def test_an_unknown_username_is_locked_out_exactly_like_a_real_one(self):
        for username in ("editor", "nobody1"):
            answers = [self.attempt(username, "guess").status_code for _ in range(6)]
            with self.subTest(username=username):
                self.assertEqual(answers, [200, 200, 200, 200, 429, 429])

    def test_the_lockout_holds_only_that_username_from_that_address(self):
        for _ in range(5):
            self.attempt("editor", "guess")
        self.assertEqual(self.attempt("editor", PASSWORD).status_code, 429)
        self.assertRedirects(self.attempt("editor", PASSWORD, address="198.51.100.9"), "/admin/")

    def test_the_lockout_ends_after_the_cool_off(self):
        for _ in range(5):
            self.attempt("editor", "guess")
        self.assertEqual(self.attempt("editor", PASSWORD).status_code, 429)
        AccessAttempt.objects.update(attempt_time=self.now_minus(timedelta(minutes=31)))
        self.assertRedirects(self.attempt("editor", PASSWORD), "/admin/")

    @staticmethod
    def now_minus(delta):
        from django.utils import timezone

        return timezone.now() - delta

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_the_failure_limit_is_a_setting(self):
        answers = [self.attempt("editor", "guess").status_code for _ in range(3)]
        self.assertEqual(answers, [200, 429, 429])

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw(self):
        def through_proxy(client_address, password="guess"):
            return self.attempt(
                "editor",
                password,
                address="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"spoofed, {client_address}",
            )

        for _ in range(5):
            through_proxy("203.0.113.7")
        self.assertEqual(through_proxy("203.0.113.7", PASSWORD).status_code, 429)
        # Another reader behind the same proxy is not locked out.
        self.assertRedirects(through_proxy("198.51.100.9", PASSWORD), "/admin/")


class ClientAddressTests(SimpleTestCase):
    def request(self, forwarded=None):
        headers = {"REMOTE_ADDR": "10.0.0.2"}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/admin/login/", **headers)

    def test_without_proxies_the_address_is_the_connections(self):
        self.assertEqual(client_ip(self.request("203.0.113.7")), "10.0.0.2")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_one_proxy_the_right_most_forwarded_address(self):
        self.assertEqual(client_ip(self.request("1.2.3.4, 203.0.113.7")), "203.0.113.7")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_two_proxies_the_second_from_the_right(self):
        self.assertEqual(client_ip(self.request("1.2.3.4, 203.0.113.7, 10.0.0.1")), "203.0.113.7")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_too_few_forwarded_addresses_fall_back_to_the_connection(self):
        self.assertEqual(client_ip(self.request("203.0.113.7")), "10.0.0.2")
        self.assertEqual(client_ip(self.request()), "10.0.0.2")


class ServeScriptTests(SimpleTestCase):
    """`make serve` (bin/serve) refuses a bad environment in one line, not a traceback."""

    def serve(self, **env):
        with tempfile.TemporaryDirectory() as tmp:
            # Stands in for uv: `uv run python …` becomes `python …` from this environment.
            shim = Path(tmp) / "uv"
            shim.write_text('#!/bin/sh\nshift\nexec "$@"\n')
            shim.chmod(0o755)
            clean = {k: v for k, v in os.environ.items() if k not in SECURITY_VARIABLES}
            clean.pop("DATABASE_URL", None)
            clean["PATH"] = f"{Path(sys.executable).parent}:{clean['PATH']}"
            return subprocess.run(
                [ROOT / "bin" / "serve"],
                env=clean | {"UV": str(shim)} | env,
                capture_output=True,
                text=True,
                timeout=120,
            )

    def assertRefused(self, result, message):
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stderr.strip(), f"make serve: not starting. {message}")

    def test_serve_refuses_without_a_secret_key(self):
        result = self.serve(DATABASE_URL=PG_URL, ALLOWED_HOSTS="gifts.example.org")
        self.assertRefused(
            result,
            "SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development.",
        )

    def test_serve_refuses_without_allowed_hosts_even_when_debug_is_set(self):
        result = self.serve(DATABASE_URL=PG_URL, SECRET_KEY=STRONG_KEY, DEBUG="true")
        self.assertIn("ALLOWED_HOSTS is not set", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(result.returncode, 2)

    def test_serve_refuses_without_a_database_url(self):
        result = self.serve(**PRODUCTION)
        self.assertRefused(
            result,
            "DATABASE_URL is not set; production runs on PostgreSQL: "
            "DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME.",
        )

    def test_serve_refuses_a_port_that_is_not_one(self):
        result = self.serve(**PRODUCTION, DATABASE_URL=PG_URL, PORT="80a")
        self.assertRefused(result, "PORT=80a is not a port number (1-65535).")


class ServeWorkerTests(SimpleTestCase):
    """The background worker stops when the database goes away; `make serve` starts it
    again and keeps the web server up (bin/serve), and a stop signal still stops both."""

    def test_a_stopped_worker_is_started_again_and_the_web_server_stays(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "started.log"
            # Stands in for uv: the worker exits at once, the web server waits; the
            # settings check runs for real, the other commands succeed.
            shim = Path(tmp) / "uv"
            shim.write_text(
                '#!/bin/sh\nshift\ncase "$*" in\n'
                f'  *db_worker*) echo worker >> "{log}"; exit 1 ;;\n'
                f'  *gunicorn*) echo web >> "{log}"; exec sleep 60 ;;\n'
                "  *manage.py*) exit 0 ;;\n"
                '  *) exec "$@" ;;\nesac\n'
            )
            shim.chmod(0o755)
            env = {k: v for k, v in os.environ.items() if k not in SECURITY_VARIABLES}
            env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
            serve = subprocess.Popen(
                [ROOT / "bin" / "serve"],
                env=env | PRODUCTION | {"UV": str(shim), "DATABASE_URL": PG_URL},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                for _ in range(200):
                    started = log.read_text().split() if log.exists() else []
                    if started.count("worker") >= 2:
                        break
                    time.sleep(0.1)
                self.assertGreaterEqual(started.count("worker"), 2, started)
                self.assertEqual(started.count("web"), 1)
                self.assertIsNone(serve.poll(), "make serve stopped with its worker")
                serve.terminate()
                self.assertNotEqual(serve.wait(timeout=15), 0)
            finally:
                serve.kill()
