"""What the public pages and feeds say about a record in words: the sentence that opens a
gift's page, the lead of a sanctions claim, and what each status and code means."""

from django.utils.html import format_html

from .codes import country_name
from .models import DatePrecision, FlagStatus, PublicationStatus
from .templatetags.registry import date_span, fuzzy_date
from .text import fold

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
    if not name or (not leader and fold(name) in fold(as_reported)):
        return _join(html, "{}", phrase)  # "Government of Saudi Arabia", not "… (Saudi Arabia)"
    return _join(html, "{} ({})", phrase, name)


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
    if gift.giver_not_stated and not (gift.giver or gift.giver_as_reported):
        giver = "a giver not stated by the register"
    else:
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


def flag_lead(flag):
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
