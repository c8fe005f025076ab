"""The registers page, and the years the imported registers cover (for the charts)."""

from django.db.models import Count, Max, Min, Q

from ..models import ImportBatch, LinkStatus, PublicationStatus, RegisterEntry
from ..models.imports import REGISTERS

PUBLISHED = Q(gift__publication_status=PublicationStatus.PUBLISHED)


def registers_page():
    """Each register imported: its latest file, the years its published gifts span, and
    what became of its rows, in two queries."""
    rows = (
        RegisterEntry.objects.values("register")
        .annotate(
            rows=Count("pk", filter=Q(entry=1)),
            imported=Count("pk", filter=Q(entry=1, status=RegisterEntry.Status.IMPORTED)),
            skipped=Count("pk", filter=Q(entry=1, status=RegisterEntry.Status.SKIPPED)),
            rejected=Count("pk", filter=Q(entry=1, status=RegisterEntry.Status.REJECTED)),
            published=Count("gift", distinct=True, filter=PUBLISHED),
            unvalued=Count(
                "gift", distinct=True, filter=PUBLISHED & Q(gift__value_usd__isnull=True)
            ),
            not_stated=Count(
                "gift", distinct=True, filter=PUBLISHED & Q(gift__giver_not_stated=True)
            ),
            linked=Count(
                "gift", distinct=True, filter=Q(gift__links_duplicate__status=LinkStatus.LINKED)
            ),
            first=Min("gift__date", filter=PUBLISHED),
            last=Max("gift__date", filter=PUBLISHED),
            batch=Max("batch"),
        )
        .order_by("register")
    )
    rows = list(rows)
    batches = ImportBatch.objects.in_bulk([row["batch"] for row in rows])
    for row in rows:
        row["name"] = REGISTERS.get(row["register"], row["register"])
        row["file"] = batches.get(row["batch"])
    return {"registers": rows}


def covered_years():
    """The years some imported register covers (from the first to the last dated gift it
    gave), or None when no register was imported: a chart then marks no year."""
    spans = (
        RegisterEntry.objects.filter(PUBLISHED)
        .values("register")
        .annotate(first=Min("gift__date"), last=Max("gift__date"))
    )
    years = set()
    for span in spans:
        if span["first"] is not None:
            years.update(range(span["first"].year, span["last"].year + 1))
    return years or None
