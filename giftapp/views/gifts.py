"""The public gift list, /gifts/, and its exports: ?format=csv and ?format=json."""

from django.http import HttpResponseRedirect, QueryDict
from django.views.generic import View
from django.views.generic.base import TemplateResponseMixin

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
        filterset = GiftFilter(request.GET, queryset=Gift.objects.public(), request=request)
        export_format = request.GET.get("format", "")
        if export_format not in ("", "html"):
            return export_response(request, filterset, export_format)
        if any(not value.strip() for _, values in request.GET.lists() for value in values):
            # The filter form sends every field; keep shared URLs to the filters in use.
            query = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                query.setlist(name, [v for v in values if v.strip()])
            return HttpResponseRedirect(url_with_query(request.path, query))
        page = ListPage(filterset, request.path, request.GET, max_rows=self.max_rows)
        return self.render_to_response(page.context())
