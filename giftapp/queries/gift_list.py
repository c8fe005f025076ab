"""The gift list's page: its summary, active filters, sort links, facets with counts and
links, and one page of gifts, for a bound GiftFilter (filters.py)."""

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from ..charts import gifts_per_year_chart
from ..filters import DEFAULT_PAGE_SIZE, DEFAULT_SORT, SORTS, year_range, year_span
from .sorting import sort_links

FACET_VALUES_SHOWN = 8
# The filters set by a facet's links alone (one control per filter).
CHOSEN_IN_LISTS = ("giver_country", "recipient_country")
# Which way a column sorts on its first click.
SORT_COLUMNS = {
    "date": "-date",
    "item": "item",
    "giver": "giver",
    "giver_country": "giver_country",
    "recipient": "recipient",
    "recipient_country": "recipient_country",
    "category": "category",
    "value": "-value",
}


class ListPage:
    """The list page for a request's path and query: pages of the size the query asks for
    (?per_page=), reaching at most the first `max_rows` gifts (deep pages are not free:
    past the limit the list asks for narrower filters)."""

    def __init__(self, filterset, path, query, *, max_rows):
        self.filterset, self.path, self.query = filterset, path, query
        self.max_rows = max_rows
        self.paginate_by = DEFAULT_PAGE_SIZE
        self.max_pages = max_rows // DEFAULT_PAGE_SIZE

    def context(self):
        filterset = self.filterset
        form = filterset.form
        context = {
            "filter": filterset,
            "form": form,
            "category_options": [{"widget": w, "count": None} for w in form["category"]],
            "more_filters_open": any(
                form[name].value() or form[name].errors
                for name in ("giver", "recipient", "visit", "currency", "flag_status")
            ),
            "page_title": "Gifts",
            # Chosen in the facet lists rather than in the form, which carries them along.
            "chosen_in_lists": [
                (name, value)
                for name in CHOSEN_IN_LISTS
                for value in filterset.data.getlist(name)
                if value
            ],
        }
        if not filterset.is_valid():
            context["errors"] = [
                (form[name], error) for name, errors in form.errors.items() for error in errors
            ]
            return context

        self.paginate_by = int(form.cleaned_data.get("per_page") or DEFAULT_PAGE_SIZE)
        self.max_pages = max(1, self.max_rows // self.paginate_by)
        links = Links(self.path, filterset)
        number, _notice = self.page_number()
        if number <= self.max_pages:
            filterset.page_window = ((number - 1) * self.paginate_by, self.paginate_by)
        counts = filterset.counts()
        total = counts["total"]
        active = filterset.active_filters()
        context.update(
            total=total,
            summary=filterset.describe(total, counts["flagged"]),
            chips=[{"label": a.label, "url": links.url(remove=a.remove)} for a in active],
            clear_url=links.url(remove=[(a_name, None) for a_name in links.filter_names]),
            csv_url=links.url(set={"format": "csv"}),
            json_url=links.url(set={"format": "json"}),
            sort_links=sort_links(
                lambda sort: links.url(set={"sort": sort}),
                SORT_COLUMNS,
                filterset.form.cleaned_data.get("sort") or DEFAULT_SORT,
            ),
            facets=facet_links(links, filterset),
            max_pages=self.max_pages,
        )
        if active:
            context["page_title"] = "Gifts — " + "; ".join(a.label for a in active)
        context["year_chart"] = year_chart(context["facets"])
        category_facet = next(f for f in context["facets"] if f["name"] == "category")
        category_counts = {item["value"]: item["count"] for item in category_facet["items"]}
        for option in context["category_options"]:
            option["count"] = category_counts.get(option["widget"].data["value"], 0)
        context.update(self.paginate(filterset.qs, total))
        if total == 0 and active:
            # Say which filter to loosen, and what each would give.
            context["loosen"] = [
                {
                    "label": a.label,
                    "url": links.url(remove=a.remove),
                    "count": filterset.without(**a.without).count(),
                }
                for a in active
            ]
        return context

    def page_number(self):
        """The page asked for, and a notice when ?page= is not a page number."""
        raw = self.query.get("page", "1")
        if not re.fullmatch(r"[0-9]{1,12}", raw) or int(raw) < 1:
            return 1, f"“{raw[:40]}” is not a page number: showing the first page."
        return int(raw), ""

    def paginate(self, queryset, total):
        paginator = Paginator(queryset, self.paginate_by)
        paginator.count = total  # known from the summary query: no second COUNT
        context = {"paginator": paginator, "gifts": [], "page_obj": None}
        number, notice = self.page_number()
        if notice:
            context["page_notice"] = notice
        last_page = min(paginator.num_pages, self.max_pages)
        context["last_page"] = last_page
        context["truncated"] = paginator.num_pages > self.max_pages
        if number > paginator.num_pages:
            context["page_notice"] = (
                f"There is no page {number:,}: these filters give {paginator.num_pages:,} "
                f"{'page' if paginator.num_pages == 1 else 'pages'}."
            )
            context["last_page_url"] = url_with_query(self.path, self.query, page=last_page)
            return context
        if number > self.max_pages:
            context["page_limit_reached"] = True
            context["last_page_url"] = url_with_query(self.path, self.query, page=last_page)
            return context
        page = paginator.page(number)
        scanned = self.filterset.scanned
        if not total:
            ids = []
        elif scanned is not None and scanned["page"] is not None:
            ids = scanned["page"]  # the single pass over the matches sorted them
        else:
            # The page's ids first: skipping the gifts of earlier pages then reads an
            # index only, and the rows, leaders and flags are fetched for this page alone.
            start = (number - 1) * self.paginate_by
            ids = list(queryset.values_list("pk", flat=True)[start : start + self.paginate_by])
        position = {pk: index for index, pk in enumerate(ids)}
        gifts = queryset.for_listing().filter(pk__in=ids) if ids else []
        page.object_list = sorted(gifts, key=lambda gift: position[gift.pk])
        context["page_obj"] = page
        context["gifts"] = page.object_list
        context["has_next"] = page.has_next() and number < self.max_pages
        context["page_numbers"] = page_numbers(number, last_page)
        sort = self.filterset.form.cleaned_data.get("sort") or DEFAULT_SORT
        if page.object_list:
            context["caption"] = (
                f"Gifts {page.start_index():,}–{page.end_index():,} of {total:,}, "
                f"{SORTS[sort][0][0].lower()}{SORTS[sort][0][1:]}"
            )
        return context


def year_chart(facets):
    """Gifts per year under every filter but the dates (the year facet's counts), each
    bar a link narrowing the list to its year; None without dated gifts."""
    years = next((f["items"] for f in facets if f["name"] == "year"), [])
    current = next((item["value"] for item in years if item["active"]), None)
    return gifts_per_year_chart(
        {item["value"]: item["count"] for item in years},
        urls={item["value"]: item["url"] for item in years},
        current=current,
    )


def page_numbers(current, last, around=2):
    """The pages a numbered pagination links: the first, the last, and those `around` the
    current one, with None where numbers are left out. page_numbers(7, 40) -> [1, None, 5,
    6, 7, 8, 9, None, 40]."""
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    numbers = []
    for n in shown:
        if numbers and n - numbers[-1] == 2:
            numbers.append(n - 1)  # a gap of one page: the page, not an ellipsis
        elif numbers and n - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(n)
    return numbers


def url_with_query(path, query, **changes):
    query = query.copy()
    for name, value in changes.items():
        query[name] = value
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


class Links:
    """URLs of the list that change its filters, keeping the others (and the sort).

    The query is kept as a dict of lists, not a QueryDict: a list page builds hundreds of
    these URLs, and copying a dict is far cheaper than deep-copying a QueryDict."""

    def __init__(self, path, filterset):
        self.path = path
        self.filter_names = [name for name in filterset.filters if name not in filterset.DISPLAY]
        self.query = {}
        for name in filterset.filters:
            values = [v for v in filterset.data.getlist(name) if v]
            if values:
                self.query[name] = values

    def url(self, set=None, add=(), remove=()):
        query = dict(self.query)
        for name, value in remove:
            kept = [] if value is None else [v for v in query.get(name, ()) if v != value]
            if kept:
                query[name] = kept
            else:
                query.pop(name, None)
        for name, value in add:
            if value not in query.get(name, ()):
                query[name] = [*query.get(name, ()), value]
        for name, value in (set or {}).items():
            query[name] = [value]
        encoded = urlencode([(name, v) for name, values in query.items() for v in values])
        return f"{self.path}?{encoded}" if encoded else self.path


def facet_links(links, filterset):
    """Each facet's values with counts and a link adding (or, when active, removing) it."""
    cleaned = filterset.form.cleaned_data
    years = year_span(cleaned.get("date_from"), cleaned.get("date_to"))
    facets = []
    for facet in filterset.facets():
        items = []
        for value, label, count in facet.items:
            if facet.name == "category":
                active = value in (cleaned.get("category") or [])
                change = (
                    {"remove": [("category", value)]} if active else {"add": [("category", value)]}
                )
            elif facet.name == "year":
                active = years == (value, value)
                start, end = year_range(value)
                change = (
                    {"remove": [("date_from", None), ("date_to", None)]}
                    if active
                    else {"set": {"date_from": start, "date_to": end}}
                )
            else:
                active = cleaned.get(facet.name) == value
                change = (
                    {"remove": [(facet.name, None)]} if active else {"set": {facet.name: value}}
                )
            items.append(
                {
                    "value": value,
                    "label": label,
                    "count": count,
                    "active": active,
                    "url": links.url(**change),
                }
            )
        facets.append(
            {
                "name": facet.name,
                "title": facet.title,
                "countries": facet.countries,
                "items": items,
                "shown": facet_items_html(items[:FACET_VALUES_SHOWN]),
                "more": facet_items_html(items[FACET_VALUES_SHOWN:]),
                "more_count": max(len(items) - FACET_VALUES_SHOWN, 0),
            }
        )
    return facets


def facet_items_html(items):
    """The <li> of each facet value. A list page shows several hundred (every country,
    twice), so they are joined here rather than rendered one by one through a template."""
    return format_html_join(
        "",
        '<li><a href="{}"{}>{}{}</a> <span class="count">{}</span></li>',
        (
            (
                item["url"],
                ACTIVE_LINK if item["active"] else "",
                REMOVE_HINT if item["active"] else "",
                item["label"],
                f"{item['count']:,}",  # as intcomma writes it in English
            )
            for item in items
        ),
    )


ACTIVE_LINK = mark_safe(' aria-current="true" class="active"')
REMOVE_HINT = mark_safe('<span class="visually-hidden">Remove filter: </span>')
