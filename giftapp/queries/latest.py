"""The newest published gifts and flags, as the home page and the feeds list them."""

from ..models import Gift, SanctionsFlag

# Newest publication first, read from the index on (published_at DESC, id DESC). A published
# record always has its publication time; one without (set by hand in SQL) is left out
# rather than listed first, which is where PostgreSQL sorts a missing value when descending.
NEWEST_PUBLISHED = ("-published_at", "-pk")


def newly_published_gifts():
    return Gift.objects.public().filter(published_at__isnull=False).order_by(*NEWEST_PUBLISHED)


def newly_published_flags():
    return (
        SanctionsFlag.objects.public()
        .filter(published_at__isnull=False)
        .select_related("gift", "regime")
        .order_by(*NEWEST_PUBLISHED)
    )
