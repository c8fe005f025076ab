"""The second transcription of the US notices (us-foreign-gifts), on its real rows."""

import datetime
from decimal import Decimal

from django.test import SimpleTestCase, TestCase

from giftapp.importers.base import RowError, Skip
from giftapp.importers.us_foreign_gifts import (
    WITHHELD_NOTE,
    UsForeignGiftsAdapter,
    parse_received,
    parse_value,
)
from giftapp.models import Gift, RegisterEntry

from .test_import_registers import FIXTURES, import_file, rows_in

D = datetime.date
SLICE = FIXTURES / "us-foreign-gifts-slice.csv"


def row(row_id):
    return next(r for r in rows_in(SLICE) if r["id"] == str(row_id))


class ParsingTests(SimpleTestCase):
    def setUp(self):
        self.adapter = UsForeignGiftsAdapter()

    def entry(self, row_id):
        (entry,) = self.adapter.entries(row(row_id), 2)
        return entry

    def test_dates_in_every_form_the_data_set_writes(self):
        self.assertEqual(parse_received("2022-03-02"), (D(2022, 3, 2), "day", ""))
        self.assertEqual(parse_received("2010-08"), (D(2010, 8, 1), "month", ""))
        self.assertEqual(parse_received("2016"), (D(2016, 1, 1), "year", ""))
        self.assertEqual(parse_received("Unknown"), (None, "unknown", ""))
        self.assertEqual(parse_received(""), (None, "unknown", ""))
        day, precision, note = parse_received("2014-05-19-2014-05-24")
        self.assertEqual((day, precision), (D(2014, 5, 19), "day"))
        self.assertIn("2014-05-24", note)
        day, precision, note = parse_received("2022-05-27–2022-06-05")
        self.assertEqual((day, precision), (D(2022, 5, 27), "day"))
        # A day that does not exist is read as its month, and said.
        day, precision, note = parse_received("2011-05-32")
        self.assertEqual((day, precision), (D(2011, 5, 1), "month"))
        self.assertIn("no such day", note)
        with self.assertRaises(RowError):
            parse_received("spring 2011")

    def test_a_blank_value_is_said_never_guessed(self):
        self.assertEqual(parse_value("650.0"), (Decimal("650.00"), ""))
        self.assertEqual(parse_value(""), (None, "the register gives no value"))
        amount, note = parse_value("about 500")
        self.assertIsNone(amount)
        self.assertIn("not a number", note)
        entry = self.entry(311)
        self.assertIsNone(entry.value)
        self.assertEqual(entry.currency, "")
        self.assertEqual(entry.value_note, "the register gives no value")

    def test_a_row_with_its_columns(self):
        entry = self.entry(1)
        self.assertEqual(entry.item, "Painting “At Parika Stelling (Guyana)”")
        self.assertEqual((entry.giver.name, entry.giver.country), ("Mohamed Irfaan Ali", "GY"))
        self.assertEqual(entry.giver.title, "President")
        self.assertEqual(entry.recipient.country, "US")
        self.assertEqual(
            entry.recipient.title,
            "The Honorable Joseph R. Biden Jr., President of the United States",
        )
        self.assertEqual((entry.date, entry.date_precision), (D(2022, 3, 2), "day"))
        self.assertEqual((entry.value, entry.currency, entry.value_usd), (650, "USD", 650))
        self.assertEqual(entry.disposition, "archives")
        self.assertEqual(entry.import_key, "us-foreign-gifts:1:1")
        self.assertIsNone(entry.quantity)  # the row states none
        self.assertFalse(entry.giver_not_stated)

    def test_a_withheld_donor_is_a_stated_fact(self):
        entry = self.entry(177)
        self.assertTrue(entry.giver_not_stated)
        self.assertEqual((entry.giver.name, entry.giver.country), ("", ""))
        self.assertIn(WITHHELD_NOTE, entry.notes)
        self.assertIn("7342", entry.giver.as_reported)

    def test_the_wrong_country_of_row_554_is_corrected_with_its_reason(self):
        entry = self.entry(554)
        self.assertEqual(entry.giver.country, "KR")
        self.assertIn("Constitutional Court of Korea", entry.notes)

    def test_a_country_cell_that_is_not_a_country_is_not_guessed(self):
        entry = self.entry(1767)  # donor_country "Italian"; the donor is "Major of Vicenza"
        self.assertIn("Italian, is not a country name", entry.notes)
        self.assertEqual(entry.giver.country, "")
        self.assertTrue(entry.giver_not_stated)
        self.assertEqual(entry.giver.as_reported, row(1767)["foreign_donor"])

    def test_an_international_organisation_is_out_of_scope(self):
        with self.assertRaises(Skip):
            self.adapter.entries(row(2954), 2)


class ImportTests(TestCase):
    def test_every_row_is_an_entry_and_withheld_donors_publish(self):
        result = import_file(SLICE, "us-foreign-gifts", publish=True)
        self.assertTrue(result.written)
        rows = rows_in(SLICE)
        self.assertEqual(
            sorted(RegisterEntry.objects.filter(entry=1).values_list("row", flat=True)),
            sorted(r["id"] for r in rows),
        )
        withheld = Gift.objects.get(import_key="us-foreign-gifts:177:1")
        self.assertEqual(withheld.publication_status, "published")
        self.assertTrue(withheld.giver_not_stated)
        self.assertEqual(withheld.own_publication_problems(), [])
