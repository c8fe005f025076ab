"""The UK ministers' gifts adapter on a slice of the real register, and on all of it."""

import csv
import datetime
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.test import SimpleTestCase

from giftapp.codes import COUNTRY_CODES
from giftapp.importers.base import RowError, Skip
from giftapp.importers.uk_ministers import DONORS_FILE, OUTCOMES_FILE, UkMinistersAdapter
from giftapp.models import Category, Disposition

from .registers import register_rows

D = datetime.date
FIXTURE = Path(__file__).parent / "fixtures" / "registers" / "uk-ministers-slice.csv"
FULL_REGISTER = "uk-ministers-gifts-2024-2025.csv"
COLLECTION = "https://www.gov.uk/government/collections/register-of-ministers-gifts-and-hospitality"


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def check_entry(test, entry):
    test.assertTrue(entry.item.strip())
    test.assertLessEqual(len(entry.item), 300)
    test.assertIn(entry.category, Category.values)
    test.assertIn(entry.disposition, Disposition.values)
    test.assertEqual(entry.date_precision, "day")
    test.assertIsNotNone(entry.date)
    test.assertEqual(entry.value is None, entry.currency == "")
    test.assertIn(entry.currency, ("", "GBP"))
    # Pounds convert to dollars at the year's average rate, and say so.
    test.assertEqual(entry.value_usd is None, entry.value is None)
    if entry.value is not None:
        test.assertRegex(entry.value_usd_basis, r"^converted at the 202[45] average rate")
    test.assertRegex(entry.import_key, r"^uk-ministers:[0-9a-f]{12}:1$")
    sides = {entry.giver.country, entry.recipient.country}
    test.assertIn("GB", sides)
    test.assertEqual(len(sides), 2)
    test.assertTrue(sides <= set(COUNTRY_CODES))
    test.assertEqual(len(entry.sources), 1)


class UkMinistersSliceTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.adapter = UkMinistersAdapter()
        cls.header, cls.rows = read_rows(FIXTURE)

    def matching(self, **cells):
        """The fixture rows (with their lines) whose cells equal the given ones."""
        found = [
            (line, row)
            for line, row in enumerate(self.rows, start=2)
            if all(row[column] == value for column, value in cells.items())
        ]
        self.assertTrue(found, f"no fixture row with {cells}")
        return found

    def find(self, **cells):
        return self.matching(**cells)[0]

    def entry(self, **cells):
        """The gift of the first matching row that imports (or that row's exception)."""
        rows = self.matching(**cells)
        for line, row in rows[:-1]:
            try:
                (entry,) = self.adapter.entries(dict(row), line)
            except (Skip, RowError):
                continue
            return entry
        line, row = rows[-1]
        (entry,) = self.adapter.entries(dict(row), line)
        return entry

    def changed(self, changes, **cells):
        line, row = self.find(**cells)
        return self.adapter.entries(dict(row) | changes, line)

    def test_the_adapter_expects_the_registers_header_and_has_no_id(self):
        self.assertEqual(self.adapter.name, "uk-ministers")
        self.assertEqual(list(self.adapter.columns), self.header)
        self.assertEqual(self.adapter.id_column, "")

    def test_every_row_of_the_slice_ends_as_a_gift_a_skip_or_an_error(self):
        outcomes = Counter()
        for line, row in enumerate(self.rows, start=2):
            try:
                entries = self.adapter.entries(dict(row), line)
            except Skip:
                outcomes["skipped"] += 1
            except RowError:
                outcomes["rejected"] += 1
            else:
                self.assertEqual(len(entries), 1)
                check_entry(self, entries[0])
                outcomes["imported"] += 1
        self.assertEqual(sum(outcomes.values()), len(self.rows))
        self.assertEqual(outcomes["rejected"], 1)
        self.assertGreater(outcomes["skipped"], 10)

    # Direction ---------------------------------------------------------------------------

    def test_a_gift_received_goes_from_the_foreign_donor_to_the_minister(self):
        entry = self.entry(donor_recipient="President Abbas of Palestine")
        self.assertEqual(entry.giver.country, "PS")
        self.assertEqual(entry.giver.title, "President")
        self.assertEqual(entry.giver.as_reported, "President Abbas of Palestine")
        self.assertEqual(entry.recipient.country, "GB")
        self.assertEqual(entry.recipient.name, "Keir Starmer")
        self.assertEqual(entry.recipient.as_reported, "Sir Keir Starmer")
        self.assertEqual(entry.item, "Wooden carving")

    def test_a_gift_given_goes_from_the_minister_to_the_foreign_recipient(self):
        entry = self.entry(gift="Red Ministerial Box", given_or_received="Given")
        self.assertEqual((entry.giver.name, entry.giver.country), ("Keir Starmer", "GB"))
        self.assertEqual(entry.recipient.country, "US")
        self.assertEqual(entry.recipient.title, "President")
        self.assertEqual(entry.recipient.as_reported, "President of the United States of America")
        self.assertEqual(entry.disposition, "unknown")  # outcome "N/A"

    def test_a_gift_received_by_the_ministers_spouse_says_so(self):
        entry = self.entry(given_or_received="Received (by Mrs Starmer)")
        self.assertEqual(entry.giver.country, "FR")
        self.assertEqual(entry.recipient.country, "GB")
        self.assertIn("Received by Mrs Starmer.", entry.notes)
        self.assertEqual(entry.recipient.as_reported, "Sir Keir Starmer (by Mrs Starmer)")

    def test_the_department_is_the_ministers_title(self):
        entry = self.entry(department="CABINET OFFICE", donor_recipient="Sultan of Oman")
        self.assertEqual(entry.recipient.title, "Cabinet Office")
        self.assertEqual(entry.giver.country, "OM")
        self.assertEqual(entry.category, "weapon")  # "Omani Silver Dagger"

    def test_a_direction_that_is_neither_is_rejected(self):
        with self.assertRaises(RowError) as raised:
            self.changed({"given_or_received": "Lent"}, donor_recipient="Sultan of Oman")
        self.assertEqual(raised.exception.column, "given_or_received")

    # Dates and values -----------------------------------------------------------------

    def test_both_date_formats_give_the_day(self):
        iso = self.entry(date="2025-09-08")
        self.assertEqual((iso.date, iso.date_precision), (D(2025, 9, 8), "day"))
        british = self.entry(date="30/07/2025")
        self.assertEqual((british.date, british.date_precision), (D(2025, 7, 30), "day"))

    def test_a_date_that_is_no_date_is_rejected(self):
        for bad in ("31/02/2025", "2025-13-01", "July 2025"):
            with self.subTest(date=bad), self.assertRaises(RowError) as raised:
                self.changed({"date": bad}, date="2025-09-08")
            self.assertEqual(raised.exception.column, "date")

    def test_above_limit_in_either_case_is_no_value_with_a_note(self):
        for spelling in ("Above limit", "Above Limit"):
            with self.subTest(spelling=spelling):
                entry = self.entry(value=spelling)
                self.assertIsNone(entry.value)
                self.assertEqual(entry.currency, "")
                self.assertEqual(entry.value_note, "above the £140 limit")

    def test_sums_are_pounds_with_or_without_the_sign(self):
        self.assertEqual(self.entry(value="£150").value, Decimal("150.00"))
        entry = self.entry(value="140", given_or_received="Given")
        self.assertEqual((entry.value, entry.currency), (Decimal("140.00"), "GBP"))
        # In dollars at the year's average rate, which the basis gives.
        rate = Decimal(re.search(r"\(([\d.]+) GBP per US\$\)", entry.value_usd_basis).group(1))
        self.assertEqual(entry.value_usd, (Decimal(140) / rate).quantize(Decimal("0.01")))
        self.assertEqual(self.entry(value="£11,002").value, Decimal("11002.00"))

    def test_a_range_is_a_note_and_a_blank_is_nothing(self):
        ranged = self.entry(value="£175-200")
        self.assertIsNone(ranged.value)
        self.assertEqual(ranged.value_note, "between £175.00 and £200.00")
        blank = self.entry(value="")
        self.assertEqual((blank.value, blank.value_note), (None, ""))

    def test_a_value_that_is_no_sum_is_rejected(self):
        with self.assertRaises(RowError) as raised:
            self.changed({"value": "priceless"}, date="2025-09-08")
        self.assertEqual(raised.exception.column, "value")

    # Outcomes -----------------------------------------------------------------------------

    def test_outcomes_map_to_dispositions(self):
        expected = {
            "Held by Department": "retained",
            "Held by department": "retained",
            "Purchased by Minister": "purchased",
            "Purchased by the minister": "purchased",
            "Donated to charity": "donated",
            "Used for hospitality": "consumed",
            "Returns Pending": "returned",
            "Return pending": "returned",
            "N/A": "unknown",
        }
        for outcome, disposition in expected.items():
            with self.subTest(outcome=outcome):
                try:
                    entry = self.entry(outcome=outcome)
                except Skip:  # the only such row has a donor out of scope
                    (entry,) = self.changed({"donor_recipient": "Sultan of Oman"}, outcome=outcome)
                self.assertEqual(entry.disposition, disposition)

    def test_the_outcome_is_kept_in_the_notes(self):
        entry = self.entry(donor_recipient="President Abbas of Palestine")
        self.assertEqual(entry.notes, "Outcome in the register: Held by Department.")

    def test_an_unknown_outcome_is_rejected_not_guessed(self):
        with self.assertRaises(RowError) as raised:
            self.changed({"outcome": "Given to the cat"}, date="2025-09-08")
        self.assertEqual(raised.exception.column, "outcome")
        self.assertIn("uk_outcomes.csv", raised.exception.reason)

    # Scope ---------------------------------------------------------------------------------

    def test_companies_private_persons_uk_bodies_and_organisations_are_skipped(self):
        expected = {
            "Nvidia": "company",
            "Richard Bradbury": "private person",
            "Team GB": "UK body",
            "International Solar Alliance": "international organisation",
        }
        for donor, words in expected.items():
            with self.subTest(donor=donor), self.assertRaises(Skip) as raised:
                self.entry(donor_recipient=donor)
            self.assertIn(words, raised.exception.reason)
            self.assertIn("the donor", raised.exception.reason)

    def test_an_unknown_donor_form_is_rejected_not_guessed(self):
        with self.assertRaises(RowError) as raised:
            self.changed({"donor_recipient": "Emperor of Atlantis"}, date="2025-09-08")
        self.assertEqual(raised.exception.column, "donor_recipient")
        self.assertEqual(raised.exception.value, "Emperor of Atlantis")
        self.assertIn("uk_donors.csv", raised.exception.reason)

    def test_a_row_with_gift_and_donor_swapped_is_rejected(self):
        with self.assertRaises(RowError) as raised:
            self.entry(donor_recipient="Onlewo table runner")
        self.assertIn("swapped", raised.exception.reason)

    def test_the_donor_form_matches_whatever_its_case(self):
        entry = self.changed({"donor_recipient": "SULTAN OF OMAN"}, date="2025-09-08")[0]
        self.assertEqual(entry.giver.country, "OM")

    # Keys and sources -----------------------------------------------------------------------

    def test_the_import_key_is_stable_and_ignores_value_and_outcome(self):
        key = self.entry(date="2025-09-08").import_key
        self.assertRegex(key, r"^uk-ministers:[0-9a-f]{12}:1$")
        self.assertEqual(self.entry(date="2025-09-08").import_key, key)
        for changes in (
            {"value": "£500"},
            {"outcome": "Donated to charity"},
            {"date": "08/09/2025"},
        ):
            with self.subTest(changes=changes):
                self.assertEqual(self.changed(changes, date="2025-09-08")[0].import_key, key)
        other = self.changed({"gift": "Wooden bowl"}, date="2025-09-08")[0].import_key
        self.assertNotEqual(other, key)

    def test_the_source_names_the_month_of_the_register(self):
        entry = self.entry(date="2025-09-08")
        (source,) = entry.sources
        self.assertEqual(
            source.title, "Register of Ministers’ Gifts and Hospitality: September 2025"
        )
        self.assertEqual(source.publisher, "Cabinet Office")
        self.assertEqual(source.url, f"{COLLECTION}#september-2025")
        older = self.entry(value="£175-200").sources[0]
        self.assertEqual(older.url, f"{COLLECTION}#december-2024")

    # The tables --------------------------------------------------------------------------------

    def test_the_donor_table_is_consistent(self):
        _header, rows = read_rows(DONORS_FILE)
        scopes = {"state", "company", "private", "uk", "international", "not_a_donor"}
        for row in rows:
            with self.subTest(donor=row["donor_recipient"]):
                self.assertIn(row["scope"], scopes)
                if row["scope"] == "state":
                    self.assertIn(row["country"], COUNTRY_CODES)
                    self.assertNotEqual(row["country"], "GB")
                else:
                    self.assertEqual(row["country"], "")
                    self.assertEqual(row["name"], "")

    def test_the_outcome_table_gives_registry_dispositions(self):
        _header, rows = read_rows(OUTCOMES_FILE)
        for row in rows:
            self.assertIn(row["disposition"], Disposition.values, row["outcome"])


class UkMinistersFullFileTests(SimpleTestCase):
    def test_every_row_of_the_register_is_accounted_for(self):
        adapter = UkMinistersAdapter()
        _header, rows = register_rows(FULL_REGISTER)
        imported, skipped, rejected = 0, Counter(), Counter()
        keys = Counter()
        for line, row in enumerate(rows, start=2):
            try:
                (entry,) = adapter.entries(row, line)
            except Skip as skip:
                skipped[skip.reason] += 1
            except RowError as error:
                rejected[f"{error.column}: {error.reason}"] += 1
            else:
                imported += 1
                check_entry(self, entry)
                keys[entry.import_key] += 1
        print(f"\n{len(rows)} rows: {imported} imported")
        for reason, count in skipped.most_common():
            print(f"  skipped {count}: {reason}")
        for reason, count in rejected.most_common():
            print(f"  rejected {count}: {reason}")
        self.assertEqual(len(rows), 190)
        self.assertEqual(imported + sum(skipped.values()) + sum(rejected.values()), 190)
        # Every donor form is in the table: the one rejection is the row whose gift and
        # donor cells are swapped.
        self.assertEqual(sum(rejected.values()), 1)
        self.assertEqual([k for k, n in keys.items() if n > 1], [])
