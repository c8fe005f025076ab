"""The API's endpoints: read-only, anonymous, public records only.

Every list is paged by an opaque cursor over the records' ids (`?cursor=`, `page_size` up
to 200): a page's next link stays right while records are added, as a new record sorts
after every page already read. Filters are validated as the pages' are: a bad value is a
400 naming the parameter, never a 500.
"""

import django_filters
from django.conf import settings
from django.db.models import BigIntegerField, Case, F, OuterRef, Prefetch, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from ..codes import COUNTRY_CODES
from ..counts import activity
from ..exports import interchange
from ..filters import CountryFilter, GiftFilter, SlugFilter
from ..models import (
    FlagStatus,
    Gift,
    GiftLink,
    Leader,
    LinkStatus,
    RegisterEntry,
    SanctionsFlag,
    Source,
    Visit,
)
from ..models.imports import REGISTERS
from ..models.leaders import LeaderKind
from ..queries.countries import country_activity
from ..queries.leaders import leader_by_slug, offices_held, spellings_used
from ..queries.public import PUBLISHED, visible_or_404
from ..queries.sanctions import regimes
from ..text import fold
from ..views.exports import gift_urls
from ..views.gifts import wait_for
from . import schema, serializers

SLUG = "[-a-zA-Z0-9_]+"  # as Django's slug converter: no NUL reaches a query


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = "Not a cursor this API gave: follow the `next` and `previous` links."
    page_size_query_description = (
        "Records a page: a whole number from 1 (default 50); more than 200 are cut to 200."
    )
    invalid_page_size_message = "Give a whole number of records from 1 (at most 200 are sent)."

    def get_page_size(self, request):
        """The page size asked for, cut to max_page_size; a 400 for one that is not a whole
        number from 1, as a page's bad per_page is (an empty one is the default, as an
        empty filter is no filter)."""
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        digits = raw.lstrip("0")
        if not (raw.isascii() and raw.isdigit()) or not digits:
            raise ValidationError({self.page_size_query_param: [self.invalid_page_size_message]})
        return self.max_page_size if len(digits) > 3 else min(int(digits), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters

    def decode_cursor(self, request):
        """The cursor, or a 400: one made up (a position that is not an id) never reaches
        the query."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            valid = False
        else:
            position = cursor and cursor.position
            valid = position is None or (position.isascii() and position.isdigit()
                                         and len(position) <= 18)  # fmt: skip
        if not valid:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return cursor


class ApiViewSet(viewsets.GenericViewSet):
    """Read-only; the API's rate (REGISTRY_API_RATE) counts the requests computed afresh
    (a response served from the page cache never reaches here)."""

    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        wait = wait_for(request._request, "api", settings.REGISTRY_API_RATE)
        if wait:
            raise Throttled(wait)


def retracted(record, noun):
    """410 Gone for a retracted record, with the reason, as its page has it."""
    return Response(
        {"detail": f"This {noun} was retracted.", "retraction_reason": record.retraction_reason},
        status=410,
    )


# Gifts


class ApiGiftFilter(GiftFilter):
    """The gift list's filters (docs/design.md, "Gift list parameters"); the API pages by
    cursor, so the list's `sort` and `per_page` are not among them."""


for _name in ("sort", "per_page"):
    del ApiGiftFilter.base_filters[_name]


def gift_records(request, ids):
    """The interchange records of the public gifts among these ids, in id order, each with
    its page's URL: one chunk of for_export (three queries).

    The ids were read by an earlier query: a gift unpublished since is left out here, not
    shown as it now is."""
    url_for = gift_urls(request)
    gifts = interchange.for_export(Gift.objects.public().filter(pk__in=ids), chunk_size=len(ids))
    return [values | {"url": url_for(values["id"])} for values in gifts]


@extend_schema_view(
    list=extend_schema(summary="Public gifts, filtered as the gift list is"),
    retrieve=extend_schema(summary="A public gift (410 when it was retracted)"),
)
class GiftViewSet(ApiViewSet):
    schema_answers = {"retrieve": {410: schema.GONE}}
    serializer_class = serializers.GiftSerializer
    filterset_class = ApiGiftFilter
    queryset = Gift.objects.public()
    lookup_value_regex = "[0-9]+"

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset()).order_by().only("id")
        ids = [gift.id for gift in self.paginate_queryset(queryset)]
        return self.get_paginated_response(gift_records(request, ids) if ids else [])

    def retrieve(self, request, pk):
        gift = visible_or_404(Gift.objects.all(), pk=pk)
        if gift.is_retracted:
            return retracted(gift, "gift")
        records = gift_records(request, [gift.pk])
        if not records:  # unpublished since it was looked up
            raise Http404
        return Response(records[0])


# Leaders


class LeaderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", max_length=200, help_text="Any of the leader's names."
    )
    country = CountryFilter(field_name="country")
    kind = django_filters.ChoiceFilter(choices=LeaderKind.choices)

    class Meta:
        model = Leader
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_text__contains=fold(value))


@extend_schema_view(
    list=extend_schema(summary="Leaders a public record names"),
    retrieve=extend_schema(
        summary="A leader, with counts, offices and spellings",
        responses=serializers.LeaderDetailSerializer,
    ),
)
class LeaderViewSet(mixins.ListModelMixin, ApiViewSet):
    schema_answers = {"retrieve": {301: schema.MOVED}}
    serializer_class = serializers.LeaderSerializer
    filterset_class = LeaderFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return Leader.objects.public()

    def retrieve(self, request, slug):
        leader, moved = leader_by_slug(slug)
        if moved is not None:  # merged into another leader: their record, for good
            return redirect(reverse("api:leader-detail", kwargs={"slug": moved.slug}),
                            permanent=True)  # fmt: skip
        if not self.get_queryset().filter(pk=leader.pk).exists():
            raise Http404
        leader.extra = activity.leader_gift_counts(leader) | {
            "offices": list(offices_held(leader)),
            "spellings": spellings_used(leader),
        }
        context = self.get_serializer_context()
        return Response(serializers.LeaderDetailSerializer(leader, context=context).data)


# Visits


class VisitFilter(django_filters.FilterSet):
    country = CountryFilter(field_name="host_country", help_text="The host country.")
    leader = SlugFilter(
        queryset=Leader.objects.public(),
        method="filter_leader",
        noun="leader",
        help_text="A visitor's or host's slug.",
    )

    class Meta:
        model = Visit
        fields = []

    def filter_leader(self, queryset, name, value):
        return activity.involving_leader(queryset, value)


PARTICIPANTS = Leader.objects.only("slug").order_by("name")
SOURCES = Source.objects.only("url")


@extend_schema_view(
    list=extend_schema(summary="Published visits"),
    retrieve=extend_schema(summary="A published visit (410 when it was retracted)"),
)
class VisitViewSet(mixins.ListModelMixin, ApiViewSet):
    schema_answers = {"retrieve": {410: schema.GONE}}
    serializer_class = serializers.VisitSerializer
    filterset_class = VisitFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return self.with_relations(Visit.objects.published())

    @staticmethod
    def with_relations(visits):
        return visits.prefetch_related(
            Prefetch("visitors", queryset=PARTICIPANTS),
            Prefetch("hosts", queryset=PARTICIPANTS),
            Prefetch("sources", queryset=SOURCES),
        )

    def retrieve(self, request, slug):
        visit = visible_or_404(self.with_relations(Visit.objects.all()), slug=slug)
        if visit.is_retracted:
            return retracted(visit, "visit")
        return Response(self.get_serializer(visit).data)


# Countries


@extend_schema_view(
    list=extend_schema(summary="Countries a public record involves, with counts"),
    retrieve=extend_schema(summary="A country's counts"),
)
class CountryViewSet(ApiViewSet):
    serializer_class = serializers.CountrySerializer
    pagination_class = None  # a country list is short
    filter_backends = []
    lookup_value_regex = "[A-Za-z]{2}"

    def list(self, request):
        rows, _totals = country_activity()
        return Response([serializers.country_record(row, request) for row in rows])

    def retrieve(self, request, pk):
        code = pk.upper()
        if code not in COUNTRY_CODES:
            raise Http404
        rows, _totals = country_activity()
        for row in rows:
            if row["code"] == code:
                return Response(serializers.country_record(row, request))
        raise Http404


# Sanctions regimes and flags


@extend_schema_view(
    list=extend_schema(summary="Sanctions regimes (reference data)"),
    retrieve=extend_schema(summary="A sanctions regime"),
)
class RegimeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.RegimeSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/\x00]+"

    def get_queryset(self):
        return regimes().prefetch_related(Prefetch("sources", queryset=SOURCES))

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class FlagFilter(django_filters.FilterSet):
    regime = django_filters.CharFilter(field_name="regime__code", max_length=40)
    status = django_filters.ChoiceFilter(choices=FlagStatus.choices)
    gift = django_filters.NumberFilter(field_name="gift_id", min_value=1, max_digits=18)

    class Meta:
        model = SanctionsFlag
        fields = []


@extend_schema_view(
    list=extend_schema(summary="Public sanctions flags: published, on published gifts"),
    retrieve=extend_schema(summary="A public sanctions flag"),
)
class FlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.FlagSerializer
    filterset_class = FlagFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return (
            SanctionsFlag.objects.public()
            .select_related("regime")
            .prefetch_related(Prefetch("sources", queryset=SOURCES))
        )


# Register entries


class EntryFilter(django_filters.FilterSet):
    register = django_filters.ChoiceFilter(choices=list(REGISTERS.items()))
    gift = django_filters.NumberFilter(field_name="public_gift", min_value=1, max_digits=18)

    class Meta:
        model = RegisterEntry
        fields = []


@extend_schema_view(
    list=extend_schema(summary="Register rows behind public gifts, verbatim"),
    retrieve=extend_schema(summary="A register row behind a public gift"),
)
class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.EntrySerializer
    filterset_class = EntryFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        """The rows of published gifts, and of the records linked into one (their gift
        page shows them): each with `public_gift`, the published gift it belongs to."""
        kept = GiftLink.objects.filter(
            duplicate=OuterRef("gift_id"),
            status=LinkStatus.LINKED,
            kept__publication_status=PUBLISHED,
        ).values("kept_id")[:1]
        return (
            RegisterEntry.objects.annotate(
                public_gift=Coalesce(
                    Subquery(kept),
                    Case(When(gift__publication_status=PUBLISHED, then=F("gift_id"))),
                    output_field=BigIntegerField(),
                )
            )
            .filter(public_gift__isnull=False)
            .select_related("batch")
        )
