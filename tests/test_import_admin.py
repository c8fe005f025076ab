import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from giftapp.models import Gift, ImportBatch, PendingImport

from .factories import make_user
from .test_import_registry_csv import csv_bytes, row


def upload(data, name="gifts.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


class AdminImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("erin", "editor")
        cls.reviewer = make_user("rita", "reviewer")

    def test_editor_uploads_sees_the_dry_run_then_confirms_and_gets_drafts(self):
        self.client.force_login(self.editor)
        page = self.client.get(reverse("admin:import_gifts"))
        self.assertContains(page, "Upload a file")
        self.assertNotContains(page, "publish")  # only a reviewer may publish
        response = self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row(), row(item="Dagger")])), "format": "registry"},
        )
        self.assertContains(response, "Dry run")
        self.assertContains(response, "Rows: 2 read — 2 imported")
        self.assertEqual(Gift.objects.count(), 0)
        pending = PendingImport.objects.get()
        response = self.client.post(
            reverse("admin:import_gifts_confirm", args=[pending.pk]), follow=True
        )
        self.assertContains(response, "Imported gifts.csv as batch")
        self.assertEqual(set(Gift.objects.values_list("publication_status", flat=True)), {"draft"})
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.user, batch.rows), (self.editor, 2))
        self.assertFalse(PendingImport.objects.exists())
        self.assertContains(
            self.client.get(reverse("admin:giftapp_importbatch_change", args=[batch.pk])),
            "gifts.csv",
        )

    def test_reviewer_may_publish_through_the_upload(self):
        self.client.force_login(self.reviewer)
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry", "publish": "on"},
        )
        pending = PendingImport.objects.get()
        self.client.post(reverse("admin:import_gifts_confirm", args=[pending.pk]))
        self.assertEqual(Gift.objects.get().publication_status, "published")

    def test_an_invalid_file_gets_a_report_and_no_confirm_button(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row(date="2024-13-45")])), "format": "registry"},
        )
        self.assertContains(response, "line 2, column date")
        self.assertNotContains(response, "import_gifts_confirm")
        self.assertNotContains(response, "/confirm/")

    def test_a_file_with_the_wrong_header_gets_a_message(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(b"a,b\r\n1,2\r\n"), "format": "registry"},
        )
        self.assertContains(response, "the header does not match")
        self.assertFalse(PendingImport.objects.exists())

    def test_nobody_else_can_confirm_an_upload(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry"},
        )
        pending = PendingImport.objects.get()
        self.client.force_login(self.reviewer)
        response = self.client.post(reverse("admin:import_gifts_confirm", args=[pending.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Gift.objects.count(), 0)

    def test_uploads_never_confirmed_are_discarded_after_a_day(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry"},
        )
        stale = PendingImport.objects.get()
        PendingImport.objects.filter(pk=stale.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=25)
        )
        # The next upload discards it; confirming it then says so, and imports nothing.
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row(item="Dagger")])), "format": "registry"},
        )
        self.assertEqual(PendingImport.objects.count(), 1)
        self.assertFalse(PendingImport.objects.filter(pk=stale.pk).exists())
        response = self.client.post(
            reverse("admin:import_gifts_confirm", args=[stale.pk]), follow=True
        )
        self.assertContains(response, "no longer waiting")
        self.assertEqual(Gift.objects.count(), 0)

    @override_settings(REGISTRY_PENDING_IMPORT_HOURS=48)
    def test_how_long_uploads_wait_is_configured(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry"},
        )
        PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
        pending = PendingImport.objects.get()
        self.client.post(reverse("admin:import_gifts_confirm", args=[pending.pk]))
        self.assertEqual(Gift.objects.count(), 1)

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.client.get(reverse("admin:import_gifts"))
        self.assertEqual(response.status_code, 302)
