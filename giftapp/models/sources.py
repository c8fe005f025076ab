"""Sources: where a claim comes from."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import TimeStamped, batch_field


class Source(TimeStamped):
    url = models.URLField(
        "URL", max_length=500, blank=True, help_text="Blank only when the source has none."
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField("archived URL", max_length=500, blank=True)
    quote = models.TextField(blank=True, help_text="The passage relied on, verbatim.")
    import_batch = batch_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            # Matching an imported or typed URL to an existing source.
            models.Index(fields=["url"], name="source_url_idx"),
        ]

    def __str__(self):
        parts = [self.title]
        if self.publisher:
            parts.append(self.publisher)
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return " — ".join(parts)

    def get_absolute_url(self):
        return reverse("admin:giftapp_source_change", args=[self.pk])
