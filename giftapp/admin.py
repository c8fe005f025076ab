from django.contrib import admin
from django.db.models import F, Q
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from .forms import LeaderAdminForm
from .models import Gift, Leader, SanctionsFlag, SanctionsRegime, Source, Visit
from .templatetags.registry import fuzzy_date, money
from .text import fold

admin.site.site_header = "Diplomatic Gift Registry"
admin.site.site_title = "Gift Registry admin"
admin.site.index_title = "Records"


class FoldedSearchMixin:
    """Admin search that also matches folded text (any case, accents, punctuation), so
    "Kim Jong-eun", "kim jong eun" and "김정은" find the same leader."""

    folded_search_fields = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded and self.folded_search_fields:
            matches = Q()
            for field in self.folded_search_fields:
                matches |= Q(**{f"{field}__contains": folded})
            results |= queryset.filter(matches)
        return results, may_have_duplicates


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years] + [("unknown", "Date unknown")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "unknown":
            return queryset.filter(date__isnull=True)
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "quote"]
    date_hierarchy = "published_on"
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Leader)
class LeaderAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    form = LeaderAdminForm
    list_display = ["name", "native_name", "country", "title", "wikidata_id"]
    list_filter = [("country", CountryFilter)]
    search_fields = ["name", "native_name", "title", "wikidata_id"]
    folded_search_fields = ["search_text"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "native_name", "aliases", "country", "title"]}),
        ("Identifiers", {"fields": ["slug", "wikidata_id", "created_at", "updated_at"]}),
    ]


class VisitGiftInline(admin.TabularInline):
    model = Gift
    extra = 0
    show_change_link = True
    autocomplete_fields = ["giver", "recipient"]
    fields = [
        "item",
        "category",
        "quantity",
        "giver",
        "giver_country",
        "recipient",
        "recipient_country",
        "date",
        "date_precision",
        "publication_status",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("giver", "recipient")


class GiftsFromVisitorsInline(VisitGiftInline):
    verbose_name = "gift from the visiting side"
    verbose_name_plural = "gifts from the visiting side"

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(giver_country=F("visit__host_country"))


class GiftsFromHostsInline(VisitGiftInline):
    verbose_name = "gift from the host side"
    verbose_name_plural = "gifts from the host side"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(giver_country=F("visit__host_country"))


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "start_date",
        "end_date",
        "host_country",
        "city",
        "kind",
        "publication_status",
    ]
    list_filter = ["publication_status", "kind", ("host_country", CountryFilter)]
    search_fields = ["title", "city", "venue", "summary"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["visitors", "hosts", "sources"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    inlines = [GiftsFromVisitorsInline, GiftsFromHostsInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "start_date", "end_date"]}),
        ("Place", {"fields": ["host_country", "city", "venue"]}),
        ("Participants", {"fields": ["visitors", "hosts"]}),
        (None, {"fields": ["summary", "sources"]}),
        (
            "Publication",
            {
                "fields": [
                    "publication_status",
                    "retraction_reason",
                    "retracted_at",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]


class SanctionsFlagInline(admin.StackedInline):
    model = SanctionsFlag
    extra = 0
    show_change_link = True
    autocomplete_fields = ["regime", "sources"]
    fields = [
        ("regime", "status", "publication_status"),
        "provisions",
        "rationale",
        ("alleged_by", "alleged_on"),
        ("denied_by", "denial"),
        "sources",
    ]


@admin.register(Gift)
class GiftAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "item",
        "when",
        "giver_display",
        "recipient_display",
        "category",
        "worth",
        "publication_status",
    ]
    list_select_related = ["giver", "recipient"]
    list_filter = [
        "publication_status",
        "category",
        YearFilter,
        ("giver_country", CountryFilter),
        ("recipient_country", CountryFilter),
        "disposition",
    ]
    search_fields = [
        "item",
        "giver__name",
        "recipient__name",
        "import_key",
    ]
    folded_search_fields = ["search_text", "giver__search_text", "recipient__search_text"]
    date_hierarchy = "date"
    autocomplete_fields = ["giver", "recipient", "visit", "sources"]
    readonly_fields = ["import_key", "published_at", "created_at", "updated_at"]
    inlines = [SanctionsFlagInline]
    fieldsets = [
        (None, {"fields": ["item", "description", "category", "quantity"]}),
        (
            "Giver and recipient",
            {
                "fields": [
                    ("giver", "giver_country", "giver_title"),
                    ("recipient", "recipient_country", "recipient_title"),
                    "giver_as_reported",
                    "recipient_as_reported",
                ]
            },
        ),
        ("When", {"fields": ["visit", ("date", "date_precision")]}),
        (
            "Value and fate",
            {"fields": [("value", "currency"), "value_usd", "value_note", "disposition"]},
        ),
        (None, {"fields": ["notes", "sources"]}),
        (
            "Publication",
            {
                "fields": [
                    "publication_status",
                    "retraction_reason",
                    "retracted_at",
                    "published_at",
                    "import_key",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description="date", ordering="date")
    def when(self, gift):
        return fuzzy_date(gift.date, gift.date_precision)

    @admin.display(description="giver", ordering="giver__name")
    def giver_display(self, gift):
        return gift.giver.name if gift.giver else gift.giver_as_reported[:60] or "—"

    @admin.display(description="recipient", ordering="recipient__name")
    def recipient_display(self, gift):
        return gift.recipient.name if gift.recipient else gift.recipient_as_reported[:60] or "—"

    @admin.display(description="value", ordering="value_usd")
    def worth(self, gift):
        return money(gift)


@admin.register(SanctionsRegime)
class SanctionsRegimeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "authority", "target_country", "in_force_from", "in_force_to"]
    list_filter = ["authority"]
    search_fields = ["code", "name", "authority", "legal_basis"]
    autocomplete_fields = ["sources"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(SanctionsFlag)
class SanctionsFlagAdmin(SimpleHistoryAdmin):
    list_display = ["gift", "regime", "status", "alleged_by", "alleged_on", "publication_status"]
    list_select_related = ["gift", "regime"]
    list_filter = ["publication_status", "status", "regime"]
    search_fields = ["gift__item", "regime__code", "provisions", "alleged_by", "denied_by"]
    autocomplete_fields = ["gift", "regime", "sources"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
