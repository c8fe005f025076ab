"""The admin's import: an upload is checked, then imported once its uploader confirms, each
step a background task that the database-backed worker runs (giftapp/editorial/tasks.py)."""

import datetime
import os
import subprocess
import sys
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from giftapp.editorial.tasks import UploadProgress, purge_stale_uploads
from giftapp.models import Gift, ImportBatch, PendingImport

from .factories import make_user
from .test_cache_processes import ROOT, database_url
from .test_import_registry_csv import csv_bytes, row

# The second connection the tasks write their progress on, where the database has one.
DATABASES = {"default", "progress"} & set(settings.DATABASES)


def upload(data, name="gifts.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def run_tasks():
    """Run the queued tasks as the worker does (`manage.py db_worker`), in this process."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while (queued := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        queued.claim("test")
        worker.run_task(queued)
        ran += 1
    return ran


class AdminImportTests(TestCase):
    databases = DATABASES

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("erin", "editor")
        cls.reviewer = make_user("rita", "reviewer")

    def check(self, data, **fields):
        """Upload a file, run its check; the upload's page after it."""
        response = self.client.post(
            reverse("admin:import_gifts"), {"file": upload(data), "format": "registry", **fields}
        )
        pending = PendingImport.objects.latest("pk")
        self.assertRedirects(response, reverse("admin:import_gifts_status", args=[pending.pk]))
        self.assertEqual(run_tasks(), 1)
        return self.client.get(response.url), pending

    def confirm(self, pending):
        response = self.client.post(reverse("admin:import_gifts_confirm", args=[pending.pk]))
        run_tasks()
        return response

    def test_editor_uploads_sees_the_dry_run_then_confirms_and_gets_drafts(self):
        self.client.force_login(self.editor)
        page = self.client.get(reverse("admin:import_gifts"))
        self.assertContains(page, "Upload a file")
        self.assertNotContains(page, "publish")  # only a reviewer may publish
        page, pending = self.check(csv_bytes([row(), row(item="Dagger")]))
        self.assertContains(page, "Dry run")
        self.assertContains(page, "Rows: 2 read — 2 imported")
        self.assertContains(page, "(registry, 2 rows): checked")
        self.assertEqual(Gift.objects.count(), 0)
        response = self.confirm(pending)
        page = self.client.get(response.url)
        self.assertContains(page, "Imported as batch")
        self.assertEqual(set(Gift.objects.values_list("publication_status", flat=True)), {"draft"})
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.user, batch.rows), (self.editor, 2))
        pending.refresh_from_db()
        self.assertEqual(
            (pending.state, pending.batch, bytes(pending.content)), ("imported", batch, b"")
        )
        self.assertContains(page, reverse("admin:giftapp_importbatch_change", args=[batch.pk]))
        self.assertContains(
            self.client.get(reverse("admin:giftapp_importbatch_change", args=[batch.pk])),
            "gifts.csv",
        )

    def test_the_upload_never_runs_the_import_in_the_request(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry"},
        )
        pending = PendingImport.objects.get()
        self.assertEqual((pending.state, pending.report), ("checking", []))
        page = self.client.get(reverse("admin:import_gifts_status", args=[pending.pk]))
        self.assertContains(page, "Waiting for the background worker")
        self.assertContains(page, '<meta http-equiv="refresh" content="2">', html=False)
        self.assertEqual(
            DBTaskResult.objects.get().task_path, "giftapp.editorial.tasks.check_upload"
        )

    def test_a_confirmation_before_the_check_or_twice_imports_once(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry"},
        )
        pending = PendingImport.objects.get()
        self.client.post(reverse("admin:import_gifts_confirm", args=[pending.pk]))
        run_tasks()
        self.assertEqual(Gift.objects.count(), 0)
        for _ in range(2):
            self.client.post(reverse("admin:import_gifts_confirm", args=[pending.pk]))
        self.assertEqual(run_tasks(), 1)
        self.assertEqual(Gift.objects.count(), 1)
        self.assertEqual(ImportBatch.objects.count(), 1)

    def test_reviewer_may_publish_through_the_upload(self):
        self.client.force_login(self.reviewer)
        _page, pending = self.check(csv_bytes([row()]), publish="on")
        self.confirm(pending)
        self.assertEqual(Gift.objects.get().publication_status, "published")

    def test_an_invalid_file_gets_a_report_and_no_confirm_button(self):
        self.client.force_login(self.editor)
        page, pending = self.check(csv_bytes([row(date="2024-13-45")]))
        self.assertContains(page, "line 2, column date")
        self.assertNotContains(page, "/confirm/")
        self.confirm(pending)
        self.assertEqual(Gift.objects.count(), 0)

    def test_a_file_with_the_wrong_header_gets_a_message(self):
        self.client.force_login(self.editor)
        page, pending = self.check(b"a,b\r\n1,2\r\n")
        self.assertContains(page, "the header does not match")
        self.assertNotContains(page, "/confirm/")
        pending.refresh_from_db()
        self.assertEqual(pending.state, "failed")

    def test_nobody_else_sees_or_confirms_an_upload(self):
        self.client.force_login(self.editor)
        _page, pending = self.check(csv_bytes([row()]))
        self.client.force_login(self.reviewer)
        status = self.client.get(reverse("admin:import_gifts_status", args=[pending.pk]))
        self.assertEqual(status.status_code, 404)
        response = self.client.post(reverse("admin:import_gifts_confirm", args=[pending.pk]))
        self.assertEqual(response.status_code, 404)
        run_tasks()
        self.assertEqual(Gift.objects.count(), 0)
        self.assertNotContains(self.client.get(reverse("admin:import_gifts")), "gifts.csv")

    def test_uploads_never_confirmed_are_discarded_after_a_day(self):
        self.client.force_login(self.editor)
        _page, stale = self.check(csv_bytes([row()]))
        PendingImport.objects.filter(pk=stale.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=25)
        )
        # The next upload discards it; confirming it then says so, and imports nothing.
        self.check(csv_bytes([row(item="Dagger")]))
        self.assertEqual(PendingImport.objects.count(), 1)
        self.assertFalse(PendingImport.objects.filter(pk=stale.pk).exists())
        response = self.client.post(
            reverse("admin:import_gifts_confirm", args=[stale.pk]), follow=True
        )
        self.assertContains(response, "no longer waiting")
        self.assertEqual(run_tasks(), 0)
        self.assertEqual(Gift.objects.count(), 0)

    def test_an_upload_a_task_is_working_on_is_kept_until_it_is_abandoned(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry"},
        )
        pending = PendingImport.objects.get()
        for hours, kept in [(25, True), (24 * 8, False)]:
            PendingImport.objects.filter(pk=pending.pk).update(
                created_at=timezone.now() - datetime.timedelta(hours=hours)
            )
            purge_stale_uploads()
            self.assertEqual(PendingImport.objects.filter(pk=pending.pk).exists(), kept)
        self.assertEqual(run_tasks(), 1)  # the queued check finds nothing, and says so
        self.assertEqual(DBTaskResult.objects.get().return_value, "discarded")

    @override_settings(REGISTRY_PENDING_IMPORT_HOURS=48)
    def test_how_long_uploads_wait_is_configured(self):
        self.client.force_login(self.editor)
        _page, pending = self.check(csv_bytes([row()]))
        PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
        self.confirm(pending)
        self.assertEqual(Gift.objects.count(), 1)

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.client.get(reverse("admin:import_gifts"))
        self.assertEqual(response.status_code, 302)


class ProgressTests(TransactionTestCase):
    """Progress is written where the uploader's page can read it while the import's own
    transaction is still open: on PostgreSQL over a second connection; on SQLite, which
    allows one writer, only outside that transaction."""

    databases = DATABASES

    def test_progress_is_visible_outside_the_importing_transaction(self):
        from django.db import transaction

        pending = PendingImport.objects.create(
            user=make_user("erin", "editor"), file_name="f.csv", format="registry", rows=10
        )
        progress = UploadProgress(pending)
        progress.read(4)
        pending.refresh_from_db()
        self.assertEqual(pending.progress, {"phase": "read", "rows": 4, "total": 10})
        with transaction.atomic():
            progress.written_at = 0
            progress.write(6)
            seen = PendingImport.objects.using("progress" if "progress" in DATABASES else "default")
            expected = (
                {"phase": "write", "rows": 6, "total": 10}
                if connection.vendor == "postgresql"
                else {"phase": "read", "rows": 4, "total": 10}
            )
            self.assertEqual(seen.get(pk=pending.pk).progress, expected)

    def test_progress_is_written_at_most_once_a_second(self):
        pending = PendingImport.objects.create(
            user=make_user("erin", "editor"), file_name="f.csv", format="registry", rows=10
        )
        progress = UploadProgress(pending)
        progress.read(1)
        progress.read(1)
        pending.refresh_from_db()
        self.assertEqual(pending.progress["rows"], 1)


class WorkerProcessTests(TransactionTestCase):
    """The worker as an operator runs it: its own process, `manage.py db_worker`, taking
    the check and the import from the database."""

    def manage(self, env, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        return result.stdout

    def test_the_worker_command_checks_then_imports_an_upload(self):
        directory = tempfile.mkdtemp()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(directory),
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "registry.settings",
        }
        if connection.vendor != "postgresql":
            self.manage(env, "migrate", "--no-input")
        # An upload as the admin makes it, in the database the worker reads (the test's own
        # SQLite database is in memory, out of the worker's reach).
        self.manage(env, "shell", "--no-imports", "-c", UPLOAD_IN_SHELL)
        worker = ["db_worker", "--batch", "--no-startup-delay", "--interval", "0"]
        self.manage(env, *worker)
        state = self.manage(env, "shell", "--no-imports", "-c", STATE_IN_SHELL).split()
        self.assertEqual(state, ["checked", "0"])
        self.manage(env, "shell", "--no-imports", "-c", CONFIRM_IN_SHELL)
        self.manage(env, *worker)
        state = self.manage(env, "shell", "--no-imports", "-c", STATE_IN_SHELL).split()
        self.assertEqual(state, ["imported", "1"])


UPLOAD_IN_SHELL = f"""
from django.contrib.auth import get_user_model
from giftapp.editorial.tasks import check_upload
from giftapp.models import PendingImport
user = get_user_model().objects.create_user("erin", password="x" * 20, is_staff=True)
content = {csv_bytes([row()])!r}
pending = PendingImport.objects.create(
    user=user, file_name="gifts.csv", format="registry", content=content, rows=1
)
check_upload.enqueue(pending.pk)
"""
STATE_IN_SHELL = """
from giftapp.models import Gift, PendingImport
print(PendingImport.objects.get().state, Gift.objects.count())
"""
CONFIRM_IN_SHELL = """
from giftapp.editorial.tasks import import_upload
from giftapp.models import PendingImport
PendingImport.objects.update(state="importing")
import_upload.enqueue(PendingImport.objects.get().pk)
"""
