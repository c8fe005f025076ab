"""Country pages: key numbers, the per-year chart, partners, flagged gifts, codes."""

import datetime

from django.test import SimpleTestCase, TestCase

from giftapp.charts import nice_ceiling, years_chart
from giftapp.models import DatePrecision, Gift, PublicationStatus
from giftapp.queries.countries import COUNTRY_GIFTS_SHOWN

from .factories import make_flag, make_gift, make_leader, make_regime, make_visit
from .pages_support import (
    ARTWORKS,
    FIRST_CAR,
    LIMOUSINE,
    ConstantQueriesMixin,
    load_demo_story,
    page_text,
)


class DemoCountryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def test_country_list_shows_countries_with_public_records_and_counts(self):
        response = self.client.get("/countries/")
        text = page_text(response)
        self.assertIn("2 countries", text)
        self.assertIn("North Korea 2 4 1", text)
        self.assertIn("Russia 4 2 1", text)
        self.assertContains(response, 'href="/gifts/?giver_country=RU"')

    def test_country_list_sorts_by_every_count_and_finds_a_name(self):
        def names(url):
            return [row["name"] for row in self.client.get(url).context["countries"]]

        self.assertEqual(names("/countries/"), ["North Korea", "Russia"])
        self.assertEqual(names("/countries/?sort=-name"), ["Russia", "North Korea"])
        self.assertEqual(names("/countries/?sort=-given"), ["Russia", "North Korea"])
        self.assertEqual(names("/countries/?sort=-received"), ["North Korea", "Russia"])
        self.assertEqual(names("/countries/?sort=given"), ["North Korea", "Russia"])
        self.assertEqual(names("/countries/?sort=nonsense"), ["North Korea", "Russia"])
        self.assertEqual(names("/countries/?q=kor"), ["North Korea"])
        self.assertEqual(names("/countries/?q=ru"), ["Russia"])  # by code too
        response = self.client.get("/countries/?sort=-latest")
        self.assertContains(response, 'aria-sort="descending"')
        self.assertContains(response, '<time datetime="2024-06-19">19 Jun 2024</time>')
        self.assertContains(self.client.get("/countries/?q=atlantis"), "No country")

    def test_key_numbers(self):
        text = page_text(self.client.get("/countries/KP/"))
        self.assertIn("2 gifts given", text)
        self.assertIn("4 gifts received", text)
        self.assertIn("2 flagged for sanctions", text)
        self.assertIn("2 visits", text)

    def test_chart_is_an_accessible_inline_svg_with_the_same_numbers_in_a_table(self):
        response = self.client.get("/countries/KP/")
        self.assertContains(response, '<svg class="chart"')
        self.assertContains(response, 'role="img" aria-labelledby="chart-title chart-desc"')
        self.assertContains(
            response,
            '<title id="chart-title">Gifts given and received by North Korea per year, '
            "2024</title>",
        )
        self.assertContains(response, "2024: 2 given, 4 received.")
        self.assertContains(response, '<rect class="given"')
        self.assertContains(response, '<rect class="received"')
        self.assertIn(
            "Published gifts per year, North Korea Year Given Received 2024 2 4",
            page_text(response),
        )
        self.assertNotContains(response, "style=")

    def test_partner_countries_link_to_the_filtered_gift_list_both_ways(self):
        response = self.client.get("/countries/KP/")
        self.assertContains(
            response, 'href="/gifts/?giver_country=KP&amp;recipient_country=RU">Russia</a>'
        )
        self.assertContains(
            response, 'href="/gifts/?giver_country=RU&amp;recipient_country=KP">Russia</a>'
        )

    def test_flagged_gifts_and_links_to_the_full_lists(self):
        response = self.client.get("/countries/KP/")
        text = page_text(response)
        flagged = text[text.index("Gifts flagged for sanctions") : text.index("Latest gifts")]
        self.assertIn(LIMOUSINE, flagged)
        self.assertIn(FIRST_CAR, flagged)
        self.assertNotIn(ARTWORKS, flagged)
        self.assertContains(response, 'href="/gifts/?giver_country=KP">All 2 gifts given')
        self.assertContains(response, 'href="/gifts/?recipient_country=KP">All 4 gifts received')

    def test_lowercase_code_shows_the_same_page_with_an_uppercase_canonical_url(self):
        response = self.client.get("/countries/kp/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>North Korea</h1>")
        self.assertContains(
            response, '<link rel="canonical" href="http://testserver/countries/KP/">'
        )

    def test_unknown_code_and_country_without_public_record_are_not_found(self):
        for url in ("/countries/ZZ/", "/countries/zz/", "/countries/FR/", "/countries/K1/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)


class HistoricalCountryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.brezhnev = make_leader("Leonid Brezhnev", country="SU")
        make_gift(
            item="Crystal vase",
            giver=cls.brezhnev,
            giver_country="SU",
            recipient_country="DD",
            date=datetime.date(1975, 1, 1),
            date_precision=DatePrecision.YEAR,
        )
        make_gift(
            item="Undated medal",
            giver_country="SU",
            recipient_country="YU",
            date=None,
            date_precision=DatePrecision.UNKNOWN,
        )

    def test_historical_state_is_named_as_such(self):
        response = self.client.get("/countries/su/")
        text = page_text(response)
        self.assertContains(response, "<h1>Soviet Union</h1>")
        self.assertIn("A historical state: the Soviet Union (1922–1991).", text)
        self.assertIn("East Germany", text)
        self.assertIn("1 gift with an unknown date not shown", text)

    def test_historical_states_are_listed_under_their_names(self):
        text = page_text(self.client.get("/countries/"))
        for name in ("East Germany", "Soviet Union", "Yugoslavia"):
            self.assertIn(name, text)

    def test_country_known_only_from_a_visit_participant_has_a_page(self):
        make_visit(title="Tito in Moscow", host_country="SU", visitors=[make_leader("Tito", "YU")])
        make_visit(host_country="SU", visitors=[make_leader("Kekkonen", "FI")])
        text = page_text(self.client.get("/countries/FI/"))
        self.assertIn("0 gifts given", text)
        self.assertIn("1 visit", text)
        self.assertIn("No published gift involving Finland has a known date.", text)


class CountryVisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_gift(giver_country="JP", recipient_country="FR", publication_status="draft")
        make_gift(
            giver_country="JP",
            recipient_country="BR",
            publication_status=PublicationStatus.RETRACTED,
            retraction_reason="Duplicate entry.",
        )
        make_visit(host_country="JP", publication_status=PublicationStatus.IN_REVIEW)

    def test_country_with_only_unpublished_records_is_not_found_nor_listed(self):
        self.assertEqual(self.client.get("/countries/JP/").status_code, 404)
        self.assertEqual(self.client.get("/countries/BR/").status_code, 404)
        text = page_text(self.client.get("/countries/"))
        self.assertNotIn("Japan", text)
        self.assertNotIn("Brazil", text)
        self.assertIn("0 countries", text)


class CountryQueryCountTests(ConstantQueriesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()
        cls.kim = make_leader("Kim", country="KP")
        gift = make_gift(giver_country="RU", recipient_country="KP", recipient=cls.kim)
        make_flag(gift, cls.regime)
        make_gift(giver_country="KP", recipient_country="RU", giver=cls.kim)
        make_visit(host_country="KP", hosts=[cls.kim])

    def add_gifts(self):
        partners = ["CN", "VN", "LA", "CU", "SY", "IR", "BY"]
        for i in range(28):
            gift = make_gift(
                giver_country=partners[i % len(partners)],
                recipient_country="KP",
                date=datetime.date(1990 + i, 1, 1),
            )
            make_gift(
                giver_country="KP",
                recipient_country=partners[i % 3],
                date=None,
                date_precision=DatePrecision.UNKNOWN,
            )
            make_flag(gift, self.regime)
            make_visit(host_country=partners[i % len(partners)], visitors=[self.kim])

    def test_country_page_queries_do_not_grow(self):
        # Counts, visits, the years the registers cover, flagged gifts and latest gifts
        # with their flags.
        _before, after = self.assertQueriesDoNotGrow("/countries/KP/", 7, self.add_gifts)
        text = page_text(after)
        self.assertIn("29 gifts given", text)
        self.assertIn("29 flagged for sanctions", text)
        self.assertIn("1990–2024", text)

    def test_country_page_without_flagged_gifts_skips_their_list(self):
        make_gift(giver_country="CU", recipient_country="VN")
        _before, after = self.assertQueriesDoNotGrow(
            "/countries/CU/", 5, lambda: make_gift(giver_country="VN", recipient_country="CU")
        )
        self.assertIn("No published gift involving Cuba is flagged.", page_text(after))

    def test_country_list_queries_do_not_grow(self):
        # The counts, the visits hosted, and the latest gift given and received.
        _before, after = self.assertQueriesDoNotGrow("/countries/", 4, self.add_gifts)
        self.assertIn("9 countries", page_text(after))


class LatestGiftsTests(TestCase):
    def test_latest_gifts_are_the_newest_given_or_received_whichever_way(self):
        for day in range(1, 31):
            make_gift(
                item=f"Given {day:02d}",
                giver_country="KP",
                recipient_country="CN" if day % 2 else "RU",
                date=datetime.date(2020, 1, day),
            )
            make_gift(
                item=f"Received {day:02d}",
                giver_country="RU",
                recipient_country="KP",
                date=datetime.date(2020, 1, day) if day % 3 else None,
                date_precision=DatePrecision.DAY if day % 3 else DatePrecision.UNKNOWN,
            )
        make_gift(giver_country="RU", recipient_country="CN", date=datetime.date(2021, 1, 1))
        newest = Gift.objects.public().involving_country("KP")[:COUNTRY_GIFTS_SHOWN]
        text = page_text(self.client.get("/countries/KP/"))
        latest = text[text.index("Latest gifts") :]
        positions = [latest.index(gift.item) for gift in newest]
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(latest.count("Given "), sum(g.item < "H" for g in newest))
        self.assertEqual(latest.count("Received "), sum(g.item > "H" for g in newest))


class ChartGeometryTests(SimpleTestCase):
    def test_no_dated_gifts_means_no_chart(self):
        self.assertIsNone(years_chart({}, {}))

    def test_axis_maximum_is_round(self):
        self.assertEqual(nice_ceiling(1), (1, 1))
        self.assertEqual(nice_ceiling(7), (8, 2))
        self.assertEqual(nice_ceiling(42), (50, 10))
        self.assertEqual(nice_ceiling(1234), (1500, 500))

    def test_years_without_gifts_keep_their_place(self):
        chart = years_chart({2000: 2}, {2003: 4})
        self.assertEqual([row["year"] for row in chart.rows], [2000, 2001, 2002, 2003])
        self.assertEqual(len(chart.bars), 2)
        given, received = chart.bars
        self.assertEqual((given.css_class, received.css_class), ("given", "received"))
        self.assertAlmostEqual(received.height, given.height * 2, delta=0.2)
        self.assertLess(given.x, received.x)
        self.assertEqual(given.y + given.height, chart.baseline)

    def test_year_labels_thin_out_on_long_ranges(self):
        chart = years_chart({1950: 1, 2024: 1}, {})
        labels = [label["year"] for label in chart.year_labels]
        self.assertEqual(labels[:3], [1950, 1955, 1960])
        self.assertLess(len(labels), 20)
