"""Helpers for the public-page tests: what a reader sees, and query counts that must not
grow with the number of rows."""

import html
import re

from giftapp.demo import load_demo
from giftapp.models import Gift, Visit

_BLOCK_END = re.compile(
    r"</(?:p|li|td|th|tr|dt|dd|h[1-6]|div|caption|section|article|header|summary|label|option)>"
    r"|<br>"
)


def page_text(response):
    """The text of the page's <main> as a reader sees it: block ends become spaces,
    inline tags vanish, entities are decoded and spaces collapsed."""
    body = response.content.decode()
    start, end = body.find("<main"), body.find("</main>")
    main = body[start:end] if start >= 0 else body
    main = _BLOCK_END.sub(" ", main)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", main))).strip()


def load_demo_story():
    """Load the demo and return its gifts by item and its visits by slug."""
    load_demo()
    gifts = {gift.item: gift for gift in Gift.objects.all()}
    visits = {visit.slug: visit for visit in Visit.objects.all()}
    return gifts, visits


# The site's own scripts: external, from its static files, run by the CSP's 'self'.
SITE_SCRIPT = re.compile(r'<script src="/static/js/[\w.-]+\.js" defer></script>', re.IGNORECASE)

LIMOUSINE = "Aurus Senat limousine (Kim's second)"
FIRST_CAR = "Russian-made car (Aurus; Kim's first)"
ARTWORKS = "Artworks depicting Putin, including busts"
DOGS = "Two Pungsan hunting dogs"
DAGGER = "Admiral's dagger (naval dirk)"
TEA_SET = "Tea set"
VOSTOCHNY = "kim-jong-un-visit-to-russia-2023"
PYONGYANG = "putin-state-visit-to-the-dprk-2024"
DRAFT_FLAG_RATIONALE = "Editor's research note"


class ConstantQueriesMixin:
    def assertQueriesDoNotGrow(self, url, queries, add_rows, status=200):
        """The page costs `queries` queries, and still costs that after add_rows()."""
        with self.assertNumQueries(queries):
            before = self.client.get(url)
        self.assertEqual(before.status_code, status)
        add_rows()
        with self.assertNumQueries(queries):
            after = self.client.get(url)
        self.assertEqual(after.status_code, status)
        return before, after
