"""Country names as registers write them, to the registry's codes."""

import csv
from collections import Counter

from django.test import SimpleTestCase

from giftapp.codes import COUNTRY_CODES
from giftapp.importers.countries import ALIASES_FILE, UnknownCountry, country_code

from .registers import register_rows

US_REGISTER = "us-federal-register-gifts-1999-2018.csv"


class CountryNameTests(SimpleTestCase):
    def assertCodes(self, expected, names):
        for name in names:
            with self.subTest(name=name):
                self.assertEqual(country_code(name), expected)

    def test_the_forms_of_south_korea_map_to_kr(self):
        self.assertCodes(
            "KR",
            ["Republic of Korea", "South Korea", "The Republic of Korea", "the Republic of Korea"],
        )

    def test_the_forms_of_north_korea_map_to_kp(self):
        self.assertCodes("KP", ["Democratic People's Republic of Korea", "North Korea", "DPRK"])

    def test_korea_alone_is_ambiguous_and_not_guessed(self):
        with self.assertRaises(UnknownCountry) as raised:
            country_code("Korea")
        self.assertEqual(raised.exception.name, "Korea")
        self.assertIn("ambiguous", str(raised.exception))

    def test_na_and_blank_mean_missing_not_namibia(self):
        self.assertCodes("", ["NA", "na", " NA ", "", None, "N/A", "Country Unknown"])
        self.assertEqual(country_code("Namibia"), "NA")

    def test_an_unknown_name_raises_with_the_name(self):
        with self.assertRaises(UnknownCountry) as raised:
            country_code("Atlantis")
        self.assertEqual(raised.exception.name, "Atlantis")
        self.assertIn("'Atlantis'", str(raised.exception))

    def test_organisations_are_not_countries(self):
        for name in ["United Nations", "European Union", "World Health Organization"]:
            with self.subTest(name=name), self.assertRaises(UnknownCountry):
                country_code(name)

    def test_historical_states_get_the_registrys_codes(self):
        self.assertCodes("SU", ["USSR", "Soviet Union"])
        self.assertCodes("YU", ["Yugoslavia", "Federal Republic of Yugoslavia"])
        self.assertCodes("CS", ["Czechoslovakia"])
        self.assertCodes("DD", ["East Germany", "German Democratic Republic"])
        self.assertCodes("XS", ["Serbia and Montenegro"])
        self.assertCodes("XK", ["Kosovo", "Republic of Kosovo"])

    def test_the_holy_see_and_palestine(self):
        self.assertCodes("VA", ["The Holy See", "Holy See", "Vatican", "Vatican City"])
        self.assertCodes(
            "PS",
            ["Palestine", "Palestinian Authority", "Palestinian Territories", "State of Palestine"],
        )

    def test_official_names_and_state_forms(self):
        self.assertCodes("EG", ["Arab Republic of Egypt", "the Arab Republic of Egypt", "Egypt"])
        self.assertCodes("BN", ["Brunei Darussalam", "Brunei"])
        self.assertCodes("AE", ["United Arab Emirates", "UAE"])
        self.assertCodes("SA", ["Kingdom of Saudi Arabia", "the Kingdom of Saudi Arabia"])
        self.assertCodes("OM", ["Sultanate of Oman"])
        self.assertCodes("PK", ["Islamic Republic of Pakistan"])
        self.assertCodes("QA", ["State of Qatar", "the State of Qatar"])
        self.assertCodes("BR", ["Federative Republic of Brazil"])
        self.assertCodes("TZ", ["United Republic of Tanzania", "Tanzania"])
        self.assertCodes("MM", ["Myanmar (Burma)", "Burma", "Republic of the Union of Myanmar"])
        self.assertCodes("GB", ["United Kingdom of Great Britain and Northern Ireland", "UK"])

    def test_a_state_form_is_not_dropped_when_that_would_guess(self):
        self.assertEqual(country_code("Republic of China"), "TW")
        self.assertEqual(country_code("People's Republic of China"), "CN")
        with self.assertRaises(UnknownCountry):
            country_code("Democratic Republic of Korea")

    def test_case_accents_and_punctuation_do_not_matter(self):
        self.assertCodes("CI", ["Côte d’Ivoire", "Cote d'Ivoire", "CÔTE D'IVOIRE", "Ivory Coast"])
        self.assertCodes("BA", ["Bosnia & Herzegovina", "Bosnia and Herzegovina"])
        self.assertCodes("KN", ["St. Kitts & Nevis", "Saint Kitts and Nevis"])
        self.assertCodes("TR", ["Türkiye", "Turkey", "turkey"])
        self.assertCodes("CD", ["Congo - Kinshasa", "Democratic Republic of the Congo"])
        self.assertCodes("CG", ["Congo - Brazzaville", "Republic of the Congo"])

    def test_constituent_states_give_their_country(self):
        self.assertCodes("DE", ["Bavaria", "Hamburg"])
        self.assertCodes("TZ", ["Zanzibar"])

    def test_every_alias_code_is_a_registry_code(self):
        with ALIASES_FILE.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        self.assertGreater(len(rows), 50)
        for row in rows:
            with self.subTest(alias=row["name"]):
                if row["code"]:
                    self.assertIn(row["code"], COUNTRY_CODES)
                    self.assertEqual(country_code(row["name"]), row["code"])
                else:
                    self.assertTrue(row["note"], "a name left unknown says why")
                    with self.assertRaises(UnknownCountry):
                        country_code(row["name"])


class RegisterCoverageTests(SimpleTestCase):
    def test_every_country_name_in_the_us_federal_register_maps(self):
        _header, rows = register_rows(US_REGISTER)
        names = Counter(row["donor_country"] for row in rows)
        unknown = {}
        for name, count in names.items():
            try:
                code = country_code(name)
            except UnknownCountry:
                unknown[name] = count
                continue
            self.assertTrue(code == "" or code in COUNTRY_CODES, name)
        print(f"\n{len(names)} country names, {names['NA']} rows 'NA', unknown: {unknown}")
        self.assertEqual(unknown, {})
