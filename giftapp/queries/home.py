"""The home page: counts, the countries most active, the latest gifts and flags."""

from ..models import Gift, SanctionsFlag
from .countries import country_activity

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
        "latest_gifts": Gift.objects.public()
        .for_listing()
        .order_by("-published_at", "-pk")[:HOME_LATEST_GIFTS],
        "latest_flags": SanctionsFlag.objects.public()
        .select_related("regime", "gift")
        .order_by("-published_at", "-pk")[:HOME_LATEST_FLAGS],
        "top_countries": top_countries,
    }
