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


class UploadState(models.TextChoices):
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked: waiting for confirmation"
    IMPORTING = "importing", "Being imported"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Not imported"


class PendingImport(models.Model):
    """A register file uploaded in the admin, from its check (a dry run) to its import.

    Both run as background tasks (`editorial/tasks.py`), taken from the database by the
    `db_worker` command, so a large file never holds a web request; the task writes its
    progress and its report here, and the upload's page shows them. Kept in the database
    so that any app server can show what any worker did. The file's bytes are dropped once
    it is imported; uploads are discarded REGISTRY_PENDING_IMPORT_HOURS after they were
    made, whatever became of them.
    """

    State = UploadState
    RUNNING = (UploadState.CHECKING, UploadState.IMPORTING)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    file_name = models.CharField(max_length=300)
    format = models.CharField(max_length=40)
    publish = models.BooleanField(default=False)
    content = models.BinaryField()
    rows = models.PositiveIntegerField(
        null=True, blank=True, help_text="The file's data rows, counted at upload."
    )
    state = models.CharField(
        max_length=10, choices=UploadState.choices, default=UploadState.CHECKING
    )
    progress = models.JSONField(
        default=dict, blank=True, help_text="What the running task has done: phase and rows."
    )
    report = models.JSONField(
        default=list, blank=True, help_text="The check's or the import's report, line by line."
    )
    valid = models.BooleanField(default=False, help_text="Whether the check found every row valid.")
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=UploadState.values), name="pendingimport_state_valid"
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.format}), uploaded {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def running(self):
        return self.state in self.RUNNING


class EntryStatus(models.TextChoices):
    IMPORTED = "imported", "Imported"
    SKIPPED = "skipped", "Skipped"
    REJECTED = "rejected", "Rejected"


# The public registers an import reads, by format name, as a reader would name them.
REGISTERS = {
    "us-federal-register": "US Federal Register notices of gifts to federal employees",
    "us-foreign-gifts": "US notices of gifts to federal employees (second transcription)",
    "uk-ministers": "UK register of ministers' gifts",
    "pk-toshakhana": "Pakistan's Toshakhana record",
}


class RegisterEntry(models.Model):
    """One data row of an imported register file, kept verbatim, with what became of it.

    A row that packs several gifts has one entry for each (`entry` 1, 2, …); a row skipped
    or rejected has one, with the reason. The file (name, SHA-256, format) is the batch's.
    A later import of the same register replaces the entries of the rows it holds, so each
    row of a register has the entries of its latest reading; a gift keeps its entries
    whichever register, or how many, recorded it.
    """

    Status = EntryStatus

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="entries")
    register = models.CharField(max_length=40, help_text="The register's format name.")
    row = models.CharField(
        max_length=40,
        help_text="The register's own row id, or the CSV record number where it has none.",
    )
    record = models.PositiveIntegerField(help_text="The CSV record number after the header.")
    line = models.PositiveIntegerField(help_text="The first line of the record in the file.")
    entry = models.PositiveSmallIntegerField(default=1)
    cells = models.JSONField(
        default=list,
        help_text="Every column of the row, verbatim, in the file's order: [[column, text], …].",
    )
    gift = models.ForeignKey(
        "giftapp.Gift",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_entries",
    )
    status = models.CharField(max_length=8, choices=EntryStatus.choices)
    reason = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_note = models.CharField(
        max_length=300, blank=True, help_text="Which source the link is: the notice, a search…"
    )
    giver_name = models.CharField(
        max_length=200, blank=True, help_text="The giver's name as this row spells it."
    )
    recipient_name = models.CharField(
        max_length=200, blank=True, help_text="The recipient's name as this row spells it."
    )

    class Meta:
        ordering = ["register", "record", "entry"]
        verbose_name_plural = "register entries"
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "record", "entry"], name="registerentry_unique_in_batch"
            ),
        ]
        indexes = [models.Index(fields=["register", "row"], name="registerentry_row_idx")]

    def __str__(self):
        return f"{self.register} row {self.row}" + (f" #{self.entry}" if self.entry > 1 else "")

    @property
    def register_name(self):
        return REGISTERS.get(self.register, self.register)
