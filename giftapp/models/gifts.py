"""Gifts, their codes (category, disposition, date precision) and their rules."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..codes import COUNTRY_CODES, CURRENCY_CHOICES, CURRENCY_CODES
from ..text import fold, fold_all
from .base import (
    COUNTRIES_PROBLEM,
    HISTORY_UNINDEXED,
    TEXT_LIMIT,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    TimeStamped,
    batch_field,
    choices_constraint,
    in_codes,
    retraction_constraint,
)
from .leaders import Leader
from .sources import Source
from .visits import Visit


class Category(models.TextChoices):
    ARTWORK = "artwork", "Artwork"
    TABLEWARE = "tableware", "Tableware"
    JEWELRY = "jewelry", "Jewellery"
    BOOK = "book", "Book"
    TEXTILE = "textile", "Textile"
    WEAPON = "weapon", "Weapon"
    VEHICLE = "vehicle", "Vehicle"
    ANIMAL = "animal", "Animal"
    FOOD_DRINK = "food_drink", "Food and drink"
    DECORATION = "decoration", "Decoration"
    ELECTRONICS = "electronics", "Electronics"
    TRAVEL = "travel", "Travel"
    OTHER = "other", "Other"


class Disposition(models.TextChoices):
    RETAINED = "retained", "Retained (kept by the recipient or for official use)"
    STATE_COLLECTION = "state_collection", "Transferred to a state collection"
    ARCHIVES = "archives", "Deposited with national archives"
    MUSEUM = "museum", "Displayed in a museum or library"
    RETURNED = "returned", "Returned"
    PURCHASED = "purchased", "Purchased by the recipient"
    DONATED = "donated", "Donated to charity"
    CONSUMED = "consumed", "Consumed or disposed of"
    DESTROYED = "destroyed", "Destroyed"
    UNKNOWN = "unknown", "Unknown"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


def date_precision_error(date, precision):
    """The message for a date that does not fit its precision, or None when it fits."""
    if precision == DatePrecision.UNKNOWN:
        return "Leave the date blank when its precision is unknown." if date else None
    if date is None:
        return "Enter the date, or set its precision to unknown."
    if precision == DatePrecision.MONTH and date.day != 1:
        return f"With month precision, enter the first day of the month ({date:%Y-%m}-01)."
    if precision == DatePrecision.YEAR and (date.month, date.day) != (1, 1):
        return f"With year precision, enter 1 January ({date:%Y}-01-01)."
    return None


def gift_rule_errors(
    *, value, currency, value_usd, giver_country, recipient_country, date, date_precision
):
    """The gift's cross-field rules as {field: message}; the importers call it directly,
    since building a model instance per row is too slow for a million rows."""
    errors = {}
    if value is not None and not currency:
        errors["currency"] = "Give the currency of the value."
    if currency and value is None:
        errors["value"] = "Give the value in this currency, or clear the currency."
    if value is not None and value < 0:
        errors["value"] = "The value cannot be negative."
    if value_usd is not None and value_usd < 0:
        errors["value_usd"] = "The US-dollar value cannot be negative."
    if giver_country and giver_country == recipient_country:
        errors["recipient_country"] = "The giver's and the recipient's countries must differ."
    message = date_precision_error(date, date_precision)
    if message:
        errors["date"] = message
    return errors


def publishable_countries(gift):
    """Whether a gift (or an import's entry) names the countries publishing needs: the
    recipient's, and the giver's unless the register does not state the giver."""
    return bool(gift.recipient_country) and bool(gift.giver_country or gift.giver_not_stated)


def gift_search_text(
    item, description, giver_as_reported, recipient_as_reported, giver_title, recipient_title
):
    """What q searches in a gift itself (leaders' names are searched on the leaders)."""
    return fold_all(
        item, description, giver_as_reported, recipient_as_reported, giver_title, recipient_title
    )


def period_end(date, precision):
    """The last day of the period a date with its precision stands for."""
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return date


def flag_model():
    """SanctionsFlag (sanctions.py), reached through its relation to the gift: a flag is
    about a gift, so the sanctions module imports this one and not the other way round."""
    return Gift.flags.rel.related_model


class GiftQuerySet(PublishableQuerySet):
    def public(self):
        return self.published()

    def for_listing(self):
        """Everything a gift row shows, in a constant number of queries: the leaders and
        each gift's public flags (as `public_flags`, with their regimes)."""
        return self.select_related("giver", "recipient").prefetch_related(
            Prefetch(
                "flags",
                queryset=flag_model().objects.public().select_related("regime"),
                to_attr="public_flags",
            )
        )

    def given_by_country(self, code):
        return self.filter(giver_country=code)

    def received_by_country(self, code):
        return self.filter(recipient_country=code)

    def involving_country(self, code):
        return self.filter(Q(giver_country=code) | Q(recipient_country=code))

    def involving_leader(self, leader):
        return self.filter(Q(giver=leader) | Q(recipient=leader))

    def flagged(self):
        """Published gifts with a public flag whose claim is not cleared."""
        return self.filter(is_flagged=True, publication_status=PublicationStatus.PUBLISHED)

    def not_flagged(self):
        return self.exclude(is_flagged=True, publication_status=PublicationStatus.PUBLISHED)

    def refresh_flagged(self):
        """Recompute is_flagged for these gifts from their flags: one UPDATE."""
        open_flags = flag_model().objects.published_open().filter(gift=OuterRef("pk"))
        return self.update(is_flagged=Exists(open_flags))

    def search(self, query, leaders=None):
        """Case-, accent- and punctuation-insensitive search over items, descriptions,
        the registers' verbatim names, and leaders' names, native names and aliases.
        `leaders`, the ids of the leaders matching the query, saves a subquery."""
        folded = fold(query)
        if not folded:
            return self
        if leaders is None:
            leaders = Leader.objects.filter(search_text__contains=folded).values("pk")
        return self.filter(
            # strpos()/instr() rather than LIKE '%…%': the same match (the text is folded
            # and has no wildcards to honour), and cheaper over a million rows.
            Q(GreaterThan(StrIndex("search_text", Value(folded)), 0))
            | Q(giver__in=leaders)
            | Q(recipient__in=leaders)
        )

    def overlapping(self, date_from=None, date_to=None):
        """Gifts whose dated period overlaps [date_from, date_to]; unknown dates never match."""
        return self.filter(overlapping(date_from, date_to))


def overlapping(date_from=None, date_to=None):
    """The condition on a gift that its dated period overlaps [date_from, date_to];
    unknown dates never match.

    The stored date is the first day of its period, so a period overlaps the range when
    it starts on or before date_to and its start is on or after the start of the period
    (of the same precision) that contains date_from.
    """
    q = Q(date__isnull=False)
    if date_to:
        q &= Q(date__lte=date_to)
    if date_from:
        q &= (
            Q(date_precision=DatePrecision.DAY, date__gte=date_from)
            | Q(date_precision=DatePrecision.MONTH, date__gte=date_from.replace(day=1))
            | Q(date_precision=DatePrecision.YEAR, date__gte=date_from.replace(month=1, day=1))
        )
    return q


class Gift(TimeStamped, Publishable):
    Category = Category
    Disposition = Disposition
    DatePrecision = DatePrecision

    item = models.CharField(max_length=300, help_text="A short name for the gift.")
    description = models.TextField(blank=True, max_length=TEXT_LIMIT)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    quantity = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text='Blank when the source says "several".',
    )
    giver = models.ForeignKey(
        Leader, null=True, blank=True, on_delete=models.PROTECT, related_name="gifts_given"
    )
    recipient = models.ForeignKey(
        Leader, null=True, blank=True, on_delete=models.PROTECT, related_name="gifts_received"
    )
    co_giver = models.ForeignKey(
        Leader,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts_co_given",
        verbose_name="second giver",
        help_text="Who gave it with the giver, named beside them: a spouse, mostly.",
    )
    giver_not_stated = models.BooleanField(
        "giver not stated by the register",
        default=False,
        help_text=(
            "The register does not name the giver, or not their country (Pakistan's record "
            "has no donor column; US notices withhold some donors): a stated fact, which "
            "may be published."
        ),
    )
    giver_title = models.CharField(max_length=300, blank=True, help_text="Office at the time.")
    recipient_title = models.CharField(max_length=300, blank=True, help_text="Office at the time.")
    giver_country = CountryField(blank=True)
    recipient_country = CountryField(blank=True)
    giver_as_reported = models.TextField(
        blank=True, max_length=TEXT_LIMIT, help_text="The register's verbatim text."
    )
    recipient_as_reported = models.TextField(
        blank=True, max_length=TEXT_LIMIT, help_text="The register's verbatim text."
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="gifts"
    )
    date = models.DateField(
        null=True, blank=True, help_text="The first day of the period for month or year precision."
    )
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True)
    value_usd = models.DecimalField(
        "value in US$",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="From the source, or entered with its basis in the value note.",
    )
    value_usd_basis = models.CharField(
        "basis of the US-dollar value",
        max_length=300,
        blank=True,
        help_text=(
            "Blank when the source gives the dollar value; otherwise how it was found, e.g. "
            '"converted at the 2019 average rate (150.0363 PKR per US$)".'
        ),
    )
    value_note = models.CharField(
        max_length=300, blank=True, help_text='e.g. "undisclosed", "above the £140 limit".'
    )
    disposition = models.CharField(
        max_length=20, choices=Disposition.choices, default=Disposition.UNKNOWN
    )
    notes = models.TextField(
        blank=True, max_length=TEXT_LIMIT, help_text="Public context, shown on the gift page."
    )
    import_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Register, source row id and entry number; blank for hand-made records.",
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    sources = models.ManyToManyField(Source, related_name="gifts", blank=True)
    import_batch = batch_field()
    search_text = models.TextField(blank=True, editable=False)
    is_flagged = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="Has a published flag whose claim is not cleared; kept by the flags.",
    )
    history = HistoricalRecords(
        m2m_fields=[sources],
        no_db_index=[*HISTORY_UNINDEXED, "giver", "recipient", "co_giver", "visit"],
    )

    objects = GiftQuerySet.as_manager()

    # The gift's own fields that a register entry gives as they are (importers/base.Entry
    # has each); the others are resolved (leaders, visit), derived or set by the registry.
    ENTRY_FIELDS = (
        "item",
        "description",
        "category",
        "quantity",
        "date",
        "date_precision",
        "value",
        "currency",
        "value_usd",
        "value_note",
        "disposition",
        "notes",
        "giver_not_stated",
        "value_usd_basis",
    )

    class Meta:
        ordering = [models.F("date").desc(nulls_last=True), "id"]
        permissions = [
            ("review_records", "Can publish, retract and change published records"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=1),
                name="gift_quantity_positive",
                violation_error_message="The quantity is at least 1; leave it blank for 'several'.",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, currency="")
                | (Q(value__isnull=False) & ~Q(currency="")),
                name="gift_value_and_currency_together",
                violation_error_message="Give both a value and its currency, or neither.",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="gift_value_not_negative",
                violation_error_message="The value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(value_usd__isnull=True) | Q(value_usd__gte=0),
                name="gift_value_usd_not_negative",
                violation_error_message="The US-dollar value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(giver_country="")
                | Q(recipient_country="")
                | ~Q(giver_country=models.F("recipient_country")),
                name="gift_countries_differ",
                violation_error_message="The giver's and the recipient's countries must differ.",
            ),
            models.CheckConstraint(
                condition=in_codes("giver_country", COUNTRY_CODES),
                name="gift_giver_country_valid",
                violation_error_message="Choose a valid giver country.",
            ),
            models.CheckConstraint(
                condition=in_codes("recipient_country", COUNTRY_CODES),
                name="gift_recipient_country_valid",
                violation_error_message="Choose a valid recipient country.",
            ),
            models.CheckConstraint(
                condition=in_codes("currency", CURRENCY_CODES),
                name="gift_currency_valid",
                violation_error_message="Choose a valid ISO 4217 currency.",
            ),
            choices_constraint("gift", "category", Category),
            choices_constraint("gift", "disposition", Disposition),
            choices_constraint("gift", "date_precision", DatePrecision),
            choices_constraint("gift", "publication_status", PublicationStatus),
            retraction_constraint("gift"),
            # A register may omit a country on a draft; a published gift names the
            # recipient's, and the giver's unless the register does not state the giver.
            models.CheckConstraint(
                condition=~Q(publication_status=PublicationStatus.PUBLISHED)
                | (~Q(recipient_country="") & (~Q(giver_country="") | Q(giver_not_stated=True))),
                name="gift_published_has_countries",
                violation_error_message=(
                    "A published gift names the recipient's country, and the giver's unless "
                    "the register does not state the giver."
                ),
            ),
            # The stored date is the first day of its period, and blank only when unknown.
            models.CheckConstraint(
                condition=Q(date_precision=DatePrecision.UNKNOWN, date__isnull=True)
                | Q(date_precision=DatePrecision.DAY, date__isnull=False)
                | Q(date_precision=DatePrecision.MONTH, date__day=1)
                | Q(date_precision=DatePrecision.YEAR, date__month=1, date__day=1),
                name="gift_date_fits_precision",
                violation_error_message="The date does not fit its precision.",
            ),
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~Q(import_key=""),
                name="gift_import_key_unique",
                violation_error_message="Another gift was imported from the same register entry.",
            ),
        ]
        indexes = [
            # The editors' queues: drafts, gifts in review.
            models.Index(fields=["publication_status"], name="gift_status_idx"),
            # The gift list's order (newest first, undated last) has partial indexes of its
            # own, for the public list and its country, category, flagged and latest views:
            # created by migration 0003 in SQL, since SQLite cannot index NULLS LAST. Value
            # ranges and sort=value read gift_public_value_idx (migration 0007), which on
            # PostgreSQL carries the columns the list counts by.
            # Each leader's newest dated public gift, given and received: what the leader
            # index sorts by (?sort=-latest), read for every leader at once.
            models.Index(
                fields=["giver", "-date"],
                condition=Q(publication_status=PublicationStatus.PUBLISHED, date__isnull=False),
                name="gift_public_giver_date_idx",
            ),
            models.Index(
                fields=["recipient", "-date"],
                condition=Q(publication_status=PublicationStatus.PUBLISHED, date__isnull=False),
                name="gift_public_recipient_date_idx",
            ),
        ]

    def __str__(self):
        return self.item

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        self.stamp_publication()
        # The flags keep is_flagged; recount it so a stale instance cannot undo them.
        self.is_flagged = bool(self.pk) and self.flags.published_open().exists()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("gift_detail", args=[self.pk])

    @property
    def date_end(self):
        return period_end(self.date, self.date_precision)

    def clean(self):
        errors = self.publication_field_errors() | gift_rule_errors(
            value=self.value,
            currency=self.currency,
            value_usd=self.value_usd,
            giver_country=str(self.giver_country or ""),
            recipient_country=str(self.recipient_country or ""),
            date=self.date,
            date_precision=self.date_precision,
        )
        if errors:
            raise ValidationError(errors)

    def own_publication_problems(self):
        return [] if publishable_countries(self) else [COUNTRIES_PROBLEM]

    def refresh_search_text(self):
        self.search_text = gift_search_text(
            self.item,
            self.description,
            self.giver_as_reported,
            self.recipient_as_reported,
            self.giver_title,
            self.recipient_title,
        )


@receiver(pre_delete, sender=Visit)
def unlink_gifts_with_history(sender, instance, **kwargs):
    """Deleting a visit unlinks its gifts one save at a time, so each gift's history says
    when and why it lost its visit (the foreign key's SET NULL would write no history)."""
    for gift in instance.gifts.all():
        gift.visit = None
        gift._change_reason = f"Unlinked: its visit “{instance}” was deleted."
        gift.save()
