"""Sanctions regimes (always public: reference data) and the public claims under each."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import FlagStatus, Gift, SanctionsFlag, SanctionsRegime
from ..sentences import FLAG_STATUS_MEANINGS
from .public import PUBLISHED

# The order a regime page lists its claims in: the strongest first.
STATUS_ORDER = [
    FlagStatus.CONFIRMED,
    FlagStatus.ALLEGED,
    FlagStatus.DISPUTED,
    FlagStatus.POSSIBLE,
    FlagStatus.CLEARED,
]


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


def regimes():
    return SanctionsRegime.objects.annotate(flagged=_flagged_gift_count()).order_by("code")


def regime_page(code):
    """What a regime's page shows: its public claims grouped by status, strongest first."""
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
    return {
        "regime": regime,
        "groups": groups,
        "flagged": len({g for g, s in flags if s != FlagStatus.CLEARED}),
    }
