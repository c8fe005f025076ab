"""Imports: each file imported (ImportBatch), and uploads waiting for an editor's
confirmation (PendingImport)."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class ImportBatch(models.Model):
    """One run of import_gifts that wrote to the registry: who, when, which file, what."""

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(max_length=300)
    file_sha256 = models.CharField("file SHA-256", max_length=64)
    format = models.CharField(max_length=40)
    published = models.BooleanField(default=False, help_text="Imported with --publish.")
    rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(
        default=dict, help_text="Outcomes per entity: created, updated, unchanged, …"
    )
    skipped = models.JSONField(default=dict, help_text="Rows skipped, by reason.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"#{self.pk} {self.file_name} ({self.format}, {self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("admin:giftapp_importbatch_change", args=[self.pk])


class PendingImport(models.Model):
    """An uploaded register file between its dry run and the editor's confirmation.

    Kept in the database so that any app server can finish what another one started.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    file_name = models.CharField(max_length=300)
    format = models.CharField(max_length=40)
    publish = models.BooleanField(default=False)
    content = models.BinaryField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.format}), uploaded {self.created_at:%Y-%m-%d %H:%M}"
