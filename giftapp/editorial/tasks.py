"""The admin's imports as background tasks: the check of an uploaded file (a dry run) and,
once its uploader confirms, its import.

Both run in the `db_worker` process (django-tasks-db), never in a web request: a register of
a hundred thousand rows takes longer to check than a request may last. Each writes its
progress and its report to the upload (`PendingImport`), which the upload's page shows.
"""

import datetime
import io
import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.tasks import task
from django.utils import timezone

from ..importers.pipeline import ImportFileError, run_import
from ..importers.report import summary_lines
from ..models import PendingImport, UploadState

logger = logging.getLogger(__name__)

# The report's longest list of problems: the rest are counted, not listed.
REPORT_PROBLEMS = 500
# What a task writes back to its upload (never the file's bytes again, unless to drop them).
OUTCOME_FIELDS = ["state", "report", "valid", "progress", "batch", "updated_at"]
# How often a running task writes its progress, in seconds.
PROGRESS_EVERY = 1.0
# An upload still being checked or imported this long after it was made was abandoned (its
# worker was killed): it is discarded like the others.
ABANDONED_AFTER = datetime.timedelta(days=7)


def purge_stale_uploads():
    """Discard the uploads made more than REGISTRY_PENDING_IMPORT_HOURS ago, whatever
    became of them (a file waiting for confirmation holds a whole register in the
    database), except those a task is still working on. Returns how many."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.REGISTRY_PENDING_IMPORT_HOURS)
    stale = PendingImport.objects.filter(created_at__lt=cutoff).exclude(
        state__in=PendingImport.RUNNING, created_at__gte=now - ABANDONED_AFTER
    )
    return stale.delete()[0]


def progress_alias():
    """The connection progress is written on: a second one where the database allows a
    write beside an open transaction (PostgreSQL), else the task's own."""
    return "progress" if "progress" in settings.DATABASES else DEFAULT_DB_ALIAS


class UploadProgress:
    """The import's progress callbacks (rows read and checked, rows written), written to
    the upload at most once a second. On a database without the second connection, only
    what happens outside the import's transaction is written (a write inside it would wait
    for it to end)."""

    def __init__(self, pending):
        self.pk = pending.pk
        self.total = pending.rows
        self.done = {"read": 0, "write": 0}
        self.written_at = 0.0

    def read(self, n):
        self._step("read", n)

    def write(self, n):
        self._step("write", n)

    def _step(self, phase, n):
        self.done[phase] += n
        now = time.monotonic()
        if now - self.written_at >= PROGRESS_EVERY:
            self.written_at = now
            self.save(phase)

    def save(self, phase):
        alias = progress_alias()
        if alias == DEFAULT_DB_ALIAS and connections[alias].in_atomic_block:
            return
        PendingImport.objects.using(alias).filter(pk=self.pk).update(
            progress={"phase": phase, "rows": self.done[phase], "total": self.total}
        )


def _run(pk, *, dry_run):
    purge_stale_uploads()
    pending = PendingImport.objects.filter(pk=pk).first()
    if pending is None:
        return "discarded"  # purged before a worker reached it
    try:
        result = run_import(
            io.BytesIO(bytes(pending.content)),
            pending.format,
            file_name=pending.file_name,
            user=pending.user,
            publish=pending.publish,
            skip_invalid=False,
            dry_run=dry_run,
            progress=UploadProgress(pending),
        )
    except ImportFileError as exc:
        pending.state, pending.report, pending.valid = UploadState.FAILED, [str(exc)], False
    except Exception:
        logger.exception("The import of upload #%s stopped", pk)
        pending.state, pending.valid = UploadState.FAILED, False
        pending.report = [
            "The import stopped on an error of the registry's own, and wrote nothing. "
            "The operators have the details in the worker's log."
        ]
        pending.progress = {}
        pending.save(update_fields=OUTCOME_FIELDS)
        raise
    else:
        pending.report = summary_lines(result, detail_limit=REPORT_PROBLEMS)
        pending.valid = not result.problems
        if dry_run:
            pending.state = UploadState.CHECKED if pending.valid else UploadState.FAILED
        elif pending.valid:
            pending.state = UploadState.IMPORTED
            pending.batch = result.batch if result.written else None
        else:
            pending.state = UploadState.FAILED
    pending.progress = {}
    dropped = pending.state == UploadState.IMPORTED  # the batch keeps the file's SHA-256
    if dropped:
        pending.content = b""
    pending.save(update_fields=OUTCOME_FIELDS + ["content"] * dropped)
    return pending.state


@task
def check_upload(pk):
    """Check an uploaded file: a dry run whose report waits for the uploader."""
    return _run(pk, dry_run=True)


@task
def import_upload(pk):
    """Import a checked file its uploader confirmed."""
    return _run(pk, dry_run=False)
