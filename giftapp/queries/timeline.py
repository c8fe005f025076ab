"""The timeline: public visits in order, grouped by year, a page at a time; and the public
gifts on a time axis that zooms from decades to years to months, a year's gifts given at
no recorded visit listed by month."""

import calendar
import datetime
import math
from collections import Counter
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import ExtractMonth, ExtractYear, RowNumber
from django.utils.text import slugify

from ..charts import periods_chart
from ..codes import COUNTRY_CODES, country_name
from ..counts import activity
from ..counts import facets as facet_counts
from ..filters import LongSelect
from ..models import DatePrecision, Gift, Leader, PublicationStatus, Visit
from .public import with_participants
from .visits import CHRONOLOGICAL, split_by_direction, visitor_countries

TIMELINE_PER_PAGE = 50
TIMELINE_GIFTS_PER_COLUMN = 8


class TimelineForm(forms.Form):
    country = forms.ChoiceField(
        required=False,
        widget=LongSelect,
        label="Country",
        help_text="The host country or any participant's; for gifts, the giver's or the "
        "recipient's.",
    )
    partner = forms.ChoiceField(
        required=False,
        widget=LongSelect,
        label="And country",
        help_text="Only what passed between the two countries.",
    )
    leader = forms.CharField(
        required=False,
        max_length=200,
        label="Leader",
        help_text="A name or page slug, e.g. kim-jong-un.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    year_from = forms.IntegerField(
        required=False, min_value=1000, max_value=9999, label="From year"
    )
    year_to = forms.IntegerField(required=False, min_value=1000, max_value=9999, label="To year")
    # Not drawn in the form: the zoom, the year strip and the page links set them.
    month = forms.IntegerField(required=False, min_value=1, max_value=12)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data, countries):
        data = data.copy()
        for name in ("country", "partner"):
            if data.get(name):
                data[name] = data[name].strip().upper()
        super().__init__(data)
        # Offer the countries with a visit or a gift; accept any valid code (it may match
        # nothing).
        for name, blank in (("country", "Any country"), ("partner", "Any other country")):
            wanted = data.get(name)
            offered = set(countries) | ({wanted} if wanted in COUNTRY_CODES else set())
            self.fields[name].choices = [("", blank)] + sorted(
                ((code, country_name(code)) for code in offered), key=lambda choice: choice[1]
            )
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "size": 6})

    def clean_leader(self):
        """The leader named by slug or name (a select of thousands would not do)."""
        text = self.cleaned_data["leader"].strip()
        if not text:
            return None
        leader = Leader.objects.public().filter(slug=slugify(text)).first()
        if leader is None:
            raise forms.ValidationError(
                "No leader has the name or slug “%(value)s”.", params={"value": text[:80]}
            )
        return leader

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_from > year_to:
            raise forms.ValidationError(
                "The first year (%(first)s) is after the last year (%(last)s).",
                params={"first": year_from, "last": year_to},
            )
        if data.get("partner") and not data.get("country"):
            self.add_error("partner", "Choose the first country too.")
        elif data.get("partner") and data["partner"] == data.get("country"):
            self.add_error("partner", "Choose a country other than the first.")
        if data.get("month") and not (year_from and year_from == year_to):
            self.add_error("month", "A month is chosen within one year: set both years to it.")
        return data

    def filter(self, visits):
        data = self.cleaned_data
        if data["country"]:
            visits = activity.involving_country(visits, data["country"])
        if data["partner"]:
            visits = activity.involving_country(visits, data["partner"])
        if data["leader"]:
            visits = activity.involving_leader(visits, data["leader"])
        # A visit belongs to the years it overlaps.
        if data["year_from"]:
            visits = visits.filter(end_date__gte=datetime.date(data["year_from"], 1, 1))
        if data["year_to"]:
            visits = visits.filter(start_date__lte=datetime.date(data["year_to"], 12, 31))
        if data["month"]:
            first, last = month_span(data["year_from"], data["month"])
            visits = visits.filter(end_date__gte=first, start_date__lte=last)
        return visits


def month_span(year, month):
    """The first and last day of a month."""
    first = datetime.date(year, month, 1)
    return first, datetime.date(year, month, calendar.monthrange(year, month)[1])


def timeline_form(data):
    """The timeline's filters, offering the countries that took part in a public visit or
    gave or received a public gift."""
    given, received, _flagged = activity.gift_totals()
    countries = set(activity.country_visits()) | set(given) | set(received)
    return TimelineForm(data, countries - {""})


def _countries_named(data):
    """'North Korea', or 'North Korea and Russia' for a pair."""
    names = [country_name(data[name]) for name in ("country", "partner") if data[name]]
    return " and ".join(names)


def timeline_page(form):
    """One page of the timeline for a valid form: the visits by year, each with its public
    gifts in two columns, and the strip of years linking to their pages."""
    visits = form.filter(Visit.objects.published())
    data = form.cleaned_data
    only_country = not any(data[name] for name in ("leader", "partner", "year_from", "year_to"))
    years = activity.visits_per_year(visits, data["country"] if only_country else None)
    total = sum(n for _year, n in years)
    last_page = max(1, math.ceil(total / TIMELINE_PER_PAGE))
    number = min(form.cleaned_data["page"] or 1, last_page)
    offset = (number - 1) * TIMELINE_PER_PAGE

    # Each year links to the page where its first visit is; `here` marks this page's years.
    strip, before = [], 0
    for year, n in years:
        first_page = before // TIMELINE_PER_PAGE + 1
        last = (before + n - 1) // TIMELINE_PER_PAGE + 1
        strip.append(
            {"year": year, "count": n, "page": first_page, "here": first_page <= number <= last}
        )
        before += n

    page_visits = list(
        with_participants(visits.order_by(*CHRONOLOGICAL))[offset : offset + TIMELINE_PER_PAGE]
    )
    gifts_by_visit = {}
    for gift in (
        Gift.objects.public()
        .filter(visit__in=[v.pk for v in page_visits])
        .for_listing()
        # The leaders by id, in queries of their own: joined, PostgreSQL would hash the
        # whole leader table twice for a few hundred gifts.
        .select_related(None)
        .prefetch_related("giver", "recipient")
        .order_by("date", "item", "pk")
    ):
        gifts_by_visit.setdefault(gift.visit_id, []).append(gift)

    first_page_of_year = {row["year"]: row["page"] for row in strip}
    groups = []
    for visit in page_visits:
        from_visitors, from_hosts = split_by_direction(visit, gifts_by_visit.get(visit.pk, []))
        visit.columns = [
            {
                "heading": "From the visitors",
                "countries": visitor_countries(visit, from_visitors),
                "gifts": from_visitors[:TIMELINE_GIFTS_PER_COLUMN],
                "more": max(0, len(from_visitors) - TIMELINE_GIFTS_PER_COLUMN),
            },
            {
                "heading": "From the hosts",
                "countries": [country_name(visit.host_country.code)],
                "gifts": from_hosts[:TIMELINE_GIFTS_PER_COLUMN],
                "more": max(0, len(from_hosts) - TIMELINE_GIFTS_PER_COLUMN),
            },
        ]
        visit.gift_count = len(from_visitors) + len(from_hosts)
        year = visit.start_date.year
        if not groups or groups[-1]["year"] != year:
            continued = first_page_of_year.get(year, number) < number
            groups.append({"year": year, "visits": [], "continued": continued})
        groups[-1]["visits"].append(visit)

    return {
        "groups": groups,
        "strip": strip,
        "total": total,
        "number": number,
        "last_page": last_page,
        "first_shown": offset + 1 if page_visits else 0,
        "last_shown": offset + len(page_visits),
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < last_page else None,
        "axis": gift_axis(form, years),
        "country_filter": _countries_named(data),
        "leader_filter": form.cleaned_data["leader"].name if form.cleaned_data["leader"] else "",
    }


# Gifts on the time axis ----------------------------------------------------------------------

# At one year's zoom, each month lists this many of its gifts given at no recorded visit,
# then links to its own zoom; a month's zoom lists this many, then links to the gift list.
GIFTS_PER_MONTH = 10
GIFTS_IN_A_MONTH = 200
# Beyond this many years the axis counts decades; one year, months.
MOST_YEARS_ON_THE_AXIS = 12
NO_MONTH = 0  # the slot of the gifts whose register gives only the year


def gift_scope(data):
    """The public gifts under the timeline's filters but the dates."""
    gifts = Gift.objects.public()
    if data["partner"]:
        one, other = data["country"], data["partner"]
        gifts = gifts.filter(
            Q(giver_country=one, recipient_country=other)
            | Q(giver_country=other, recipient_country=one)
        )
    elif data["country"]:
        gifts = gifts.involving_country(data["country"])
    if data["leader"]:
        gifts = gifts.involving_leader(data["leader"])
    return gifts


def gifts_per_year(data):
    """Counter {year: public gifts} under the filters but the dates, year 0 counting those
    of no known date: from the aggregates where they answer (no leader chosen)."""
    if facet_counts.answerable({}) and not data["leader"]:
        one, other = data["country"], data["partner"]
        if other:
            filters = [
                {"giver_country": one, "recipient_country": other},
                {"giver_country": other, "recipient_country": one},
            ]
        else:
            filters = [{"country": one} if one else {}]
        counts = Counter()
        for values in filters:
            for year, n in facet_counts.counts_by(values, "year", without=()):
                counts[year] += n
        return counts
    rows = gift_scope(data).order_by().values_list(ExtractYear("date")).annotate(n=Count("pk"))
    return Counter({year or 0: n for year, n in rows})


def _month_slot():
    """A gift's month, or NO_MONTH when its register gives only the year."""
    return Case(
        When(date_precision=DatePrecision.YEAR, then=Value(NO_MONTH)),
        default=ExtractMonth("date"),
    )


def _at_public_visit():
    return Q(visit__publication_status=PublicationStatus.PUBLISHED)


def gift_axis(form, visit_years):
    """The time axis of the public gifts under the filters, zoomed by the form's years
    and month: the chart of its periods (decades, years or months), the links zooming
    into each and out again, and, for one year, its gifts given at no recorded visit by
    month. `visit_years` is [(year, visits)] under the same filters."""
    data = form.cleaned_data
    per_year = gifts_per_year(data)
    undated = per_year.pop(0, 0)
    visits = dict(visit_years)
    years = sorted(set(per_year) | set(visits))
    first = data["year_from"] or (years[0] if years else None)
    last = data["year_to"] or (years[-1] if years else None)
    if (first is None) != (last is None) or (first and last and first > last):
        first = last = data["year_from"] or data["year_to"]  # one year, past the records
    in_window = {y: n for y, n in per_year.items() if first and first <= y <= last}
    axis = {
        "gift_total": sum(in_window.values()),
        "undated": undated if not (data["year_from"] or data["year_to"]) else 0,
        "zoom_path": _zoom_path(data, first, last),
        "window": _window_name(data, first, last),
    }
    if first is None:
        return axis
    if first == last:
        months = _months(data, first)
        level, periods = "month", months.pop("periods")
        axis |= months
    elif last - first < MOST_YEARS_ON_THE_AXIS:
        level, periods = "year", _year_periods(data, first, last, in_window, visits)
    else:
        level, periods = "decade", _decade_periods(data, first, last, in_window, visits)
    axis |= {"level": level, "periods": periods, "chart": periods_chart(periods, level)}
    return axis


def _zoom(data, **changes):
    """The timeline's query string with the zoom changed (and the page reset)."""
    query = {
        "country": data["country"],
        "partner": data["partner"],
        "leader": data["leader"].slug if data["leader"] else "",
        "year_from": data["year_from"],
        "year_to": data["year_to"],
        "month": data["month"],
    } | changes
    return "?" + urlencode({name: value for name, value in query.items() if value})


def _window_name(data, first, last):
    if first is None:
        return ""
    if data["month"]:
        return f"in {calendar.month_name[data['month']]} {first}"
    return f"in {first}" if first == last else f"{first}–{last}"


def _zoom_path(data, first, last):
    """[(name, url)] from all years down to the window shown, the last being it."""
    path = [("All years", _zoom(data, year_from=None, year_to=None, month=None))]
    if not (data["year_from"] or data["year_to"]) or first is None:
        return path
    decade = first // 10 * 10
    if first == last and (decade, decade + 9) != (first, last):
        path.append((f"{decade}s", _zoom(data, year_from=decade, year_to=decade + 9, month=None)))
    if (first, last) == (decade, decade + 9):
        path.append((f"{decade}s", _zoom(data, month=None)))
    else:
        name = str(first) if first == last else f"{first}–{last}"
        path.append((name, _zoom(data, month=None)))
    if data["month"]:
        path.append((f"{calendar.month_name[data['month']]} {first}", _zoom(data)))
    return path


def _decade_periods(data, first, last, per_year, visits):
    periods = []
    for decade in range(first // 10 * 10, last // 10 * 10 + 1, 10):
        span = range(max(decade, first), min(decade + 9, last) + 1)
        periods.append(
            {
                "label": f"{decade}s",
                "name": f"the {decade}s",
                "gifts": sum(per_year.get(y, 0) for y in span),
                "visits": sum(visits.get(y, 0) for y in span),
                "url": _zoom(data, year_from=decade, year_to=decade + 9, month=None),
            }
        )
    return periods


def _year_periods(data, first, last, per_year, visits):
    return [
        {
            "label": str(year),
            "name": str(year),
            "gifts": per_year.get(year, 0),
            "visits": visits.get(year, 0),
            "url": _zoom(data, year_from=year, year_to=year, month=None),
        }
        for year in range(first, last + 1)
    ]


def _months(data, year):
    """One year by month: its periods; its gifts given at no recorded visit, each month's
    first few (all of one chosen month) with the counts of the rest (`month_groups`); how
    many are dated only to the year; for a chosen month, its total and the gift list's
    query for it."""
    gifts = gift_scope(data).filter(date__year=year)
    counts = {
        slot: (n, n - at_visit)
        for slot, n, at_visit in gifts.order_by()
        .values_list(_month_slot())
        .annotate(n=Count("pk"), at_visit=Count("pk", filter=_at_public_visit()))
    }
    chosen = data["month"]
    shown = GIFTS_IN_A_MONTH if chosen else GIFTS_PER_MONTH
    loose = gifts.exclude(_at_public_visit()).annotate(slot=_month_slot())
    if chosen:
        loose = loose.filter(slot=chosen)
    loose = (
        loose.annotate(
            row=Window(
                RowNumber(),
                partition_by=[F("slot")],
                order_by=[F("date").asc(), F("item").asc(), F("pk").asc()],
            )
        )
        .filter(row__lte=shown)
        .for_listing()
        .order_by("slot", "date", "item", "pk")
    )
    listed = {}
    for gift in loose:
        listed.setdefault(gift.slot, []).append(gift)
    groups = []
    for slot in [*range(1, 13), NO_MONTH]:
        total, without_visit = counts.get(slot, (0, 0))
        if not without_visit or (chosen and slot != chosen):
            continue
        month_name = calendar.month_name[slot] if slot else ""
        groups.append(
            {
                "id": f"month-{slot}" if slot else f"year-{year}-undivided",
                "name": f"{month_name} {year}" if slot else f"{year}, month not stated",
                "gifts": listed.get(slot, []),
                "more": without_visit - len(listed.get(slot, [])),
                "zoom": _zoom(data, month=slot) if slot and not chosen else "",
            }
        )
    found = {"month_groups": groups, "year_only": counts.get(NO_MONTH, (0, 0))[0]}
    if chosen:
        found["gift_total"] = counts.get(chosen, (0, 0))[0]
    if chosen and not data["partner"]:  # the gift list filters by one country, not a pair
        first_day, last_day = month_span(year, chosen)
        query = {
            "country": data["country"],
            "leader": data["leader"].slug if data["leader"] else "",
            "date_from": first_day.isoformat(),
            "date_to": last_day.isoformat(),
        }
        found["gift_list_query"] = urlencode(
            {name: value for name, value in query.items() if value}
        )
    found["periods"] = [
        {
            "label": calendar.month_abbr[month],
            "name": f"{calendar.month_name[month]} {year}",
            "gifts": counts.get(month, (0, 0))[0],
            "visits": 0,
            "url": _zoom(data, year_from=year, year_to=year, month=month),
            "current": month == chosen,
        }
        for month in range(1, 13)
    ]
    return found
