"""The public gift list's filters: every parameter of docs/design.md,
"Gift list parameters".

GiftFilter validates the query string (a bad value is a form error, never a 500), filters
the public gifts, sorts them, counts the facets and puts the active filters into words.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache, cached_property
from html import escape

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear, Lower
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .codes import CURRENCY_CHOICES, country_name
from .counts import facets as facet_counts
from .models import (
    Category,
    FlagStatus,
    Gift,
    Leader,
    SanctionsFlag,
    SanctionsRegime,
    Visit,
    overlapping,
)
from .templatetags.registry import amount, fuzzy_date
from .text import fold

# sort parameter -> (label, ordering); `id` breaks ties, unknown dates and values go last.
NEWEST = F("date").desc(nulls_last=True)
SORTS = {
    "-date": ("Newest first", [NEWEST]),
    "date": ("Oldest first", [F("date").asc(nulls_last=True)]),
    "-value": ("Highest value first", [F("value_usd").desc(nulls_last=True)]),
    "value": ("Lowest value first", [F("value_usd").asc(nulls_last=True)]),
    "item": ("Gift, A to Z", [Lower("item").asc()]),
    "-item": ("Gift, Z to A", [Lower("item").desc()]),
    # Ties (one giver's many gifts) newest first; gifts with no leader named last.
    "giver": ("Giver, A to Z", [Lower("giver__name").asc(nulls_last=True), NEWEST]),
    "-giver": ("Giver, Z to A", [Lower("giver__name").desc(nulls_last=True), NEWEST]),
    "recipient": ("Recipient, A to Z", [Lower("recipient__name").asc(nulls_last=True), NEWEST]),
    "-recipient": (
        "Recipient, Z to A",
        [Lower("recipient__name").desc(nulls_last=True), NEWEST],
    ),
    # By ISO code, which the list shows and the indexes hold (migration 0003).
    "giver_country": ("Giver country code, A to Z", [F("giver_country").asc(), NEWEST]),
    "-giver_country": ("Giver country code, Z to A", [F("giver_country").desc(), NEWEST]),
    "recipient_country": (
        "Recipient country code, A to Z",
        [F("recipient_country").asc(), NEWEST],
    ),
    "-recipient_country": (
        "Recipient country code, Z to A",
        [F("recipient_country").desc(), NEWEST],
    ),
    "category": ("Category, A to Z", [F("category").asc(), NEWEST]),
    "-category": ("Category, Z to A", [F("category").desc(), NEWEST]),
}
DEFAULT_SORT = "-date"
# The most values one parameter may carry (categories are the only filter of several).
MAX_VALUES = 20
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
FLAGGED_CHOICES = [("yes", "Flagged only"), ("no", "Not flagged")]

# Query-string normalisation: codes in either case, leaders and visits by slug or name.
UPPER_CASE = {"giver_country", "recipient_country", "country", "currency", "regime"}
LOWER_CASE = {"category", "flagged", "flag_status", "sort", "per_page"}
SLUGS = {"giver", "recipient", "leader", "visit"}


# Dates are typed as the site writes them ("19 June 2024", "19 Jun 2024") or as ISO dates
# (the links the site makes), never in a browser's own order (mm/dd/yyyy).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
DATE_ERROR = "Enter a date as 19 June 2024 or 2024-06-19."


class SiteDateInput(forms.TextInput):
    """A date box that shows its date as the site writes dates: "1 January 2024"."""

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "e.g. 19 June 2024", "autocomplete": "off", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, str):  # as typed, or from a link: shown the site's way
            for date_format in DATE_INPUT_FORMATS:
                try:
                    value = datetime.datetime.strptime(value.strip(), date_format).date()
                    break
                except ValueError:
                    continue
        if isinstance(value, datetime.date):
            return f"{value.day} {value:%B} {value.year}"
        return super().format_value(value)


@cache
def country_choices():
    """Every country the registry knows, by name, historical states included."""
    return [(c.code, c.name) for c in countries]


def year_span(date_from, date_to):
    """(first, last) year when the range is whole calendar years, else None."""
    if (
        date_from
        and date_to
        and (date_from.month, date_from.day) == (1, 1)
        and (date_to.month, date_to.day) == (12, 31)
        and date_from.year <= date_to.year
    ):
        return date_from.year, date_to.year
    return None


def plural(n, singular, plural_form=None):
    return singular if n == 1 else (plural_form or singular + "s")


def join_or(words):
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


class LongSelect(forms.Select):
    """A select of a few hundred options, rendered in Python: Django renders each option
    through a template, which made the country and currency lists most of the page's cost."""

    def render(self, name, value, attrs=None, renderer=None):
        value = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(str(code))}"{" selected" if str(code) == value else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{options}</select>')


@extend_schema_field(OpenApiTypes.STR)  # for the API's schema: an ISO 3166-1 alpha-2 code
class CountryFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", country_choices)
        kwargs.setdefault("widget", LongSelect)
        kwargs.setdefault("empty_label", "Any country")
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": "“%(value)s” is not a country code the registry knows: "
                "use ISO 3166-1 alpha-2, e.g. KP."
            },
        )
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)  # for the API's schema: a slug
class SlugFilter(django_filters.ModelChoiceFilter):
    """A leader or visit by slug, typed into a text box (a select of thousands would not do)."""

    def __init__(self, *args, noun, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": f"No {noun} has the name or slug “%(value)s”."}
        )
        super().__init__(*args, **kwargs)


class GiftFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        if getlist:
            for name, form_field in self.fields.items():
                values = list(dict.fromkeys(getlist(name)))
                if len(values) > MAX_VALUES:
                    self.add_error(name, f"Give at most {MAX_VALUES} values, not {len(values)}.")
                elif len(values) > 1 and not isinstance(form_field, forms.MultipleChoiceField):
                    # The values as a parameter, not in the message: the API's filter
                    # backend %-formats every message, and a value may hold a "%".
                    self.add_error(
                        name,
                        forms.ValidationError(
                            "Give one value, not several (%(values)s).",
                            params={"values": ", ".join(v[:40] for v in values[:5])},
                        ),
                    )
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        low, high = cleaned.get("value_min"), cleaned.get("value_max")
        if low is not None and high is not None and low > high:
            self.add_error("value_max", "The maximum value is below the minimum value.")
        return cleaned


@dataclass(frozen=True)
class ActiveFilter:
    """One active filter: the words on its chip, the query parameters that remove it,
    and the filter values that stand without it (to count what removing it would give)."""

    label: str
    remove: tuple  # of (parameter, value) pairs; value None removes every value
    without: dict = field(default_factory=dict)


@dataclass
class Facet:
    name: str  # the query parameter a value sets
    title: str
    items: list  # of (value, label, count)
    countries: bool = False


class GiftFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=200,
        help_text="Items, descriptions and names, in any spelling or script.",
    )
    giver_country = CountryFilter(label="Giver country", field_name="giver_country")
    recipient_country = CountryFilter(label="Recipient country", field_name="recipient_country")
    country = CountryFilter(label="Either country", method="filter_country")
    leader = SlugFilter(
        label="Leader (giver or recipient)",
        queryset=Leader.objects.public(),
        method="filter_leader",
        noun="leader",
        help_text="A name or page slug, e.g. kim-jong-un.",
    )
    giver = SlugFilter(
        label="Giver (leader)", queryset=Leader.objects.public(), field_name="giver", noun="leader"
    )
    recipient = SlugFilter(
        label="Recipient (leader)",
        queryset=Leader.objects.public(),
        field_name="recipient",
        noun="leader",
    )
    visit = SlugFilter(
        label="Visit",
        queryset=Visit.objects.published(),
        field_name="visit",
        noun="published visit",
        help_text="The visit's page slug.",
    )
    category = django_filters.MultipleChoiceFilter(
        label="Category",
        choices=Category.choices,
        method="filter_category",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s” is not a category."},
    )
    date_from = django_filters.DateFilter(
        label="From",
        field_name="date",
        widget=SiteDateInput,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
    )
    date_to = django_filters.DateFilter(
        label="To",
        field_name="date",
        widget=SiteDateInput,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
    )
    value_min = django_filters.NumberFilter(
        label="At least (US$)",
        field_name="value_usd",
        lookup_expr="gte",
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    value_max = django_filters.NumberFilter(
        label="At most (US$)",
        field_name="value_usd",
        lookup_expr="lte",
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    currency = django_filters.ChoiceFilter(
        label="Currency",
        field_name="currency",
        choices=CURRENCY_CHOICES,
        empty_label="Any currency",
        widget=LongSelect,
        error_messages={"invalid_choice": "“%(value)s” is not an ISO 4217 currency code."},
    )
    flagged = django_filters.ChoiceFilter(
        label="Sanctions flags",
        choices=FLAGGED_CHOICES,
        method="filter_flagged",
        empty_label="Any",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Use flagged=yes or flagged=no."},
    )
    regime = django_filters.ChoiceFilter(
        label="Sanctions regime",
        field_name="flags__regime__code",
        empty_label="Any regime",
        error_messages={"invalid_choice": "“%(value)s” is not a sanctions regime code."},
    )
    flag_status = django_filters.ChoiceFilter(
        label="Flag status",
        field_name="flags__status",
        choices=FlagStatus.choices,
        empty_label="Any status",
        error_messages={"invalid_choice": "“%(value)s” is not a flag status."},
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        field_name="date",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        empty_label=None,
        error_messages={
            "invalid_choice": "“%(value)s” is not a sort order: use " + ", ".join(SORTS) + "."
        },
    )

    per_page = django_filters.ChoiceFilter(
        label="Gifts per page",
        field_name="id",
        choices=[(str(n), str(n)) for n in PAGE_SIZES],
        empty_label=None,
        error_messages={
            "invalid_choice": "“%(value)s” gifts per page: use "
            + ", ".join(map(str, PAGE_SIZES))
            + "."
        },
    )

    # Filters applied together rather than one by one (see apply()); sort and per_page
    # only order and cut the list.
    COMBINED = {"date_from", "date_to", "regime", "flag_status", "sort", "per_page"}
    # What a list shows rather than which gifts: kept when the filters are cleared.
    DISPLAY = ("sort", "per_page")

    class Meta:
        model = Gift
        fields = []
        form = GiftFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        if data is not None:
            data = normalise(data)
        if queryset is None:
            queryset = Gift.objects.public()
        super().__init__(data, queryset, **kwargs)
        self._leaders_found = {}  # search text -> the leaders it matches (ids or a subquery)
        # Evaluated once, and only when the regime select is shown or a regime is given.
        # (A plain function: the form deep-copies its fields, and a bound method with them.)
        self.filters["regime"].extra["choices"] = lambda: self._regime_choices

    @cached_property
    def _regime_choices(self):
        """Runs a query (once)."""
        return [
            (regime.code, f"{regime.label} ({regime.code})" if regime.short_name else regime.code)
            for regime in SanctionsRegime.objects.only("code", "short_name")
        ]

    # Filtering

    def filter_search(self, queryset, name, value):
        return queryset.search(value, leaders=self._leaders_matching(value))

    # Beyond this many matching leaders, the search keeps them as a subquery.
    LEADER_IDS_MAX = 500

    def _leaders_matching(self, value):
        """The ids of the leaders the search matches, looked up once per list. A list of
        ids, unlike a subquery, lets PostgreSQL estimate how many gifts match (and plan a
        parallel scan) and look their gifts up by index."""
        found = self._leaders_found
        if value not in found:
            leaders = Leader.objects.filter(search_text__contains=fold(value))
            ids = list(leaders.values_list("pk", flat=True)[: self.LEADER_IDS_MAX + 1])
            found[value] = ids if len(ids) <= self.LEADER_IDS_MAX else leaders.values("pk")
        return found[value]

    def filter_country(self, queryset, name, value):
        return queryset.involving_country(value)

    def filter_leader(self, queryset, name, value):
        return queryset.involving_leader(value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(category__in=value)

    def filter_flagged(self, queryset, name, value):
        return queryset.flagged() if value == "yes" else queryset.not_flagged()

    def filter_queryset(self, queryset):
        values = self.form.cleaned_data
        ordering = SORTS[values.get("sort") or DEFAULT_SORT][1]
        return self.apply(queryset, values).order_by(*ordering, "id")

    def apply(self, queryset, values):
        """The queryset filtered by these cleaned values (None or [] leaves a filter out)."""
        for name, value in values.items():
            if name not in self.COMBINED:
                queryset = self.filters[name].filter(queryset, value)
        date_from, date_to = values.get("date_from"), values.get("date_to")
        if date_from or date_to:
            queryset = queryset.overlapping(date_from, date_to)
        regime, status = values.get("regime"), values.get("flag_status")
        if regime or status:
            # Both conditions on the same public flag.
            flags = SanctionsFlag.objects.public().filter(gift=OuterRef("pk"))
            if regime:
                flags = flags.filter(regime__code=regime)
            if status:
                flags = flags.filter(status=status)
            queryset = queryset.filter(Exists(flags))
        return queryset

    def without(self, *names, **overrides):
        """The public gifts under every active filter except `names` (unsorted)."""
        values = self.form.cleaned_data | dict.fromkeys(names) | overrides
        return self.apply(self.queryset, values)

    # Counting

    # (offset, limit) of the page the view will show: a single-pass count (scanned)
    # hands back that page's ids too, in the list's order.
    page_window = None

    @cached_property
    def scanned(self):
        """Every count of this list, and its page's ids, read in one pass over the
        matching gifts (see facets.scan), or for a value range alone from the value bands
        without the page's ids (facets.banded); None where the aggregates answer instead,
        or where the facets count different sets of gifts."""
        values = self.form.cleaned_data
        if facet_counts.bandable(values):
            return facet_counts.banded(values, self.queryset)
        if facet_counts.answerable(values) or not facet_counts.scannable(values):
            return None
        conditions = {}
        if values.get("giver_country"):
            conditions["giver_country"] = Q(giver_country=values["giver_country"])
        if values.get("recipient_country"):
            conditions["recipient_country"] = Q(recipient_country=values["recipient_country"])
        if values.get("category"):
            conditions["category"] = Q(category__in=values["category"])
        if values.get("date_from") or values.get("date_to"):
            conditions["year"] = overlapping(values.get("date_from"), values.get("date_to"))
        # The gifts under every other filter, read once; each facet leaves its own out.
        others = self.without(
            "giver_country", "recipient_country", "category", "date_from", "date_to"
        )
        ordering = [*SORTS[values.get("sort") or DEFAULT_SORT][1], "id"]
        return facet_counts.scan(others, conditions, ordering, self.page_window, matching=self.qs)

    def counts(self):
        """The number of gifts matching, and how many of them are flagged: one query,
        on the facet aggregate when it can answer."""
        if facet_counts.answerable(self.form.cleaned_data):
            return facet_counts.totals(self.form.cleaned_data)
        if self.scanned:
            return {"total": self.scanned["total"], "flagged": self.scanned["flagged"]}
        return self.qs.aggregate(total=Count("pk"), flagged=Count("pk", filter=Q(is_flagged=True)))

    def _dimension_counts(self, name, excluded):
        """[(value, count)] of one facet under the other filters, most first."""
        values = self.form.cleaned_data
        dimension = "year" if name == "year" else name
        if self.scanned:
            return self.scanned["facets"][dimension]
        if facet_counts.answerable(values):
            rows = facet_counts.counts_by(values, dimension, without=excluded)
            if name == "year":
                return sorted(((y, n) for y, n in rows if y), reverse=True)
            return [(v, n) for v, n in rows if v]
        queryset = self.without(*excluded)
        if name == "year":
            rows = (
                queryset.filter(date__isnull=False)
                .values(year=ExtractYear("date"))
                .annotate(n=Count("pk"))
                .order_by("-year")
            )
            return [(r["year"], r["n"]) for r in rows]
        rows = queryset.exclude(**{name: ""}).values(name).annotate(n=Count("pk"))
        return [(r[name], r["n"]) for r in rows.order_by("-n", name)]

    def facets(self):
        """Facet counts, each under all the other active filters: five aggregate queries."""
        values = self.form.cleaned_data
        category_labels = dict(Category.choices)
        facets = [
            Facet(
                "category",
                "Category",
                [
                    (value, category_labels.get(value, value), n)
                    for value, n in self._dimension_counts("category", ["category"])
                ],
            )
        ]
        for name, title in (
            ("giver_country", "Giver country"),
            ("recipient_country", "Recipient country"),
        ):
            rows = self._dimension_counts(name, [name])
            facets.append(Facet(name, title, [(v, country_name(v), n) for v, n in rows], True))
        rows = self._dimension_counts("year", ["date_from", "date_to"])
        facets.append(Facet("year", "Year", [(y, str(y), n) for y, n in rows]))

        # Gifts with a public flag of each status (and of the chosen regime, as the two
        # parameters match the same flag), under the other filters.
        others = values | {"regime": None, "flag_status": None}
        if self.scanned:
            counts = self.scanned["flag_status"]
        elif facet_counts.answerable(others):
            counts = facet_counts.flag_status_counts(others, values.get("regime"))
        else:
            flags = SanctionsFlag.objects.public().filter(
                gift__in=self.without("regime", "flag_status").values("pk")
            )
            if values.get("regime"):
                flags = flags.filter(regime__code=values["regime"])
            counts = dict(
                flags.values("status")
                .annotate(n=Count("gift", distinct=True))
                .values_list("status", "n")
            )
        facets.append(
            Facet(
                "flag_status",
                "Flag status",
                [(s, label, counts[s]) for s, label in FlagStatus.choices if counts.get(s)],
            )
        )
        return facets

    # Words

    def active_filters(self):
        """The active filters, in the order of the form, as chips."""
        v = self.form.cleaned_data
        active = []

        def add(label, *names, remove=None):
            remove = remove or tuple((n, None) for n in names)
            active.append(ActiveFilter(label, remove, dict.fromkeys(names)))

        if v.get("q"):
            add(f"Search: “{v['q']}”", "q")
        for name, label in (
            ("giver_country", "Given by"),
            ("recipient_country", "Received by"),
            ("country", "Involving"),
        ):
            if v.get(name):
                add(f"{label}: {country_name(v[name])}", name)
        for name, label in (
            ("giver", "Giver"),
            ("recipient", "Recipient"),
            ("leader", "Involving"),
        ):
            if v.get(name):
                add(f"{label}: {v[name].name}", name)
        if v.get("visit"):
            add(f"Visit: {v['visit'].title}", "visit")
        labels = dict(Category.choices)
        for value in v.get("category") or []:
            rest = [c for c in v["category"] if c != value]
            active.append(
                ActiveFilter(
                    f"Category: {labels[value]}", (("category", value),), {"category": rest}
                )
            )
        years = year_span(v.get("date_from"), v.get("date_to"))
        if years:
            label = str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"
            add(f"{'Year' if years[0] == years[1] else 'Years'}: {label}", "date_from", "date_to")
        else:
            if v.get("date_from"):
                add(f"From: {fuzzy_date(v['date_from'])}", "date_from")
            if v.get("date_to"):
                add(f"To: {fuzzy_date(v['date_to'])}", "date_to")
        if v.get("value_min") is not None:
            add(f"At least: US$ {amount(v['value_min'])}", "value_min")
        if v.get("value_max") is not None:
            add(f"At most: US$ {amount(v['value_max'])}", "value_max")
        if v.get("currency"):
            add(f"Currency: {v['currency']}", "currency")
        if v.get("flagged"):
            add("Flagged" if v["flagged"] == "yes" else "Not flagged", "flagged")
        if v.get("regime"):
            add(f"Regime: {self.regime_label(v['regime'])}", "regime")
        if v.get("flag_status"):
            add(f"Flag status: {FlagStatus(v['flag_status']).label}", "flag_status")
        return active

    def regime_label(self, code):
        regimes = dict(self._regime_choices)
        return regimes.get(code, code).removesuffix(f" ({code})")

    def describe(self, total, flagged):
        """The result in words: "2 gifts received by North Korea, 2024, 1 flagged"."""
        v = self.form.cleaned_data
        noun = plural(total, "gift")
        if v.get("flagged") == "yes":
            noun = "flagged " + noun
        phrases = []
        if v.get("q"):
            phrases.append(f"matching “{v['q']}”")

        def party(leader_name, code):
            names = [n for n in (leader_name, country_name(code)) if n]
            return f"{names[0]} ({names[1]})" if len(names) == 2 else "".join(names)

        giver = party(v["giver"].name if v.get("giver") else "", v.get("giver_country"))
        recipient = party(
            v["recipient"].name if v.get("recipient") else "", v.get("recipient_country")
        )
        if giver and recipient:
            phrases.append(f"given by {giver} to {recipient}")
        elif giver:
            phrases.append(f"given by {giver}")
        elif recipient:
            phrases.append(f"received by {recipient}")
        involving = [v["leader"].name if v.get("leader") else "", country_name(v.get("country"))]
        if any(involving):
            phrases.append("involving " + " and ".join(n for n in involving if n))
        if v.get("visit"):
            phrases.append(f"linked to “{v['visit'].title}”")
        if v.get("category"):
            labels = dict(Category.choices)
            words = join_or(labels[c].lower() for c in v["category"])
            phrases.append(f"in the {plural(len(v['category']), 'category', 'categories')} {words}")
        period = period_words(v.get("date_from"), v.get("date_to"))
        if period:
            phrases.append(period)
        low, high = v.get("value_min"), v.get("value_max")
        if low is not None and high is not None:
            phrases.append(f"worth US$ {amount(low)}–{amount(high)}")
        elif low is not None:
            phrases.append(f"worth at least US$ {amount(low)}")
        elif high is not None:
            phrases.append(f"worth at most US$ {amount(high)}")
        if v.get("currency"):
            phrases.append(f"valued in {v['currency']}")
        if v.get("regime") or v.get("flag_status"):
            kind = FlagStatus(v["flag_status"]).label.lower() + " " if v.get("flag_status") else ""
            article = "an" if kind[:1] in ("a", "e", "i", "o", "u") else "a"
            regime = f" under {self.regime_label(v['regime'])}" if v.get("regime") else ""
            phrases.append(f"with {article} {kind}flag{regime}")
        count = f"{total:,}" if total else "No"
        sentence = " ".join([f"{count} {noun}", ", ".join(phrases)]).strip()
        if v.get("flagged") == "no":
            sentence += ", not flagged"
        elif not v.get("flagged") and flagged:
            sentence += f", {flagged:,} flagged"
        return sentence


def period_words(date_from, date_to):
    """'2024', '2000–2024', 'from 15 June 2024', 'until 1 March 2025', or both ends."""
    years = year_span(date_from, date_to)
    if years:
        return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"
    if date_from and date_to:
        return f"from {fuzzy_date(date_from)} to {fuzzy_date(date_to)}"
    if date_from:
        return f"from {fuzzy_date(date_from)}"
    if date_to:
        return f"until {fuzzy_date(date_to)}"
    return ""


def normalise(data):
    """A copy of the query with codes in their stored case and leaders and visits as slugs,
    so ?recipient_country=kp and ?leader=Kim Jong Un work."""
    query = QueryDict(mutable=True)
    for name in list(data.keys()):
        raw = data.getlist(name) if hasattr(data, "getlist") else data[name]
        values = [str(value).strip() for value in (raw if isinstance(raw, list | tuple) else [raw])]
        if name in UPPER_CASE:
            values = [value.upper() for value in values]
        elif name in LOWER_CASE:
            values = [value.lower() for value in values]
        elif name in SLUGS:
            values = [slugify(value) or value for value in values]
        query.setlist(name, values)
    return query


def year_range(year):
    """The date_from/date_to values of the year facet."""
    return datetime.date(year, 1, 1).isoformat(), datetime.date(year, 12, 31).isoformat()
