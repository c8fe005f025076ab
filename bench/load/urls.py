"""Write the request paths of the load test, one per line, drawn from the registry's data.

    DATABASE_URL=… uv run python bench/load/urls.py [N] > paths.txt

N paths (default 2000) in the mix of a public registry's traffic: the gift list under
filters (countries, categories, years, flags, search words, sorting, later pages), gift
pages, visits, the timeline, leader, country and sanctions pages, feeds, and filtered CSV
and JSON exports. Always the same paths for the same data (fixed seed).
"""

import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

import django

# The mix: share of requests per kind.
MIX = {
    "gift list": 30,
    "gift page": 25,
    "visit list or page": 8,
    "timeline": 8,
    "leader page": 6,
    "country page": 6,
    "sanctions": 3,
    "feed": 6,
    "export": 6,
    "home or about": 2,
}


def main(count):
    from giftapp.models import Category, Gift, Leader, SanctionsRegime, Visit

    rng = random.Random(7)
    gift_ids = list(Gift.objects.public().values_list("pk", flat=True)[:20000])
    visit_slugs = list(Visit.objects.published().values_list("slug", flat=True)[:5000])
    leaders = list(
        Leader.objects.filter(gifts_given__publication_status="published")
        .values_list("slug", flat=True)
        .distinct()[:2000]
    )
    countries = list(Gift.objects.public().values_list("recipient_country", flat=True).distinct())
    regimes = list(SanctionsRegime.objects.values_list("code", flat=True))
    words = ["vase", "book", "watch", "carpet", "painting", "sword", "wine", "medal", "tea"]
    categories = [c.value for c in Category]
    if not (gift_ids and visit_slugs and leaders and countries):
        sys.exit("The registry is empty: fill it first (bench/generate.py).")

    def year_range():
        start = rng.randint(1975, 2024)
        return {"date_from": f"{start}-01-01", "date_to": f"{start + rng.randint(0, 5)}-12-31"}

    def list_filters():
        choice = rng.randrange(9)
        if choice == 0:
            return {}
        if choice == 1:
            return {"recipient_country": rng.choice(countries)}
        if choice == 2:
            giver, recipient = rng.sample(countries, 2)
            return {"giver_country": giver, "recipient_country": recipient}
        if choice == 3:
            return {"category": rng.choice(categories)} | year_range()
        if choice == 4:
            return {"flagged": "yes"}
        if choice == 5:
            return {"q": rng.choice(words)}
        if choice == 6:
            return {"leader": rng.choice(leaders)}
        if choice == 7:
            sort = rng.choice(["value", "-value", "item"])
            return {"country": rng.choice(countries), "sort": sort}
        return {"page": rng.randint(2, 10)}

    def path(kind):
        if kind == "gift list":
            query = urlencode(list_filters())
            return f"/gifts/?{query}" if query else "/gifts/"
        if kind == "gift page":
            return f"/gifts/{rng.choice(gift_ids)}/"
        if kind == "visit list or page":
            if rng.random() < 0.2:
                return f"/visits/?page={rng.randint(1, 5)}"
            return f"/visits/{rng.choice(visit_slugs)}/"
        if kind == "timeline":
            query = {"country": rng.choice(countries)}
            if rng.random() < 0.5:
                start = rng.randint(1975, 2020)
                query |= {"year_from": start, "year_to": start + 4}
            return "/timeline/?" + urlencode(query)
        if kind == "leader page":
            return f"/leaders/{rng.choice(leaders)}/"
        if kind == "country page":
            return f"/countries/{rng.choice(countries)}/"
        if kind == "sanctions":
            return rng.choice(["/sanctions/"] + [f"/sanctions/{code}/" for code in regimes])
        if kind == "feed":
            return rng.choice(["/feeds/gifts/", "/feeds/flags/"])
        if kind == "export":
            query = {"recipient_country": rng.choice(countries)} | year_range()
            query["format"] = rng.choice(["csv", "json"])
            return "/gifts/?" + urlencode(query)
        return rng.choice(["/", "/about/", "/countries/", "/leaders/"])

    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    for kind in kinds:
        print(path(kind))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    django.setup()
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
