"""Phone width and keyboard use: what only a browser can show."""

import pytest
from playwright.sync_api import expect

from giftapp.demo import GIFTS
from giftapp.models import Gift

PHONE = {"width": 375, "height": 800}
# Sub-pixel rounding may add a pixel; anything wider scrolls sideways.
OVERFLOW_MARGIN = 2
PAGE_WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def test_gift_list_fits_a_phone_screen_and_its_filters_are_reachable(new_page, demo, screenshot):
    page = new_page(viewport=PHONE)
    page.goto("/gifts/")

    width = page.evaluate(PAGE_WIDTH)
    screenshot(page, "phone-gift-list")
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert width <= PHONE["width"] + OVERFLOW_MARGIN, (
        f"the page is {width}px wide on a {PHONE['width']}px screen"
    )

    # Results first; the filters behind one button.
    assert page.locator("table.gifts tbody tr").first.bounding_box()["y"] < PHONE["height"]
    page.get_by_role("link", name="Filter and sort").click()
    either_country = page.get_by_role("combobox", name="Either country", exact=True)
    expect(either_country).to_be_in_viewport()
    expect(either_country).to_be_enabled()
    box = either_country.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"], "the filter control is cut off at the right"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/timeline/",
        "gift",
        "/visits/putin-state-visit-to-the-dprk-2024/",
        "/leaders/kim-jong-un/",
        "/countries/KP/",
        "/sanctions/UN-SC1718/",
        "/about/",
    ],
    ids=["home", "timeline", "gift", "visit", "leader", "country", "regime", "about"],
)
def test_page_does_not_scroll_sideways_on_a_phone(new_page, demo, path):
    if path == "gift":
        path = Gift.objects.get(item=GIFTS["G3"]["item"]).get_absolute_url()
    page = new_page(viewport=PHONE)
    page.goto(path)

    width = page.evaluate(PAGE_WIDTH)

    assert width <= PHONE["width"] + OVERFLOW_MARGIN, (
        f"{path} is {width}px wide on a {PHONE['width']}px screen"
    )


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_content(new_page, demo):
    page = new_page()
    page.goto("/")
    skip_link = page.get_by_role("link", name="Skip to content")

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()
    assert page.url.endswith("#content")
