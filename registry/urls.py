from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from . import health


def favicon(request):
    """For the clients that ask for /favicon.ico without reading the pages' icon link; not
    permanent, as the file's address changes with its content."""
    return redirect(static("img/favicon.svg"))


handler404 = health.not_found
handler500 = health.server_error

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include("giftapp.api.urls", namespace="api")),
    path("", include("giftapp.urls")),
]
