"""A gift's page, and the newest gifts of a leader or country."""

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from ..codes import country_name
from ..models import (
    Disposition,
    FlagStatus,
    Gift,
    GiftLink,
    LinkStatus,
    RegisterEntry,
    SanctionsFlag,
    merged,
)
from ..money import base_year, constant_usd
from ..sentences import DATE_PRECISION_WORDS, FLAG_STATUS_MEANINGS, flag_lead, gift_sentence
from ..text import fold
from .history import gift_change_log
from .public import visible_or_404

LEADER_GIFTS_SHOWN = 20


def visible_gift(pk):
    return visible_or_404(
        Gift.objects.select_related("giver", "recipient", "co_giver", "visit"), pk=pk
    )


def gift_page(gift):
    """What a published gift's page shows: its public flags with who claims what, its
    public change log, its dates of publication and update."""
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
        flag.lead = flag_lead(flag)
        flag.meaning = FLAG_STATUS_MEANINGS[flag.status]
    change_log = gift_change_log(gift, gift.public_flags)
    last_updated = (
        change_log[0].date
        if change_log
        else timezone.localdate(gift.published_at or gift.updated_at)
    )
    links = list(
        GiftLink.objects.filter(kept=gift, status=LinkStatus.LINKED)
        .select_related("duplicate")
        .prefetch_related("duplicate__sources")
    )
    same = [link.duplicate for link in links]
    return {
        "gift": gift,
        "sources": _unique([*gift.sources.all(), *(s for g in same for s in g.sources.all())]),
        "disagreements": disagreements(gift, same),
        "sentence": gift_sentence(gift),
        "public_visit": gift.visit if gift.visit is not None and gift.visit.is_public else None,
        "flags": gift.public_flags,
        "open_flags": [f for f in gift.public_flags if f.status != FlagStatus.CLEARED],
        "change_log": change_log,
        "last_updated": last_updated,
        "first_published": change_log[-1].date if change_log else last_updated,
        "precision_words": DATE_PRECISION_WORDS[gift.date_precision],
        "records": list(
            RegisterEntry.objects.filter(gift__in=[gift, *same]).order_by(
                "register", "record", "entry"
            )
        ),
        "constant_usd": constant_usd(gift.value_usd, gift.date and gift.date.year),
        "constant_year": base_year(),
        # `money` shows the note only when there is no value; show it beside a value too.
        "extra_value_note": gift.value_note
        if gift.value is not None or gift.value_usd is not None
        else "",
    }


# What two registers' records of one gift are compared on, as the page names them.
COMPARED = {
    "item": "Item",
    "date": "Date",
    "value_usd": "Value in US$",
    "giver_country": "Giver's country",
    "recipient_title": "Recipient",
    "disposition": "What became of it",
}


def disagreements(gift, same):
    """Where the other registers' records of this gift say otherwise: [(field, this
    record's reading, [(register, their reading)])]."""
    found = []
    for name, label in COMPARED.items():
        ours = _compared(name, getattr(gift, name))
        theirs = [
            (other.import_key.split(":", 1)[0], getattr(other, name))
            for other in same
            if _compared(name, getattr(other, name)) not in (ours, None, "")
        ]
        if theirs:
            found.append((label, _said(gift, name), [(r, _said_value(name, v)) for r, v in theirs]))
    return found


def _compared(name, value):
    """A field as compared: words without their case, accents and punctuation, so that
    one transcription's typographic quotes or dashes are no disagreement."""
    return fold(value) if name in ("item", "recipient_title") else value


def _said(gift, name):
    return _said_value(name, getattr(gift, name))


def _said_value(name, value):
    if value in (None, ""):
        return "not stated"
    if name == "value_usd":
        return f"US$ {value:,}"
    if name == "disposition":
        return Disposition(value).label
    if name == "giver_country":
        return country_name(str(value))
    return str(value)


def _unique(records):
    seen, kept = set(), []
    for record in records:
        if record.pk not in seen:
            seen.add(record.pk)
            kept.append(record)
    return kept


def kept_record(gift):
    """The published record a retracted duplicate was linked to, or None."""
    if not merged(gift):
        return None
    link = (
        GiftLink.objects.filter(duplicate=gift, status=LinkStatus.LINKED)
        .select_related("kept")
        .first()
    )
    return link.kept if link and link.kept.publication_status == "published" else None


def newest(gifts, **where):
    """The newest of the gifts matching, as many as a leader's page shows. Their ids come
    first, from an index: joining the leaders before the limit would read them all."""
    newest = gifts.filter(**where).values("pk")[:LEADER_GIFTS_SHOWN]
    return gifts.filter(pk__in=newest).for_listing()


def latest_involving_country(gifts, code, limit):
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
