"""The visit list and a visit's page, with its gifts told apart by direction."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects

from ..codes import country_name
from ..models import Leader, Visit
from .history import visit_change_log
from .public import PUBLISHED, visible_or_404, with_participants

VISITS_PER_PAGE = 50
CHRONOLOGICAL = ("start_date", "end_date", "title", "pk")


def split_by_direction(visit, gifts):
    """A visit's gifts as (from the visitors to the hosts, from the hosts to the visitors),
    told apart by the giver's country against the host country."""
    host = visit.host_country.code
    from_hosts = [g for g in gifts if g.giver_country.code == host]
    from_visitors = [g for g in gifts if g.giver_country.code != host]
    return from_visitors, from_hosts


def visitor_countries(visit, from_visitors):
    """The visitors' countries by name: from the visitors, else from their gifts."""
    codes = {leader.country.code for leader in visit.visitors.all()}
    codes |= {g.giver_country.code for g in from_visitors if g.giver_country}
    codes.discard(visit.host_country.code)
    return sorted(country_name(code) for code in codes)


def visit_list_page(number):
    """One page of the published visits, oldest first, with their public gift counts."""
    visits = with_participants(
        Visit.objects.published()
        .annotate(gift_count=Count("gifts", filter=Q(gifts__publication_status=PUBLISHED)))
        .order_by(*CHRONOLOGICAL)
    )
    return Paginator(visits, VISITS_PER_PAGE).get_page(number)


def visible_visit(slug):
    return visible_or_404(Visit.objects.all(), slug=slug)


def visit_page(visit):
    """What a published visit's page shows: its participants and public gifts both ways."""
    prefetch_related_objects(
        [visit],
        "sources",
        Prefetch("visitors", queryset=Leader.objects.order_by("name")),
        Prefetch("hosts", queryset=Leader.objects.order_by("name")),
    )
    gifts = list(visit.gifts.public().for_listing().order_by("date", "item", "pk"))
    from_visitors, from_hosts = split_by_direction(visit, gifts)
    return {
        "visit": visit,
        "gift_count": len(gifts),
        "from_visitors": from_visitors,
        "from_hosts": from_hosts,
        "visitor_countries": visitor_countries(visit, from_visitors),
        "change_log": visit_change_log(visit),
    }
