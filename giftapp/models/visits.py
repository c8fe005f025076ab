"""Visits: meetings where gifts are exchanged."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..codes import COUNTRY_CODES
from .base import (
    HISTORY_UNINDEXED,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    TimeStamped,
    batch_field,
    choices_constraint,
    in_codes,
    retraction_constraint,
    unique_slug,
)
from .leaders import Leader
from .sources import Source


class VisitQuerySet(PublishableQuerySet):
    def involving_country(self, code):
        """Visits hosted by the country or with a participant from it."""
        return self.filter(
            Q(host_country=code) | Q(visitors__country=code) | Q(hosts__country=code)
        ).distinct()


class VisitKind(models.TextChoices):
    STATE_VISIT = "state_visit", "State visit"
    OFFICIAL_VISIT = "official_visit", "Official visit"
    WORKING_VISIT = "working_visit", "Working visit"
    SUMMIT = "summit", "Summit"
    MULTILATERAL = "multilateral", "Multilateral meeting"
    OTHER = "other", "Other"


class Visit(TimeStamped, Publishable):
    Kind = VisitKind

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    host_country = CountryField()
    city = models.CharField(max_length=120, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OFFICIAL_VISIT)
    visitors = models.ManyToManyField(Leader, related_name="visits_made", blank=True)
    hosts = models.ManyToManyField(Leader, related_name="visits_hosted", blank=True)
    summary = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="visits", blank=True)
    import_batch = batch_field()
    history = HistoricalRecords(
        m2m_fields=[visitors, hosts, sources], no_db_index=[*HISTORY_UNINDEXED, "slug"]
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="visit_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=in_codes("host_country", COUNTRY_CODES, blank_ok=False),
                name="visit_host_country_valid",
                violation_error_message="Choose a valid host country.",
            ),
            choices_constraint("visit", "kind", VisitKind),
            choices_constraint("visit", "publication_status", PublicationStatus),
            retraction_constraint("visit"),
        ]
        indexes = [
            # The timeline: published visits in date order, optionally by host country.
            models.Index(
                fields=["publication_status", "start_date"], name="visit_status_start_idx"
            ),
            models.Index(fields=["host_country", "start_date"], name="visit_host_start_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Visit, f"{self.title} {self.start_date:%Y}", self.pk)
        self.stamp_publication()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("visit_detail", args=[self.slug])

    def clean(self):
        errors = self.publication_field_errors()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if errors:
            raise ValidationError(errors)
