"""The timeline: public visits in order, grouped by year, a page at a time."""

import datetime
import math

from django import forms
from django.utils.text import slugify

from ..codes import COUNTRY_CODES, country_name
from ..counts import activity
from ..models import Gift, Leader, Visit
from .public import with_participants
from .visits import CHRONOLOGICAL, split_by_direction, visitor_countries

TIMELINE_PER_PAGE = 50
TIMELINE_GIFTS_PER_COLUMN = 8


class TimelineForm(forms.Form):
    country = forms.ChoiceField(
        required=False,
        label="Country",
        help_text="The host country or any participant's.",
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
    # Not drawn in the form: the year strip and the page links set it.
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data, countries):
        data = data.copy()
        if data.get("country"):
            data["country"] = data["country"].strip().upper()
        super().__init__(data)
        # Offer the countries with a visit; accept any valid code (it may match nothing).
        wanted = data.get("country")
        offered = set(countries) | ({wanted} if wanted in COUNTRY_CODES else set())
        self.fields["country"].choices = [("", "Any country")] + sorted(
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
        return data

    def filter(self, visits):
        data = self.cleaned_data
        if data["country"]:
            visits = activity.involving_country(visits, data["country"])
        if data["leader"]:
            visits = activity.involving_leader(visits, data["leader"])
        # A visit belongs to the years it overlaps.
        if data["year_from"]:
            visits = visits.filter(end_date__gte=datetime.date(data["year_from"], 1, 1))
        if data["year_to"]:
            visits = visits.filter(start_date__lte=datetime.date(data["year_to"], 12, 31))
        return visits


def timeline_form(data):
    """The timeline's filters, offering the countries that took part in a public visit."""
    return TimelineForm(data, activity.country_visits())


def timeline_page(form):
    """One page of the timeline for a valid form: the visits by year, each with its public
    gifts in two columns, and the strip of years linking to their pages."""
    visits = form.filter(Visit.objects.published())
    data = form.cleaned_data
    only_country = not (data["leader"] or data["year_from"] or data["year_to"])
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
        "country_filter": country_name(form.cleaned_data["country"]),
        "leader_filter": form.cleaned_data["leader"].name if form.cleaned_data["leader"] else "",
    }
