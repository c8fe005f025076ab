"""Sanctions regimes (reference data) and the flags that claim a gift may breach one."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..codes import COUNTRY_CODES
from .base import (
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    TimeStamped,
    batch_field,
    choices_constraint,
    in_codes,
    retraction_constraint,
)
from .gifts import Gift
from .sources import Source


class SanctionsRegime(TimeStamped):
    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2,}(-[A-Z0-9]+)+$",
                "Use an OpenSanctions-style code of capitals, digits and hyphens, e.g. UN-SC1718.",
            )
        ],
    )
    name = models.CharField(max_length=300)
    short_name = models.CharField(
        max_length=80, blank=True, help_text='For badges, e.g. "UN DPRK sanctions".'
    )
    authority = models.CharField(max_length=200, help_text="UN Security Council, EU, US OFAC, UK…")
    target_country = CountryField(blank=True)
    legal_basis = models.TextField(
        blank=True, help_text='Resolutions and paragraphs, e.g. "S/RES/1718 (2006) OP 8(a)(iii)".'
    )
    url = models.URLField("URL", max_length=500, blank=True)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_to = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="regimes", blank=True)
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["code"]
        verbose_name = "sanctions regime"
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True)
                | Q(in_force_to__isnull=True)
                | Q(in_force_to__gte=models.F("in_force_from")),
                name="regime_in_force_to_after_from",
                violation_error_message="A regime cannot end before it comes into force.",
            ),
            models.CheckConstraint(
                condition=in_codes("target_country", COUNTRY_CODES),
                name="regime_target_country_valid",
                violation_error_message="Choose a valid target country.",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        return reverse("regime_detail", args=[self.code])

    @property
    def label(self):
        return self.short_name or self.code

    def clean(self):
        if self.in_force_from and self.in_force_to and self.in_force_to < self.in_force_from:
            raise ValidationError(
                {"in_force_to": "A regime cannot end before it comes into force."}
            )


class FlagStatus(models.TextChoices):
    POSSIBLE = "possible", "Possible breach"
    ALLEGED = "alleged", "Alleged breach"
    CONFIRMED = "confirmed", "Confirmed breach"
    DISPUTED = "disputed", "Disputed"
    CLEARED = "cleared", "Cleared"


class SanctionsFlagQuerySet(PublishableQuerySet):
    def public(self):
        """Flags the public may see: the flag and its gift are both published."""
        return self.published().filter(gift__publication_status=PublicationStatus.PUBLISHED)

    def published_open(self):
        """Published flags whose claim still stands, whatever their gift's status: they
        make a published gift flagged."""
        return self.published().exclude(status=FlagStatus.CLEARED)

    def public_open(self):
        """Public flags whose claim still stands (not cleared): they make a gift flagged."""
        return self.public().exclude(status=FlagStatus.CLEARED)


class SanctionsFlag(TimeStamped, Publishable):
    """A claim that a gift may breach a sanctions regime — a claim, never a verdict."""

    Status = FlagStatus

    gift = models.ForeignKey(Gift, on_delete=models.CASCADE, related_name="flags")
    regime = models.ForeignKey(SanctionsRegime, on_delete=models.PROTECT, related_name="flags")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.POSSIBLE)
    provisions = models.TextField(blank=True, help_text="The paragraphs relied on.")
    rationale = models.TextField(blank=True)
    alleged_by = models.CharField(max_length=300, blank=True, help_text="The person or body.")
    alleged_on = models.DateField(null=True, blank=True)
    denied_by = models.CharField(max_length=300, blank=True)
    denial = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="flags", blank=True)
    import_batch = batch_field()
    history = HistoricalRecords(m2m_fields=[sources])

    objects = SanctionsFlagQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "sanctions flag"
        constraints = [
            choices_constraint("sanctionsflag", "status", FlagStatus),
            choices_constraint("sanctionsflag", "publication_status", PublicationStatus),
            retraction_constraint("sanctionsflag"),
            # A published claim says what it relies on, who makes it and when.
            models.CheckConstraint(
                condition=~Q(publication_status=PublicationStatus.PUBLISHED)
                | (~Q(provisions="") & ~Q(alleged_by="") & Q(alleged_on__isnull=False)),
                name="sanctionsflag_published_is_complete",
                violation_error_message=(
                    "A published flag needs its provisions, who alleged it and when."
                ),
            ),
        ]
        indexes = [
            # The editors' queues: drafts, flags in review.
            models.Index(fields=["publication_status"], name="flag_status_idx"),
            # "Flagged" filters and badges: public, not-cleared flags of a gift.
            models.Index(
                fields=["gift", "publication_status", "status"], name="flag_gift_status_idx"
            ),
            # /sanctions/<code>/: a regime's flags by status.
            models.Index(fields=["regime", "status"], name="flag_regime_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} · {self.regime.code} · {self.gift}"

    def save(self, *args, **kwargs):
        self.stamp_publication()
        previous = (
            SanctionsFlag.objects.filter(pk=self.pk).values_list("gift_id", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        Gift.objects.filter(pk__in={self.gift_id, previous} - {None}).refresh_flagged()

    def get_absolute_url(self):
        return self.gift.get_absolute_url() + f"#flag-{self.pk}"

    def delete(self, *args, **kwargs):
        gift_id = self.gift_id
        result = super().delete(*args, **kwargs)
        Gift.objects.filter(pk=gift_id).refresh_flagged()
        return result

    def own_publication_problems(self):
        missing = [
            label
            for label, value in [
                ("the provisions relied on", self.provisions.strip()),
                ("who alleged it", self.alleged_by.strip()),
                ("when it was alleged", self.alleged_on),
            ]
            if not value
        ]
        if missing:
            return [f"Give {', '.join(missing)} before publishing this flag."]
        return []
