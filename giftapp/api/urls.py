"""/api/v1/: the read API, its OpenAPI 3 schema and its documentation page."""

from django.urls import URLPattern, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularJSONAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from ..cache import cache_public_page
from . import views


class Router(DefaultRouter):
    include_format_suffixes = False  # JSON is the only format


router = Router()
router.register("gifts", views.GiftViewSet, basename="gift")
router.register("leaders", views.LeaderViewSet, basename="leader")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("countries", views.CountryViewSet, basename="country")
router.register("sanctions", views.RegimeViewSet, basename="regime")
router.register("flags", views.FlagViewSet, basename="flag")
router.register("entries", views.EntryViewSet, basename="entry")

PAGING = {"cursor", "page_size"}


def query_params(view_class):
    """The query parameters an endpoint reads: its filters, and the cursor's."""
    filterset = getattr(view_class, "filterset_class", None)
    return PAGING | set(filterset.base_filters if filterset else ())


def cached(pattern):
    """The router's route, served through the public page cache (giftapp/cache.py), which
    also redirects away any parameter the endpoint does not read."""
    callback = pattern.callback
    return URLPattern(
        pattern.pattern,
        cache_public_page(callback, query_params(callback.cls)),
        pattern.default_args,
        pattern.name,
    )


app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("schema.json", SpectacularJSONAPIView.as_view(), name="schema-json"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *(cached(pattern) for pattern in router.urls),
]
