"""The public pages other than the gift list: home, about, gift and visit pages, the
timeline, and the leader, country and sanctions-regime pages.

Only public records appear (DESIGN.md, "Publication"): a draft or in-review record's URL
answers 404, a retracted one 410 with its notice. Every view runs a fixed number of
queries, whatever the number of rows.
"""

import datetime
import math

from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from .. import activity
from ..charts import years_chart
from ..codes import COUNTRY_CODES, country_name
from ..history import gift_change_log, visit_change_log
from ..models import (
    DatePrecision,
    FlagStatus,
    Gift,
    Leader,
    LeaderRedirect,
    PublicationStatus,
    SanctionsFlag,
    SanctionsRegime,
    Visit,
)
from ..templatetags.registry import date_span, fuzzy_date

PUBLISHED = PublicationStatus.PUBLISHED
NOT_YET_PUBLIC = (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW)

HOME_LATEST_GIFTS = 10
HOME_LATEST_FLAGS = 5
HOME_COUNTRIES = 12
VISITS_PER_PAGE = 50
TIMELINE_PER_PAGE = 50
TIMELINE_GIFTS_PER_COLUMN = 8
LEADERS_PER_PAGE = 100
LEADER_GIFTS_SHOWN = 20
LEADER_VISITS_SHOWN = 50
COUNTRY_PARTNERS_SHOWN = 10
COUNTRY_GIFTS_SHOWN = 10

# What each claim status means. A flag is a claim, never a verdict.
FLAG_STATUS_MEANINGS = {
    FlagStatus.POSSIBLE: (
        "Someone has raised the possibility that the gift breaches the regime; no one is "
        "recorded as alleging a breach outright."
    ),
    FlagStatus.ALLEGED: (
        "A named person or body alleges that the gift breaches the regime. No authority "
        "with power to decide is recorded as having found a breach."
    ),
    FlagStatus.CONFIRMED: (
        "A body with power to decide — a sanctions committee or its panel of experts, a "
        "court, or an enforcement agency — is reported in the sources as having found a breach."
    ),
    FlagStatus.DISPUTED: (
        "A breach has been alleged and is contested: it is denied, or the sources disagree."
    ),
    FlagStatus.CLEARED: (
        "The claim has been withdrawn, or rejected by a body with power to decide. The flag "
        "stays on the record so that the history of the claim can be followed."
    ),
}

PUBLICATION_STATUS_MEANINGS = {
    PublicationStatus.DRAFT: "Being written by an editor. Not public: its address answers 404.",
    PublicationStatus.IN_REVIEW: "Waiting for a reviewer. Not public: its address answers 404.",
    PublicationStatus.PUBLISHED: (
        "Checked by a reviewer, with at least one source. Public, and counted everywhere."
    ),
    PublicationStatus.RETRACTED: (
        "Withdrawn after publication. It leaves every list, count, feed and export; its "
        "address answers 410 (Gone) with a notice, the reason and the date, so that "
        "citations can still be checked."
    ),
}

# Notes for codes that do not name a current state.
COUNTRY_NOTES = {
    "SU": "A historical state: the Soviet Union (1922–1991).",
    "DD": "A historical state: East Germany, the German Democratic Republic (1949–1990).",
    "YU": "A historical state: Yugoslavia (until 2003).",
    "CS": "A historical state: Czechoslovakia (1918–1992).",
    "XS": "A historical state: Serbia and Montenegro (2003–2006).",
    "XK": "Kosovo has no ISO 3166 code; the registry uses the user-assigned code XK.",
}

DATE_PRECISION_WORDS = {
    DatePrecision.DAY: "exact day",
    DatePrecision.MONTH: "month known, day not stated",
    DatePrecision.YEAR: "year known, month not stated",
    DatePrecision.UNKNOWN: "not stated in the sources",
}

# First words of a visit title that read as ordinary words inside a sentence.
_COMMON_FIRST_WORDS = {"a", "an", "the", "state", "official", "working", "visit", "summit"}


# Visibility -------------------------------------------------------------------------------


def _visible_or_404(queryset, **lookup):
    """A published or retracted record; 404 for drafts, records in review, unknown ones."""
    return get_object_or_404(queryset.exclude(publication_status__in=NOT_YET_PUBLIC), **lookup)


def _retracted(request, record, kind, title):
    context = {"record": record, "kind": kind, "record_title": title}
    return render(request, "giftapp/retracted.html", context, status=410)


def _with_participants(visits):
    leaders = Leader.objects.only("name", "slug", "country").order_by("name")
    return visits.prefetch_related(
        Prefetch("visitors", queryset=leaders), Prefetch("hosts", queryset=leaders)
    )


# Sentences ----------------------------------------------------------------------------------


def _link(url, text, html):
    return format_html('<a href="{}">{}</a>', url, text) if html else text


def _join(html, template, *parts):
    """format_html for the page; plain str.format for feeds and other plain text."""
    return format_html(template, *parts) if html else template.format(*parts)


def _party(leader, as_reported, code, role, html):
    """A giver or recipient as a phrase, with a link to the leader's page when known."""
    name = country_name(code)
    if leader:
        phrase = _link(leader.get_absolute_url(), leader.name, html)
    elif as_reported:
        phrase = as_reported
    elif name:
        return _join(html, "an unnamed {} from {}", role, name)
    else:
        return _join(html, "an unnamed {}", role)
    return _join(html, "{} ({})", phrase, name) if name else _join(html, "{}", phrase)


def _date_phrase(gift):
    if gift.date is None or gift.date_precision == DatePrecision.UNKNOWN:
        return "on an unknown date"
    if gift.date_precision == DatePrecision.DAY:
        return f"on {fuzzy_date(gift.date)}"
    return f"in {fuzzy_date(gift.date, gift.date_precision)}"


def _in_sentence(title):
    """'Putin's state visit to the DPRK' stays; 'State visit of X' -> 'state visit of X'."""
    first = title.split(" ", 1)[0]
    if first.lower() in _COMMON_FIRST_WORDS and first[1:].islower():
        return title[0].lower() + title[1:]
    return title


def gift_sentence(gift, html=True):
    """'Given by Vladimir Putin (Russia) to Kim Jong Un (North Korea) on 19 June 2024, during
    Putin's state visit to the DPRK.' As HTML with links, or as plain text with html=False.
    The visit is named only when it is published."""
    giver = _party(gift.giver, gift.giver_as_reported, gift.giver_country, "giver", html)
    recipient = _party(
        gift.recipient, gift.recipient_as_reported, gift.recipient_country, "recipient", html
    )
    sentence = _join(html, "Given by {} to {} {}", giver, recipient, _date_phrase(gift))
    visit = gift.visit
    if visit is not None and visit.is_public:
        during = gift.date is not None and (
            gift.date <= visit.end_date and gift.date_end >= visit.start_date
        )
        link = _link(visit.get_absolute_url(), _in_sentence(visit.title), html)
        if during:
            sentence = _join(html, "{}, during {}", sentence, link)
        else:
            # Given before or after the visit it belongs to, e.g. promised there, sent later.
            dates = date_span(visit.start_date, visit.end_date)
            sentence = _join(html, "{}, in connection with {} ({})", sentence, link, dates)
    return _join(html, "{}.", sentence)


def _flag_lead(flag):
    """One sentence saying who makes the claim: a claim, never a verdict."""
    who = flag.alleged_by or "It"
    regime = format_html('<a href="{}">{}</a>', flag.regime.get_absolute_url(), flag.regime.name)
    when = f" on {fuzzy_date(flag.alleged_on)}" if flag.alleged_on else ""
    templates = {
        FlagStatus.POSSIBLE: "{} raised{} the possibility that this gift breaches {}.",
        FlagStatus.ALLEGED: "{} alleged{} that this gift breaches {}.",
        FlagStatus.CONFIRMED: "{} found{} that this gift breached {}.",
        FlagStatus.DISPUTED: "{} alleged{} that this gift breaches {}; the claim is disputed.",
        FlagStatus.CLEARED: "{} alleged{} that this gift breached {}; the claim has been cleared.",
    }
    return format_html(templates[flag.status], who, when, regime)


# Country activity ------------------------------------------------------------------------


def _country_activity():
    """Public activity per country code, in two queries: gifts given and received (and
    how many are flagged), and visits hosted by each country a published visit involves."""
    given, received, flagged = activity.gift_totals()
    hosted = activity.country_visits()
    codes = (set(given) | set(received) | set(hosted)) - {""}
    rows = [
        {
            "code": code,
            "name": country_name(code),
            "given": given.get(code, 0),
            "received": received.get(code, 0),
            "hosted": hosted.get(code, 0),
        }
        for code in codes
    ]
    rows.sort(key=lambda row: row["name"])
    totals = {"gifts": sum(given.values()), "visits": sum(hosted.values()), "flagged": flagged}
    return rows, totals


# Pages --------------------------------------------------------------------------------------


def home(request):
    countries, totals = _country_activity()
    top_countries = sorted(
        (row for row in countries if row["given"] or row["received"]),
        key=lambda row: (-(row["given"] + row["received"]), row["name"]),
    )[:HOME_COUNTRIES]
    latest_gifts = (
        Gift.objects.public().for_listing().order_by("-published_at", "-pk")[:HOME_LATEST_GIFTS]
    )
    latest_flags = (
        SanctionsFlag.objects.public()
        .select_related("regime", "gift")
        .order_by("-published_at", "-pk")[:HOME_LATEST_FLAGS]
    )
    context = {
        "total_gifts": totals["gifts"],
        "total_visits": totals["visits"],
        "total_countries": len(countries),
        "total_flagged": totals["flagged"],
        "latest_gifts": latest_gifts,
        "latest_flags": latest_flags,
        "top_countries": top_countries,
    }
    return render(request, "giftapp/home.html", context)


def about(request):
    context = {
        "flag_statuses": [(s, FLAG_STATUS_MEANINGS[s]) for s in FlagStatus],
        "publication_statuses": [(s, PUBLICATION_STATUS_MEANINGS[s]) for s in PublicationStatus],
    }
    return render(request, "giftapp/about.html", context)


def gift_detail(request, pk):
    gift = _visible_or_404(Gift.objects.select_related("giver", "recipient", "visit"), pk=pk)
    if gift.is_retracted:
        return _retracted(request, gift, "gift", gift.item)
    prefetch_related_objects(
        [gift],
        "sources",
        Prefetch(
            "flags",
            queryset=SanctionsFlag.objects.public()
            .select_related("regime")
            .prefetch_related("sources"),
            to_attr="public_flags",
        ),
    )
    for flag in gift.public_flags:
        flag.lead = _flag_lead(flag)
        flag.meaning = FLAG_STATUS_MEANINGS[flag.status]
    change_log = gift_change_log(gift, gift.public_flags)
    last_updated = (
        change_log[0].date
        if change_log
        else timezone.localdate(gift.published_at or gift.updated_at)
    )
    first_published = change_log[-1].date if change_log else last_updated
    context = {
        "gift": gift,
        "sentence": gift_sentence(gift),
        "public_visit": gift.visit if gift.visit is not None and gift.visit.is_public else None,
        "flags": gift.public_flags,
        "open_flags": [f for f in gift.public_flags if f.status != FlagStatus.CLEARED],
        "change_log": change_log,
        "last_updated": last_updated,
        "first_published": first_published,
        "permalink": request.build_absolute_uri(gift.get_absolute_url()),
        "precision_words": DATE_PRECISION_WORDS[gift.date_precision],
        # `money` shows the note only when there is no value; show it beside a value too.
        "extra_value_note": gift.value_note
        if gift.value is not None or gift.value_usd is not None
        else "",
    }
    return render(request, "giftapp/gift_detail.html", context)


def _split_by_direction(visit, gifts):
    """A visit's gifts as (from the visitors to the hosts, from the hosts to the visitors),
    told apart by the giver's country against the host country."""
    host = visit.host_country.code
    from_hosts = [g for g in gifts if g.giver_country.code == host]
    from_visitors = [g for g in gifts if g.giver_country.code != host]
    return from_visitors, from_hosts


def _visitor_countries(visit, from_visitors):
    """The visitors' countries by name: from the visitors, else from their gifts."""
    codes = {leader.country.code for leader in visit.visitors.all()}
    codes |= {g.giver_country.code for g in from_visitors if g.giver_country}
    codes.discard(visit.host_country.code)
    return sorted(country_name(code) for code in codes)


def visit_list(request):
    visits = _with_participants(
        Visit.objects.published()
        .annotate(gift_count=Count("gifts", filter=Q(gifts__publication_status=PUBLISHED)))
        .order_by("start_date", "end_date", "title", "pk")
    )
    page = Paginator(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "giftapp/visit_list.html", {"page": page, "visits": page.object_list})


def visit_detail(request, slug):
    visit = _visible_or_404(Visit.objects.all(), slug=slug)
    if visit.is_retracted:
        return _retracted(request, visit, "visit", visit.title)
    prefetch_related_objects(
        [visit],
        "sources",
        Prefetch("visitors", queryset=Leader.objects.order_by("name")),
        Prefetch("hosts", queryset=Leader.objects.order_by("name")),
    )
    gifts = list(visit.gifts.public().for_listing().order_by("date", "item", "pk"))
    from_visitors, from_hosts = _split_by_direction(visit, gifts)
    context = {
        "visit": visit,
        "gift_count": len(gifts),
        "from_visitors": from_visitors,
        "from_hosts": from_hosts,
        "visitor_countries": _visitor_countries(visit, from_visitors),
        "permalink": request.build_absolute_uri(visit.get_absolute_url()),
        "change_log": visit_change_log(visit),
    }
    return render(request, "giftapp/visit_detail.html", context)


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
        leader = Leader.objects.filter(slug=slugify(text)).first()
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


def timeline(request):
    form = TimelineForm(request.GET, activity.country_visits())
    context = {"form": form}
    if not form.is_valid():
        return render(request, "giftapp/timeline.html", context, status=400)

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
        _with_participants(visits.order_by("start_date", "end_date", "title", "pk"))[
            offset : offset + TIMELINE_PER_PAGE
        ]
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
        from_visitors, from_hosts = _split_by_direction(visit, gifts_by_visit.get(visit.pk, []))
        visit.columns = [
            {
                "heading": "From the visitors",
                "countries": _visitor_countries(visit, from_visitors),
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

    context |= {
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
    return render(request, "giftapp/timeline.html", context)


def leader_list(request):
    leaders = activity.leaders_with_public_records().order_by("name", "country")
    page = Paginator(leaders, LEADERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "giftapp/leader_list.html", {"page": page, "leaders": page.object_list})


def leader_detail(request, slug):
    leader = Leader.objects.filter(slug=slug).first()
    if leader is None:
        # A leader merged into another keeps its old address as a permanent redirect.
        moved = LeaderRedirect.objects.select_related("leader").filter(old_slug=slug).first()
        if moved is None:
            raise Http404("No leader has this address.")
        return redirect(moved.leader, permanent=True)
    gifts = Gift.objects.public()
    counts = activity.leader_gift_counts(leader)
    visits = list(
        activity.involving_leader(Visit.objects.published(), leader)
        .annotate(
            as_host=Exists(Visit.hosts.through.objects.filter(visit=OuterRef("pk"), leader=leader))
        )
        .order_by("start_date", "end_date", "title", "pk")[: LEADER_VISITS_SHOWN + 1]
    )
    if not (counts["given"] or counts["received"] or visits):
        raise Http404("No public record names this leader.")
    given = _newest(gifts, giver=leader) if counts["given"] else []
    received = _newest(gifts, recipient=leader) if counts["received"] else []
    context = {
        "leader": leader,
        "counts": counts,
        "given": given,
        "received": received,
        "visits": visits[:LEADER_VISITS_SHOWN],
        "more_visits": len(visits) > LEADER_VISITS_SHOWN,
        "gifts_shown": LEADER_GIFTS_SHOWN,
    }
    return render(request, "giftapp/leader_detail.html", context)


def country_list(request):
    countries, _totals = _country_activity()
    return render(request, "giftapp/country_list.html", {"countries": countries})


def _partners(side):
    """The partner countries most gifts went to or came from: [(code, n, name)]."""
    ranked = sorted(side.partners.items(), key=lambda item: (-item[1], item[0]))
    return [(code, n, country_name(code)) for code, n in ranked[:COUNTRY_PARTNERS_SHOWN]]


def _newest(gifts, **where):
    """The newest of the gifts matching, as many as a leader's page shows. Their ids come
    first, from an index: joining the leaders before the limit would read them all."""
    newest = gifts.filter(**where).values("pk")[:LEADER_GIFTS_SHOWN]
    return gifts.filter(pk__in=newest).for_listing()


def _latest_involving_country(gifts, code, limit):
    """The newest `limit` of `gifts` given or received by the country."""
    if connection.features.supports_slicing_ordering_in_compound:
        # The newest given and the newest received, each read from its own index, instead
        # of reading the newest gifts of all until enough involve a rarely seen country.
        newest = (
            gifts.given_by_country(code)
            .values("pk")[:limit]
            .union(gifts.received_by_country(code).values("pk")[:limit], all=True)
        )
        gifts = gifts.filter(pk__in=newest)
    else:
        gifts = gifts.involving_country(code)
    return gifts.for_listing()[:limit]


def country_detail(request, code):
    code = code.upper()
    if code not in COUNTRY_CODES:
        raise Http404("No country has this code.")
    given, received = activity.country_gifts(code)
    visits = activity.visit_count(code)
    if not (given.total or received.total or visits):
        raise Http404("No public record involves this country.")

    gifts = Gift.objects.public()
    flagged_count = given.flagged + received.flagged
    context = {
        "code": code,
        "name": country_name(code),
        "note": COUNTRY_NOTES.get(code, ""),
        "given": given.total,
        "received": received.total,
        "visits": visits,
        "flagged_count": flagged_count,
        "chart": years_chart(given.years, received.years),
        "undated": given.undated + received.undated,
        "partners_given": _partners(given),
        "partners_received": _partners(received),
        "flagged_gifts": (
            gifts.involving_country(code).flagged().for_listing()[:COUNTRY_GIFTS_SHOWN]
            if flagged_count
            else []
        ),
        "latest_gifts": _latest_involving_country(gifts, code, COUNTRY_GIFTS_SHOWN),
        "shown": COUNTRY_GIFTS_SHOWN,
        "permalink": request.build_absolute_uri(reverse("country_detail", args=[code])),
    }
    return render(request, "giftapp/country_detail.html", context)


def _flagged_gift_count():
    """Per regime: public gifts with a public, not cleared flag under it."""
    return Count(
        "flags__gift",
        filter=Q(
            flags__publication_status=PUBLISHED,
            flags__gift__publication_status=PUBLISHED,
        )
        & ~Q(flags__status=FlagStatus.CLEARED),
        distinct=True,
    )


def regime_list(request):
    regimes = SanctionsRegime.objects.annotate(flagged=_flagged_gift_count()).order_by("code")
    return render(request, "giftapp/regime_list.html", {"regimes": regimes})


# The order a regime page lists its claims in: the strongest first.
STATUS_ORDER = [
    FlagStatus.CONFIRMED,
    FlagStatus.ALLEGED,
    FlagStatus.DISPUTED,
    FlagStatus.POSSIBLE,
    FlagStatus.CLEARED,
]


def regime_detail(request, code):
    if "\x00" in code:  # no code holds a NUL byte, and PostgreSQL refuses one in a query
        raise Http404
    regime = get_object_or_404(
        SanctionsRegime.objects.prefetch_related("sources"), code=code.upper()
    )
    flags = list(
        SanctionsFlag.objects.public().filter(regime=regime).values_list("gift_id", "status")
    )
    gifts = (
        {
            gift.pk: gift
            for gift in Gift.objects.public()
            .filter(pk__in={gift_id for gift_id, _s in flags})
            .for_listing()
        }
        if flags
        else {}
    )
    groups = []
    for status in STATUS_ORDER:
        ids = {gift_id for gift_id, flag_status in flags if flag_status == status}
        if ids:
            groups.append(
                {
                    "status": status,
                    "label": status.label,
                    "meaning": FLAG_STATUS_MEANINGS[status],
                    "gifts": [gift for gift in gifts.values() if gift.pk in ids],
                }
            )
    context = {
        "regime": regime,
        "groups": groups,
        "flagged": len({g for g, s in flags if s != FlagStatus.CLEARED}),
    }
    return render(request, "giftapp/regime_detail.html", context)
