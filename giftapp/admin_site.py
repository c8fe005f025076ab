from django.contrib import admin
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path

from .models import Gift, Leader, SanctionsFlag, Visit
from .workflow import review_queue

QUALITY_SAMPLE = 50


class RegistryAdminSite(admin.AdminSite):
    site_header = "Diplomatic Gift Registry"
    site_title = "Gift Registry admin"
    index_title = "Records"

    def get_urls(self):
        return [
            path("review-queue/", self.admin_view(self.review_queue_view), name="review_queue"),
            path("data-quality/", self.admin_view(self.data_quality_view), name="data_quality"),
            *super().get_urls(),
        ]

    def review_queue_view(self, request):
        context = self.each_context(request) | {
            "title": "Review queue",
            "queue": review_queue(),
        }
        return TemplateResponse(request, "admin/review_queue.html", context)

    def data_quality_view(self, request):
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
