"""Pakistan's Toshakhana record (pk-toshakhana), on its real rows."""

from decimal import Decimal

from django.test import TestCase

from giftapp.importers.pk_toshakhana import HEADING_REPEATED, quantity_of
from giftapp.models import Gift, RegisterEntry

from .test_import_registers import FIXTURES, import_file, rows_in

SLICE = FIXTURES / "pk-toshakhana-slice.csv"


class ToshakhanaImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.result = import_file(SLICE, "pk-toshakhana", publish=True)
        cls.entries = {e.record: e for e in RegisterEntry.objects.all()}

    def gift(self, record):
        return self.entries[record].gift

    def test_every_row_is_accounted_for(self):
        self.assertTrue(self.result.written)
        self.assertEqual(sorted(self.entries), list(range(1, len(rows_in(SLICE)) + 1)))
        statuses = {record: entry.status for record, entry in self.entries.items()}
        self.assertEqual(statuses[6], "rejected")  # no description
        self.assertIn("names no gift", self.entries[6].reason)
        self.assertEqual(statuses[9], "skipped")  # the printed heading, repeated
        self.assertEqual(self.entries[9].reason, HEADING_REPEATED)
        self.assertEqual(statuses[10], "rejected")  # a date where the recipient should be
        self.assertIn("shifted", self.entries[10].reason)
        self.assertEqual(Gift.objects.count(), 15)

    def test_the_giver_is_not_stated_and_the_gift_is_published(self):
        gift = self.gift(1)
        self.assertTrue(gift.giver_not_stated)
        self.assertIsNone(gift.giver)
        self.assertEqual(gift.giver_country, "")
        self.assertEqual(gift.publication_status, "published")
        self.assertEqual(gift.recipient.name, "Abdul Sattar")
        self.assertEqual(gift.recipient_title, "Minister for Foreign Affairs")
        self.assertEqual(gift.recipient_country, "PK")

    def test_line_breaks_and_doubled_spaces_are_joined(self):
        gift = self.gift(1)  # "Two  small  silver\nBowls"
        self.assertEqual(gift.item, "Two small silver Bowls")
        self.assertEqual(gift.quantity, 2)  # the record states two
        self.assertEqual(gift.category, "decoration")  # its own "Decoration Pieces"

    def test_rupees_convert_at_the_years_average_rate(self):
        gift = self.gift(1)
        self.assertEqual((gift.value, gift.currency), (Decimal("5000.00"), "PKR"))
        self.assertEqual(gift.value_usd, Decimal("83.72"))  # 5000 / 59.7238 (2002)
        self.assertIn("2002 average rate", gift.value_usd_basis)

    def test_an_assessed_value_of_nil_is_not_a_price(self):
        gift = self.gift(7)  # "A Chess", assessed 0.0
        self.assertIsNone(gift.value)
        self.assertIsNone(gift.value_usd)
        self.assertIn("not assessed", gift.value_note)

    def test_the_retained_column_and_the_retention_cost(self):
        self.assertEqual(self.gift(1).disposition, "retained")  # Yes, nothing paid
        self.assertEqual(self.gift(5).disposition, "purchased")  # "Amount", PKR 747 paid
        self.assertIn("Retention cost paid: PKR 747", self.gift(5).notes)
        self.assertEqual(self.gift(11).disposition, "retained")  # displayed at the Senate
        # "-do-" repeats the row above, and says what it repeated.
        self.assertEqual(self.gift(12).disposition, "retained")
        self.assertIn("Displayed at Senate Secretariat", self.gift(12).notes)
        self.assertEqual(self.gift(17).disposition, "unknown")  # "In Process"
        self.assertEqual(self.gift(18).disposition, "state_collection")  # "No"

    def test_a_list_of_objects_is_one_gift_without_a_quantity(self):
        gift = self.gift(14)  # "a) One Shield b) One Camel (Souvenir)"
        self.assertEqual(gift.item, "One Shield and One Camel")
        self.assertEqual(gift.description, "a) One Shield b) One Camel (Souvenir)")
        self.assertIsNone(gift.quantity)

    def test_quantity_only_when_stated(self):
        self.assertEqual(quantity_of("Two carpets"), 2)
        self.assertEqual(quantity_of("One wrist watch"), 1)
        self.assertIsNone(quantity_of("Wrist Watch Victoria"))
        self.assertIsNone(quantity_of("One pair of cufflinks; One pen"))

    def test_reimporting_changes_nothing(self):
        again = import_file(SLICE, "pk-toshakhana", publish=True)
        self.assertFalse(again.written)
        self.assertEqual(RegisterEntry.objects.count(), len(self.entries))
