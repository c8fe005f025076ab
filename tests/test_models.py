import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import SimpleTestCase, TestCase
from hypothesis import example, given
from hypothesis import strategies as st

from giftapp.models import (
    DatePrecision,
    Gift,
    Leader,
    SanctionsFlag,
    SanctionsRegime,
    Visit,
    period_end,
)
from giftapp.models.sources import PLAIN_WEB_ADDRESS, source_url, source_url_problem
from giftapp.text import fold

from .factories import make_flag, make_gift, make_leader, make_regime, make_visit

D = datetime.date


class DatabaseConstraintTests(TestCase):
    """Each rule is enforced by a named constraint, whatever code writes the row."""

    def assert_rejected(self, constraint, write):
        with self.assertRaises(IntegrityError) as raised, transaction.atomic():
            write()
        message = str(raised.exception)
        # PostgreSQL names every violated constraint; SQLite names CHECK constraints but
        # reports a UNIQUE one by its columns.
        if not message.startswith("UNIQUE constraint failed"):
            self.assertIn(constraint, message)

    def test_visit_end_date_before_start_date_is_rejected(self):
        self.assert_rejected(
            "visit_end_after_start",
            lambda: make_visit(start_date=D(2024, 6, 19), end_date=D(2024, 6, 18)),
        )

    def test_gift_quantity_below_one_is_rejected(self):
        self.assert_rejected("gift_quantity_positive", lambda: make_gift(quantity=0))

    def test_gift_value_without_currency_is_rejected(self):
        self.assert_rejected(
            "gift_value_and_currency_together", lambda: make_gift(value=Decimal("10"))
        )

    def test_gift_currency_without_value_is_rejected(self):
        self.assert_rejected("gift_value_and_currency_together", lambda: make_gift(currency="USD"))

    def test_negative_value_is_rejected(self):
        self.assert_rejected(
            "gift_value_not_negative", lambda: make_gift(value=Decimal("-1"), currency="USD")
        )

    def test_negative_dollar_value_is_rejected(self):
        self.assert_rejected("gift_value_usd_not_negative", lambda: make_gift(value_usd=-5))

    def test_giver_and_recipient_in_the_same_country_is_rejected(self):
        self.assert_rejected(
            "gift_countries_differ", lambda: make_gift(giver_country="KP", recipient_country="KP")
        )

    def test_unknown_country_codes_are_rejected(self):
        self.assert_rejected("gift_giver_country_valid", lambda: make_gift(giver_country="ZZ"))
        self.assert_rejected(
            "gift_recipient_country_valid", lambda: make_gift(recipient_country="ZZ")
        )
        self.assert_rejected("visit_host_country_valid", lambda: make_visit(host_country="ZZ"))
        self.assert_rejected("leader_country_valid", lambda: make_leader(country="ZZ"))
        self.assert_rejected(
            "regime_target_country_valid", lambda: make_regime(target_country="ZZ")
        )

    def test_code_checks_also_run_in_model_validation(self):
        gift = Gift(
            item="Vase",
            giver_country="ZZ",
            recipient_country="US",
            value=Decimal("1"),
            currency="XYZ",
            date=D(2024, 6, 19),
        )
        with self.assertRaises(ValidationError) as raised:
            gift.validate_constraints()
        self.assertEqual(
            raised.exception.messages,
            ["Choose a valid giver country.", "Choose a valid ISO 4217 currency."],
        )
        gift.giver_country, gift.currency = "SU", "SUR"
        gift.validate_constraints()

    def test_historical_and_user_assigned_countries_are_accepted(self):
        for code in ["SU", "DD", "YU", "CS", "XS", "XK"]:
            make_gift(giver_country=code, recipient_country="US")
        self.assertEqual(Gift.objects.count(), 6)

    def test_unknown_currency_is_rejected_and_historical_ones_accepted(self):
        self.assert_rejected(
            "gift_currency_valid", lambda: make_gift(value=Decimal("1"), currency="XYZ")
        )
        for code in ["SUR", "DDM", "YUN", "KPW"]:
            make_gift(value=Decimal("1"), currency=code)

    def test_codes_outside_their_lists_are_rejected(self):
        self.assert_rejected("gift_category_valid", lambda: make_gift(category="spaceship"))
        self.assert_rejected("gift_disposition_valid", lambda: make_gift(disposition="lost"))
        self.assert_rejected(
            "gift_publication_status_valid", lambda: make_gift(publication_status="live")
        )
        self.assert_rejected("visit_kind_valid", lambda: make_visit(kind="party"))
        gift, regime = make_gift(), make_regime()
        self.assert_rejected(
            "sanctionsflag_status_valid", lambda: make_flag(gift, regime, status="guilty")
        )

    def test_date_must_fit_its_precision(self):
        cases = [
            (D(2024, 6, 19), DatePrecision.MONTH),
            (D(2024, 6, 1), DatePrecision.YEAR),
            (None, DatePrecision.DAY),
            (D(2024, 1, 1), DatePrecision.UNKNOWN),
        ]
        for date, precision in cases:
            with self.subTest(date=date, precision=precision):
                self.assert_rejected(
                    "gift_date_fits_precision",
                    lambda date=date, precision=precision: make_gift(
                        date=date, date_precision=precision
                    ),
                )

    def test_dates_that_fit_their_precision_are_accepted(self):
        make_gift(date=D(2024, 6, 1), date_precision=DatePrecision.MONTH)
        make_gift(date=D(2024, 1, 1), date_precision=DatePrecision.YEAR)
        make_gift(date=None, date_precision=DatePrecision.UNKNOWN)
        self.assertEqual(Gift.objects.count(), 3)

    def test_import_key_is_unique_but_blank_keys_repeat(self):
        make_gift(import_key="us-federal-register:12:1")
        make_gift(import_key="")
        make_gift(import_key="")
        self.assert_rejected(
            "gift_import_key_unique", lambda: make_gift(import_key="us-federal-register:12:1")
        )

    def test_leader_name_is_unique_within_a_country(self):
        make_leader("Kim Jong Un", country="KP")
        make_leader("Kim Jong Un", country="KR")
        self.assert_rejected(
            "leader_name_country_unique", lambda: make_leader("Kim Jong Un", country="KP")
        )

    def test_regime_cannot_end_before_it_starts(self):
        self.assert_rejected(
            "regime_in_force_to_after_from",
            lambda: make_regime(in_force_from=D(2020, 1, 1), in_force_to=D(2019, 1, 1)),
        )


class ValidationMessageTests(TestCase):
    """clean() gives each rule a message on the right field before the database sees it."""

    def errors(self, obj):
        with self.assertRaises(ValidationError) as raised:
            obj.full_clean()
        return raised.exception.message_dict

    def test_visit_end_before_start(self):
        visit = Visit(
            title="T", host_country="KP", start_date=D(2024, 6, 19), end_date=D(2024, 6, 18)
        )
        self.assertEqual(
            self.errors(visit)["end_date"], ["The end date cannot be before the start date."]
        )

    def test_value_without_currency(self):
        gift = Gift(item="Vase", value=Decimal("10"), date=D(2024, 1, 1))
        self.assertEqual(self.errors(gift)["currency"], ["Give the currency of the value."])

    def test_same_country_both_sides(self):
        gift = Gift(item="Vase", giver_country="KP", recipient_country="KP", date=D(2024, 1, 1))
        self.assertIn("must differ", self.errors(gift)["recipient_country"][0])

    def test_month_precision_wants_the_first_of_the_month(self):
        gift = Gift(item="Vase", date=D(2024, 6, 19), date_precision=DatePrecision.MONTH)
        self.assertEqual(
            self.errors(gift)["date"],
            ["With month precision, enter the first day of the month (2024-06-01)."],
        )

    def test_quantity_zero(self):
        gift = Gift(item="Vase", quantity=0, date=D(2024, 1, 1))
        self.assertIn("quantity", self.errors(gift))

    def test_wikidata_id_must_be_a_q_number(self):
        leader = Leader(name="X", country="FR", wikidata_id="7747")
        self.assertIn("wikidata_id", self.errors(leader))

    def test_regime_code_style(self):
        regime = SanctionsRegime(code="un 1718", name="x", authority="UN")
        self.assertIn("code", self.errors(regime))


class LeaderTests(TestCase):
    def test_slug_and_search_text_are_derived(self):
        kim = make_leader(
            "Kim Jong Un", country="KP", native_name="김정은", aliases=["Kim Jong-un", " "]
        )
        self.assertEqual(kim.slug, "kim-jong-un")
        self.assertEqual(kim.aliases, ["Kim Jong-un"])
        self.assertIn(fold("김정은"), kim.search_text)
        other = make_leader("Kim Jong Un", country="KR")
        self.assertEqual(other.slug, "kim-jong-un-2")

    def test_str_names_the_country(self):
        self.assertEqual(
            str(make_leader("Emmanuel Macron", country="FR")), "Emmanuel Macron (France)"
        )


class FoldTests(TestCase):
    def test_fold_ignores_case_accents_and_punctuation(self):
        self.assertEqual(fold("Recep Tayyip ERDOĞAN"), "recep tayyip erdogan")
        self.assertEqual(fold("Kim Jong-un"), fold("Kim  Jong Un"))
        self.assertEqual(fold("김정은"), "김정은")
        self.assertEqual(fold(""), "")


# Pieces of web addresses, plain and hostile, for the source URL check.
URL_PIECES = st.sampled_from(
    ["http", "https", "ftp", "javascript:", "://", "//", ".", "-", "a", "Z", "0", "example",
     "com", "xn--p1ai", "co.uk", "/", "?q=1", "#top", "@", ":8080", " ", "\t", "\n", "%20", "é",
     "[::1]", "localhost", "a" * 63, "b" * 64, "..", "\\", "'", '"', "<", "~"]
)  # fmt: skip


class SourceUrlTests(SimpleTestCase):
    def assert_judged_as_the_validator_judges(self, url):
        try:
            source_url(url)
            valid = True
        except ValidationError:
            valid = False
        self.assertEqual(source_url_problem(url) is None, valid, url)
        if PLAIN_WEB_ADDRESS.fullmatch(url):
            self.assertTrue(
                valid, f"the quick check passed an address the validator refuses: {url!r}"
            )

    def test_plain_addresses_pass_the_quick_check(self):
        for url in (
            "https://www.state.gov/gifts/2024/report.pdf",
            "http://news.example.co.uk/2019/05/a-gift-of-silver-123?print=1",
        ):
            with self.subTest(url=url):
                self.assertTrue(PLAIN_WEB_ADDRESS.fullmatch(url))
                self.assertIsNone(source_url_problem(url))

    @given(st.lists(URL_PIECES, max_size=12).map("".join))
    @example("https://-bad.example/")
    @example("https://bad-.example/")
    @example("https://example.c/")
    @example("https://" + "a" * 63 + ".com")
    @example("https://" + "a" * 64 + ".com")
    @example("https://" + ("a" * 60 + ".") * 4 + "com/")
    @example("javascript://example.com/%0aalert(1)")
    @example("https://example.com/a b")
    def test_the_quick_check_never_passes_what_the_validator_refuses(self, url):
        self.assert_judged_as_the_validator_judges(url)
        self.assert_judged_as_the_validator_judges("https://" + url)
        self.assert_judged_as_the_validator_judges("https://example.com/" + url)


class GiftQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kim = make_leader(
            "Kim Jong Un", country="KP", aliases=["Kim Jong-un"], native_name="김정은"
        )
        cls.erdogan = make_leader("Recep Tayyip Erdoğan", country="TR")
        cls.day = make_gift(item="Dogs", date=D(2024, 6, 19), giver=cls.kim, giver_country="KP")
        cls.month = make_gift(item="Bust", date=D(2024, 6, 1), date_precision=DatePrecision.MONTH)
        cls.year = make_gift(item="Vase", date=D(2023, 1, 1), date_precision=DatePrecision.YEAR)
        cls.unknown = make_gift(item="Rug", date=None, date_precision=DatePrecision.UNKNOWN)
        cls.draft = make_gift(item="Draft car", date=D(2022, 5, 5), publication_status="draft")
        cls.turkish = make_gift(
            item="Carpet", date=D(2022, 5, 5), giver=cls.erdogan, giver_country="TR"
        )

    def test_published_excludes_drafts(self):
        self.assertNotIn(self.draft, Gift.objects.published())
        self.assertIn(self.day, Gift.objects.published())

    def test_given_and_received_by_country(self):
        self.assertEqual(list(Gift.objects.given_by_country("KP")), [self.day])
        self.assertIn(self.month, Gift.objects.received_by_country("DE"))
        self.assertEqual(set(Gift.objects.involving_country("TR")), {self.turkish})

    def test_overlapping_respects_precision(self):
        june15 = Gift.objects.overlapping(D(2024, 6, 15), D(2024, 6, 30))
        self.assertEqual(set(june15), {self.day, self.month})
        march_2023 = Gift.objects.overlapping(D(2023, 3, 1), D(2023, 3, 31))
        self.assertEqual(set(march_2023), {self.year})
        self.assertNotIn(self.unknown, Gift.objects.overlapping(None, D(2030, 1, 1)))

    def test_search_finds_names_in_any_script_and_spelling(self):
        for query in ["Kim Jong-un", "kim jong un", "김정은", "KIM JONG UN"]:
            with self.subTest(query=query):
                self.assertEqual(list(Gift.objects.search(query)), [self.day])
        self.assertEqual(list(Gift.objects.search("Erdogan")), [self.turkish])
        self.assertEqual(list(Gift.objects.search("carpet")), [self.turkish])

    def test_flagged_counts_only_public_flags_that_are_not_cleared(self):
        regime = make_regime()
        make_flag(self.day, regime)
        make_flag(self.month, regime, status=SanctionsFlag.Status.CLEARED)
        make_flag(self.year, regime, publication_status="draft")
        make_flag(self.draft, regime)
        self.assertEqual(list(Gift.objects.flagged()), [self.day])
        self.assertNotIn(self.day, Gift.objects.not_flagged())
        self.assertIn(self.month, Gift.objects.not_flagged())

    def test_period_end(self):
        self.assertEqual(period_end(D(2024, 2, 1), DatePrecision.MONTH), D(2024, 2, 29))
        self.assertEqual(period_end(D(2024, 1, 1), DatePrecision.YEAR), D(2024, 12, 31))
        self.assertEqual(self.day.date_end, D(2024, 6, 19))

    def test_publishing_stamps_published_at_once(self):
        draft = make_gift(publication_status="draft")
        self.assertIsNone(draft.published_at)
        draft.publication_status = "published"
        draft.save()
        first = draft.published_at
        self.assertIsNotNone(first)
        draft.save()
        self.assertEqual(draft.published_at, first)


class HistoryIndexTests(TestCase):
    """History is read by record and by date (and kept by user): any other index on the
    historical tables of the bulk-written records only slows every write."""

    def test_the_history_of_gifts_visits_and_leaders_is_indexed_by_record_date_and_user(self):
        read_by = {"id", "history_date", "history_user_id"}
        for model in (Gift, Visit, Leader):
            table = model.history.model._meta.db_table
            with connection.cursor() as cursor:
                constraints = connection.introspection.get_constraints(cursor, table)
            indexed = {
                column
                for constraint in constraints.values()
                if constraint["index"] and not constraint["primary_key"]
                for column in constraint["columns"]
            }
            with self.subTest(table=table):
                self.assertLessEqual(indexed, read_by)
                self.assertIn("history_date", indexed)


class StatusIndexTests(TestCase):
    """A record's publication status is indexed once, for the editors' queues: never with
    the second index for LIKE queries that db_index adds on PostgreSQL."""

    def test_each_status_column_has_one_plain_index(self):
        for model in (Gift, Visit, SanctionsFlag):
            table = model._meta.db_table
            with connection.cursor() as cursor:
                constraints = connection.introspection.get_constraints(cursor, table)
            leading = [
                name
                for name, constraint in constraints.items()
                if constraint["index"] and constraint["columns"][:1] == ["publication_status"]
            ]
            with self.subTest(table=table):
                self.assertEqual(len(leading), 1, leading)
                self.assertNotIn("_like", leading[0])
