"""The home page: counts, the countries most active, the latest gifts and flags."""

from ..filters import NEWEST
from ..models import Gift
from .countries import country_activity
from .latest import newly_published_flags

HOME_LATEST_GIFTS = 10
HOME_LATEST_FLAGS = 5
HOME_COUNTRIES = 12


def home_page():
    countries, totals = country_activity()
    top_countries = sorted(
        (row for row in countries if row["given"] or row["received"]),
        key=lambda row: (-(row["given"] + row["received"]), row["name"]),
    )[:HOME_COUNTRIES]
    return {
        "total_gifts": totals["gifts"],
        "total_visits": totals["visits"],
        "total_countries": len(countries),
        "total_flagged": totals["flagged"],
        # The gifts given most recently, as the gift list's first page: an import publishes
        # thousands at once, so publication time would say nothing of the gifts.
        "latest_gifts": Gift.objects.public()
        .order_by(NEWEST, "-pk")
        .for_listing()[:HOME_LATEST_GIFTS],
        "latest_flags": newly_published_flags()[:HOME_LATEST_FLAGS],
        "top_countries": top_countries,
    }
