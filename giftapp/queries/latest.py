"""The newest published gifts and flags, as the home page and the feeds list them."""

from django.db.models import F

from ..models import Gift, SanctionsFlag

# Newest publication first; a record with no publication time (none should lack one) last.
NEWEST_PUBLISHED = (F("published_at").desc(nulls_last=True), "-pk")


def newly_published_gifts():
    return Gift.objects.public().order_by(*NEWEST_PUBLISHED)


def newly_published_flags():
    return (
        SanctionsFlag.objects.public().select_related("gift", "regime").order_by(*NEWEST_PUBLISHED)
    )
