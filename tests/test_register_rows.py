"""Each failure class found by reading the imported US notices against their source rows,
as a test on the real row (ids of us-federal-register-gifts-1999-2018.csv)."""

import datetime
import functools
from decimal import Decimal

from django.test import SimpleTestCase

from giftapp.importers.us_federal_register import UsFederalRegisterAdapter

from .registers import register_rows

D = datetime.date


@functools.cache
def rows():
    _header, found = register_rows("us-federal-register-gifts-1999-2018.csv")
    return {row["id"]: row for row in reversed(found)}  # the first row of a repeated id


def entries(row_id):
    return UsFederalRegisterAdapter().entries(rows()[row_id], 2)


class RealRowTests(SimpleTestCase):
    def test_a_range_is_a_note_never_its_lower_end(self):
        (entry,) = entries("2358")  # "Est. Value--$1,000-- $1,500."
        self.assertIsNone(entry.value)
        self.assertEqual(entry.value_note, "between $1,000.00 and $1,500.00")

    def test_a_total_is_the_value(self):
        (entry,) = entries("1726")  # "$125.00 and $210.00, respectively. Total Value: $335.00"
        self.assertEqual(entry.value, Decimal("335.00"))

    def test_a_link_in_the_cell_keeps_what_follows_it(self):
        (entry,) = entries("2769")  # '[<a href="http://www.CCT labeled …'
        self.assertEqual(entry.value, Decimal("40.00"))
        self.assertEqual((entry.date, entry.date_precision), (D(2007, 11, 5), "day"))
        self.assertEqual(entry.disposition, "state_collection")
        self.assertNotIn("<a", entry.description)

    def test_a_numbered_list_is_not_an_item_named_1(self):
        (entry,) = entries("2866")  # "1. Book: Mam jalal, …; 2. Inlaid box, …"
        self.assertEqual(entry.item, "Book: Mam jalal and Inlaid box")

    def test_a_brand_with_initials_is_not_cut(self):
        (entry,) = entries("5553")  # "S.T. Dupont pen. Hermes silk scarf."
        self.assertEqual(entry.item, "S.T. Dupont pen and Hermes silk scarf")

    def test_every_object_of_a_short_list_is_named(self):
        (entry,) = entries("7837")  # "Ruby necklace. Coffee table book, title: …"
        self.assertEqual(entry.item, "Ruby necklace and Coffee table book: Defenders of Pakistan")
        (entry,) = entries("8063")  # the second sentence describes the first object
        self.assertNotIn("Accompanying", entry.item)

    def test_entity_codes_are_letters(self):
        (entry,) = entries("6235")
        self.assertEqual(entry.giver.name, "Dalia Grybauskaitė")

    def test_a_lost_slash_in_a_date(self):
        (entry,) = entries("1726")  # "Date Received: 9 14/2004"
        self.assertEqual((entry.date, entry.date_precision), (D(2004, 9, 14), "day"))

    def test_travel_is_its_own_category_with_no_inferred_fate(self):
        (entry,) = entries("5412")  # "TRAVEL: Airfare and barrack lodging …"
        self.assertEqual(entry.category, "travel")
        self.assertEqual(entry.disposition, "unknown")

    def test_quantity_is_never_guessed(self):
        (entry,) = entries("6164")
        self.assertIsNone(entry.quantity)

    def test_a_withheld_donor_is_not_stated_and_a_named_one_keeps_the_country_it_names(self):
        (withheld,) = entries("156")  # "Redacted -- Disclosure could adversely affect …"
        self.assertTrue(withheld.giver_not_stated)
        self.assertEqual(withheld.giver.country, "")
        first = entries("941")[0]  # "Mrs. Lee Hee-ho, First Lady of the Republic of Korea"; NA
        self.assertEqual(first.giver.country, "KR")
        self.assertFalse(first.giver_not_stated)
        self.assertIn("the donor's title names", first.notes)

    def test_the_notice_itself_where_the_row_names_it(self):
        (entry,) = entries("330")  # "… [FR Doc. 00-6858 Filed 3-23-00; 8:45 am"
        (source,) = entry.sources
        self.assertEqual(source.url, "https://www.federalregister.gov/d/00-6858")
        self.assertEqual(source.kind, "the notice itself")
        self.assertNotIn("FR Doc", entry.recipient.title)
        (other,) = entries("6164")[0].sources
        self.assertIn("search", other.kind)
