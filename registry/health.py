"""/healthz, for load balancers and uptime checks: is this app server able to serve? And
the error handlers for 404 and 500 (a 503 while the database is down), in JSON under /api/."""

import logging
import sys

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found
from django.views.defaults import server_error as plain_server_error

from giftapp.backends import UNREACHABLE

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


@never_cache
@require_safe
def healthz(request):
    """200 {"status": "ok"} once the database answers a trivial query, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check failed: the database did not answer.")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def is_api(request):
    """Whether the request is the API's, whose errors answer JSON like its own."""
    return request.path.startswith("/api/")


def server_error(request):
    """handler500: 503 with Retry-After when the database cannot be reached (the request
    may succeed in a moment, and a proxy may serve its stale copy meanwhile), else the
    plain 500 page. The page's template queries nothing."""
    if isinstance(sys.exception(), UNREACHABLE):
        if is_api(request):
            response = JsonResponse(
                {"detail": "The database is not answering; try again in a minute."}, status=503
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return plain_server_error(request)


def not_found(request, exception):
    """handler404: under /api/, an address no endpoint matches (an id that is not a number,
    a slug with a character slugs never hold) answers JSON, as the API's own 404s do;
    elsewhere, the site's page."""
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
