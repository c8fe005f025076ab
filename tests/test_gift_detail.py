"""The gift page: the sentence, facts, sanctions claims, sources, citation and change log."""

import datetime
from decimal import Decimal

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from giftapp.models import DatePrecision, FlagStatus, PublicationStatus
from giftapp.queries.history import GIFT_FIELDS, public_changes

from .factories import (
    make_flag,
    make_gift,
    make_leader,
    make_regime,
    make_source,
    make_staff,
    make_visit,
)
from .pages_support import (
    ARTWORKS,
    DRAFT_FLAG_RATIONALE,
    FIRST_CAR,
    LIMOUSINE,
    ConstantQueriesMixin,
    load_demo_story,
    page_text,
)

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
RETRACTED = PublicationStatus.RETRACTED


def moment(day):
    """Noon UTC on a day in 2024, for dating history entries."""
    return datetime.datetime(2024, 7, day, 12, tzinfo=datetime.UTC)


class DemoGiftPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def get(self, item):
        return self.client.get(f"/gifts/{self.gifts[item].pk}/")

    def test_heading_is_the_item_and_title_names_it(self):
        response = self.get(LIMOUSINE)
        self.assertContains(response, "<h1>Aurus Senat limousine (Kim&#x27;s second)</h1>")
        self.assertContains(response, "<title>Aurus Senat limousine (Kim&#x27;s second) ·")

    def test_sentence_names_giver_recipient_date_and_the_visit(self):
        text = page_text(self.get(LIMOUSINE))
        self.assertIn(
            "Given by Vladimir Putin (Russia) to Kim Jong Un (North Korea) on 19 June 2024, "
            "during Putin's state visit to the DPRK.",
            text,
        )

    def test_sentence_links_the_leaders_and_the_published_visit(self):
        response = self.get(LIMOUSINE)
        self.assertContains(response, '<a href="/leaders/vladimir-putin/">Vladimir Putin</a>')
        self.assertContains(
            response, '<a href="/visits/putin-state-visit-to-the-dprk-2024/">Putin&#x27;s state'
        )

    def test_gift_delivered_months_after_its_visit_is_tied_to_it_not_dated_within_it(self):
        text = page_text(self.get(FIRST_CAR))
        self.assertIn(
            "on 18 February 2024, in connection with Kim Jong Un's visit to Russia "
            "(12–17 September 2023).",
            text,
        )
        self.assertIn("Accounts of the date differ", text)

    def test_sanctions_box_frames_the_flag_as_a_claim_with_its_sources(self):
        text = page_text(self.get(LIMOUSINE))
        self.assertIn("Sanctions claims", text)
        self.assertIn("Alleged breach · UN DPRK sanctions", text)
        self.assertIn("A claim is not a verdict", text)
        self.assertIn(
            "Breitbart News (news report) alleged on 20 June 2024 that this gift breaches "
            "UN Security Council sanctions on the DPRK (1718 Committee).",
            text,
        )
        self.assertIn("Provisions relied on S/RES/1718 (2006) OP 8(a)(iii); S/RES/2397", text)
        self.assertIn("authority: UN Security Council", text)
        self.assertIn("No denial is recorded", text)
        box = text[text.index("Sanctions claims") : text.index("Cite this record")]
        self.assertIn("Sources for this claim Vladimir Putin and Kim Jong-un Trade Dogs", box)
        self.assertContains(self.get(LIMOUSINE), 'href="/sanctions/UN-SC1718/"')

    def test_artworks_page_shows_no_flag_because_its_flag_is_a_draft(self):
        response = self.get(ARTWORKS)
        text = page_text(response)
        self.assertNotIn("Sanctions claims", text)
        self.assertNotIn("Possible breach", text)
        self.assertNotIn("S/RES/2321", text)
        self.assertNotIn(DRAFT_FLAG_RATIONALE, text)
        self.assertNotContains(response, "badge-possible")

    def test_facts_table_shows_quantity_category_date_value_disposition_and_visit(self):
        text = page_text(self.get(ARTWORKS))
        self.assertIn("Quantity Not stated", text)
        self.assertIn("Category Artwork", text)
        self.assertIn("Date 19 June 2024 (precision: exact day)", text)
        self.assertIn("Value undisclosed", text)
        self.assertIn("What became of it Unknown", text)
        self.assertIn("Visit Putin's state visit to the DPRK (18–19 June 2024)", text)
        self.assertIn('"very good presents"', text)

    def test_sources_show_title_publisher_date_and_link(self):
        response = self.get(FIRST_CAR)
        text = page_text(response)
        sources = text[text.index("Sources [") if "Sources [" in text else 0 :]
        self.assertIn(
            "[report: North Korean media say Putin gave Kim Jong Un a car], "
            "The Kyiv Independent, 20 February 2024.",
            sources,
        )
        self.assertContains(
            response,
            'href="https://kyivindependent.com/north-korean-media-putin-gifts-car-to-kim-jong-un/"',
        )

    def test_cite_this_record_gives_the_permanent_url_and_last_updated_date(self):
        gift = self.gifts[LIMOUSINE]
        text = page_text(self.get(LIMOUSINE))
        today = timezone.now().date()
        self.assertIn(
            f"Diplomatic Gift Registry, “{LIMOUSINE}”, gift record {gift.pk}, last updated "
            f"{today.day} {today:%B} {today.year}. http://testserver/gifts/{gift.pk}/",
            text,
        )
        self.assertIn(f"Last updated {today.day} {today:%B} {today.year}", text)

    def test_change_log_shows_the_publication(self):
        text = page_text(self.get(LIMOUSINE))
        self.assertRegex(text, r"Change log \d+ \w+ \d{4}: Published")


class GiftSentenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = make_source()

    def sentence(self, **fields):
        gift = make_gift(sources=[self.source], **fields)
        text = page_text(self.client.get(gift.get_absolute_url()))
        return text[text.index("Given by") : text.index(".", text.index("Given by")) + 1]

    def test_register_wording_stands_in_for_a_missing_leader(self):
        self.assertEqual(
            self.sentence(
                giver_as_reported="His Majesty the King",
                recipient_as_reported="The Chancellor",
                giver_country="JO",
                recipient_country="DE",
            ),
            "Given by His Majesty the King (Jordan) to The Chancellor (Germany) on 19 June 2024.",
        )

    def test_register_wording_naming_the_country_is_not_followed_by_it_again(self):
        self.assertEqual(
            self.sentence(
                giver_as_reported="Government of Saudi Arabia",
                recipient_as_reported="The Chancellor",
                giver_country="SA",
                recipient_country="DE",
            ),
            "Given by Government of Saudi Arabia to The Chancellor (Germany) on 19 June 2024.",
        )

    def test_unnamed_parties_are_named_by_country(self):
        self.assertEqual(
            self.sentence(giver_country="FR", recipient_country="SU"),
            "Given by an unnamed giver from France to an unnamed recipient from Soviet Union "
            "on 19 June 2024.",
        )

    def test_month_year_and_unknown_dates_read_as_such(self):
        cases = [
            (datetime.date(2024, 6, 1), DatePrecision.MONTH, "in June 2024."),
            (datetime.date(2024, 1, 1), DatePrecision.YEAR, "in 2024."),
            (None, DatePrecision.UNKNOWN, "on an unknown date."),
        ]
        for date, precision, ending in cases:
            with self.subTest(precision=precision):
                sentence = self.sentence(date=date, date_precision=precision)
                self.assertTrue(sentence.endswith(ending), sentence)

    def test_draft_visit_is_neither_named_nor_linked(self):
        visit = make_visit(title="Secret summit in planning", publication_status=DRAFT)
        gift = make_gift(sources=[self.source], visit=visit)
        response = self.client.get(gift.get_absolute_url())
        self.assertNotContains(response, "Secret summit")
        self.assertNotContains(response, visit.get_absolute_url())
        self.assertIn("Visit None recorded", page_text(response))

    def test_visit_title_reads_inside_the_sentence(self):
        visit = make_visit(
            title="State visit of the King of Jordan to Germany",
            start_date=datetime.date(2024, 6, 18),
            end_date=datetime.date(2024, 6, 20),
        )
        gift = make_gift(sources=[self.source], visit=visit)
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn("during state visit of the King of Jordan to Germany.", text)


class GiftFactsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = make_source(
            title="Gifts register 2023",
            publisher="Federal Register",
            archived_url="https://web.archive.org/web/2024/https://example.org/register",
            quote="One oil painting, value $1,000",
        )
        cls.regime = make_regime()

    def test_value_in_foreign_currency_shows_dollars_and_its_note(self):
        gift = make_gift(
            sources=[self.source],
            value=Decimal("1000000"),
            currency="KRW",
            value_usd=Decimal("750"),
            value_note="converted at the 2024 average rate",
        )
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn("Value ₩ 1,000,000 (≈ US$ 750) converted at the 2024 average rate", text)

    def test_as_reported_block_quotes_the_register_verbatim(self):
        gift = make_gift(
            sources=[self.source],
            giver_as_reported="H.E. Mr. Example, Ambassador",
            recipient_as_reported="The Hon. Jane Doe, Secretary",
        )
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn("As reported", text)
        self.assertIn("Giver H.E. Mr. Example, Ambassador", text)
        self.assertIn("Recipient The Hon. Jane Doe, Secretary", text)

    def test_no_as_reported_block_without_register_wording(self):
        gift = make_gift(sources=[self.source])
        self.assertNotIn("As reported", page_text(self.client.get(gift.get_absolute_url())))

    def test_source_archived_link_and_quote_are_shown(self):
        gift = make_gift(sources=[self.source])
        response = self.client.get(gift.get_absolute_url())
        self.assertContains(
            response, 'href="https://web.archive.org/web/2024/https://example.org/register"'
        )
        self.assertIn("One oil painting, value $1,000", page_text(response))

    def test_denial_says_who_denied_it(self):
        gift = make_gift(sources=[self.source])
        make_flag(
            gift,
            self.regime,
            status=FlagStatus.DISPUTED,
            denied_by="The recipient's foreign ministry",
            denial="It says the gift was a souvenir of negligible value.",
        )
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn("the claim is disputed", text)
        self.assertIn(
            "Denial Denied by The recipient's foreign ministry: It says the gift was a souvenir",
            text,
        )

    def test_cleared_flag_stays_in_the_box_but_is_not_a_badge_in_the_header(self):
        gift = make_gift(sources=[self.source])
        make_flag(gift, self.regime, status=FlagStatus.CLEARED)
        response = self.client.get(gift.get_absolute_url())
        text = page_text(response)
        self.assertIn("the claim has been cleared", text)
        header = text[: text.index("Facts")]
        self.assertNotIn("Cleared", header)

    def test_editor_text_is_escaped(self):
        gift = make_gift(sources=[self.source], notes="<script>alert(1)</script>")
        response = self.client.get(gift.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


class ChangeLogTests(TestCase):
    """The change log tells what the public could see, never draft content or editors."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_staff("jane-the-editor")
        cls.source = make_source()
        cls.regime = make_regime()

    def save(self, record, day, **changes):
        for name, value in changes.items():
            setattr(record, name, value)
        record._history_date = moment(day)
        record._history_user = self.editor
        record.save()

    def make_draft(self):
        gift = make_gift(
            publication_status=DRAFT, notes="Unverified rumour from a draft", value_note=""
        )
        gift._history_date = moment(1)
        gift.sources.set([self.source])
        return gift

    def test_draft_history_is_hidden_and_first_publication_reads_published(self):
        gift = self.make_draft()
        self.save(gift, 2, notes="Checked wording, still in draft", item="Draft item name")
        self.save(gift, 3, publication_status=IN_REVIEW)
        self.save(gift, 4, publication_status=PUBLISHED, notes="Reviewed notes", item="Vase")
        response = self.client.get(gift.get_absolute_url())
        text = page_text(response)
        self.assertIn("Change log 4 July 2024: Published", text)
        for hidden in ("1 July", "2 July", "3 July", "Unverified rumour", "Draft item name"):
            self.assertNotIn(hidden, text)
        self.assertNotContains(response, "jane-the-editor")

    def test_changes_while_published_name_the_fields_that_changed(self):
        gift = self.make_draft()
        self.save(gift, 4, publication_status=PUBLISHED)
        self.save(gift, 6, notes="A corrected note", value_note="undisclosed")
        self.save(gift, 6, description="Added later the same day")
        self.save(gift, 8, source_hash="0" * 64)  # not a public field: no entry
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn(
            "Change log 6 July 2024: Changed: description, value note, notes "
            "4 July 2024: Published",
            text,
        )
        self.assertNotIn("8 July", text)
        self.assertIn("Last updated 6 July 2024", text)
        self.assertIn("last updated 6 July 2024.", text)

    def test_edits_made_out_of_public_view_show_only_as_their_result(self):
        gift = self.make_draft()
        self.save(gift, 4, publication_status=PUBLISHED)
        self.save(gift, 5, publication_status=IN_REVIEW, notes="Half-done rewrite")
        self.save(gift, 6, notes="Finished rewrite")
        self.save(gift, 7, publication_status=PUBLISHED)
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn("7 July 2024: Published again; Changed: notes", text)
        self.assertNotIn("5 July", text)
        self.assertNotIn("Half-done", text)

    def test_sources_added_later_are_a_change(self):
        gift = self.make_draft()
        self.save(gift, 4, publication_status=PUBLISHED)
        gift._history_date = moment(9)
        gift.sources.add(make_source())
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn("9 July 2024: Changed: sources", text)

    def test_public_flag_changes_appear_and_draft_flags_do_not(self):
        gift = self.make_draft()
        self.save(gift, 4, publication_status=PUBLISHED)
        flag = make_flag(gift, self.regime, publication_status=DRAFT, rationale="Draft basis")
        self.save(flag, 5)
        self.save(flag, 10, publication_status=PUBLISHED)
        self.save(flag, 12, status=FlagStatus.DISPUTED, denied_by="A ministry")
        hidden = make_flag(gift, make_regime("EU-X1"), publication_status=DRAFT)
        self.save(hidden, 11, provisions="Secret provisions")
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn(
            "12 July 2024: Sanctions flag (UN DPRK sanctions) changed: claim status "
            "(Alleged breach → Disputed), who denied it",
            text,
        )
        self.assertIn(
            "10 July 2024: Sanctions flag added: Alleged breach · UN DPRK sanctions", text
        )
        self.assertNotIn("5 July", text)
        self.assertNotIn("11 July", text)
        self.assertNotIn("Secret provisions", text)


class PublicChangesUnitTests(SimpleTestCase):
    def version(self, day, status=PUBLISHED, **fields):
        values = dict.fromkeys(GIFT_FIELDS, "") | fields
        return {"history_date": moment(day), "publication_status": status} | values

    def test_a_record_never_published_has_no_public_changes(self):
        versions = [self.version(1, DRAFT), self.version(2, IN_REVIEW, notes="x")]
        self.assertEqual(public_changes(versions, GIFT_FIELDS), [])

    def test_retracted_versions_are_skipped_and_compared_across(self):
        versions = [
            self.version(1, notes="a"),
            self.version(2, RETRACTED, notes="b"),
            self.version(3, notes="a"),
        ]
        changes = public_changes(versions, GIFT_FIELDS)
        self.assertEqual([c.kind for c in changes], ["published", "republished"])
        self.assertEqual(changes[1].fields, [])


class GiftDetailQueryCountTests(ConstantQueriesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()
        cls.giver = make_leader("Giver", country="FR")
        cls.visit = make_visit()
        cls.gift = make_gift(
            sources=[make_source(), make_source()], giver=cls.giver, visit=cls.visit
        )
        make_flag(cls.gift, cls.regime, sources=[make_source()])

    def test_gift_page_queries_do_not_grow_with_sources_flags_and_history(self):
        def add_rows():
            self.gift.sources.add(*[make_source() for _ in range(18)])
            for i in range(5):
                flag = make_flag(
                    self.gift, make_regime(f"EU-T{i}"), sources=[make_source(), make_source()]
                )
                flag.status = FlagStatus.DISPUTED
                flag.save()
            for i in range(10):
                self.gift.notes = f"Revision {i}"
                self.gift.save()

        # The gift, its sources, flags and their sources, two of its history and two of
        # its flags' history, the other registers' records of it, and the register rows
        # that record it.
        _before, after = self.assertQueriesDoNotGrow(self.gift.get_absolute_url(), 10, add_rows)
        self.assertIn("Revision 9", page_text(after))

    def test_retracted_gift_costs_one_query(self):
        gift = make_gift(publication_status=RETRACTED, retraction_reason="Wrong giver.")
        with self.assertNumQueries(1):
            response = self.client.get(gift.get_absolute_url())
        self.assertEqual(response.status_code, 410)
