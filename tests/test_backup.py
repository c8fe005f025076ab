"""Backups restore into an empty database and lose nothing, history included.

Each test fills the registry with the demo story and everything an operator must not lose
(drafts, a retraction, a leader merge, an import batch, a pending upload, accounts and
roles, the admin log, and the history of every change), backs it up, restores the backup
into a new, empty database through the same code the operator runs (bin/restore calls
`python -m registry.backup`), and compares: every model's count, historical models
included; a second dump of the restored database, record for record; and
`manage.py export_gifts --all`, byte for byte.
"""

import contextlib
import csv
import io
import json
import lzma
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase

from giftapp.demo import load_demo
from giftapp.editorial import workflow
from giftapp.exports.interchange import HEADER
from giftapp.importers.pipeline import run_import
from giftapp.models import Gift, Leader, PendingImport, Visit
from registry import backup

from .factories import make_gift, make_leader, make_source, make_user

ROOT = Path(__file__).resolve().parent.parent
# Carried by neither backup on purpose (see registry.backup): short-lived login state.
NOT_CARRIED = {"sessions.Session"} | {
    model._meta.label for model in apps.get_app_config("axes").get_models()
}
# Run in a fresh process on the restored database, and here on the test database.
SUMMARY = """
import json
import django
django.setup()
from tests.test_backup import summary
print(json.dumps(summary()))
"""


def summary():
    """Every model's row count, and the derived facet table's non-zero rows."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    facets = []
    if "giftapp.GiftFacet" in counts:
        rows = apps.get_model("giftapp.GiftFacet").objects.exclude(n=0)
        facets = sorted(
            [r.giver_country, r.recipient_country, r.category, r.year, r.is_flagged, r.n]
            for r in rows
        )
    return {"counts": counts, "facets": facets}


def build_registry():
    """The demo, and every kind of record and history a registry accumulates."""
    load_demo()
    editor = make_user("backup-editor", "editor")
    reviewer = make_user("backup-reviewer", "reviewer")

    tea_set = Gift.objects.get(item="Tea set")
    tea_set.notes = "Served at the state dinner; photographed by KCNA."
    tea_set._history_user = reviewer
    tea_set.save()
    LogEntry.objects.create(
        user=reviewer,
        content_type=ContentType.objects.get_for_model(Gift),
        object_id=str(tea_set.pk),
        object_repr=str(tea_set),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Notes"]}}]',
    )

    make_gift(
        item="Lacquered box (draft)",
        description="Reported by one outlet only; 螺鈿 inlay.",
        publication_status="draft",
        giver_country="KP",
        recipient_country="RU",
        date=None,
        date_precision="unknown",
        value=Decimal("1234567.89"),
        currency="EUR",
        value_usd=Decimal("1345679.00"),
        value_note="estimate, =not a formula",
        sources=[make_source(title="Unconfirmed report", quote="“a box”")],
    )
    workflow.retract(Gift.objects.get(item="Admiral's dagger (naval dirk)"), "Misidentified.")

    duplicate = make_leader("Kim Jong-un (duplicate)", "KP", aliases=["김정은"])
    make_gift(item="Ginseng", giver=duplicate, giver_country="KP", recipient_country="CN")
    workflow.merge_leaders(Leader.objects.get(slug="kim-jong-un"), duplicate)

    register = io.StringIO()
    writer = csv.DictWriter(register, HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(
        {
            "date": "2019-04",
            "giver": "Vladimir Putin",
            "giver_country": "RU",
            "recipient": "Kim Jong Un",
            "recipient_country": "KP",
            "item": "Tea service (imported)",
            "category": "tableware",
            "disposition": "unknown",
            "sources": "https://news.example.org/tea",
        }
    )
    run_import(io.BytesIO(register.getvalue().encode()), "registry", file_name="r.csv", user=editor)
    PendingImport.objects.create(
        user=editor, file_name="pending.csv", format="registry", content=b"\x00\xff binary"
    )
    Visit.objects.first().sources.add(make_source(title="Extra"))


def local_export():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.csv"
        call_command("export_gifts", str(path), "--all", stderr=io.StringIO())
        return path.read_bytes()


def database_url(settings_dict, name=None):
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{name or settings_dict['NAME']}"
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = f"{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{name or settings_dict['NAME']}"


def run_on(url, *args):
    """Run Python (manage.py, registry.backup, a script) against the database at url."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "registry.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def empty_database():
    """The URL of a new, empty database of the kind the suite runs on; dropped afterwards.

    On PostgreSQL its name is the test database's with _restore appended."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield database_url(settings_dict, f"{tmp}/restored.sqlite3")
        return
    import psycopg
    from psycopg import sql

    name = f"{settings_dict['NAME']}_restore"
    server = psycopg.connect(
        dbname="postgres",
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with server:
        server.execute(drop)
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield database_url(settings_dict, name)
        finally:
            server.execute(drop)


def read_dump(path):
    opener = lzma.open if str(path).endswith(".xz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


class RoundTripChecks:
    def assertNothingLost(self, url, before, export, dump):
        """The database at url holds what the source held when it was backed up."""
        after = json.loads(run_on(url, "-c", SUMMARY))
        # Derived tables are compared by their non-zero rows (rebuilt as records load).
        skipped = NOT_CARRIED | set(backup.DERIVED_MODELS)
        counts = {label: n for label, n in before["counts"].items() if label not in skipped}
        self.assertEqual({label: after["counts"][label] for label in counts}, counts)
        # Not equal by being empty: history of every kind came across.
        for label in ("giftapp.HistoricalGift", "giftapp.HistoricalVisit_sources"):
            self.assertGreater(after["counts"][label], 0, label)
        self.assertEqual(after["facets"], before["facets"])

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "restored.csv"
            run_on(url, "manage.py", "export_gifts", str(out), "--all")
            self.assertEqual(out.read_bytes(), export)
            again = Path(tmp) / "again.json"
            run_on(url, "-m", "registry.backup", "dump-portable", str(again))
            self.assertEqual(read_dump(again), dump)


class PortableBackupTests(RoundTripChecks, TestCase):
    """dumpdata / loaddata: on either database, into an empty one of the same kind."""

    @classmethod
    def setUpTestData(cls):
        build_registry()

    def test_a_portable_dump_restores_everything_into_an_empty_database(self):
        before, export = summary(), local_export()
        for label in ("giftapp.LeaderRedirect", "giftapp.ImportBatch", "admin.LogEntry"):
            self.assertGreater(before["counts"][label], 0, label)
        with tempfile.TemporaryDirectory() as tmp, empty_database() as url:
            path = Path(tmp) / "registry.json.xz"
            backup.dump_portable(path)
            dump = read_dump(path)
            self.assertIn("giftapp.historicalgift", {row["model"] for row in dump})
            run_on(url, "-m", "registry.backup", "load-portable", str(path))
            self.assertNothingLost(url, before, export, dump)

    def test_a_portable_dump_is_not_loaded_over_a_registry(self):
        with tempfile.TemporaryDirectory() as tmp, empty_database() as url:
            path = Path(tmp) / "registry.json"
            backup.dump_portable(path)
            run_on(url, "-m", "registry.backup", "load-portable", str(path))
            with self.assertRaisesRegex(AssertionError, "already holds gifts"):
                run_on(url, "-m", "registry.backup", "load-portable", str(path))

    def test_the_dump_leaves_out_only_what_it_should(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "registry.json"
            backup.dump_portable(path)
            models = {row["model"] for row in read_dump(path)}
        self.assertFalse(models & {"contenttypes.contenttype", "auth.permission"})
        self.assertFalse({m for m in models if m.startswith(("axes.", "sessions."))})
        for label in (
            "auth.user",
            "auth.group",
            "admin.logentry",
            "giftapp.gift",
            "giftapp.historicalgift",
            "giftapp.historicalvisit_visitors",
            "giftapp.leaderredirect",
            "giftapp.importbatch",
            "giftapp.pendingimport",
        ):
            self.assertIn(label, models)


@pytest.mark.postgresql("pg_dump")
class PostgresArchiveTests(RoundTripChecks, TransactionTestCase):
    """pg_dump --format=custom / pg_restore, into a new database beside the test one.

    A TransactionTestCase: pg_dump reads over its own connection, so the records must be
    committed."""

    def test_a_postgres_archive_restores_everything_into_an_empty_database(self):
        build_registry()
        before, export = summary(), local_export()
        with tempfile.TemporaryDirectory() as tmp, empty_database() as url:
            dump_path = Path(tmp) / "before.json"
            backup.dump_portable(dump_path)
            archive = Path(tmp) / "registry.pgdump"
            backup.dump_postgres(archive)
            self.assertEqual(archive.read_bytes()[:5], b"PGDMP")
            run_on(url, "-m", "registry.backup", "load-postgres", str(archive))
            self.assertNothingLost(url, before, export, read_dump(dump_path))

    def test_an_archive_is_not_restored_over_existing_tables(self):
        with tempfile.TemporaryDirectory() as tmp, empty_database() as url:
            archive = Path(tmp) / "registry.pgdump"
            backup.dump_postgres(archive)
            run_on(url, "-m", "registry.backup", "load-postgres", str(archive))
            with self.assertRaisesRegex(AssertionError, "already has tables"):
                run_on(url, "-m", "registry.backup", "load-postgres", str(archive))


class BackupScriptTests(TestCase):
    def test_backup_refuses_without_a_database_url(self):
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        result = subprocess.run(
            [ROOT / "bin" / "backup"], env=env, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("DATABASE_URL is not set", result.stderr)

    def test_restore_refuses_a_file_it_does_not_know(self):
        with tempfile.NamedTemporaryFile(suffix=".sql") as handle:
            result = subprocess.run(
                [ROOT / "bin" / "restore", handle.name],
                env=os.environ | {"DATABASE_URL": "sqlite:////nonexistent/x.sqlite3"},
                capture_output=True,
                text=True,
                timeout=60,
            )
        self.assertEqual(result.returncode, 2)
        self.assertIn("is neither a .pgdump nor a .json", result.stderr)

    def test_the_postgres_commands_name_what_they_need(self):
        with self.assertRaisesRegex(Exception, "need a PostgreSQL DATABASE_URL"):
            backup.postgres_environment({"ENGINE": "django.db.backends.sqlite3"})
        env = backup.postgres_environment(
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "registry",
                "USER": "registry",
                "PASSWORD": "s3cret",
                "HOST": "db.internal",
                "PORT": 5433,
                "OPTIONS": {"sslmode": "require"},
            }
        )
        self.assertEqual(
            [env[v] for v in ("PGDATABASE", "PGUSER", "PGPASSWORD", "PGHOST", "PGPORT")],
            ["registry", "registry", "s3cret", "db.internal", "5433"],
        )
        self.assertEqual(env["PGSSLMODE"], "require")
