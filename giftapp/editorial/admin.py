from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from ..importers.linkage import decide
from ..models import (
    Gift,
    GiftLink,
    ImportBatch,
    Leader,
    LeaderRedirect,
    LinkStatus,
    ProposedChange,
    RegisterEntry,
    SanctionsFlag,
    SanctionsRegime,
    Source,
    Visit,
)
from ..templatetags.registry import fuzzy_date, money
from ..text import fold
from . import workflow
from .forms import (
    LeaderAdminForm,
    LockedPublishedFormSet,
    MergeLeadersForm,
    PublicationCheckedForm,
    RetractionForm,
    SplitLeaderForm,
)


class FoldedSearchMixin:
    """Admin search that also matches folded text (any case, accents, punctuation), so
    "Kim Jong-eun", "kim jong eun" and "김정은" find the same leader."""

    folded_search_fields = ()

    # Long enough for any name or phrase; a longer term is cut, not sent to the database.
    max_search_length = 200

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term[: self.max_search_length]
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded and self.folded_search_fields:
            matches = Q()
            for field in self.folded_search_fields:
                matches |= Q(**{f"{field}__contains": folded})
            results |= queryset.filter(matches)
        return results, may_have_duplicates


class ReviewedChangeMixin:
    """What the public site shows changes only when a reviewer changes it.

    An editor's save of a record the public site shows (`workflow.needs_review`) becomes a
    proposed change for a reviewer, and the record stays as it was; its inline rows follow
    their own rules. Nothing the public site shows is deleted, nor reverted from history by
    an editor."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            request.proposing = workflow.needs_review(request.user, obj)
            request.proposed_for = obj
        return obj

    def proposing(self, request):
        return getattr(request, "proposing", False)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.may_delete(obj)

    def get_deleted_objects(self, objs, request):
        """The delete page and the bulk delete refuse records the public site shows."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refused = [record for record in objs if not workflow.may_delete(record)]
        if refused and super().has_delete_permission(request):
            # The role may delete these records, just not these ones: say why below.
            perms_needed.discard(self.model._meta.verbose_name)
        for record in refused:
            shown = workflow.public_references(record, limit=3)
            why = "; ".join(f"the published {kind} “{other}”" for kind, other in shown)
            protected.append(
                f"“{record}”: shown on the public site"
                + (f" by {why}" if why else "")
                + " (retract a published record instead)"
            )
        return deleted, counts, perms_needed, protected

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and self.proposing(request):
            waiting = ProposedChange.objects.pending().for_record(request.proposed_for).count()
            self.message_user(
                request,
                "The public site shows this record: saving proposes your change to a "
                "reviewer, and the record stays as it is until one applies it."
                + (f" {waiting} proposed change(s) already wait." if waiting else ""),
                messages.INFO,
            )
        return response

    def save_model(self, request, obj, form, change):
        if change and self.proposing(request):
            request.proposal = workflow.propose(request.user, obj, form)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change and self.proposing(request):
            # The record's own links wait in the proposal; inline rows save by their rules.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            return
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if self.proposing(request):
            proposal = getattr(request, "proposal", None)
            message = f"Proposed change #{proposal.pk}" if proposal else "Saved without changes"
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not self.proposing(request):
            return super().response_change(request, obj)
        proposal = getattr(request, "proposal", None)
        if proposal is None:
            self.message_user(request, f"Nothing to propose: “{obj}” is unchanged.")
        else:
            self.message_user(
                request,
                f"Your change to “{obj}” waits for a reviewer (proposed change "
                f"#{proposal.pk}); the public site shows the record as it was.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.path)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting is a change: the history page may be viewable, the revert not.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if (
                obj is None
                or not self.has_change_permission(request, obj)
                or self.proposing(request)
            ):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PublicationAdminMixin(ReviewedChangeMixin):
    """The editorial workflow, enforced on the server for a publishable model's admin:
    the change form, the actions, crafted POSTs and reverts from history."""

    form = PublicationCheckedForm
    actions = ["submit_for_review", "publish_selected", "retract_selected"]

    def has_review_permission(self, request):
        return workflow.is_reviewer(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "retracted_at"]
        if not workflow.is_reviewer(request.user):
            fields.append("retraction_reason")
            if obj is not None and obj.publication_status not in workflow.EDITABLE_BY_EDITORS:
                fields.append("publication_status")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "publication_status":
            kwargs["choices"] = [
                (status.value, status.label) for status in workflow.allowed_statuses(request.user)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def apply_to_each(self, request, queryset, change, done_message):
        """Apply change(record) to each record the user may change; report the outcome."""
        done, problems = 0, []
        for record in queryset:
            if not self.has_change_permission(request, record):
                problems.append(f"You cannot change “{record}”.")
                continue
            problem = change(record)
            if problem:
                problems.append(problem)
            else:
                done += 1
        if done:
            noun = (
                self.model._meta.verbose_name if done == 1 else self.model._meta.verbose_name_plural
            )
            self.message_user(request, f"{done} {noun} {done_message}.", messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.apply_to_each(request, queryset, workflow.submit_for_review, "submitted for review")

    @admin.action(description="Publish selected", permissions=["review"])
    def publish_selected(self, request, queryset):
        self.apply_to_each(request, queryset, workflow.publish, "published")

    @admin.action(description="Retract selected (with a reason)", permissions=["review"])
    def retract_selected(self, request, queryset):
        form = RetractionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self.apply_to_each(
                request, queryset, lambda record: workflow.retract(record, reason), "retracted"
            )
            return None
        context = self.admin_site.each_context(request) | {
            "title": f"Retract {self.model._meta.verbose_name_plural}",
            "opts": self.model._meta,
            "records": queryset,
            "form": form,
            "action": "retract_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/retract_confirmation.html", context)


class PublicationInlineMixin:
    """Inline rows follow the workflow too: editors cannot publish from an inline or touch
    a published row, and nobody deletes a published row."""

    form = PublicationCheckedForm
    formset = LockedPublishedFormSet

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.is_reviewer(request.user):
            fields.append("publication_status")
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.reviewer = workflow.is_reviewer(request.user)
        return formset


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
class SourceAdmin(ReviewedChangeMixin, SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "quote"]
    date_hierarchy = "published_on"
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Leader)
class LeaderAdmin(ReviewedChangeMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    form = LeaderAdminForm
    list_display = ["name", "native_name", "kind", "country", "title", "wikidata_id"]
    list_filter = ["kind", ("country", CountryFilter)]
    search_fields = ["name", "native_name", "title", "wikidata_id"]
    folded_search_fields = ["search_text"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "native_name", "aliases", "country", "title"]}),
        ("Identifiers", {"fields": ["slug", "wikidata_id", "created_at", "updated_at"]}),
    ]
    actions = ["merge_selected", "split_selected"]

    def has_review_permission(self, request):
        return workflow.is_reviewer(request.user)

    @admin.action(description="Merge the two selected leaders", permissions=["review"])
    def merge_selected(self, request, queryset):
        leaders = list(queryset[:3])
        if len(leaders) != 2:
            self.message_user(request, "Select exactly two leaders to merge.", messages.WARNING)
            return None
        form = MergeLeadersForm(leaders, request.POST if "apply" in request.POST else None)
        if form.is_valid():
            keep, duplicate = form.pair()
            workflow.merge_leaders(keep, duplicate)
            self.message_user(
                request,
                f"Merged “{duplicate}” into “{keep}”; /leaders/{duplicate.slug}/ now redirects.",
                messages.SUCCESS,
            )
            return None
        context = self.admin_site.each_context(request) | {
            "title": "Merge two leaders",
            "opts": self.model._meta,
            "records": leaders,
            "form": form,
            "action": "merge_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/merge_leaders.html", context)

    @admin.action(description="Split the selected leader by spelling", permissions=["review"])
    def split_selected(self, request, queryset):
        leaders = list(queryset[:2])
        if len(leaders) != 1:
            self.message_user(request, "Select exactly one leader to split.", messages.WARNING)
            return None
        (leader,) = leaders
        spellings = workflow.register_spellings(leader)
        if len(spellings) < 2:
            self.message_user(
                request,
                f"The register rows write “{leader}” one way or none: nothing to split.",
                messages.WARNING,
            )
            return None
        form = SplitLeaderForm(leader, spellings, request.POST if "apply" in request.POST else None)
        if form.is_valid():
            new = workflow.split_leader(
                leader, form.cleaned_data["spellings"], form.cleaned_data["name"]
            )
            self.message_user(
                request,
                f"Split “{new}” from “{leader}”: {new.gifts_given.count()} gifts given and "
                f"{new.gifts_received.count()} received moved.",
                messages.SUCCESS,
            )
            return None
        context = self.admin_site.each_context(request) | {
            "title": f"Split {leader}",
            "opts": self.model._meta,
            "records": [leader],
            "form": form,
            "action": "split_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/split_leader.html", context)


class VisitGiftInline(PublicationInlineMixin, admin.TabularInline):
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
class VisitAdmin(PublicationAdminMixin, SimpleHistoryAdmin):
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


class SanctionsFlagInline(PublicationInlineMixin, admin.StackedInline):
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
class GiftAdmin(PublicationAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["giver", "co_giver", "recipient", "visit", "sources"]
    readonly_fields = ["import_key", "published_at", "created_at", "updated_at"]
    inlines = [SanctionsFlagInline]
    fieldsets = [
        (None, {"fields": ["item", "description", "category", "quantity"]}),
        (
            "Giver and recipient",
            {
                "fields": [
                    ("giver", "giver_country", "giver_title"),
                    "co_giver",
                    "giver_not_stated",
                    ("recipient", "recipient_country", "recipient_title"),
                    "giver_as_reported",
                    "recipient_as_reported",
                ]
            },
        ),
        ("When", {"fields": ["visit", ("date", "date_precision")]}),
        (
            "Value and fate",
            {
                "fields": [
                    ("value", "currency"),
                    ("value_usd", "value_usd_basis"),
                    "value_note",
                    "disposition",
                ]
            },
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
class SanctionsRegimeAdmin(ReviewedChangeMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "authority", "target_country", "in_force_from", "in_force_to"]
    list_filter = ["authority"]
    search_fields = ["code", "name", "authority", "legal_basis"]
    autocomplete_fields = ["sources"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(SanctionsFlag)
class SanctionsFlagAdmin(PublicationAdminMixin, SimpleHistoryAdmin):
    list_display = ["gift", "regime", "status", "alleged_by", "alleged_on", "publication_status"]
    list_select_related = ["gift", "regime"]
    list_filter = ["publication_status", "status", "regime"]
    search_fields = ["gift__item", "regime__code", "provisions", "alleged_by", "denied_by"]
    autocomplete_fields = ["gift", "regime", "sources"]
    readonly_fields = ["published_at", "created_at", "updated_at"]


@admin.register(LeaderRedirect)
class LeaderRedirectAdmin(SimpleHistoryAdmin):
    list_display = ["old_slug", "leader", "created_at"]
    list_select_related = ["leader"]
    search_fields = ["old_slug", "leader__name"]
    readonly_fields = ["old_slug", "leader", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False


class RecordOfWorkAdmin(admin.ModelAdmin):
    """What imports and the rules wrote down (batches, register entries, gift links):
    read by any staff member, written by no form."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(ImportBatch)
class ImportBatchAdmin(RecordOfWorkAdmin):
    list_display = ["__str__", "user", "rows", "published", "created_at"]
    list_select_related = ["user"]
    list_filter = ["format", "published"]
    search_fields = ["file_name", "file_sha256"]
    readonly_fields = [
        "created_at",
        "user",
        "file_name",
        "file_sha256",
        "format",
        "published",
        "rows",
        "counts",
        "skipped",
    ]


@admin.register(RegisterEntry)
class RegisterEntryAdmin(RecordOfWorkAdmin):
    """Every data row of every imported register, read-only: what the register said and
    what became of it."""

    list_display = ["__str__", "status", "gift", "reason", "batch"]
    list_select_related = ["gift", "batch"]
    list_filter = ["register", "status"]
    search_fields = ["=row", "reason"]
    raw_id_fields = ["gift", "batch"]
    readonly_fields = [
        "batch",
        "register",
        "row",
        "record",
        "line",
        "entry",
        "cells",
        "gift",
        "status",
        "reason",
        "source_url",
        "source_note",
    ]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GiftLink)
class GiftLinkAdmin(RecordOfWorkAdmin):
    """Two registers' records of the same gift: the links the rule made, and the
    candidates it queued for an editor, most alike first. Reviewers decide."""

    list_display = ["__str__", "status", "score", "rule", "evidence", "decided_by"]
    list_select_related = ["kept", "duplicate", "decided_by"]
    list_filter = ["status"]
    search_fields = ["=kept__id", "=duplicate__id", "kept__item", "duplicate__item"]
    raw_id_fields = ["kept", "duplicate"]
    readonly_fields = [
        "kept",
        "duplicate",
        "status",
        "rule",
        "evidence",
        "score",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    actions = ["link_selected", "reject_selected"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return workflow.is_reviewer(request.user)

    def _decide(self, request, queryset, status, said):
        links = list(queryset.select_related("duplicate"))
        for link in links:
            decide(link, status, request.user)
        self.message_user(request, f"{len(links)} {said}.", messages.SUCCESS)

    @admin.action(
        description="Link: the same gift (retracts the duplicate)", permissions=["review"]
    )
    def link_selected(self, request, queryset):
        self._decide(request, queryset, LinkStatus.LINKED, "linked")

    @admin.action(
        description="Not the same gift (restores a linked duplicate)", permissions=["review"]
    )
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, LinkStatus.REJECTED, "marked as not the same gift")


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """Editors' changes to what the public site shows: the editorial roles read them,
    reviewers apply or reject them."""

    list_display = ["__str__", "kind", "changes_in_words", "proposed_by", "proposed_at", "status"]
    list_select_related = ["content_type", "proposed_by"]
    list_filter = ["status", "content_type"]
    search_fields = ["record_label"]
    readonly_fields = [
        "record_link",
        "changes_in_words",
        "status",
        "proposed_by",
        "proposed_at",
        "base_version",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    fields = readonly_fields
    actions = ["apply_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("giftapp.change_gift")

    def has_review_permission(self, request):
        return workflow.is_reviewer(request.user)

    @admin.display(description="kind")
    def kind(self, proposal):
        return proposal.content_type.name

    @admin.display(description="record")
    def record_link(self, proposal):
        url = reverse(
            f"admin:giftapp_{proposal.content_type.model}_change", args=[proposal.object_id]
        )
        return format_html('<a href="{}">{}</a>', url, proposal.record_label)

    @admin.display(description="changes")
    def changes_in_words(self, proposal):
        return format_html_join(
            "",
            "<p><strong>{}</strong>: {} → {}</p>",
            ((field, before, after) for field, before, after in proposal.summary),
        )

    def _decide(self, request, queryset, decide, done_message):
        done = 0
        for proposal in queryset.select_related("content_type", "proposed_by"):
            problem = decide(proposal)
            if problem:
                self.message_user(request, problem, messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} proposed change(s) {done_message}.")

    @admin.action(description="Apply the selected changes", permissions=["review"])
    def apply_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda proposal: workflow.apply_proposal(proposal, request.user),
            "applied",
        )

    @admin.action(description="Reject the selected changes", permissions=["review"])
    def reject_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda proposal: workflow.reject_proposal(proposal, request.user),
            "rejected",
        )
