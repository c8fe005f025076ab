"""Atom feeds of newly published gifts and flags: valid XML, public records only."""

import datetime
import xml.etree.ElementTree as ET

from django.test import TestCase
from django.utils import timezone

from giftapp.feeds import FEED_ITEMS
from giftapp.models import Gift, PublicationStatus, SanctionsFlag

from .factories import make_flag, make_gift, make_regime
from .pages_support import ARTWORKS, FIRST_CAR, LIMOUSINE, ConstantQueriesMixin, load_demo_story

ATOM = "{http://www.w3.org/2005/Atom}"
DRAFT = PublicationStatus.DRAFT
RETRACTED = PublicationStatus.RETRACTED


def entries(response):
    """The feed's entries as dicts of their child elements' text."""
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed", root.tag
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        item = {child.tag.removeprefix(ATOM): child.text for child in entry}
        item["link"] = entry.find(f"{ATOM}link").get("href")
        found.append(item)
    return found


class DemoFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()
        make_gift(item="Draft snuff box", publication_status=DRAFT)
        make_gift(item="Retracted sword", publication_status=RETRACTED, retraction_reason="Hoax.")

    def test_gift_feed_is_atom_with_every_published_gift(self):
        response = self.client.get("/feeds/gifts/")
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        items = entries(response)
        self.assertEqual(len(items), 6)
        titles = {item["title"] for item in items}
        self.assertIn(LIMOUSINE, titles)
        self.assertNotIn("Draft snuff box", titles)
        self.assertNotIn("Retracted sword", titles)

    def test_gift_entries_have_links_dates_and_a_description(self):
        gift = self.gifts[LIMOUSINE]
        item = next(i for i in entries(self.client.get("/feeds/gifts/")) if i["title"] == LIMOUSINE)
        self.assertEqual(item["link"], f"http://testserver/gifts/{gift.pk}/")
        published = datetime.datetime.fromisoformat(item["published"])
        self.assertEqual(published.replace(microsecond=0), gift.published_at.replace(microsecond=0))
        self.assertTrue(item["updated"])
        self.assertIn(
            "Given by Vladimir Putin (Russia) to Kim Jong Un (North Korea) on 19 June 2024, "
            "during Putin&#x27;s state visit to the DPRK.",
            item["summary"],
        )

    def test_flag_feed_has_only_public_flags(self):
        items = entries(self.client.get("/feeds/flags/"))
        titles = sorted(item["title"] for item in items)
        self.assertEqual(
            titles,
            [
                f"Alleged breach · UN DPRK sanctions: {LIMOUSINE}",
                f"Alleged breach · UN DPRK sanctions: {FIRST_CAR}",
            ],
        )
        self.assertNotIn(ARTWORKS, " ".join(titles))
        summaries = " ".join(item["summary"] for item in items)
        self.assertIn("Breitbart News (news report) alleged on 20 June 2024", summaries)
        self.assertIn("A flag records a claim, never a verdict.", summaries)
        self.assertNotIn("Editor", summaries)
        flag = SanctionsFlag.objects.get(gift=self.gifts[LIMOUSINE])
        self.assertIn(
            f"http://testserver/gifts/{flag.gift_id}/#flag-{flag.pk}", [i["link"] for i in items]
        )


class FeedVisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()
        published = make_gift(item="Published gift")
        draft = make_gift(item="Draft gift", publication_status=DRAFT)
        make_flag(published, cls.regime, provisions="Public flag")
        make_flag(draft, cls.regime, provisions="Flag on a draft gift")
        make_flag(published, make_regime("EU-X"), publication_status=DRAFT)
        make_flag(
            published,
            make_regime("US-X"),
            publication_status=RETRACTED,
            retraction_reason="Misread source.",
        )

    def test_flag_is_listed_only_when_it_and_its_gift_are_published(self):
        items = entries(self.client.get("/feeds/flags/"))
        self.assertEqual(len(items), 1)
        self.assertIn("Public flag", items[0]["summary"])

    def test_editor_markup_arrives_escaped_in_descriptions(self):
        make_gift(item="Bold <b>item</b>", description="<script>alert('x')</script>")
        response = self.client.get("/feeds/gifts/")
        item = next(i for i in entries(response) if i["title"] == "Bold <b>item</b>")
        # A reader decodes the html summary once: it must still read as text, not markup.
        self.assertIn("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", item["summary"])
        self.assertNotIn("<script>", item["summary"])


class FeedLimitAndQueryTests(ConstantQueriesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()
        for i in range(2):
            make_flag(make_gift(item=f"Gift {i}"), cls.regime)

    def add_rows(self):
        start = timezone.now()
        for i in range(FEED_ITEMS + 5):
            gift = make_gift(item=f"Later gift {i:02d}")
            make_flag(gift, self.regime)
            stamp = start + datetime.timedelta(minutes=i + 1)
            Gift.objects.filter(pk=gift.pk).update(published_at=stamp)
            SanctionsFlag.objects.filter(gift=gift).update(published_at=stamp)

    def test_gift_feed_holds_the_newest_fifty(self):
        _before, after = self.assertQueriesDoNotGrow("/feeds/gifts/", 1, self.add_rows)
        items = entries(after)
        self.assertEqual(len(items), FEED_ITEMS)
        self.assertEqual(items[0]["title"], f"Later gift {FEED_ITEMS + 4:02d}")
        self.assertNotIn("Gift 0", [item["title"] for item in items])

    def test_flag_feed_holds_the_newest_fifty(self):
        _before, after = self.assertQueriesDoNotGrow("/feeds/flags/", 1, self.add_rows)
        items = entries(after)
        self.assertEqual(len(items), FEED_ITEMS)
        self.assertTrue(items[0]["title"].endswith(f"Later gift {FEED_ITEMS + 4:02d}"))
