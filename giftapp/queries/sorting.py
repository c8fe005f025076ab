"""Sortable column headers, shared by the gift list and the indexes of leaders and
countries: each header sorts by its column (in the direction that column reads best
first), and a second click on the current one reverses it."""


def sort_links(url_for, columns, current):
    """{column: {"url", "arrow", "aria"}} for the headers. `columns` maps each column to
    its first sort ("-value": highest first); `url_for(sort)` gives the page so sorted;
    `current` is the sort in use."""
    result = {}
    for column, first in columns.items():
        if current in (column, f"-{column}"):
            descending = current.startswith("-")
            result[column] = {
                "url": url_for(column if descending else f"-{column}"),
                "arrow": " ↓" if descending else " ↑",
                "aria": "descending" if descending else "ascending",
            }
        else:
            result[column] = {"url": url_for(first), "arrow": "", "aria": ""}
    return result


def sort_in(query, columns, default):
    """The sort a query asks for (?sort=), if it is one of these columns' either way;
    else the default."""
    raw = query.get("sort", "")
    return raw if raw.lstrip("-") in columns else default
