"""GiftFilter: each parameter of the gift list alone and combined, on the public gifts."""

from django.http import QueryDict
from django.test import TestCase

from giftapp.filters import GiftFilter
from tests.test_gift_list import build_registry


class GiftFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_registry()

    def items(self, query):
        filterset = GiftFilter(QueryDict(query))
        self.assertTrue(filterset.is_valid(), filterset.errors)
        return set(filterset.qs.values_list("item", flat=True))

    def errors(self, query):
        filterset = GiftFilter(QueryDict(query))
        self.assertFalse(filterset.is_valid())
        return filterset.errors

    CAR, TEA, BUSTS = "Aurus Senat limousine", "Tea set", "Busts of Putin"
    ALBUM, CARPET = "Photograph album", "Silk carpet"

    def test_no_filter_gives_every_public_gift_and_nothing_else(self):
        self.assertEqual(self.items(""), {self.CAR, self.TEA, self.BUSTS, self.ALBUM, self.CARPET})

    def test_search_covers_items_descriptions_names_and_aliases(self):
        self.assertEqual(self.items("q=limousine"), {self.CAR})
        self.assertEqual(self.items("q=KIM+JONG-UN"), {self.CAR, self.TEA, self.BUSTS})
        self.assertEqual(self.items("q=김정은"), {self.CAR, self.TEA, self.BUSTS})
        self.assertEqual(self.items("q=german+delegation"), {self.ALBUM})

    def test_search_ignores_case_and_accents_in_query_and_text(self):
        self.assertEqual(self.items("q=elysee"), {self.ALBUM})
        self.assertEqual(self.items("q=ÉLYSÉE"), {self.ALBUM})
        self.assertEqual(self.items("q=Erdogan"), {self.CARPET})
        self.assertEqual(self.items("q=erdoğan"), {self.CARPET})

    def test_giver_and_recipient_country_in_either_case(self):
        self.assertEqual(self.items("giver_country=RU"), {self.CAR, self.TEA})
        self.assertEqual(self.items("giver_country=ru"), {self.CAR, self.TEA})
        self.assertEqual(self.items("recipient_country=RU"), {self.BUSTS})

    def test_country_matches_either_side(self):
        self.assertEqual(self.items("country=FR"), {self.ALBUM, self.CARPET})
        self.assertEqual(self.items("country=kp"), {self.CAR, self.TEA, self.BUSTS})

    def test_leaders_by_slug_or_name(self):
        self.assertEqual(self.items("giver=vladimir-putin"), {self.CAR, self.TEA})
        self.assertEqual(self.items("recipient=vladimir-putin"), {self.BUSTS})
        self.assertEqual(self.items("leader=kim-jong-un"), {self.CAR, self.TEA, self.BUSTS})
        self.assertEqual(self.items("leader=Emmanuel+Macron"), {self.ALBUM, self.CARPET})

    def test_visit_by_slug_of_a_published_visit_only(self):
        self.assertEqual(self.items(f"visit={self.r.visit.slug}"), {self.CAR})
        self.assertIn("visit", self.errors(f"visit={self.r.draft_visit.slug}"))

    def test_categories_repeat_and_add_up(self):
        self.assertEqual(self.items("category=vehicle"), {self.CAR})
        self.assertEqual(self.items("category=vehicle&category=book"), {self.CAR, self.ALBUM})
        self.assertIn("category", self.errors("category=spaceship"))

    def test_month_precision_gift_matches_a_range_starting_inside_its_month(self):
        self.assertIn(self.TEA, self.items("date_from=2024-06-15"))
        self.assertNotIn(self.TEA, self.items("date_from=2024-07-01"))
        self.assertIn(self.TEA, self.items("date_to=2024-06-01"))
        self.assertNotIn(self.TEA, self.items("date_to=2024-05-31"))

    def test_year_precision_gift_matches_any_range_within_its_year(self):
        self.assertIn(self.BUSTS, self.items("date_to=2024-03-01"))
        self.assertIn(self.BUSTS, self.items("date_from=2024-12-31"))
        self.assertIn(self.BUSTS, self.items("date_from=2024-05-01&date_to=2024-05-02"))
        self.assertNotIn(self.BUSTS, self.items("date_to=2023-12-31"))
        self.assertNotIn(self.BUSTS, self.items("date_from=2025-01-01"))

    def test_day_precision_gift_matches_only_ranges_containing_its_day(self):
        self.assertIn(self.CAR, self.items("date_from=2024-06-19&date_to=2024-06-19"))
        self.assertNotIn(self.CAR, self.items("date_to=2024-06-18"))
        self.assertNotIn(self.CAR, self.items("date_from=2024-06-20"))

    def test_unknown_dates_never_match_a_date_filter(self):
        self.assertNotIn(self.ALBUM, self.items("date_from=1000-01-01"))
        self.assertNotIn(self.ALBUM, self.items("date_to=2999-12-31"))

    def test_value_range_in_us_dollars_excludes_unknown_values(self):
        self.assertEqual(self.items("value_min=1000"), {self.CAR, self.TEA, self.CARPET})
        self.assertEqual(self.items("value_max=1000"), {self.ALBUM, self.CARPET})
        self.assertEqual(self.items("value_min=1000&value_max=1500.00"), {self.TEA, self.CARPET})
        self.assertNotIn(self.BUSTS, self.items("value_min=0"))

    def test_currency_in_either_case(self):
        self.assertEqual(self.items("currency=usd"), {self.CAR, self.TEA})
        self.assertIn("currency", self.errors("currency=XYZ"))

    def test_flagged_means_a_public_flag_that_is_not_cleared(self):
        # The busts' flag is a draft; the carpet's UN flag is open though its EU flag is cleared.
        self.assertEqual(self.items("flagged=yes"), {self.CAR, self.CARPET})
        self.assertEqual(self.items("flagged=no"), {self.TEA, self.BUSTS, self.ALBUM})

    def test_regime_and_flag_status_alone(self):
        self.assertEqual(self.items("regime=UN-SC1718"), {self.CAR, self.CARPET})
        self.assertEqual(self.items("regime=eu-dprk"), {self.CARPET})
        self.assertEqual(self.items("flag_status=cleared"), {self.CARPET})
        self.assertEqual(self.items("flag_status=possible"), {self.CARPET})

    def test_regime_and_flag_status_must_match_the_same_flag(self):
        # The carpet has a cleared EU flag and a possible UN flag: no cleared UN flag.
        self.assertEqual(self.items("regime=UN-SC1718&flag_status=cleared"), set())
        self.assertEqual(self.items("regime=EU-DPRK&flag_status=cleared"), {self.CARPET})
        self.assertEqual(self.items("regime=UN-SC1718&flag_status=possible"), {self.CARPET})

    def test_filters_combine(self):
        self.assertEqual(self.items("giver_country=RU&category=vehicle"), {self.CAR})
        self.assertEqual(
            self.items("country=KP&date_from=2024-06-01&date_to=2024-06-30"),
            {self.CAR, self.TEA, self.BUSTS},
        )
        self.assertEqual(self.items("leader=vladimir-putin&flagged=no&value_min=1"), {self.TEA})
        self.assertEqual(self.items("q=putin&recipient_country=KP&regime=UN-SC1718"), {self.CAR})

    def test_sort_orders_with_unknowns_last_and_id_breaking_ties(self):
        filterset = GiftFilter(QueryDict("sort=-value"))
        self.assertEqual(
            list(filterset.qs.values_list("item", flat=True)),
            [self.CAR, self.TEA, self.CARPET, self.ALBUM, self.BUSTS],
        )
        self.assertIn("sort", self.errors("sort=price"))

    def test_describe_puts_the_filters_into_words(self):
        filterset = GiftFilter(
            QueryDict(
                "country=KP&leader=kim-jong-un&category=vehicle&category=tableware"
                "&value_max=5000&currency=USD&flagged=no"
            )
        )
        self.assertTrue(filterset.is_valid())
        self.assertEqual(
            filterset.describe(1, 0),
            "1 gift involving Kim Jong Un and North Korea, in the categories vehicle or "
            "tableware, worth at most US$ 5,000, valued in USD, not flagged",
        )

    def test_a_plain_dict_of_parameters_is_accepted(self):
        filterset = GiftFilter({"recipient_country": "kp", "category": ["vehicle"]})
        self.assertEqual(set(filterset.qs.values_list("item", flat=True)), {self.CAR})
