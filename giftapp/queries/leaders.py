"""The leaders index and a leader's page."""

from collections import Counter, defaultdict

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Greatest, Lower
from django.http import Http404

from ..counts import activity
from ..models import Gift, Leader, LeaderRedirect, RegisterEntry, Visit
from ..models.imports import REGISTERS
from ..text import fold
from .gift_list import url_with_query
from .gifts import LEADER_GIFTS_SHOWN, newest
from .sorting import sort_in, sort_links
from .visits import CHRONOLOGICAL

LEADERS_PER_PAGE = 100
LEADER_VISITS_SHOWN = 50


# The leaders index's columns, each with the sort its header asks for first.
LEADER_SORT_COLUMNS = {"name": "name", "given": "-given", "received": "-received",
                       "latest": "-latest"}  # fmt: skip


def leader_list_page(path, query):
    """The leaders index: the leaders with a public record, searched by any of their
    names (?q=) and sorted by a column (?sort=), a page at a time, each with the date of
    their latest public gift."""
    leaders = activity.leaders_with_public_records()
    search = query.get("q", "").strip()[:200]
    if search:
        leaders = leaders.filter(search_text__contains=fold(search))
    sort = sort_in(query, LEADER_SORT_COLUMNS, "name")
    column, descending = sort.lstrip("-"), sort.startswith("-")
    if column == "latest":
        leaders = leaders.annotate(latest=latest_public_gift())
    if column == "name":
        order = [Lower("name").desc() if descending else Lower("name").asc()]
    else:
        order = [F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)]
    page = Paginator(leaders.order_by(*order, "name", "pk"), LEADERS_PER_PAGE).get_page(
        query.get("page")
    )
    rows = list(page.object_list)
    latest = latest_gift_dates([leader.pk for leader in rows])
    for leader in rows:
        leader.latest = latest.get(leader.pk)
    kept = query.copy()
    kept.pop("page", None)
    return {
        "page": page,
        "leaders": rows,
        "search": search,
        "sort": sort,
        "sort_links": sort_links(
            lambda target: url_with_query(path, kept, sort=target), LEADER_SORT_COLUMNS, sort
        ),
    }


def latest_public_gift():
    """The date of the newest public gift a leader gave or received, as an annotation."""
    gifts = Gift.objects.public().exclude(date=None).order_by("-date").values("date")
    given = Subquery(gifts.filter(giver=OuterRef("pk"))[:1])
    received = Subquery(gifts.filter(recipient=OuterRef("pk"))[:1])
    # Either may be missing; GREATEST (MAX on SQLite) of two non-null values.
    return Greatest(Coalesce(given, received), Coalesce(received, given))


def latest_gift_dates(leader_ids):
    """{leader id: the date of their newest public gift} for a page of leaders, in two
    queries whatever the page's size."""
    latest = {}
    gifts = Gift.objects.public().exclude(date=None)
    for side in ("giver", "recipient"):
        rows = (
            gifts.filter(**{f"{side}__in": leader_ids})
            .values(side)
            .annotate(newest=Max("date"))
            .values_list(side, "newest")
        )
        for pk, date in rows:
            if date and (pk not in latest or date > latest[pk]):
                latest[pk] = date
    return latest


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
    """What a leader's page shows: counts, the newest gifts given, given with another
    giver (a spouse's, mostly) and received, and the first public visits; 404 when no
    public record names the leader."""
    gifts = Gift.objects.public()
    counts = activity.leader_gift_counts(leader)
    visits = list(
        activity.involving_leader(Visit.objects.published(), leader)
        .annotate(
            as_host=Exists(Visit.hosts.through.objects.filter(visit=OuterRef("pk"), leader=leader))
        )
        .order_by(*CHRONOLOGICAL)[: LEADER_VISITS_SHOWN + 1]
    )
    co_given = list(newest(gifts, co_giver=leader))
    if not (counts["given"] or counts["received"] or visits or co_given):
        raise Http404("No public record names this leader.")
    return {
        "leader": leader,
        "counts": counts,
        "given": newest(gifts, giver=leader) if counts["given"] else [],
        "received": newest(gifts, recipient=leader) if counts["received"] else [],
        "co_given": co_given,
        "visits": visits[:LEADER_VISITS_SHOWN],
        "more_visits": len(visits) > LEADER_VISITS_SHOWN,
        "gifts_shown": LEADER_GIFTS_SHOWN,
        "offices": offices_held(leader),
        "by_register": gifts_by_register(leader),
        "spellings": spellings_used(leader),
    }


def offices_held(leader):
    """The offices the registers give the leader on their public gifts, each with the
    years it spans and its gifts, earliest first: [{office, first, last, gifts}]."""
    return list(
        Gift.objects.public()
        .filter(Q(giver=leader) | Q(recipient=leader))
        .annotate(
            office=Case(When(giver=leader, then=F("giver_title")), default=F("recipient_title"))
        )
        .exclude(office="")
        .values("office")
        .annotate(first=Min("date"), last=Max("date"), gifts=Count("pk"))
        .order_by(F("first").asc(nulls_last=True), "office")
    )


def gifts_by_register(leader):
    """How many of the leader's public gifts each register records: [(register, n)]."""
    rows = (
        RegisterEntry.objects.filter(
            Q(gift__giver=leader) | Q(gift__recipient=leader),
            gift__publication_status="published",
        )
        .values("register")
        .annotate(gifts=Count("gift", distinct=True))
        .order_by("-gifts", "register")
    )
    return [(REGISTERS.get(row["register"], row["register"]), row["gifts"]) for row in rows]


def spellings_used(leader):
    """How the registers write the leader's name on public gifts, the commonest first:
    [{spelling, rows, registers: [(register, rows)]}]."""
    rows = (
        RegisterEntry.objects.filter(
            Q(gift__giver=leader) | Q(gift__recipient=leader),
            gift__publication_status="published",
        )
        .annotate(
            spelling=Case(
                When(gift__giver=leader, then=F("giver_name")), default=F("recipient_name")
            )
        )
        .exclude(spelling="")
        .values_list("spelling", "register")
        .annotate(rows=Count("pk"))
    )
    found = defaultdict(Counter)  # spelling -> register -> rows
    for spelling, register, n in rows:
        found[spelling][register] += n
    return [
        {
            "spelling": spelling,
            "rows": sum(registers.values()),
            "registers": [(REGISTERS.get(r, r), n) for r, n in registers.most_common()],
        }
        for spelling, registers in sorted(found.items(), key=lambda i: (-i[1].total(), i[0]))
    ]
