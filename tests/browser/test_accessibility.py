"""Every public page passes axe-core (WCAG 2.2 A and AA rules, target size included, and
axe's best practices) with no serious or critical violation, on a desktop and on a phone.

axe-core runs inside the page as a screen-reader user's tools would see it; its rules are
axe-playwright-python's bundled copy, so the check needs nothing from the network.
"""

from pprint import pformat

import pytest
from axe_playwright_python.sync_playwright import Axe

from giftapp.models import Gift

from .conftest import DESKTOP

PHONE = {"width": 375, "height": 800}
BLOCKING = {"serious", "critical"}
# WCAG 2.2's target size (24 px, or spaced as far apart), which axe leaves off by default.
OPTIONS = {"rules": {"target-size": {"enabled": True}}}


def public_pages():
    """Every kind of public page, filtered and zoomed where its controls change."""
    gift = Gift.objects.public().filter(flags__isnull=False).first()
    return {
        "home": "/",
        "gift list": "/gifts/",
        "gift list, filtered and sorted": "/gifts/?recipient_country=KP&sort=-value",
        "gift": gift.get_absolute_url(),
        "visits": "/visits/",
        "visit": "/visits/putin-state-visit-to-the-dprk-2024/",
        "timeline": "/timeline/",
        "timeline, one year": "/timeline/?year_from=2024&year_to=2024",
        "timeline, a form error": "/timeline/?year_from=x",
        "leaders": "/leaders/",
        "leader": "/leaders/kim-jong-un/",
        "countries": "/countries/",
        "country": "/countries/KP/",
        "sanctions": "/sanctions/",
        "regime": "/sanctions/UN-SC1718/",
        "registers": "/registers/",
        "about": "/about/",
        "not found": "/no-such-page/",
    }


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_serious_accessibility_violation(new_page, demo, axe, viewport):
    page = new_page(viewport=viewport)
    found = {}
    for name, path in public_pages().items():
        page.goto(path)
        violations = axe.run(page, options=OPTIONS).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            found[name] = [
                (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"][:3]])
                for v in blocking
            ]
    assert not found, "axe-core found serious or critical violations:\n" + pformat(found)
