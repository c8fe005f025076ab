"""What the public may see of a record, by its publication status."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from ..models import Leader, PublicationStatus

PUBLISHED = PublicationStatus.PUBLISHED
NOT_YET_PUBLIC = (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW)


def visible_or_404(queryset, **lookup):
    """A published or retracted record; 404 for drafts, records in review, unknown ones.
    The caller shows a retracted record's notice (410) instead of the record."""
    return get_object_or_404(queryset.exclude(publication_status__in=NOT_YET_PUBLIC), **lookup)


def with_participants(visits):
    """Visits with their visitors and hosts, by name, in two more queries."""
    leaders = Leader.objects.only("name", "slug", "country").order_by("name")
    return visits.prefetch_related(
        Prefetch("visitors", queryset=leaders), Prefetch("hosts", queryset=leaders)
    )
