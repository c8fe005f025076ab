"""Leaders: the people who give and receive gifts on behalf of a state, and the
addresses of leaders merged into others."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..codes import COUNTRY_CODES
from ..text import fold_all
from .base import (
    HISTORY_UNINDEXED,
    TimeStamped,
    batch_field,
    choices_constraint,
    in_codes,
    unique_slug,
)


class LeaderKind(models.TextChoices):
    PERSON = "person", "Person"
    BODY = "body", "Body (a government, ministry, embassy or other)"


class LeaderQuerySet(models.QuerySet):
    def public(self):
        """The leaders a public record names: a published gift's giver, recipient or
        second giver, or a published visit's visitor or host. Any other leader is, to the
        public site, no leader at all."""
        # The models that name leaders, reached through their relations (they import
        # this module).
        gifts = self.model._meta.get_field("gifts_given").related_model.objects.public()
        visits = self.model._meta.get_field("visits_made").related_model.objects.published()
        return self.filter(
            Exists(gifts.filter(giver=OuterRef("pk")))
            | Exists(gifts.filter(recipient=OuterRef("pk")))
            | Exists(gifts.filter(co_giver=OuterRef("pk")))
            | Exists(visits.filter(visitors=OuterRef("pk")))
            | Exists(visits.filter(hosts=OuterRef("pk")))
        )


class Leader(TimeStamped):
    Kind = LeaderKind

    name = models.CharField(max_length=200, help_text="As commonly written in English.")
    kind = models.CharField(
        max_length=10,
        choices=LeaderKind.choices,
        default=LeaderKind.PERSON,
        help_text="A person, or a body that gives or receives as itself.",
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text="In the leader's own script."
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings and transliterations, one per line.",
    )
    country = CountryField()
    title = models.CharField(max_length=300, blank=True, help_text="Current or last office.")
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata ID is a Q-number, e.g. Q7747.")],
    )
    search_text = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(no_db_index=[*HISTORY_UNINDEXED, "slug"])
    import_batch = batch_field()

    objects = LeaderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"],
                name="leader_name_country_unique",
                violation_error_message="A leader with this name already exists for this country.",
            ),
            choices_constraint("leader", "kind", LeaderKind),
            models.CheckConstraint(
                condition=in_codes("country", COUNTRY_CODES, blank_ok=False),
                name="leader_country_valid",
                violation_error_message="Choose a valid country.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="leader_wikidata_id_valid",
                violation_error_message="A Wikidata ID is a Q-number, e.g. Q7747.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.name})" if self.country else self.name

    def save(self, *args, **kwargs):
        self.aliases = sorted({a.strip() for a in self.aliases or [] if a and a.strip()})
        self.search_text = fold_all(*self.all_names())
        if not self.slug:
            self.slug = unique_slug(Leader, self.name, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("leader_detail", args=[self.slug])

    def all_names(self):
        return [n for n in [self.name, self.native_name, *self.aliases] if n]


class LeaderRedirect(TimeStamped):
    """An old leader URL that lives on after two leaders were merged."""

    old_slug = models.SlugField(max_length=120, unique=True)
    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="redirects")
    history = HistoricalRecords()

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.leader.slug}"

    def get_absolute_url(self):
        return reverse("leader_detail", args=[self.old_slug])
