"""What every record of the registry shares: timestamps, the publication workflow's
status and rules, and the checks on country and currency codes."""

import json

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Func, Q
from django.utils import timezone
from django.utils.text import slugify

from .imports import ImportBatch


class OneOf(Func):
    """Whether an expression is one of the codes given.

    PostgreSQL checks an IN list one item at a time: with some 250 country codes, about
    two microseconds a row, seconds for a million gifts inserted at once. There the codes
    are the keys of a jsonb object instead, and `?` finds a key by binary search. Other
    databases check the list."""

    output_field = BooleanField()

    def __init__(self, expression, codes):
        super().__init__(expression)
        self.codes = tuple(codes)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} IN ({', '.join(['%s'] * len(self.codes))})", (*params, *self.codes)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(%s::jsonb ? {sql})", (json.dumps(dict.fromkeys(self.codes, 1)), *params)


def in_codes(field, codes, *, blank_ok=True):
    """Q object limiting a code field to its codes (and the blank string if allowed)."""
    condition = Q(OneOf(field, codes))
    if blank_ok:
        condition |= Q(**{field: ""})
    return condition


def retraction_constraint(model_name):
    return models.CheckConstraint(
        condition=~Q(publication_status=PublicationStatus.RETRACTED) | ~Q(retraction_reason=""),
        name=f"{model_name}_retraction_has_reason",
        violation_error_message="Give the reason for the retraction.",
    )


def choices_constraint(model_name, field, choices):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=f"{model_name}_{field}_valid",
        violation_error_message=f"Choose a valid {field.replace('_', ' ')}.",
    )


def unique_slug(model, text, instance_pk=None, max_length=120):
    base = slugify(text)[: max_length - 8].strip("-") or "record"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=instance_pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def batch_field():
    return models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The import that created this record.",
    )


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


# The publication rules every part of the registry asks (the admin, its actions and the
# importers): editors move records between these two statuses; only a reviewer publishes,
# retracts or changes a published record.
EDITABLE_BY_EDITORS = (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW)
REVIEW_PERMISSION = "giftapp.review_records"


def is_reviewer(user):
    return user.is_active and (user.is_superuser or user.has_perm(REVIEW_PERMISSION))


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)


# History is read by record (id) and date; indexes of the historical tables on anything
# else would only slow every write, bulk imports most.
HISTORY_UNINDEXED = ["import_batch", "publication_status"]

# The longest free text a gift's form and an import accept, in characters: the longest cell
# of the four public registers has 21,415 (a US notice's description). So an export of any
# record imports again.
TEXT_LIMIT = 100_000


NO_SOURCE_PROBLEM = "Add at least one source before publishing."
COUNTRIES_PROBLEM = (
    "Give the recipient's country and the giver's (or mark the giver as not stated by the "
    "register) before publishing."
)


class Publishable(models.Model):
    # Indexed by each concrete model (Meta.indexes): db_index would add, on PostgreSQL, a
    # second index for LIKE queries, which a status never gets.
    publication_status = models.CharField(
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the record was first published."
    )
    retraction_reason = models.TextField(blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    @property
    def is_retracted(self):
        return self.publication_status == PublicationStatus.RETRACTED

    def publication_problems(self, sources=None):
        """Why this record cannot be published yet, as messages; empty when it can be.

        `sources` stands for the record's sources as a form is about to save them; without
        it the saved sources are counted (a query).
        """
        if sources is None:
            sources = self.sources.all() if self.pk else []
        problems = [] if len(sources) else [NO_SOURCE_PROBLEM]
        return problems + self.own_publication_problems()

    def own_publication_problems(self):
        return []

    def publication_field_errors(self):
        """Field errors of the publication fields themselves, for clean()."""
        if self.is_retracted and not self.retraction_reason.strip():
            return {"retraction_reason": "Give the reason for the retraction."}
        return {}

    def clean(self):
        errors = self.publication_field_errors()
        if errors:
            raise ValidationError(errors)

    def stamp_publication(self):
        """Record when the record was first published or retracted."""
        if self.publication_status == PublicationStatus.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.publication_status == PublicationStatus.RETRACTED and not self.retracted_at:
            self.retracted_at = timezone.now()
