import calendar
import datetime
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import BooleanField, Exists, Func, OuterRef, Prefetch, Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .codes import COUNTRY_CODES, CURRENCY_CHOICES, CURRENCY_CODES
from .text import fold, fold_all


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


def _in_codes(field, codes, *, blank_ok=True):
    """Q object limiting a code field to its codes (and the blank string if allowed)."""
    condition = Q(OneOf(field, codes))
    if blank_ok:
        condition |= Q(**{field: ""})
    return condition


def _retraction_constraint(model_name):
    return models.CheckConstraint(
        condition=~Q(publication_status=PublicationStatus.RETRACTED) | ~Q(retraction_reason=""),
        name=f"{model_name}_retraction_has_reason",
        violation_error_message="Give the reason for the retraction.",
    )


def _choices_constraint(model_name, field, choices):
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


def _batch_field():
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


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)


# History is read by record (id) and date; indexes of the historical tables on anything
# else would only slow every write, bulk imports most.
HISTORY_UNINDEXED = ["import_batch", "publication_status"]


NO_SOURCE_PROBLEM = "Add at least one source before publishing."
COUNTRIES_PROBLEM = "Give both the giver's and the recipient's country before publishing."


class Publishable(models.Model):
    publication_status = models.CharField(
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
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


class Source(TimeStamped):
    url = models.URLField(
        "URL", max_length=500, blank=True, help_text="Blank only when the source has none."
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField("archived URL", max_length=500, blank=True)
    quote = models.TextField(blank=True, help_text="The passage relied on, verbatim.")
    import_batch = _batch_field()
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


class Leader(TimeStamped):
    name = models.CharField(max_length=200, help_text="As commonly written in English.")
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
    import_batch = _batch_field()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"],
                name="leader_name_country_unique",
                violation_error_message="A leader with this name already exists for this country.",
            ),
            models.CheckConstraint(
                condition=_in_codes("country", COUNTRY_CODES, blank_ok=False),
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
    import_batch = _batch_field()
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
                condition=_in_codes("host_country", COUNTRY_CODES, blank_ok=False),
                name="visit_host_country_valid",
                violation_error_message="Choose a valid host country.",
            ),
            _choices_constraint("visit", "kind", VisitKind),
            _choices_constraint("visit", "publication_status", PublicationStatus),
            _retraction_constraint("visit"),
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


class GiftQuerySet(PublishableQuerySet):
    def public(self):
        return self.published()

    def for_listing(self):
        """Everything a gift row shows, in a constant number of queries: the leaders and
        each gift's public flags (as `public_flags`, with their regimes)."""
        return self.select_related("giver", "recipient").prefetch_related(
            Prefetch(
                "flags",
                queryset=SanctionsFlag.objects.public().select_related("regime"),
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
        open_flags = SanctionsFlag.objects.filter(
            gift=OuterRef("pk"), publication_status=PublicationStatus.PUBLISHED
        ).exclude(status=FlagStatus.CLEARED)
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
    description = models.TextField(blank=True)
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
    giver_title = models.CharField(max_length=300, blank=True, help_text="Office at the time.")
    recipient_title = models.CharField(max_length=300, blank=True, help_text="Office at the time.")
    giver_country = CountryField(blank=True)
    recipient_country = CountryField(blank=True)
    giver_as_reported = models.TextField(blank=True, help_text="The register's verbatim text.")
    recipient_as_reported = models.TextField(blank=True, help_text="The register's verbatim text.")
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
    value_note = models.CharField(
        max_length=300, blank=True, help_text='e.g. "undisclosed", "above the £140 limit".'
    )
    disposition = models.CharField(
        max_length=20, choices=Disposition.choices, default=Disposition.UNKNOWN
    )
    notes = models.TextField(blank=True, help_text="Public context, shown on the gift page.")
    import_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Register, source row id and entry number; blank for hand-made records.",
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    sources = models.ManyToManyField(Source, related_name="gifts", blank=True)
    import_batch = _batch_field()
    search_text = models.TextField(blank=True, editable=False)
    is_flagged = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="Has a published flag whose claim is not cleared; kept by the flags.",
    )
    history = HistoricalRecords(
        m2m_fields=[sources], no_db_index=[*HISTORY_UNINDEXED, "giver", "recipient", "visit"]
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
                condition=_in_codes("giver_country", COUNTRY_CODES),
                name="gift_giver_country_valid",
                violation_error_message="Choose a valid giver country.",
            ),
            models.CheckConstraint(
                condition=_in_codes("recipient_country", COUNTRY_CODES),
                name="gift_recipient_country_valid",
                violation_error_message="Choose a valid recipient country.",
            ),
            models.CheckConstraint(
                condition=_in_codes("currency", CURRENCY_CODES),
                name="gift_currency_valid",
                violation_error_message="Choose a valid ISO 4217 currency.",
            ),
            _choices_constraint("gift", "category", Category),
            _choices_constraint("gift", "disposition", Disposition),
            _choices_constraint("gift", "date_precision", DatePrecision),
            _choices_constraint("gift", "publication_status", PublicationStatus),
            _retraction_constraint("gift"),
            # A register may omit a country on a draft; a published gift names both.
            models.CheckConstraint(
                condition=~Q(publication_status=PublicationStatus.PUBLISHED)
                | (~Q(giver_country="") & ~Q(recipient_country="")),
                name="gift_published_has_both_countries",
                violation_error_message="A published gift needs both countries.",
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
            # The gift list's order (newest first, undated last) has partial indexes of its
            # own, for the public list and its country, category, flagged and latest views:
            # created by migration 0003 in SQL, since SQLite cannot index NULLS LAST. Value
            # ranges and sort=value read gift_public_value_idx (migration 0007), which on
            # PostgreSQL carries the columns the list counts by.
        ]

    def __str__(self):
        return self.item

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        self.stamp_publication()
        # The flags keep is_flagged; recount it so a stale instance cannot undo them.
        self.is_flagged = bool(self.pk) and (
            self.flags.filter(publication_status=PublicationStatus.PUBLISHED)
            .exclude(status=FlagStatus.CLEARED)
            .exists()
        )
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
        return [] if self.giver_country and self.recipient_country else [COUNTRIES_PROBLEM]

    def refresh_search_text(self):
        self.search_text = gift_search_text(
            self.item,
            self.description,
            self.giver_as_reported,
            self.recipient_as_reported,
            self.giver_title,
            self.recipient_title,
        )


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
                condition=_in_codes("target_country", COUNTRY_CODES),
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
    import_batch = _batch_field()
    history = HistoricalRecords(m2m_fields=[sources])

    objects = SanctionsFlagQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "sanctions flag"
        constraints = [
            _choices_constraint("sanctionsflag", "status", FlagStatus),
            _choices_constraint("sanctionsflag", "publication_status", PublicationStatus),
            _retraction_constraint("sanctionsflag"),
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


class GiftFacet(models.Model):
    """How many published gifts share each combination of the list's main facets.

    Kept by PostgreSQL triggers on giftapp_gift (migration 0002), one set-based upsert per
    statement, so the gift list's counts for country, category, year and flag filters
    read a few hundred rows instead of scanning a million gifts. Year 0 stands for an
    unknown date. Unused on SQLite, where the counts are computed from the gifts.
    """

    giver_country = models.CharField(max_length=2)
    recipient_country = models.CharField(max_length=2)
    category = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    is_flagged = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["giver_country", "recipient_country", "category", "year", "is_flagged"],
                name="giftfacet_combination_unique",
            )
        ]
        # Lists filtered on two dimensions or more read the combinations through these
        # (the unique constraint's index serves filters that name the giver country).
        indexes = [
            models.Index(fields=["recipient_country", "category"], name="giftfacet_recipient_idx"),
            models.Index(fields=["category", "year"], name="giftfacet_category_year_idx"),
            models.Index(fields=["year"], name="giftfacet_year_idx"),
        ]

    def __str__(self):
        return (
            f"{self.giver_country}→{self.recipient_country} {self.category} {self.year}: {self.n}"
        )


class GiftFacetPair(models.Model):
    """Published gifts counted by one facet value among those with another: the rollups
    of GiftFacet that answer a list with at most one filter dimension at once.

    A row says: of the published gifts whose `filter_dimension` is `filter_value`, `n`
    have `facet_dimension` = `facet_value`. An empty filter dimension means all published
    gifts (one facet counted alone). Dimensions are giver_country, recipient_country,
    category, year (0 for an unknown date) and is_flagged ("true"/"false"); values are
    stored as text. Every pair of dimensions is kept in both orders, so a lookup always
    reads the few rows of one filter value. Kept by the same PostgreSQL triggers as
    GiftFacet (migration 0004); unused on SQLite.
    """

    filter_dimension = models.CharField(max_length=20)
    filter_value = models.CharField(max_length=20)
    facet_dimension = models.CharField(max_length=20)
    facet_value = models.CharField(max_length=20)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["filter_dimension", "filter_value", "facet_dimension", "facet_value"],
                name="giftfacetpair_unique",
            )
        ]

    def __str__(self):
        return (
            f"{self.filter_dimension}={self.filter_value}: "
            f"{self.facet_dimension}={self.facet_value} {self.n}"
        )


class FlagFacet(models.Model):
    """The public flags of published gifts, each with its gift's facet dimensions: what
    the gift list's flag-status counts read, a few thousand rows instead of a join of
    every flag to a million gifts.

    One row per gift, regime and status. Kept by PostgreSQL statement triggers on
    giftapp_gift and giftapp_sanctionsflag (migration 0005), which rewrite the rows of
    every gift a statement touched; unused on SQLite.
    """

    gift_id = models.BigIntegerField(db_index=True)
    regime_id = models.BigIntegerField()
    status = models.CharField(max_length=20)
    giver_country = models.CharField(max_length=2)
    recipient_country = models.CharField(max_length=2)
    category = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    is_flagged = models.BooleanField()

    def __str__(self):
        return f"gift {self.gift_id}: {self.status}"


class LeaderActivity(models.Model):
    """How many published gifts a leader gave and received, and how many published visits
    they made and hosted: what the leader index shows and filters on, read in one join
    instead of four counts per leader over a million gifts.

    Kept by PostgreSQL statement triggers on the gifts, the visits, their visitors and
    hosts, and the leaders (migration 0006); a leader with no row has no public record.
    Unused on SQLite, where the index counts from the records.
    """

    leader = models.OneToOneField(
        Leader,
        primary_key=True,
        # The triggers delete the row with its leader.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="activity",
    )
    given = models.IntegerField(db_default=0)
    received = models.IntegerField(db_default=0)
    visits_made = models.IntegerField(db_default=0)
    visits_hosted = models.IntegerField(db_default=0)

    def __str__(self):
        return (
            f"leader {self.leader_id}: {self.given} given, {self.received} received, "
            f"{self.visits_made} visits made, {self.visits_hosted} hosted"
        )


class VisitCountry(models.Model):
    """A published visit and a country it involves: its host country, or the country of
    one of its visitors or hosts. One row per visit and country, with the year the visit
    began and whether the country hosted it.

    What the timeline's country filter reads, instead of joining every visit to its
    participants and their leaders. Kept by PostgreSQL statement triggers on the visits,
    their visitors and hosts, and the leaders (migration 0006), which rewrite the rows of
    every visit a statement touched; unused on SQLite.
    """

    visit_id = models.BigIntegerField(db_index=True)
    country = models.CharField(max_length=2)
    year = models.SmallIntegerField()
    hosted = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "visit_id"], name="visitcountry_unique")
        ]

    def __str__(self):
        return f"visit {self.visit_id}: {self.country}"


class CountryVisits(models.Model):
    """Published visits per country and the year they began: how many involve the country
    (as in VisitCountry) and how many of those it hosted. The country pages, the country
    index and the timeline's year strip read a few rows here instead of counting visits.

    Kept with VisitCountry by the same triggers (migration 0006); unused on SQLite.
    """

    country = models.CharField(max_length=2)
    year = models.SmallIntegerField()
    visits = models.BigIntegerField(default=0)
    hosted = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "country visits"
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="countryvisits_unique")
        ]

    def __str__(self):
        return f"{self.country} {self.year}: {self.visits} visits, {self.hosted} hosted"
