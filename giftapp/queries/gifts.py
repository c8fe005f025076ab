"""A gift's page, and the newest gifts of a leader or country."""

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from ..models import FlagStatus, Gift, RegisterEntry, SanctionsFlag
from ..money import base_year, constant_usd
from ..sentences import DATE_PRECISION_WORDS, FLAG_STATUS_MEANINGS, flag_lead, gift_sentence
from .history import gift_change_log
from .public import visible_or_404

LEADER_GIFTS_SHOWN = 20


def visible_gift(pk):
    return visible_or_404(Gift.objects.select_related("giver", "recipient", "visit"), pk=pk)


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
    return {
        "gift": gift,
        "sentence": gift_sentence(gift),
        "public_visit": gift.visit if gift.visit is not None and gift.visit.is_public else None,
        "flags": gift.public_flags,
        "open_flags": [f for f in gift.public_flags if f.status != FlagStatus.CLEARED],
        "change_log": change_log,
        "last_updated": last_updated,
        "first_published": change_log[-1].date if change_log else last_updated,
        "precision_words": DATE_PRECISION_WORDS[gift.date_precision],
        "records": list(
            RegisterEntry.objects.filter(gift=gift).order_by("register", "record", "entry")
        ),
        "constant_usd": constant_usd(gift.value_usd, gift.date and gift.date.year),
        "constant_year": base_year(),
        # `money` shows the note only when there is no value; show it beside a value too.
        "extra_value_note": gift.value_note
        if gift.value is not None or gift.value_usd is not None
        else "",
    }


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
