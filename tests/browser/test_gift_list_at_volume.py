"""The analyst's desk with 20,000 gifts (the synthetic registry of bench/generate_registry.py):
how many gifts a screen shows, that nothing scrolls sideways, that a phone shows a result on
its first screen, and that sorting and page size live in the URL.

With UPDATE_SCREENSHOTS=1, the main pages at both sizes are saved to docs/screenshots/
(the README shows two of them); otherwise to test-artifacts/."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from bench.generate_registry import Command as Generate
from giftapp.models import Gift, Leader
from giftapp.views.gifts import GiftListView

from .conftest import ARTIFACTS, DESKTOP

GIFTS = 20_000
PHONE = {"width": 390, "height": 844}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGE_WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
ROWS = "table.gifts tbody tr"


@pytest.fixture
def registry(transactional_db):
    call_command(Generate(), gifts=GIFTS, seed=3, stdout=io.StringIO())
    assert Gift.objects.count() == GIFTS


def rows_on_first_screen(page, height):
    return page.evaluate(
        f"""Array.from(document.querySelectorAll("{ROWS}"))
            .filter(row => row.getBoundingClientRect().bottom <= {height}).length"""
    )


def assert_no_sideways_scroll(page, width):
    wide = page.evaluate(PAGE_WIDTH)
    assert wide <= width + 2, f"{page.url} is {wide}px wide on a {width}px screen"


def dollars(text):
    digits = re.sub(r"[^0-9]", "", text)
    return int(digits) if digits else None


def test_a_screen_of_gifts_on_a_desktop(new_page, registry):
    page = new_page(viewport=DESKTOP)
    page.goto("/gifts/")
    expect(page.locator(ROWS)).to_have_count(50)
    # Compact one-line rows: the first screen shows many gifts, not five.
    assert rows_on_first_screen(page, DESKTOP["height"]) >= 10
    heights = page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.offsetHeight)")
    assert max(heights) <= 48, f"a row is {max(heights)}px high: it wraps"
    assert_no_sideways_scroll(page, DESKTOP["width"])

    # Sorting and page size are the URL; the headers sort and say how.
    page.goto("/gifts/?sort=-value&per_page=100")
    expect(page.locator(ROWS)).to_have_count(100)
    expect(page.get_by_label("Gifts per page")).to_have_value("100")
    expect(page.locator('th[aria-sort="descending"]')).to_have_text(re.compile("Value"))
    values = [dollars(t) for t in page.locator(f"{ROWS} td.num").all_inner_texts()]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=True) and len(known) > 50
    page.get_by_role("link", name="Giver", exact=True).click()
    page.wait_for_url(re.compile(r"sort=giver(&|$)"))
    assert "per_page=100" in page.url
    givers = page.locator(f"{ROWS} td.party:nth-child(3)").all_inner_texts()
    named = [g for g in givers if g not in ("Unnamed", "Not stated")]
    assert named == sorted(named, key=str.lower)

    # Numbered pages that end at the last one the list reaches.
    total = Gift.objects.public().count()
    last = min(-(-total // 100), GiftListView.max_rows // 100)
    pages = page.get_by_role("navigation", name="Pages of results")
    expect(pages.get_by_role("link", name=f"Page {last:,}", exact=True)).to_be_visible()

    # A long facet list is searchable.
    search = page.get_by_label("Find a giver country")
    search.fill("kor")
    shown = page.locator(".facet-group[data-facet-search='Giver country'] li:visible a")
    expect(shown.first).to_be_visible()
    for name in shown.all_inner_texts():
        assert "kor" in name.lower(), name


def test_results_first_on_a_phone(new_page, registry):
    page = new_page(viewport=PHONE)
    page.goto("/gifts/")
    first = page.locator(ROWS).first.bounding_box()
    assert first["y"] + first["height"] <= PHONE["height"], "the first gift is below the fold"
    assert rows_on_first_screen(page, PHONE["height"]) >= 3
    assert_no_sideways_scroll(page, PHONE["width"])
    page.get_by_role("link", name="Filter and sort").click()
    expect(page.get_by_label("Search", exact=True)).to_be_in_viewport()


def test_the_main_pages_at_both_sizes(new_page, registry):
    """No page scrolls sideways; each is kept as a picture of what a reader sees."""
    update = os.environ.get("UPDATE_SCREENSHOTS", "").strip() in {"1", "true", "yes"}
    folder = DOCS if update else ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    leader = Leader.objects.filter(gifts_given__publication_status="published").first()
    gift = Gift.objects.public().exclude(description="").order_by("pk").first()
    pages = {
        "home": "/",
        "gift-list": "/gifts/",
        "gift": gift.get_absolute_url(),
        "leader": leader.get_absolute_url(),
        "leaders": "/leaders/",
        "countries": "/countries/",
        "timeline": "/timeline/",
        "timeline-year": f"/timeline/?year_from={gift.date.year}&year_to={gift.date.year}",
    }
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport)
        for name, path in pages.items():
            response = page.goto(path)
            assert response.status == 200, path
            assert_no_sideways_scroll(page, viewport["width"])
            page.screenshot(path=folder / f"{name}-{size}.png")
