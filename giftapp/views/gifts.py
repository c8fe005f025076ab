"""The public gift list, /gifts/, and its exports: ?format=csv and ?format=json."""

from django.conf import settings
from django.http import HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.views.generic import View
from django.views.generic.base import TemplateResponseMixin
from django_ratelimit.core import get_usage

from ..filters import GiftFilter
from ..models import Gift
from ..queries.gift_list import ListPage, url_with_query
from .exports import export_response


class GiftListView(TemplateResponseMixin, View):
    """Filterable, sortable, paginated list of public gifts with facet counts; with
    ?format=csv or ?format=json, the whole filtered set streamed as a file."""

    template_name = "giftapp/gift_list.html"
    # Deep pages are not free (OFFSET); past this many gifts the list asks for narrower
    # filters (or a download).
    max_rows = 10_000

    def get(self, request, *args, **kwargs):
        # Always bound, so an empty query is a valid form with every filter blank.
        export_format = request.GET.get("format", "")
        exporting = export_format not in ("", "html")
        # Only work done afresh counts: a cached page never reaches this view.
        if exporting:
            wait = wait_for(request, "export", settings.REGISTRY_EXPORT_RATE)
        elif request.GET.get("q"):
            wait = wait_for(request, "search", settings.REGISTRY_SEARCH_RATE)
        else:
            wait = None
        if wait:
            return too_many_requests(request, wait)
        filterset = GiftFilter(request.GET, queryset=Gift.objects.public(), request=request)
        if exporting:
            return export_response(request, filterset, export_format)
        if any(not value.strip() for _, values in request.GET.lists() for value in values):
            # The filter form sends every field; keep shared URLs to the filters in use.
            query = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                query.setlist(name, [v for v in values if v.strip()])
            return HttpResponseRedirect(url_with_query(request.path, query))
        page = ListPage(filterset, request.path, request.GET, max_rows=self.max_rows)
        return self.render_to_response(page.context())


def wait_for(request, group, rate):
    """The seconds this client must wait when it has asked for more of `group` (exports,
    searches) than `rate` allows, else None; each call counts one. Never with no rate."""
    if not rate:
        return None
    usage = get_usage(
        request,
        group=f"gifts-{group}",
        key="ip",
        rate=rate,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def too_many_requests(request, retry_after):
    """429 in the site's layout, with Retry-After."""
    response = TemplateResponse(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
