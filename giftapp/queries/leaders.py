"""The leaders index and a leader's page."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404

from ..counts import activity
from ..models import Gift, Leader, LeaderRedirect, Visit
from .gifts import LEADER_GIFTS_SHOWN, newest
from .visits import CHRONOLOGICAL

LEADERS_PER_PAGE = 100
LEADER_VISITS_SHOWN = 50


def leader_list_page(number):
    """One page of the leaders with a public record, by name."""
    leaders = activity.leaders_with_public_records().order_by("name", "country")
    return Paginator(leaders, LEADERS_PER_PAGE).get_page(number)


def leader_by_slug(slug):
    """(leader, None) for a leader's address; (None, leader) for the old address of a
    leader merged into another, which redirects for good; 404 for any other."""
    leader = Leader.objects.filter(slug=slug).first()
    if leader is not None:
        return leader, None
    moved = LeaderRedirect.objects.select_related("leader").filter(old_slug=slug).first()
    if moved is None:
        raise Http404("No leader has this address.")
    return None, moved.leader


def leader_page(leader):
    """What a leader's page shows: counts, the newest gifts given and received, and the
    first public visits; 404 when no public record names the leader."""
    gifts = Gift.objects.public()
    counts = activity.leader_gift_counts(leader)
    visits = list(
        activity.involving_leader(Visit.objects.published(), leader)
        .annotate(
            as_host=Exists(Visit.hosts.through.objects.filter(visit=OuterRef("pk"), leader=leader))
        )
        .order_by(*CHRONOLOGICAL)[: LEADER_VISITS_SHOWN + 1]
    )
    if not (counts["given"] or counts["received"] or visits):
        raise Http404("No public record names this leader.")
    return {
        "leader": leader,
        "counts": counts,
        "given": newest(gifts, giver=leader) if counts["given"] else [],
        "received": newest(gifts, recipient=leader) if counts["received"] else [],
        "visits": visits[:LEADER_VISITS_SHOWN],
        "more_visits": len(visits) > LEADER_VISITS_SHOWN,
        "gifts_shown": LEADER_GIFTS_SHOWN,
    }
