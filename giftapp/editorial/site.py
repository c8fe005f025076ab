import io

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from ..importers.reading import count_rows
from ..models import Gift, Leader, PendingImport, SanctionsFlag, Visit
from .duplicates import possible_duplicates
from .forms import ImportUploadForm
from .tasks import check_upload, import_upload, purge_stale_uploads
from .workflow import is_reviewer, pending_proposals, review_queue

QUALITY_SAMPLE = 50


class RegistryAdminSite(admin.AdminSite):
    site_header = "Diplomatic Gift Registry"
    site_title = "Gift Registry admin"
    index_title = "Records"

    def get_urls(self):
        return [
            path("review-queue/", self.admin_view(self.review_queue_view), name="review_queue"),
            path("data-quality/", self.admin_view(self.data_quality_view), name="data_quality"),
            path(
                "possible-duplicates/",
                self.admin_view(self.possible_duplicates_view),
                name="possible_duplicates",
            ),
            path("import/", self.admin_view(self.import_view), name="import_gifts"),
            path(
                "import/<int:pk>/",
                self.admin_view(self.import_status_view),
                name="import_gifts_status",
            ),
            path(
                "import/<int:pk>/confirm/",
                self.admin_view(self.import_confirm_view),
                name="import_gifts_confirm",
            ),
            *super().get_urls(),
        ]

    def review_queue_view(self, request):
        """What waits for a reviewer: for reviewers only."""
        if not is_reviewer(request.user):
            raise PermissionDenied
        context = self.each_context(request) | {
            "title": "Review queue",
            "queue": review_queue(),
            "proposals": pending_proposals(),
        }
        return TemplateResponse(request, "admin/review_queue.html", context)

    def data_quality_view(self, request):
        """The records with gaps, drafts included: for the editorial roles only."""
        if not request.user.has_perm("giftapp.change_gift"):
            raise PermissionDenied
        published = Q(publication_status="published")
        checks = [
            (
                "Published gifts without a source",
                Gift.objects.filter(published, sources__isnull=True),
            ),
            (
                "Published visits without a source",
                Visit.objects.filter(published, sources__isnull=True),
            ),
            (
                "Published flags without a source",
                SanctionsFlag.objects.filter(published, sources__isnull=True).select_related(
                    "gift", "regime"
                ),
            ),
            (
                "Values in another currency without a US-dollar value",
                Gift.objects.filter(value__isnull=False, value_usd__isnull=True).exclude(
                    currency="USD"
                ),
            ),
            (
                "US-dollar values without the value and currency reported",
                Gift.objects.filter(value_usd__isnull=False, value__isnull=True),
            ),
            ("Leaders without a native-script name", Leader.objects.filter(native_name="")),
            ("Gifts with no visit", Gift.objects.filter(visit__isnull=True)),
            ("Visits with no gifts", Visit.objects.filter(gifts__isnull=True)),
            (
                "Flags without provisions",
                SanctionsFlag.objects.filter(provisions="").select_related("gift", "regime"),
            ),
        ]
        sections = [
            {
                "title": title,
                "count": queryset.count(),
                "sample": list(queryset.order_by("pk")[:QUALITY_SAMPLE]),
                "opts": queryset.model._meta,
            }
            for title, queryset in checks
        ]
        context = self.each_context(request) | {
            "title": "Data quality",
            "sections": sections,
            "sample_size": QUALITY_SAMPLE,
        }
        return TemplateResponse(request, "admin/data_quality.html", context)

    def possible_duplicates_view(self, request):
        if not request.user.has_perm("giftapp.view_leader"):
            raise PermissionDenied
        context = self.each_context(request) | {
            "title": "Possible duplicate leaders",
            "pairs": possible_duplicates(),
        }
        return TemplateResponse(request, "admin/possible_duplicates.html", context)

    def import_view(self, request):
        """Upload a register file; its check runs in the background (tasks.py)."""
        if not request.user.has_perm("giftapp.add_gift"):
            raise PermissionDenied
        purge_stale_uploads()
        reviewer = is_reviewer(request.user)
        form = ImportUploadForm(request.POST or None, request.FILES or None, reviewer=reviewer)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            pending = PendingImport.objects.create(
                user=request.user,
                file_name=upload.name[:300],
                format=form.cleaned_data["format"],
                publish=form.cleaned_data.get("publish", False),
                content=content,
                rows=count_rows(io.BytesIO(content)),
            )
            check_upload.enqueue(pending.pk)
            return redirect("admin:import_gifts_status", pending.pk)
        context = self.each_context(request) | {
            "title": "Import a register",
            "form": form,
            "uploads": PendingImport.objects.filter(user=request.user).defer("content")[:10],
            "hours": settings.REGISTRY_PENDING_IMPORT_HOURS,
        }
        return TemplateResponse(request, "admin/import_gifts.html", context)

    def _upload(self, request, pk):
        """The user's own upload, or None when it was discarded; another's is a 404."""
        purge_stale_uploads()
        pending = PendingImport.objects.filter(pk=pk, user=request.user).defer("content").first()
        if pending is None and PendingImport.objects.filter(pk=pk).exists():
            raise Http404("No upload of yours has this number.")
        if pending is None:
            messages.error(
                request,
                "This upload is no longer waiting: uploads are discarded "
                f"{settings.REGISTRY_PENDING_IMPORT_HOURS} hours after they were made. "
                "Upload the file again.",
            )
        return pending

    def import_status_view(self, request, pk):
        """An upload's page: its progress while a task runs, then its report."""
        if not request.user.has_perm("giftapp.add_gift"):
            raise PermissionDenied
        pending = self._upload(request, pk)
        if pending is None:
            return redirect("admin:import_gifts")
        context = self.each_context(request) | {
            "title": f"Import {pending.file_name}",
            "pending": pending,
            "refresh_seconds": 2 if pending.running else None,
        }
        return TemplateResponse(request, "admin/import_status.html", context)

    def import_confirm_view(self, request, pk):
        """Confirm a checked upload: its import runs in the background."""
        if not request.user.has_perm("giftapp.add_gift"):
            raise PermissionDenied
        pending = self._upload(request, pk)
        if pending is None:
            return redirect("admin:import_gifts")
        if request.method != "POST":
            return redirect("admin:import_gifts_status", pk)
        # Only a checked, valid upload moves on, and only once (two clicks, one import).
        moved = PendingImport.objects.filter(
            pk=pk, state=PendingImport.State.CHECKED, valid=True
        ).update(state=PendingImport.State.IMPORTING, progress={})
        if moved:
            import_upload.enqueue(pk)
        else:
            messages.warning(request, "This upload is not waiting for confirmation.")
        return redirect("admin:import_gifts_status", pk)
