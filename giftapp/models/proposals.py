"""Proposed changes: an editor's edit of something the public site shows, waiting for a
reviewer.

A published (or retracted) gift, visit or flag, and a leader or source that a published
record displays, change on the public site only when a reviewer changes them. An editor's
save of such a record writes a `ProposedChange` instead: the fields it changes and the
version of the record it was made against. A reviewer applies it or rejects it; it applies
only to the version it was made against, so a proposal made before someone else's change
never overwrites that change unseen (it is marked outdated instead).
"""

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

# Bookkeeping fields: a save changes them without changing what the record says.
UNVERSIONED = {"updated_at", "search_text"}


def record_version(record):
    """A digest of what the record says: its fields and its many-to-many links, without
    the bookkeeping fields. Any change to what a page could show changes it."""
    state = {}
    for field in record._meta.concrete_fields:
        if field.name not in UNVERSIONED:
            state[field.attname] = field.value_from_object(record)
    for field in record._meta.many_to_many:
        state[field.name] = sorted(getattr(record, field.name).values_list("pk", flat=True))
    encoded = json.dumps(state, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a reviewer"
    APPLIED = "applied", "Applied by a reviewer"
    REJECTED = "rejected", "Rejected by a reviewer"
    OUTDATED = "outdated", "Outdated: the record changed after it was proposed"


class ProposedChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)

    def for_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


class ProposedChange(models.Model):
    Status = ProposalStatus

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(
        max_length=300, help_text="The record as it was named when the change was proposed."
    )
    changes = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="The new value of each field changed, as the field stores it (ids for links).",
    )
    summary = models.JSONField(
        default=list, help_text="Each change in words: [field, value before, value proposed]."
    )
    base_version = models.CharField(
        max_length=64, help_text="The version of the record the change was made against."
    )
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposed_changes",
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_changes",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = ProposedChangeQuerySet.as_manager()

    class Meta:
        ordering = ["proposed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ProposalStatus.values),
                name="proposedchange_status_valid",
            )
        ]

    def __str__(self):
        return f"Change to “{self.record_label}” ({self.get_status_display().lower()})"
