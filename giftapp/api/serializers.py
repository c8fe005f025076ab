"""The API's records. A gift is the interchange JSON record of the gift list's export
(docs/interchange.md), built by exports/interchange.py; the serializer below describes it
for the schema. The other records are read through these serializers."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..codes import country_name
from ..exports import interchange
from ..models import Leader, RegisterEntry, SanctionsFlag, SanctionsRegime, Visit


class SanctionsClaimSerializer(serializers.Serializer):
    regime = serializers.CharField(help_text="The regime's code, e.g. UNSC-1718.")
    status = serializers.CharField(help_text="possible, alleged, disputed, confirmed, cleared.")


class GiftSerializer(serializers.Serializer):
    """The interchange record of a gift (docs/interchange.md, "JSON"), with its page's URL."""

    id = serializers.IntegerField()
    date = serializers.CharField(
        allow_null=True, help_text="2024-06-19, 2024-06 or 2024 by precision; null if unknown."
    )
    giver = serializers.CharField(help_text="The giving leader's name; '' when none is named.")
    giver_country = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    recipient = serializers.CharField()
    recipient_country = serializers.CharField()
    visit = serializers.CharField(help_text="The published visit's slug, or ''.")
    item = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    quantity = serializers.IntegerField(allow_null=True)
    value = serializers.CharField(allow_null=True, help_text="A plain decimal, e.g. '1500.00'.")
    currency = serializers.CharField(help_text="ISO 4217.")
    value_usd = serializers.CharField(allow_null=True, help_text="A plain decimal, in US$.")
    value_note = serializers.CharField()
    disposition = serializers.CharField()
    sanctions = SanctionsClaimSerializer(many=True, help_text="Public flags only.")
    sources = serializers.ListField(child=serializers.URLField())
    giver_as_reported = serializers.CharField()
    recipient_as_reported = serializers.CharField()
    notes = serializers.CharField()
    publication_status = serializers.CharField()
    url = serializers.URLField(help_text="The gift's public page.")


@extend_schema_field(serializers.URLField(help_text="The record's public page."))
class PageUrlField(serializers.Field):
    """The absolute URL of the record's public page."""

    def __init__(self, view_name, lookup, **kwargs):
        self.view_name, self.lookup = view_name, lookup
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        kwargs = {key: getattr(value, attr) for key, attr in self.lookup.items()}
        url = reverse(self.view_name, kwargs=kwargs)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema_field(serializers.CharField(help_text="ISO 3166-1 alpha-2, or ''."))
class CountryCodeField(serializers.Field):
    def to_representation(self, value):
        return str(getattr(value, "code", value) or "")


class SourceUrlsField(serializers.ListField):
    """The record's sources, as the URLs the public pages link to (prefetched)."""

    child = serializers.URLField()

    def get_attribute(self, instance):
        return interchange.source_urls(instance)


class LeaderSerializer(serializers.ModelSerializer):
    country = CountryCodeField()
    url = PageUrlField("leader_detail", {"slug": "slug"})

    class Meta:
        model = Leader
        fields = ["slug", "name", "kind", "native_name", "country", "title", "wikidata_id", "url"]


class OfficeSerializer(serializers.Serializer):
    office = serializers.CharField()
    first = serializers.DateField(allow_null=True)
    last = serializers.DateField(allow_null=True)
    gifts = serializers.IntegerField()


class SpellingSerializer(serializers.Serializer):
    spelling = serializers.CharField()
    rows = serializers.IntegerField(help_text="Register rows of public gifts spelling it so.")


class LeaderDetailSerializer(LeaderSerializer):
    """A leader with what the leader's page adds: counts, offices and spellings (given
    in the leader's `extra`, a dict the view builds from the page's queries)."""

    given = serializers.IntegerField(source="extra.given", help_text="Public gifts given.")
    received = serializers.IntegerField(source="extra.received")
    offices = OfficeSerializer(
        many=True, source="extra.offices", help_text="As the registers give them, in time."
    )
    spellings = SpellingSerializer(
        many=True, source="extra.spellings", help_text="As the registers write the name."
    )

    class Meta(LeaderSerializer.Meta):
        fields = [*LeaderSerializer.Meta.fields, "given", "received", "offices", "spellings"]


class VisitSerializer(serializers.ModelSerializer):
    host_country = CountryCodeField()
    visitors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    hosts = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    sources = SourceUrlsField()
    url = PageUrlField("visit_detail", {"slug": "slug"})

    class Meta:
        model = Visit
        fields = ["slug", "title", "kind", "host_country", "city", "venue", "start_date",
                  "end_date", "visitors", "hosts", "summary", "sources", "url"]  # fmt: skip


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    name = serializers.CharField()
    given = serializers.IntegerField(help_text="Public gifts given by the country's side.")
    received = serializers.IntegerField()
    hosted = serializers.IntegerField(help_text="Published visits hosted.")
    url = serializers.URLField()


def country_record(row, request):
    url = reverse("country_detail", kwargs={"code": row["code"]})
    return {
        "code": row["code"],
        "name": row.get("name") or country_name(row["code"]),
        "given": row["given"],
        "received": row["received"],
        "hosted": row["hosted"],
        "url": request.build_absolute_uri(url),
    }


class RegimeSerializer(serializers.ModelSerializer):
    target_country = CountryCodeField()
    flagged = serializers.IntegerField(help_text="Public gifts with a standing public flag.")
    sources = SourceUrlsField()
    url = PageUrlField("regime_detail", {"code": "code"})

    class Meta:
        model = SanctionsRegime
        fields = ["code", "name", "short_name", "authority", "target_country", "legal_basis",
                  "url", "in_force_from", "in_force_to", "notes", "flagged", "sources"]  # fmt: skip


class FlagSerializer(serializers.ModelSerializer):
    gift = serializers.IntegerField(source="gift_id")
    regime = serializers.CharField(source="regime.code")
    sources = SourceUrlsField()

    class Meta:
        model = SanctionsFlag
        fields = ["id", "gift", "regime", "status", "provisions", "rationale", "alleged_by",
                  "alleged_on", "denied_by", "denial", "sources"]  # fmt: skip


class EntrySerializer(serializers.ModelSerializer):
    gift = serializers.IntegerField(
        source="public_gift", help_text="The public gift the row records."
    )
    file = serializers.CharField(source="batch.file_name", help_text="The register file read.")
    cells = serializers.SerializerMethodField()

    class Meta:
        model = RegisterEntry
        fields = ["id", "register", "row", "record", "line", "entry", "file", "gift",
                  "giver_name", "recipient_name", "source_url", "source_note", "cells"]  # fmt: skip

    def get_cells(self, entry) -> list[list[str]]:
        """Every column of the row, verbatim, in the file's order: [[column, text], …]."""
        return entry.cells
