"""The page cache across processes: a command run beside a running server (an import,
the way an editor loads a register) shows on that server's next request, on SQLite as on
PostgreSQL, with each process caching pages in its own memory."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.db import connection
from django.test import TransactionTestCase

from .test_import_registry_csv import csv_bytes, row

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(directory):
    """The database both processes share: the test database on PostgreSQL; on SQLite (the
    tests' own is in memory) a new file, migrated."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"
    return f"sqlite:///{directory}/registry.sqlite3"


class CommandBesideServerTests(TransactionTestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(self.directory),
            # Static files unhashed: the manifest exists only after collectstatic.
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "REGISTRY_PAGE_CACHE": "true",
            "DJANGO_SETTINGS_MODULE": "registry.settings",
        }
        self.env.pop("REDIS_URL", None)  # each process caches in its own memory
        if connection.vendor != "postgresql":
            self.manage("migrate", "--no-input")

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def serve(self):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(server.wait, 30)
        self.addCleanup(server.terminate)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                return base
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("the server did not start") from None
                time.sleep(0.2)

    def read(self, url):
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode()

    def test_an_import_from_the_command_line_shows_on_the_next_request(self):
        base = self.serve()
        for path in ("/gifts/", "/leaders/", "/"):
            # Twice: the second answer comes from the server's cache.
            self.read(base + path)
            self.assertNotIn("Imported vase", self.read(base + path))
        register = Path(self.directory) / "register.csv"
        register.write_bytes(
            csv_bytes([row(item="Imported vase", giver="Sergei Lavrov", giver_country="RU")])
        )
        self.manage("import_gifts", str(register), "--format", "registry", "--publish")
        self.assertIn("Imported vase", self.read(base + "/gifts/"))
        self.assertIn("Sergei Lavrov", self.read(base + "/leaders/"))
        self.assertIn("Imported vase", self.read(base + "/"))
