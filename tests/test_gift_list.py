"""The public gift list /gifts/: what a reader sees, facets, words, pages and query counts."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from giftapp.demo import GIFTS, load_demo
from giftapp.models import DatePrecision, FlagStatus, PublicationStatus
from giftapp.queries.gift_list import page_numbers
from giftapp.views.gifts import GiftListView
from tests.factories import make_flag, make_gift, make_leader, make_regime, make_source, make_visit

D = datetime.date
DRAFT = PublicationStatus.DRAFT


def build_registry():
    """A small registry that exercises every filter, with records the public must not see.

    Public gifts (date, value in US$, flags):
      car     Putin → Kim, RU → KP, 19 June 2024, vehicle, 500,000, UN alleged; published visit
      tea     Putin → Kim, RU → KP, June 2024, tableware, 1,500; linked to a draft visit
      busts   Kim → Putin, KP → RU, 2024, artwork, no value; a draft UN flag only
      album   Macron → (unnamed), FR → DE, date unknown, book, 110
      carpet  Erdoğan → Macron, TR → FR, 2 March 2019, textile, 1,000; EU cleared, UN possible
    Hidden: a draft, an in-review and a retracted gift (items start "Hidden"), one with a
    published flag.
    """
    r = SimpleNamespace()
    source = make_source()
    r.putin = make_leader("Vladimir Putin", "RU")
    r.kim = make_leader("Kim Jong Un", "KP", native_name="김정은", aliases=["Kim Jong-un"])
    r.erdogan = make_leader("Recep Tayyip Erdoğan", "TR")
    r.macron = make_leader("Emmanuel Macron", "FR")
    r.un = make_regime("UN-SC1718")
    r.eu = make_regime(
        "EU-DPRK",
        name="EU restrictive measures against the DPRK",
        short_name="EU DPRK sanctions",
        authority="European Union",
    )
    r.visit = make_visit(title="Putin's state visit to the DPRK", host_country="KP")
    r.draft_visit = make_visit(title="Unannounced summit", publication_status=DRAFT)
    putin_to_kim = {
        "giver": r.putin,
        "recipient": r.kim,
        "giver_country": "RU",
        "recipient_country": "KP",
    }
    r.car = make_gift(
        item="Aurus Senat limousine",
        date=D(2024, 6, 19),
        category="vehicle",
        value=Decimal("500000"),
        currency="USD",
        value_usd=Decimal("500000"),
        visit=r.visit,
        sources=[source],
        **putin_to_kim,
    )
    make_flag(r.car, r.un, status=FlagStatus.ALLEGED)
    r.tea = make_gift(
        item="Tea set",
        date=D(2024, 6, 1),
        date_precision=DatePrecision.MONTH,
        category="tableware",
        value=Decimal("1500"),
        currency="USD",
        value_usd=Decimal("1500"),
        visit=r.draft_visit,
        sources=[source],
        **putin_to_kim,
    )
    r.busts = make_gift(
        item="Busts of Putin",
        giver=r.kim,
        recipient=r.putin,
        giver_country="KP",
        recipient_country="RU",
        date=D(2024, 1, 1),
        date_precision=DatePrecision.YEAR,
        category="artwork",
        value_note="undisclosed",
    )
    make_flag(r.busts, r.un, status=FlagStatus.POSSIBLE, publication_status=DRAFT)
    r.album = make_gift(
        item="Photograph album",
        description="Signed at the Élysée Palace",
        giver=r.macron,
        recipient_as_reported="The German delegation",
        giver_country="FR",
        recipient_country="DE",
        date=None,
        date_precision=DatePrecision.UNKNOWN,
        category="book",
        value=Decimal("100"),
        currency="EUR",
        value_usd=Decimal("110"),
    )
    r.carpet = make_gift(
        item="Silk carpet",
        giver=r.erdogan,
        recipient=r.macron,
        giver_country="TR",
        recipient_country="FR",
        date=D(2019, 3, 2),
        category="textile",
        value=Decimal("20000"),
        currency="TRY",
        value_usd=Decimal("1000"),
    )
    make_flag(r.carpet, r.eu, status=FlagStatus.CLEARED)
    make_flag(r.carpet, r.un, status=FlagStatus.POSSIBLE)
    r.draft = make_gift(item="Hidden draft limousine", publication_status=DRAFT, **putin_to_kim)
    make_flag(r.draft, r.un, status=FlagStatus.CONFIRMED)
    r.in_review = make_gift(
        item="Hidden gift in review",
        publication_status=PublicationStatus.IN_REVIEW,
        category="vehicle",
        **putin_to_kim,
    )
    r.retracted = make_gift(
        item="Hidden retracted gift",
        publication_status=PublicationStatus.RETRACTED,
        retraction_reason="Never given.",
        category="vehicle",
        **putin_to_kim,
    )
    r.public = [r.car, r.tea, r.busts, r.album, r.carpet]
    return r


def listed(response):
    return [gift.item for gift in response.context["gifts"]]


def facet(response, name):
    """{value: count} of one facet on the page."""
    found = next(f for f in response.context["facets"] if f["name"] == name)
    return {item["value"]: item["count"] for item in found["items"]}


class GiftListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_registry()

    def test_list_shows_public_gifts_newest_first_with_names_and_badges(self):
        response = self.client.get("/gifts/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            listed(response),
            [
                "Aurus Senat limousine",
                "Tea set",
                "Busts of Putin",
                "Silk carpet",
                "Photograph album",
            ],
        )
        self.assertContains(response, "<h1>Gifts</h1>", html=True)
        self.assertContains(response, "Kim Jong Un")
        self.assertContains(response, '<abbr title="North Korea">KP</abbr>')
        self.assertContains(response, "Alleged breach · UN DPRK sanctions")
        self.assertContains(response, "June 2024")
        self.assertContains(response, '<span class="meta">unknown</span>', html=True)

    def test_draft_in_review_and_retracted_gifts_are_not_listed(self):
        response = self.client.get("/gifts/?recipient_country=KP")
        self.assertNotContains(response, "Hidden")
        self.assertEqual(response.context["total"], 2)

    def test_summary_states_count_filters_and_flagged_in_words(self):
        response = self.client.get(
            "/gifts/?recipient_country=KP&date_from=2024-01-01&date_to=2024-12-31"
        )
        self.assertContains(response, "2 gifts received by North Korea, 2024, 1 flagged")

    def test_summary_without_filters_still_separates_the_flagged_count(self):
        response = self.client.get("/gifts/")
        self.assertRegex(response.context["summary"], r"^\d+ gifts, \d+ flagged$")

    def test_summary_is_singular_for_one_gift(self):
        response = self.client.get("/gifts/?category=vehicle")
        self.assertContains(response, "1 gift in the category vehicle, 1 flagged")
        self.assertContains(response, "Download this gift:")

    def test_summary_names_both_sides_leaders_search_and_value(self):
        response = self.client.get(
            "/gifts/?giver=vladimir-putin&recipient_country=KP&q=limousine&value_min=1000"
        )
        self.assertContains(
            response,
            "1 gift matching “limousine”, given by Vladimir Putin to North Korea, "
            "worth at least US$ 1,000, 1 flagged",
        )

    def test_summary_of_flag_filters(self):
        response = self.client.get("/gifts/?flagged=yes")
        self.assertContains(response, "2 flagged gifts")
        response = self.client.get("/gifts/?regime=UN-SC1718&flag_status=alleged")
        self.assertContains(response, "1 gift with an alleged breach flag under UN DPRK sanctions")

    def test_summary_of_a_date_range_that_is_not_whole_years(self):
        response = self.client.get("/gifts/?date_from=2024-06-15")
        self.assertContains(response, "3 gifts from 15 June 2024, 1 flagged")

    def test_download_links_keep_the_filters(self):
        response = self.client.get("/gifts/?recipient_country=kp&category=vehicle&page=1")
        self.assertContains(response, "Download this gift:")
        self.assertContains(
            response, 'href="/gifts/?recipient_country=KP&amp;category=vehicle&amp;format=csv"'
        )
        self.assertContains(
            response, 'href="/gifts/?recipient_country=KP&amp;category=vehicle&amp;format=json"'
        )

    def test_active_filters_are_chips_that_remove_just_that_filter(self):
        response = self.client.get(
            "/gifts/?recipient_country=KP&category=vehicle&category=tableware"
        )
        self.assertContains(
            response,
            '<a href="/gifts/?recipient_country=KP&amp;category=tableware">'
            '<span class="visually-hidden">Remove filter: </span>Category: Vehicle</a>',
            html=True,
        )
        self.assertContains(
            response,
            '<a href="/gifts/?category=vehicle&amp;category=tableware">'
            '<span class="visually-hidden">Remove filter: </span>Received by: North Korea</a>',
            html=True,
        )

    def test_year_chip_removes_both_ends_of_the_year(self):
        response = self.client.get("/gifts/?country=KP&date_from=2024-01-01&date_to=2024-12-31")
        self.assertContains(response, "Year: 2024</a>")
        chip = next(c for c in response.context["chips"] if c["label"] == "Year: 2024")
        self.assertEqual(chip["url"], "/gifts/?country=KP")

    def test_facets_count_under_the_other_filters(self):
        response = self.client.get("/gifts/?recipient_country=KP")
        self.assertEqual(facet(response, "category"), {"vehicle": 1, "tableware": 1})
        self.assertEqual(facet(response, "giver_country"), {"RU": 2})
        # The facet's own filter is left out: every recipient country still counts.
        self.assertEqual(facet(response, "recipient_country"), {"KP": 2, "RU": 1, "DE": 1, "FR": 1})
        self.assertEqual(facet(response, "year"), {2024: 2})
        self.assertEqual(facet(response, "flag_status"), {"alleged": 1})

    def test_facets_leave_out_unpublished_gifts_and_flags(self):
        response = self.client.get("/gifts/")
        self.assertEqual(facet(response, "category")["vehicle"], 1)
        self.assertEqual(
            facet(response, "flag_status"), {"alleged": 1, "possible": 1, "cleared": 1}
        )
        self.assertEqual(facet(response, "year"), {2024: 3, 2019: 1})

    def test_flag_status_facet_counts_flags_of_the_chosen_regime(self):
        response = self.client.get("/gifts/?regime=EU-DPRK")
        self.assertEqual(facet(response, "flag_status"), {"cleared": 1})

    def test_facet_values_are_links_that_add_the_filter_and_keep_the_others(self):
        response = self.client.get("/gifts/?recipient_country=KP&sort=item")
        # One control per filter: categories are the form's boxes (with counts), not links.
        self.assertNotContains(response, "category=vehicle")
        self.assertContains(
            response,
            'href="/gifts/?recipient_country=KP&amp;sort=item&amp;date_from=2024-01-01'
            '&amp;date_to=2024-12-31"',
        )
        self.assertContains(
            response, 'href="/gifts/?recipient_country=KP&amp;sort=item&amp;flag_status=alleged"'
        )
        # Countries by name.
        self.assertContains(response, ">Russia</a>")

    def test_category_checkboxes_show_counts(self):
        response = self.client.get("/gifts/?giver_country=RU")
        options = {
            o["widget"].data["value"]: o["count"] for o in response.context["category_options"]
        }
        self.assertEqual(options["vehicle"], 1)
        self.assertEqual(options["book"], 0)
        self.assertContains(response, 'type="checkbox" name="category" value="vehicle"')

    def test_empty_result_names_the_filters_to_loosen(self):
        response = self.client.get("/gifts/?recipient_country=KP&category=book")
        self.assertContains(response, "No gifts received by North Korea, in the category book")
        self.assertContains(response, "No gift matches all these filters")
        loosen = {
            item["label"]: (item["url"], item["count"]) for item in response.context["loosen"]
        }
        self.assertEqual(loosen["Category: Book"], ("/gifts/?recipient_country=KP", 2))
        self.assertEqual(loosen["Received by: North Korea"], ("/gifts/?category=book", 1))
        self.assertContains(response, "Remove “Category: Book”")
        self.assertNotContains(response, "Download these")

    def test_sort_links_keep_filters_and_reverse_on_a_second_click(self):
        response = self.client.get("/gifts/?country=KP")
        links = response.context["sort_links"]
        self.assertEqual(
            links["date"],
            {"url": "/gifts/?country=KP&sort=date", "arrow": " ↓", "aria": "descending"},
        )
        self.assertEqual(
            links["item"], {"url": "/gifts/?country=KP&sort=item", "arrow": "", "aria": ""}
        )
        self.assertEqual(
            links["value"], {"url": "/gifts/?country=KP&sort=-value", "arrow": "", "aria": ""}
        )
        response = self.client.get("/gifts/?country=KP&sort=-value&page=1")
        self.assertEqual(
            response.context["sort_links"]["value"]["url"], "/gifts/?country=KP&sort=value"
        )
        self.assertContains(response, "Value ↓</a>")

    def test_sort_by_date_puts_unknown_dates_last_both_ways(self):
        self.assertEqual(
            listed(self.client.get("/gifts/?sort=date")),
            [
                "Silk carpet",
                "Busts of Putin",
                "Tea set",
                "Aurus Senat limousine",
                "Photograph album",
            ],
        )
        self.assertEqual(
            listed(self.client.get("/gifts/?sort=-date")),
            [
                "Aurus Senat limousine",
                "Tea set",
                "Busts of Putin",
                "Silk carpet",
                "Photograph album",
            ],
        )

    def test_sort_by_value_puts_unknown_values_last_both_ways(self):
        self.assertEqual(
            listed(self.client.get("/gifts/?sort=value")),
            [
                "Photograph album",
                "Silk carpet",
                "Tea set",
                "Aurus Senat limousine",
                "Busts of Putin",
            ],
        )
        self.assertEqual(
            listed(self.client.get("/gifts/?sort=-value")),
            [
                "Aurus Senat limousine",
                "Tea set",
                "Silk carpet",
                "Photograph album",
                "Busts of Putin",
            ],
        )

    def test_sort_by_item_both_ways(self):
        names = [
            "Aurus Senat limousine",
            "Busts of Putin",
            "Photograph album",
            "Silk carpet",
            "Tea set",
        ]
        self.assertEqual(listed(self.client.get("/gifts/?sort=item")), names)
        self.assertEqual(listed(self.client.get("/gifts/?sort=-item")), names[::-1])

    def test_dates_are_typed_and_shown_as_the_site_writes_them(self):
        for typed in ("19 June 2024", "19 jun 2024", "2024-06-19"):
            with self.subTest(typed):
                response = self.client.get("/gifts/", {"date_from": typed, "date_to": typed})
                # The day's gift, and those dated only by its month or year.
                self.assertEqual(
                    [gift.item for gift in response.context["gifts"]],
                    ["Aurus Senat limousine", "Tea set", "Busts of Putin"],
                )
                self.assertContains(response, 'name="date_from" value="19 June 2024"')
        response = self.client.get("/gifts/?date_from=06/19/2024")
        self.assertContains(response, "Enter a date as 19 June 2024 or 2024-06-19.")

    def test_a_chart_of_gifts_per_year_whose_bars_narrow_the_list(self):
        response = self.client.get("/gifts/?recipient_country=KP")
        chart = response.context["year_chart"]
        self.assertEqual({bar.year: bar.count for bar in chart.bars}, {2024: 2})
        self.assertContains(
            response,
            '<a href="/gifts/?recipient_country=KP&amp;date_from=2024-01-01'
            '&amp;date_to=2024-12-31">'
            '<rect class="gifts"',
        )
        self.assertContains(response, "<title>2024: 2 gifts</title>")
        # Under a date filter the chart still shows every year, the chosen one marked.
        response = self.client.get("/gifts/?date_from=2024-01-01&date_to=2024-12-31")
        chart = response.context["year_chart"]
        self.assertEqual({bar.year for bar in chart.bars}, {2019, 2024})
        self.assertEqual([b.year for b in chart.bars if "current" in b.css_class], [2024])

    def test_sort_by_giver_recipient_countries_and_category(self):
        def first_and_last(sort, column):
            gifts = self.client.get(f"/gifts/?sort={sort}").context["gifts"]
            return [getattr(gifts[0], column), getattr(gifts[-1], column)]

        givers = {g.giver.name for g in self.client.get("/gifts/").context["gifts"] if g.giver}
        for sort, column, ends in [
            ("giver_country", "giver_country", ["FR", "TR"]),
            ("-giver_country", "giver_country", ["TR", "FR"]),
            ("recipient_country", "recipient_country", ["DE", "RU"]),
            ("category", "category", ["artwork", "vehicle"]),
            ("-category", "category", ["vehicle", "artwork"]),
        ]:
            with self.subTest(sort):
                self.assertEqual(first_and_last(sort, column), ends)
        for sort, reverse in [("giver", False), ("-giver", True)]:
            with self.subTest(sort):
                gifts = self.client.get(f"/gifts/?sort={sort}").context["gifts"]
                names = [g.giver.name for g in gifts if g.giver]
                self.assertEqual(names, sorted(names, key=str.lower, reverse=reverse))
                self.assertEqual(set(names), givers)
        # Gifts with no leader named come last both ways.
        for sort in ("recipient", "-recipient"):
            with self.subTest(sort):
                gifts = self.client.get(f"/gifts/?sort={sort}").context["gifts"]
                self.assertIsNone(gifts[-1].recipient)
        response = self.client.get("/gifts/?sort=giver")
        self.assertContains(response, 'aria-sort="ascending"><a href="/gifts/?sort=-giver">Giver ↑')

    def test_filter_form_is_labelled_and_keeps_its_values(self):
        response = self.client.get("/gifts/?recipient_country=KP&q=tea&flagged=no&sort=item")
        self.assertContains(response, '<form method="get" action="/gifts/">')
        # The recipient country is chosen in its list of values; the form carries it along.
        self.assertContains(response, '<input type="hidden" name="recipient_country" value="KP">')
        self.assertContains(response, '<label for="id_country">Either country</label>')
        self.assertContains(response, 'name="q" value="tea"')
        self.assertContains(response, 'value="no" id="id_flagged_2" checked')
        self.assertContains(response, '<option value="item" selected>Gift, A to Z</option>')
        self.assertContains(response, '<button type="submit">Apply filters</button>')

    def test_blank_parameters_from_the_form_redirect_to_a_clean_url(self):
        response = self.client.get("/gifts/?q=&giver_country=&recipient_country=KP&flagged=")
        self.assertRedirects(response, "/gifts/?recipient_country=KP")

    def test_country_codes_in_lower_case_work(self):
        response = self.client.get("/gifts/?recipient_country=kp")
        self.assertEqual(response.context["total"], 2)
        self.assertContains(response, "received by North Korea")


class BadParameterTests(TestCase):
    """A bad value is a form error on the page: status 200, never a 500."""

    @classmethod
    def setUpTestData(cls):
        cls.r = build_registry()

    def assert_form_error(self, query, message):
        response = self.client.get("/gifts/?" + query)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Some filters need correcting")
        self.assertContains(response, message)
        self.assertEqual(response.context.get("gifts"), None)
        return response

    def test_impossible_date_is_a_form_error(self):
        response = self.assert_form_error("date_from=2024-13-45", "Enter a date as 19 June 2024")
        self.assertContains(response, '<a href="#id_date_from">From</a>', html=True)

    def test_non_number_value_is_a_form_error(self):
        self.assert_form_error("value_min=abc", "Enter a number.")

    def test_huge_value_is_a_form_error(self):
        self.assert_form_error("value_max=1e999999", "Ensure that there are no more than")

    def test_unknown_country_code_is_a_form_error(self):
        self.assert_form_error("giver_country=ZZ", "“ZZ” is not a country code the registry knows")

    def test_repeated_single_value_parameter_is_a_form_error(self):
        self.assert_form_error("country=KP&country=RU", "Give one value, not several (KP, RU).")

    def test_repeating_the_same_value_is_harmless(self):
        response = self.client.get("/gifts/?country=KP&country=kp")
        self.assertEqual(response.context["total"], 3)

    def test_ten_kilobyte_search_is_a_form_error(self):
        self.assert_form_error("q=" + "x" * 10_000, "at most 200 characters")

    def test_unknown_sort_is_a_form_error(self):
        self.assert_form_error("sort=bogus", "“bogus” is not a sort order")

    def test_unknown_category_is_a_form_error(self):
        self.assert_form_error(
            "category=vehicle&category=spaceship", "“spaceship” is not a category"
        )

    def test_unknown_leader_and_unpublished_visit_are_form_errors(self):
        self.assert_form_error("leader=nobody", "No leader has the name or slug “nobody”")
        self.assert_form_error(
            f"visit={self.r.draft_visit.slug}",
            f"No published visit has the name or slug “{self.r.draft_visit.slug}”",
        )

    def test_unknown_regime_and_flag_status_are_form_errors(self):
        self.assert_form_error("regime=XX-NONE", "“XX-NONE” is not a sanctions regime code")
        self.assert_form_error("flag_status=maybe", "“maybe” is not a flag status")
        self.assert_form_error("flagged=perhaps", "Use flagged=yes or flagged=no.")

    def test_reversed_ranges_are_form_errors(self):
        self.assert_form_error("date_from=2024-06-01&date_to=2024-01-01", "The end date is before")
        self.assert_form_error("value_min=10&value_max=5", "The maximum value is below")

    def test_null_character_is_a_form_error(self):
        self.assert_form_error("q=kim%00", "Null characters are not allowed.")

    def test_page_that_is_not_a_number_shows_the_first_page(self):
        response = self.client.get("/gifts/?page=abc")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“abc” is not a page number: showing the first page.")
        self.assertEqual(len(listed(response)), 5)

    def test_page_far_past_the_end_is_a_message(self):
        response = self.client.get("/gifts/?page=99999999")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is no page 99,999,999: these filters give 1 page.")
        self.assertEqual(listed(response), [])

    def test_page_past_the_last_says_how_many_pages_there_are(self):
        response = self.client.get("/gifts/?country=KP&page=7")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is no page 7: these filters give 1 page.")
        self.assertContains(response, 'href="/gifts/?country=KP&amp;page=1"')


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        putin = make_leader("Vladimir Putin", "RU")
        for n in range(60):
            make_gift(
                item=f"Gift {n:02}",
                giver=putin,
                giver_country="RU",
                recipient_country="KP",
                date=D(2020, 1, 1) + datetime.timedelta(days=n),
            )
        make_gift(item="Elsewhere", giver_country="FR", recipient_country="DE")

    def test_pages_of_fifty_keep_the_filters(self):
        response = self.client.get("/gifts/?recipient_country=KP")
        self.assertEqual(len(listed(response)), 50)
        self.assertContains(response, "60 gifts received by North Korea")
        self.assertContains(response, "Page 1 of 2")
        self.assertContains(response, 'rel="next" href="?recipient_country=KP&amp;page=2"')
        self.assertContains(response, "Gifts 1–50 of 60, newest first")
        response = self.client.get("/gifts/?recipient_country=KP&page=2")
        self.assertEqual(len(listed(response)), 10)
        self.assertNotContains(response, "Elsewhere")
        self.assertContains(response, 'rel="prev" href="?recipient_country=KP"')
        self.assertNotContains(response, 'rel="next"')

    def test_sort_and_filters_survive_paging(self):
        response = self.client.get("/gifts/?recipient_country=KP&sort=date&page=2")
        self.assertEqual(listed(response)[0], "Gift 50")
        self.assertContains(response, 'rel="prev" href="?recipient_country=KP&amp;sort=date"')

    def test_list_stops_at_the_stated_page_limit(self):
        with mock.patch.object(GiftListView, "max_rows", 50):
            response = self.client.get("/gifts/?recipient_country=KP")
            self.assertContains(response, "The list stops at page 1.")
            self.assertNotContains(response, 'rel="next"')
            response = self.client.get("/gifts/?recipient_country=KP&page=2")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The list stops at page 1: narrow the filters")
        self.assertEqual(listed(response), [])

    def test_a_choice_of_page_size(self):
        response = self.client.get("/gifts/?recipient_country=KP&per_page=25")
        self.assertEqual(len(listed(response)), 25)
        self.assertContains(response, "Page 1 of 3")
        # Every link keeps the size: pages, sorting, facets.
        self.assertContains(response, 'href="?recipient_country=KP&amp;per_page=25&amp;page=3"')
        self.assertContains(response, "per_page=25&amp;sort=")
        response = self.client.get("/gifts/?recipient_country=KP&per_page=100")
        self.assertEqual(len(listed(response)), 60)
        self.assertContains(
            self.client.get("/gifts/?per_page=7"), "“7” gifts per page: use 25, 50, 100, 200."
        )

    def test_numbered_pages_end_at_the_last(self):
        response = self.client.get("/gifts/?recipient_country=KP&per_page=25&page=2")
        self.assertEqual(response.context["page_numbers"], [1, 2, 3])
        self.assertContains(response, 'aria-current="page">2<')
        response = self.client.get("/gifts/?recipient_country=KP&per_page=25&page=4")
        self.assertContains(response, "There is no page 4: these filters give 3 pages.")

    def test_page_numbers_leave_out_the_middle(self):
        self.assertEqual(page_numbers(7, 40), [1, None, 5, 6, 7, 8, 9, None, 40])
        self.assertEqual(page_numbers(1, 3), [1, 2, 3])
        self.assertEqual(page_numbers(4, 8), [1, 2, 3, 4, 5, 6, 7, 8])  # no gap of one
        self.assertEqual(page_numbers(4, 9), [1, 2, 3, 4, 5, 6, None, 9])
        self.assertEqual(page_numbers(1, 1), [1])


class QueryCountTests(TestCase):
    """The page costs the same number of queries whatever the number of rows."""

    # Summary counts, the page's ids, its gifts, their public flags, five facets, the
    # regime select.
    QUERIES = 10

    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()
        for _ in range(3):
            cls.add_gift()

    @classmethod
    def add_gift(cls):
        giver, recipient = make_leader(country="RU"), make_leader(country="KP")
        gift = make_gift(
            giver=giver, recipient=recipient, giver_country="RU", recipient_country="KP"
        )
        make_flag(gift, cls.regime)

    def count_queries(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_list_page_query_count_is_pinned(self):
        with self.assertNumQueries(self.QUERIES):
            self.client.get("/gifts/")
        with self.assertNumQueries(self.QUERIES):
            self.client.get("/gifts/?recipient_country=KP&category=other&flagged=yes&sort=-value")

    def test_query_count_does_not_grow_with_rows(self):
        urls = ["/gifts/", "/gifts/?country=KP&date_from=2024-01-01&regime=UN-SC1718"]
        before = [self.count_queries(url) for url in urls]
        for _ in range(27):
            self.add_gift()
        after = [self.count_queries(url) for url in urls]
        self.assertEqual(before, after)
        self.assertEqual(before[0], self.QUERIES)

    def test_a_leader_filter_adds_one_lookup(self):
        url = f"/gifts/?leader={self.regime.flags.first().gift.giver.slug}"
        # On PostgreSQL the gifts of a filter the aggregates cannot answer are counted,
        # faceted and paged in one pass: that pass (with the memory it may use set
        # before it and reset after), the flag statuses, the page's gifts, their flags
        # and the regime select.
        queries = 7 if connection.vendor == "postgresql" else self.QUERIES
        with self.assertNumQueries(queries + 1):
            self.client.get(url)

    def test_single_pass_lists_do_not_grow_with_rows(self):
        urls = ["/gifts/?q=gift", "/gifts/?value_min=0&sort=item", "/gifts/?q=gift&page=2"]
        before = [self.count_queries(url) for url in urls]
        for _ in range(27):
            self.add_gift()
        self.assertEqual([self.count_queries(url) for url in urls], before)

    def test_bad_filters_cost_one_query_and_list_nothing(self):
        with self.assertNumQueries(1):
            self.client.get("/gifts/?date_from=yesterday")


class DemoStoryTests(TestCase):
    """The seed story, as a reader of /gifts/ meets it."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def items(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return sorted(listed(response))

    def test_gifts_received_by_north_korea_are_the_four_putin_gave_kim(self):
        expected = sorted(GIFTS[key]["item"] for key in ("G3", "G4", "G5", "G6"))
        self.assertEqual(self.items("/gifts/?recipient_country=KP"), expected)

    def test_gifts_given_by_north_korea_are_kims_two(self):
        expected = sorted(GIFTS[key]["item"] for key in ("G1", "G2"))
        self.assertEqual(self.items("/gifts/?giver_country=KP"), expected)

    def test_every_spelling_of_kims_name_finds_his_gifts(self):
        for query in ("Kim Jong-un", "Kim Jong Un", "김정은", "kim jong eun", "KIM JONG UN"):
            with self.subTest(query=query):
                self.assertEqual(len(self.items(f"/gifts/?q={query}")), 6)

    def test_the_demo_summary_names_the_flags(self):
        response = self.client.get("/gifts/?recipient_country=KP")
        self.assertContains(response, "4 gifts received by North Korea, 2 flagged")
        self.assertEqual(facet(response, "flag_status"), {"alleged": 2})

    def test_the_draft_flag_on_the_artworks_is_not_shown(self):
        response = self.client.get("/gifts/?giver_country=KP")
        self.assertNotContains(response, "Possible breach ·")
        self.assertContains(response, "2 gifts given by North Korea</p>")
