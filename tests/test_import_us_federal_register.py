"""The US Federal Register adapter on a slice of the real register, and on all of it."""

import csv
import datetime
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.test import SimpleTestCase

from giftapp.codes import COUNTRY_CODES
from giftapp.importers.base import Entry, RowError, RowErrors, Skip
from giftapp.importers.us_federal_register import (
    UsFederalRegisterAdapter,
    classify_disposition,
    parse_person,
    parse_received,
)
from giftapp.models import Category, DatePrecision, Disposition

from .registers import register_rows

D = datetime.date
FIXTURE = Path(__file__).parent / "fixtures" / "registers" / "us-federal-register-slice.csv"
FULL_REGISTER = "us-federal-register-gifts-1999-2018.csv"


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def check_entry(test, entry):
    """What every entry must be for the registry to store it."""
    test.assertIsInstance(entry, Entry)
    test.assertTrue(entry.item.strip())
    test.assertLessEqual(len(entry.item), 300)
    test.assertIn(entry.category, Category.values)
    test.assertIn(entry.disposition, Disposition.values)
    test.assertIn(entry.date_precision, DatePrecision.values)
    if entry.date_precision == DatePrecision.UNKNOWN:
        test.assertIsNone(entry.date)
    else:
        test.assertIsNotNone(entry.date)
    if entry.date_precision == DatePrecision.MONTH:
        test.assertEqual(entry.date.day, 1)
    if entry.date_precision == DatePrecision.YEAR:
        test.assertEqual((entry.date.month, entry.date.day), (1, 1))
    test.assertEqual(entry.value is None, entry.currency == "")
    if entry.value is not None:
        test.assertEqual(entry.value, entry.value.quantize(Decimal("0.01")))
        test.assertGreaterEqual(entry.value, 0)
        test.assertEqual(entry.value_usd, entry.value)
    test.assertLessEqual(len(entry.value_note), 300)
    for side in (entry.giver, entry.recipient):
        test.assertLessEqual(len(side.name), 200)
        test.assertLessEqual(len(side.title), 300)
        test.assertTrue(side.country == "" or side.country in COUNTRY_CODES, side.country)
    test.assertEqual(entry.recipient.country, "US")
    test.assertNotEqual(entry.giver.country, "US")
    test.assertTrue(entry.import_key.startswith("us-federal-register:"))
    test.assertEqual(len(entry.sources), 1)


class UsFederalRegisterSliceTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.adapter = UsFederalRegisterAdapter()
        cls.header, rows = read_rows(FIXTURE)
        cls.rows = {}  # id -> the rows with that id, in file order
        for line, row in enumerate(rows, start=2):
            cls.rows.setdefault(row["id"], []).append((line, row))

    def entries(self, row_id, occurrence=0):
        line, row = self.rows[row_id][occurrence]
        return self.adapter.entries(dict(row), line)

    def entry(self, row_id):
        (entry,) = self.entries(row_id)
        return entry

    def changed(self, row_id, **cells):
        line, row = self.rows[row_id][0]
        return self.adapter.entries(dict(row) | cells, line)

    # The format -----------------------------------------------------------------------

    def test_the_adapter_expects_the_registers_header_and_id(self):
        self.assertEqual(self.adapter.name, "us-federal-register")
        self.assertEqual(list(self.adapter.columns), self.header)
        self.assertEqual(self.adapter.id_column, "id")

    def test_every_row_of_the_slice_ends_as_gifts_a_skip_or_an_error(self):
        outcomes = Counter()
        for rows in self.rows.values():
            for line, row in rows:
                try:
                    entries = self.adapter.entries(dict(row), line)
                except Skip:
                    outcomes["skipped"] += 1
                except (RowError, RowErrors):
                    outcomes["rejected"] += 1
                else:
                    self.assertTrue(entries)
                    for entry in entries:
                        check_entry(self, entry)
                    outcomes["imported"] += 1
        self.assertEqual(sum(outcomes.values()), 146)
        self.assertGreater(outcomes["imported"], 100)
        self.assertGreater(outcomes["skipped"], 5)
        self.assertEqual(outcomes["rejected"], 4)

    # Entries in a cell ----------------------------------------------------------------

    def test_a_plain_row_gives_one_gift(self):
        entry = self.entry("1")
        self.assertEqual(entry.import_key, "us-federal-register:1:1")
        # The title names the object; the measurements and the scene stay in the description.
        self.assertEqual(entry.item, "Gilt framed oil painting of an autumn landscape")
        self.assertIn('40" x 29" gilt framed', entry.description)
        self.assertIn("Recd--October 20, 1998", entry.description)
        self.assertEqual((entry.date, entry.date_precision), (D(1998, 10, 20), "day"))
        self.assertEqual((entry.value, entry.currency), (Decimal("1500.00"), "USD"))
        self.assertEqual(entry.value_usd, Decimal("1500.00"))
        self.assertEqual(entry.disposition, "archives")
        self.assertEqual(entry.category, "artwork")

    def test_several_received_entries_become_one_gift_each(self):
        sake, bonsai = self.entries("2")
        self.assertEqual(sake.import_key, "us-federal-register:2:1")
        self.assertEqual(bonsai.import_key, "us-federal-register:2:2")
        self.assertEqual(sake.item, "Six bottles of sake")
        self.assertEqual(bonsai.item, "Two bonsai trees")
        self.assertEqual(sake.value, Decimal("72.00"))
        self.assertEqual(bonsai.value, Decimal("14500.00"))
        self.assertEqual(sake.category, "food_drink")
        self.assertEqual({sake.disposition, bonsai.disposition}, {"state_collection"})
        self.assertNotIn("bonsai", sake.description)
        self.assertIn("Ezo Spruce", bonsai.description)

    def test_a_cell_of_four_entries_keeps_each_ones_value_and_category(self):
        entries = self.entries("1302")
        self.assertEqual([e.import_key.rsplit(":", 1)[1] for e in entries], ["1", "2", "3", "4"])
        self.assertEqual(
            [e.value for e in entries],
            [Decimal("350.00"), Decimal("400.00"), Decimal("26.00"), Decimal("120.00")],
        )
        self.assertEqual(
            [e.category for e in entries], ["decoration", "artwork", "book", "textile"]
        )

    def test_a_disposition_printed_without_a_full_stop_still_ends_its_entry(self):
        painting, medallion = self.entries("1800")
        self.assertTrue(medallion.item.startswith("Gold medallion commemorating"))
        self.assertEqual(painting.disposition, "archives")
        self.assertNotIn("medallion", painting.description)

    def test_numbered_items_received_together_are_one_gift(self):
        entry = self.entry("4")  # "(1) Rosary … (2) Three limited edition Vatican coins …"
        self.assertEqual(entry.item, "Rosary and three limited edition Vatican coins")
        self.assertEqual(entry.value, Decimal("1015.00"))

    def test_a_cell_without_a_received_marker_is_one_gift_dated_from_its_text(self):
        entry = self.entry("1495")  # "Rug, 7/30/2003, $300.00. Transferred to GSA."
        self.assertEqual(entry.import_key, "us-federal-register:1495:1")
        self.assertEqual(entry.item, "Rug")
        self.assertEqual((entry.date, entry.date_precision), (D(2003, 7, 30), "day"))
        self.assertEqual(entry.value, Decimal("300.00"))
        self.assertEqual(entry.disposition, "state_collection")

    def test_an_item_named_after_its_date_is_still_named(self):
        entry = self.entry("1516")  # "Recd.--April 9, 2003. Six Crystal Glasses. Est. Value…"
        self.assertEqual(entry.item, "Six Crystal Glasses")
        self.assertEqual(entry.date, D(2003, 4, 9))

    # Dates ------------------------------------------------------------------------------

    def test_the_received_marker_in_all_its_spellings(self):
        expected = {
            "1": D(1998, 10, 20),  # Recd--October 20, 1998
            "3491": D(2008, 6, 12),  # Rec'd--6/12/2008
            "1409": D(2003, 4, 30),  # Received--April 30, 2003
            "1187": D(2002, 3, 12),  # Received March 12, 2002
            "8080": D(2017, 10, 18),  # Rec'd 10/18/17
            "1468": D(2002, 6, 4),  # Recv'd--June 4, 2002
            "5054": D(2009, 10, 17),  # Rec'd--10/17/2009
        }
        for row_id, day in expected.items():
            with self.subTest(row_id=row_id):
                entry = self.entries(row_id)[0]
                self.assertEqual((entry.date, entry.date_precision), (day, "day"))

    def test_dates_with_two_digit_years_and_day_month_order(self):
        self.assertEqual(self.entry("8312").date, D(2018, 3, 5))  # 3/5/18
        self.assertEqual(self.entry("2962").date, D(2007, 12, 26))  # 26- Dec-07
        self.assertEqual(self.entry("3079").date, D(2007, 5, 7))  # 7-May-07
        self.assertEqual(self.entry("270").date, D(1997, 11, 1))  # November 97 (1999 notice)

    def test_a_month_a_year_or_nothing_sets_the_precision(self):
        month = self.entry("2256")  # Rec'd--August 2004
        self.assertEqual((month.date, month.date_precision), (D(2004, 8, 1), "month"))
        year = self.entry("2091")  # Received--Spring 2002
        self.assertEqual((year.date, year.date_precision), (D(2002, 1, 1), "year"))
        unknown = self.entry("175")  # Recd-- Unknown
        self.assertEqual((unknown.date, unknown.date_precision), (None, "unknown"))
        before = self.entry("2398")  # Rec'd--2005 or Before
        self.assertEqual((before.date, before.date_precision), (None, "unknown"))

    def test_a_period_gives_its_first_day_and_says_so(self):
        entry = self.entry("8141")  # Rec'd 4/19- 4/23/17
        self.assertEqual((entry.date, entry.date_precision), (D(2017, 4, 19), "day"))
        self.assertIn("Received 4/19-4/23/17; the date given is the first day.", entry.notes)

    def test_an_impossible_date_is_unknown_not_guessed(self):
        self.assertEqual(parse_received("October 23, 200. Est. Value", 2001)[1], "unknown")
        self.assertEqual(parse_received("2/30/2001. Est.", 2001)[1], "unknown")
        self.assertEqual(parse_received("May 5, 2019.", 2001)[1], "unknown")  # after the notice

    def test_year_received_is_the_notice_year_and_names_the_source(self):
        entry = self.entry("1")  # a 1999 notice of a gift received in 1998
        self.assertEqual(entry.date.year, 1998)
        (source,) = entry.sources
        self.assertEqual(
            source.title,
            "Gifts to Federal Employees from Foreign Government Sources (1999 notice), "
            "Federal Register",
        )
        self.assertEqual(source.publisher, "U.S. Department of State / Federal Register")
        self.assertTrue(source.url.startswith("https://www.federalregister.gov/documents/search"))
        self.assertIn("%5Byear%5D=1999", source.url)
        self.assertNotEqual(source.url, self.entry("8080").sources[0].url)

    def test_the_data_sets_own_date_serves_when_the_text_has_none(self):
        (entry,) = self.changed("8312", gift_description="Iranian carpet. Est. Value--$899.00.")
        self.assertEqual((entry.date, entry.date_precision), (D(2018, 3, 5), "day"))

    # Values ------------------------------------------------------------------------------

    def test_values_as_the_register_writes_them(self):
        self.assertEqual(self.entry("177").value, Decimal("290.00"))  # "$290.00 Reported to GSA"
        self.assertEqual(
            self.entry("264").value, Decimal("19360.00")
        )  # "…, $7,960.00 ($19,360.00)"
        self.assertEqual(self.entry("273").value, Decimal("709.32"))  # "… = $709.32"
        self.assertEqual(
            self.entry("1062").value, Decimal("480.00")
        )  # "$60 per goblet; $480 for the set"
        self.assertEqual(self.entry("1069").value, Decimal("1100.00"))  # "$1,100,00"
        self.assertEqual(
            self.entry("1490").value, Decimal("300.00")
        )  # "…, respectively. Total Value $300.00"

    def test_a_range_or_a_lower_bound_is_a_note_not_a_value(self):
        ranged = self.entry("261")  # "$250-500.00"
        self.assertIsNone(ranged.value)
        self.assertEqual(ranged.currency, "")
        self.assertEqual(ranged.value_note, "between $250.00 and $500.00")
        self.assertEqual(self.entry("1507").value_note, "between $1,000.00 and $1,500.00")

    def test_dots_for_thousands_are_read(self):
        # Row 6365 of the register: "Silver sword in wooden case. … Est. Value-- $1.650.00."
        _header, rows = register_rows(FULL_REGISTER)
        line, row = next((n, r) for n, r in enumerate(rows, start=2) if r["id"] == "6365")
        (entry,) = self.adapter.entries(row, line)
        self.assertEqual(
            (entry.value, entry.currency, entry.value_note), (Decimal("1650.00"), "USD", "")
        )

    def test_an_unreadable_amount_is_said_in_the_note_not_guessed(self):
        (entry,) = self.changed(
            "1", gift_description="Vase. Rec'd--3/1/2010. Est. Value--$1.2.3. Retained."
        )
        self.assertIsNone(entry.value)
        self.assertEqual(entry.value_note, "given as “1.2.3”, not a readable amount")

    def test_an_unknown_value_is_no_value(self):
        entry = self.entry("8141")  # "Est. Value-- Unknown."
        self.assertEqual((entry.value, entry.value_usd, entry.currency), (None, None, ""))

    # Travel ------------------------------------------------------------------------------

    def test_travel_rows_are_travel(self):
        for row_id in ("8033", "8141", "6866", "4744", "1170", "294", "6111"):
            with self.subTest(row_id=row_id):
                entry = self.entries(row_id)[0]
                self.assertEqual(entry.category, "travel")
                # Only 1170 says what became of it ("Expended for hotel."); for the others
                # nothing is inferred.
                self.assertEqual(entry.disposition, "consumed" if row_id == "1170" else "unknown")

    def test_travel_described_after_its_value_is_named_by_that_text(self):
        entry = self.entry("294")  # "Recd--… Est. Value--$not submitted. Air transportation …"
        self.assertEqual(entry.item, "Air transportation from Amman to Petra")
        self.assertIsNone(entry.value)

    def test_a_travel_bag_is_not_travel(self):
        (entry,) = self.changed(
            "1", gift_description="Leather travel bag. Rec'd--3/1/2010. Est. Value--$475.00."
        )
        self.assertNotEqual(entry.category, "travel")

    # Dispositions ----------------------------------------------------------------------------

    def test_disposition_sentences_map_to_the_registrys_codes(self):
        cases = {
            "Archives Foreign.": "archives",
            "Disposition--National Archives and Records Administration.": "archives",
            "Disposition--National Achives and Records Administration.": "archives",
            "Accepted by Another Government Agency.": "state_collection",
            "Disposition--Pending Transfer to General Services Administration.": "state_collection",
            "Disposition--Transferr ed to General Services Administration.": "state_collection",
            "Deposited with the Secretary of the Senate.": "state_collection",
            "Government Property.": "state_collection",
            "To be retained for official display.": "retained",
            "Disposition--Retained for official use only.": "retained",
            "Disposition--Purchased by recipient from GSA.": "purchased",
            "Reported to GSA for Purchase.": "purchased",
            "Location-- Official Use for the Department of State Museum.": "museum",
            "Handled pursuant to Secret Service policy.": "consumed",
            "Expended for hotel room.": "consumed",
            "Destroyed, November 3, 2001.": "destroyed",
            "Disposition--Transferred to Charity/ Reported to GSA.": "donated",
            "Disposition-- Returned to His Excellency Patrick Nandago.": "returned",
            "Disposition--N/A.": "unknown",
        }
        for text, code in cases.items():
            with self.subTest(text=text):
                self.assertEqual(classify_disposition(text), code)
        self.assertIsNone(classify_disposition("Two bonsai trees."))

    def test_rows_carry_their_disposition_and_its_wording(self):
        self.assertEqual(self.entry("792").disposition, "destroyed")
        self.assertEqual(self.entry("5991").disposition, "purchased")
        self.assertEqual(self.entry("2364").disposition, "museum")
        self.assertEqual(self.entries("2203")[1].disposition, "donated")
        entry = self.entry("1014")
        self.assertEqual(entry.disposition, "retained")
        self.assertIn(
            "Disposition in the register: To be retained for official display.", entry.notes
        )

    # The giver ------------------------------------------------------------------------------------

    def test_the_giver_is_named_with_the_office_and_the_verbatim_text(self):
        giver = self.entry("1").giver
        self.assertEqual(giver.name, "Petru Lucinschi")
        self.assertEqual(giver.title, "President of the Republic of Moldova")
        self.assertEqual(giver.country, "MD")
        self.assertEqual(
            giver.as_reported,
            "His Excellency Petru Lucinschi, President of the Republic of Moldova",
        )

    def test_honorifics_spouses_and_printing_are_stripped_from_names(self):
        self.assertEqual(self.entries("2")[0].giver.name, "Keizo Obuchi")
        self.assertEqual(self.entries("2")[0].giver.title, "Prime Minister of Japan")
        self.assertEqual(self.entry("3").giver.name, "Victor Cervera Pacheco")  # "Sr. …"
        self.assertEqual(self.entry("3518").giver.name, "Adel Al-Jubeir")  # "Al- Jubeir"
        self.assertEqual(self.entry("7770").giver.name, "Édouard Fritch")  # "[Eacute]douard"
        self.assertEqual(self.entry("4").giver.name, "John Paul II")
        self.assertEqual(
            parse_person("His Majesty Juan Carlos I, King of Spain"),
            ("Juan Carlos I", "King of Spain"),
        )
        self.assertEqual(
            parse_person(
                "Rice, Condoleezza, Assistant to the President for National Security Affairs"
            ),
            ("Condoleezza Rice", "Assistant to the President for National Security Affairs"),
        )

    def test_an_institution_or_a_redacted_donor_has_no_name(self):
        redacted = self.entry("5305").giver
        self.assertEqual((redacted.name, redacted.country), ("", ""))
        self.assertTrue(redacted.as_reported.startswith("Redacted -- Disclosure"))
        self.assertEqual(self.entry("294").giver.name, "")  # "Hashemite Kingdom of Jordan"

    def test_a_donor_cell_cut_at_a_page_heading_keeps_only_the_donor(self):
        entry = self.entry("1187")
        self.assertEqual(entry.giver.title, "Emir of the State of Qatar")
        self.assertNotIn("AGENCY", entry.description)
        self.assertNotIn("Identity", entry.giver.title)

    # Countries -------------------------------------------------------------------------------

    def test_na_country_makes_a_draft_without_a_giver_country(self):
        entry = self.entry("4")  # His Holiness John Paul II, donor_country NA
        self.assertEqual(entry.giver.country, "")
        self.assertNotEqual(entry.giver.country, "NA")

    def test_country_names_map_including_historical_and_constituent_states(self):
        self.assertEqual(self.entry("1234").giver.country, "DE")  # Bavaria
        self.assertEqual(self.entry("2195").giver.country, "TZ")  # Zanzibar
        self.assertEqual(self.entries("872")[0].giver.country, "YU")  # Yugoslavia
        self.assertEqual(self.entry("7770").giver.country, "PF")  # French Polynesia

    def test_a_country_taken_from_a_word_of_the_title_is_left_blank_with_a_note(self):
        marshal = self.entry("412")  # "Field Marshall …, Yemen" tagged Marshall Islands
        self.assertEqual(marshal.giver.country, "")
        self.assertIn("The register's donor country, Marshall Islands, was not used", marshal.notes)
        envoy = self.entry("3795")  # "… Ambassador of the Republic of Korea to the United States"
        self.assertEqual(envoy.giver.country, "")
        self.assertIn("United States", envoy.notes)

    def test_an_unknown_country_name_is_rejected_with_its_column(self):
        with self.assertRaises(RowError) as raised:
            self.changed("1", donor_country="Atlantis")
        self.assertEqual(raised.exception.column, "donor_country")
        self.assertEqual(raised.exception.value, "Atlantis")
        self.assertIn("alias table", raised.exception.reason)

    def test_a_body_of_the_united_states_is_out_of_scope(self):
        with self.assertRaises(Skip) as raised:
            self.changed("1", donor="U.S. Department of Commerce", donor_country="United States")
        self.assertIn("United States", raised.exception.reason)

    # Scope -------------------------------------------------------------------------------------

    def test_companies_private_persons_and_international_bodies_are_skipped(self):
        def reason(row_id, occurrence=0):
            with self.assertRaises(Skip) as raised:
                self.entries(row_id, occurrence)
            return raised.exception.reason

        lukoil = next(i for i, rows in self.rows.items() if "LukOil" in rows[0][1]["donor"])
        self.assertIn("company", reason(lukoil))
        self.assertIn("international organisation", reason("7738"))  # EC delegation
        self.assertIn("international organisation", reason("7103"))  # Inter-American Dev. Bank
        self.assertIn("international organisation", reason("6137"))  # Turksoy
        private = next(
            i for i, rows in self.rows.items() if "Private Individual" in rows[0][1]["donor"]
        )
        self.assertIn("private person", reason(private))

    # The recipient -----------------------------------------------------------------------------

    def test_the_recipient_is_the_united_states_with_the_office(self):
        recipient = self.entry("8080").recipient
        self.assertEqual(recipient.country, "US")
        self.assertEqual(recipient.name, "")
        self.assertEqual(
            recipient.title, "The Honorable Donald J. Trump, President of the United States"
        )
        self.assertEqual(
            recipient.as_reported,
            "The Honorable Donald J. Trump, President of the United States; "
            "Executive Office of the President",
        )
        office = self.entry("1").recipient  # "President", agency NA
        self.assertEqual((office.title, office.as_reported), ("President", "President"))

    def test_the_notices_document_line_is_not_part_of_the_recipient(self):
        # The notice's last row carries its document line; the row keeps it verbatim.
        (entry,) = self.changed(
            "8080",
            recipient="John F. Reed, U.S. Senator [FR Doc. 04-16971 Filed 7-30-04; 8:45",
            agency_name="NA",
        )
        self.assertEqual(entry.recipient.as_reported, "John F. Reed, U.S. Senator")
        self.assertEqual(entry.recipient.title, "John F. Reed, U.S. Senator")

    def test_recipients_can_be_named_when_the_text_names_a_person(self):
        adapter = UsFederalRegisterAdapter()
        adapter.name_recipients = True
        line, row = self.rows["8080"][0]
        (entry,) = adapter.entries(dict(row), line)
        self.assertEqual(entry.recipient.name, "Donald J. Trump")
        self.assertEqual(entry.recipient.title, "President of the United States")
        line, row = self.rows["1"][0]
        (entry,) = adapter.entries(dict(row), line)
        self.assertEqual((entry.recipient.name, entry.recipient.title), ("", "President"))

    # Rows the register repeats or mangles -------------------------------------------------

    def test_repeated_ids_give_the_same_key_for_the_pipeline_to_tell_apart(self):
        first, second = self.entries("4459", 0), self.entries("4459", 1)
        self.assertEqual(first, second)  # identical rows: the pipeline skips the second
        turkey, cyprus = self.entries("6736", 0)[0], self.entries("6736", 1)[0]
        self.assertEqual(turkey.import_key, cyprus.import_key)
        self.assertEqual({turkey.giver.country, cyprus.giver.country}, {"TR", "CY"})

    def test_rows_identical_but_for_the_id_differ_only_in_their_key(self):
        one, two, three = (self.entry(i) for i in ("438", "448", "450"))
        self.assertEqual(
            [e.import_key for e in (one, two, three)],
            ["us-federal-register:438:1", "us-federal-register:448:1", "us-federal-register:450:1"],
        )
        two.import_key = three.import_key = one.import_key
        self.assertEqual(one, two)
        self.assertEqual(one, three)

    def test_a_printed_page_run_into_one_cell_is_rejected(self):
        for row_id in ("1009", "1185"):
            with self.subTest(row_id=row_id), self.assertRaises(RowError) as raised:
                self.entries(row_id)
            self.assertEqual(raised.exception.column, "gift_description")
            self.assertIn("several donors", raised.exception.reason)

    def test_a_row_without_a_description_is_rejected(self):
        with self.assertRaises(RowError) as raised:
            self.entries("1068")
        self.assertEqual(
            (raised.exception.column, raised.exception.value), ("gift_description", "NA")
        )

    def test_a_bad_id_or_notice_year_is_rejected(self):
        with self.assertRaises(RowError) as raised:
            self.changed("1", id="x1")
        self.assertEqual(raised.exception.column, "id")
        with self.assertRaises(RowError) as raised:
            self.changed("1", year_received="NA")
        self.assertEqual(raised.exception.column, "year_received")


class UsFederalRegisterFullFileTests(SimpleTestCase):
    def test_every_row_of_the_register_is_accounted_for(self):
        adapter = UsFederalRegisterAdapter()
        _header, rows = register_rows(FULL_REGISTER)
        imported = entries = 0
        skipped, rejected = Counter(), Counter()
        for line, row in enumerate(rows, start=2):
            try:
                found = adapter.entries(row, line)
            except Skip as skip:
                skipped[skip.reason] += 1
            except RowError as error:
                rejected[f"{error.column}: {error.reason}"] += 1
            else:
                imported += 1
                entries += len(found)
                for entry in found:
                    check_entry(self, entry)
        print(f"\n{len(rows)} rows: {imported} imported as {entries} gifts")
        for reason, count in skipped.most_common():
            print(f"  skipped {count}: {reason}")
        for reason, count in rejected.most_common():
            print(f"  rejected {count}: {reason}")
        self.assertEqual(len(rows), 8392)
        self.assertEqual(imported + sum(skipped.values()) + sum(rejected.values()), 8392)
        self.assertGreater(entries, imported)  # cells with several entries
        self.assertLess(sum(rejected.values()), 10)


class CraftedCellTests(SimpleTestCase):
    """The notice's text is cleaned in time that grows with its length, not its square."""

    CRAFTED = {
        "a backslash and digits": lambda n: "\\" + "1" * n,
        "digits, then spaces": lambda n: "\\" + "1" * (n // 2) + " " * (n // 2),
        "digits, spaces, digits": lambda n: "\\" + "1" * (n // 3) + " " * (n // 3) + "1" * (n // 3),
        "digits and dashes": lambda n: ("1-" * n)[:n],
    }

    def test_a_crafted_cell_ten_times_longer_takes_about_ten_times_longer(self):
        import time

        from giftapp.importers.us_federal_register import tidy

        for name, crafted in self.CRAFTED.items():
            with self.subTest(name):
                times = []
                for n in (10_000, 100_000):
                    text = crafted(n)
                    started = time.perf_counter()
                    tidy(text)
                    times.append(time.perf_counter() - started)
                # Linear work takes about 10 times as long; quadratic about 100 times.
                self.assertLess(times[1], 30 * times[0] + 0.05, times)

    def test_the_fractions_of_the_notices_are_still_read(self):
        from giftapp.importers.us_federal_register import tidy

        for text in ("Rug, 3\\3/4\\ by 5", "Rug, 3\\1/ 2\\ by 5", "Rug, 3\\1 2\\ by 5"):
            with self.subTest(text):
                self.assertRegex(tidy(text), r"3 [13]/[24] by 5")
