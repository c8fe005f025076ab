"""The visit timeline: order, year grouping, gift columns, filters, year strip, paging."""

import datetime
import re

from django.test import TestCase

from giftapp.models import PublicationStatus
from giftapp.queries.timeline import TIMELINE_PER_PAGE

from .factories import make_flag, make_gift, make_leader, make_regime, make_visit
from .pages_support import (
    ARTWORKS,
    DAGGER,
    DOGS,
    FIRST_CAR,
    LIMOUSINE,
    TEA_SET,
    ConstantQueriesMixin,
    load_demo_story,
    page_text,
)

VOSTOCHNY_TITLE = "Kim Jong Un's visit to Russia"
PYONGYANG_TITLE = "Putin's state visit to the DPRK"


class DemoTimelineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def get(self, query=""):
        return self.client.get(f"/timeline/{query}")

    def test_seed_story_reads_as_vostochny_then_pyongyang_under_their_years(self):
        text = page_text(self.get())
        positions = [
            text.index(" 2023 Kim Jong Un's visit to Russia"),
            text.index(" 2024 Putin's state visit to the DPRK"),
        ]
        self.assertLess(*positions)
        self.assertIn("12–17 September 2023 · Summit · Russia, Vostochny Cosmodrome", text)
        self.assertIn(
            "18–19 June 2024 · State visit · North Korea, Pyongyang, Kumsusan Guesthouse", text
        )

    def test_year_headings_are_real_headings(self):
        response = self.get()
        self.assertContains(response, '<h2 id="year-2023">2023</h2>', html=True)
        self.assertContains(response, '<h2 id="year-2024">2024</h2>', html=True)

    def test_cards_show_participants_and_gifts_in_two_columns_with_badges(self):
        text = page_text(self.get())
        pyongyang = text[text.index(PYONGYANG_TITLE) :]
        self.assertIn(
            "Visitors: Vladimir Putin (Russia). Hosts: Kim Jong Un (North Korea).", pyongyang
        )
        visitors = pyongyang.index("From the visitors (Russia)")
        hosts = pyongyang.index("From the hosts (North Korea)")
        for item in (LIMOUSINE, DAGGER, TEA_SET):
            self.assertTrue(visitors < pyongyang.index(item) < hosts, item)
        for item in (DOGS, ARTWORKS):
            self.assertGreater(pyongyang.index(item), hosts)
        self.assertIn(f"{LIMOUSINE} 19 June 2024", pyongyang)
        self.assertIn("Alleged breach · UN DPRK sanctions", pyongyang)

        vostochny = text[text.index(VOSTOCHNY_TITLE) : text.index(PYONGYANG_TITLE)]
        self.assertIn("From the visitors (North Korea) No published gift.", vostochny)
        self.assertIn(f"From the hosts (Russia) {FIRST_CAR}", vostochny)

    def test_cards_link_to_their_visits(self):
        response = self.get()
        self.assertContains(response, 'href="/visits/kim-jong-un-visit-to-russia-2023/"')
        self.assertContains(response, 'href="/visits/putin-state-visit-to-the-dprk-2024/"')

    def test_year_strip_counts_visits_and_links_keep_the_filters(self):
        response = self.get("?country=kp&leader=kim-jong-un")
        text = page_text(response)
        self.assertIn("2023 (1 visit)", text)
        self.assertIn("2024 (1 visit)", text)
        self.assertContains(
            response, 'href="?country=kp&amp;leader=kim-jong-un&amp;page=1#year-2024"'
        )

    def test_country_filter_matches_host_or_participant_in_either_case(self):
        for code in ("KP", "kp", "RU", "ru"):
            with self.subTest(code=code):
                text = page_text(self.get(f"?country={code}"))
                self.assertIn("2 visits involving", text)
                self.assertIn(VOSTOCHNY_TITLE, text)
                self.assertIn(PYONGYANG_TITLE, text)

    def test_country_with_no_visit_shows_none_and_how_to_widen(self):
        response = self.get("?country=FR")
        self.assertEqual(response.status_code, 200)
        text = page_text(response)
        self.assertIn("0 visits involving France", text)
        self.assertIn("Try removing a filter", text)

    def test_leader_filter(self):
        text = page_text(self.get("?leader=vladimir-putin"))
        self.assertIn("2 visits with Vladimir Putin", text)

    def test_leader_filter_takes_a_typed_name(self):
        text = page_text(self.get("?leader=Kim+Jong+Un"))
        self.assertIn("2 visits with Kim Jong Un", text)

    def test_year_filters(self):
        text = page_text(self.get("?year_from=2024"))
        self.assertIn(PYONGYANG_TITLE, text)
        self.assertNotIn(VOSTOCHNY_TITLE, text)
        text = page_text(self.get("?year_to=2023"))
        self.assertIn(VOSTOCHNY_TITLE, text)
        self.assertNotIn(PYONGYANG_TITLE, text)
        self.assertIn("1 visit, in 2023", page_text(self.get("?year_from=2023&year_to=2023")))

    def test_bad_values_are_form_errors_not_server_errors(self):
        cases = {
            "?year_from=abc": "Enter a whole number.",
            "?year_to=99999": "Ensure this value is less than or equal to 9999.",
            "?year_from=2025&year_to=2024": "The first year (2025) is after the last year (2024).",
            "?leader=nobody": "No leader has the name or slug “nobody”.",
            "?country=ZZ": "Select a valid choice.",
            "?page=0": "Ensure this value is greater than or equal to 1.",
        }
        for query, message in cases.items():
            with self.subTest(query=query):
                response = self.get(query)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)
                self.assertContains(response, "The timeline could not be filtered", status_code=400)

    def test_filters_are_labelled_controls(self):
        response = self.get()
        for name, label in (
            ("country", "Country"),
            ("leader", "Leader"),
            ("year_from", "From year"),
            ("year_to", "To year"),
        ):
            self.assertContains(response, f'<label for="id_{name}">{label}</label>', html=True)
        self.assertContains(response, 'aria-describedby="id_country_helptext"')
        self.assertContains(response, "<title>Timeline of gifts and visits 2023–2024 ·")


class TimelineVisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()
        cls.draft = make_visit(title="Planned summit", publication_status=PublicationStatus.DRAFT)
        cls.retracted = make_visit(
            title="Summit that never happened",
            publication_status=PublicationStatus.RETRACTED,
            retraction_reason="No such summit took place.",
        )
        make_gift(
            item="Draft porcelain",
            visit=cls.visits["putin-state-visit-to-the-dprk-2024"],
            giver_country="RU",
            recipient_country="KP",
            publication_status=PublicationStatus.DRAFT,
        )

    def test_unpublished_visits_and_gifts_stay_off_the_timeline(self):
        text = page_text(self.client.get("/timeline/"))
        self.assertIn("2 visits", text)
        self.assertNotIn("Planned summit", text)
        self.assertNotIn("Summit that never happened", text)
        self.assertNotIn("Draft porcelain", text)


class TimelineParticipantsAndPagingTests(ConstantQueriesMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()
        cls.macron = make_leader("Emmanuel Macron", country="FR")
        cls.scholz = make_leader("Olaf Scholz", country="DE")
        cls.visit = make_visit(
            title="Scholz in Paris",
            host_country="FR",
            city="Paris",
            venue="Élysée Palace",
            visitors=[cls.scholz],
            hosts=[cls.macron],
            start_date=datetime.date(2022, 5, 1),
            end_date=datetime.date(2022, 5, 2),
        )
        gift = make_gift(
            item="Porcelain vase",
            giver=cls.macron,
            recipient=cls.scholz,
            giver_country="FR",
            recipient_country="DE",
            visit=cls.visit,
        )
        make_flag(gift, cls.regime)
        make_gift(
            item="Book of photographs",
            giver=cls.scholz,
            recipient=cls.macron,
            giver_country="DE",
            recipient_country="FR",
            visit=cls.visit,
        )

    def test_country_filter_matches_a_visiting_leaders_country(self):
        text = page_text(self.client.get("/timeline/?country=de"))
        self.assertIn("Scholz in Paris", text)
        self.assertIn("From the visitors (Germany) Book of photographs", text)
        self.assertIn("From the hosts (France) Porcelain vase", text)

    def add_visits(self, n, first_year=2000):
        """n visits spread over three years, each with a gift both ways."""
        for i in range(n):
            visit = make_visit(
                title=f"Visit number {i:03d}",
                host_country="FR",
                visitors=[self.scholz],
                hosts=[self.macron],
                start_date=datetime.date(first_year + i % 3, 1 + i % 12, 1),
                end_date=datetime.date(first_year + i % 3, 1 + i % 12, 2),
            )
            make_gift(giver=self.macron, recipient=self.scholz, visit=visit, giver_country="FR")
            make_gift(
                giver=self.scholz,
                recipient=self.macron,
                visit=visit,
                giver_country="DE",
                recipient_country="FR",
            )

    def test_long_timelines_are_paged_and_the_year_strip_jumps_to_the_right_page(self):
        self.add_visits(120)  # 40 a year in 2000, 2001, 2002, then the 2022 visit
        response = self.client.get("/timeline/")
        text = page_text(response)
        self.assertIn(f"121 visits; 1–{TIMELINE_PER_PAGE} on this page", text)
        self.assertEqual(len(re.findall(r'class="card visit-card"', response.content.decode())), 50)
        self.assertIn("2000 (40 visits) 2001 (40 visits) 2002 (40 visits) 2022 (1 visit)", text)
        self.assertContains(response, 'href="?page=1#year-2001"')
        self.assertContains(response, 'href="?page=2#year-2002"')
        self.assertContains(response, 'href="?page=3#year-2022"')
        self.assertContains(response, 'href="?page=2" rel="next"')

        page_two = self.client.get("/timeline/?page=2")
        text = page_text(page_two)
        self.assertIn("51–100 on this page", text)
        self.assertIn("2001 (continued)", text)
        self.assertContains(page_two, '<h2 id="year-2002">2002</h2>', html=True)
        self.assertContains(page_two, 'rel="prev"')

    def test_a_page_past_the_end_shows_the_last_page(self):
        text = page_text(self.client.get("/timeline/?page=99"))
        self.assertIn("Scholz in Paris", text)

    def test_timeline_queries_do_not_grow_with_visits_and_gifts(self):
        _before, after = self.assertQueriesDoNotGrow(
            "/timeline/?country=FR", 11, lambda: self.add_visits(60)
        )
        self.assertIn("61 visits involving France", page_text(after))

    def test_timeline_with_every_filter_costs_the_same_however_many_visits(self):
        url = "/timeline/?country=de&leader=olaf-scholz&year_from=2000&year_to=2030"
        _before, after = self.assertQueriesDoNotGrow(url, 12, lambda: self.add_visits(60))
        self.assertIn("61 visits involving Germany with Olaf Scholz, 2000–2030", page_text(after))

    def test_form_error_page_costs_two_queries(self):
        with self.assertNumQueries(2):  # the countries offered: with a visit, with a gift
            response = self.client.get("/timeline/?year_from=x")
        self.assertEqual(response.status_code, 400)


class GiftAxisTests(ConstantQueriesMixin, TestCase):
    """The gifts on the timeline: a time axis zooming from decades to years to months, and
    a year's gifts given at no recorded visit listed by month."""

    @classmethod
    def setUpTestData(cls):
        D = datetime.date
        cls.visit = make_visit(
            title="Summit in Paris", start_date=D(1998, 3, 2), end_date=D(1998, 3, 3)
        )
        cls.draft_visit = make_visit(
            title="Secret talks", publication_status=PublicationStatus.DRAFT,
            start_date=D(1998, 3, 9), end_date=D(1998, 3, 9),
        )  # fmt: skip
        make_gift(item="Vase at the summit", date=D(1998, 3, 2), visit=cls.visit)
        make_gift(item="Clock at the talks", date=D(1998, 3, 9), visit=cls.draft_visit)
        for day in range(1, 13):
            make_gift(item=f"March gift {day:02d}", date=D(1998, 3, day + 10))
        make_gift(
            item="Rug of July", date=D(1998, 7, 4), giver_country="DE", recipient_country="FR"
        )
        make_gift(item="Year-only bowl", date=D(1998, 1, 1), date_precision="year")
        make_gift(
            item="Pen of 2015", date=D(2015, 5, 5), giver_country="US", recipient_country="FR"
        )
        make_gift(item="Undated box", date=None, date_precision="unknown")
        make_gift(
            item="Draft statue", date=D(1998, 3, 20), publication_status=PublicationStatus.DRAFT
        )

    def get(self, query=""):
        response = self.client.get(f"/timeline/{query}")
        self.assertEqual(response.status_code, 200)
        return response

    def test_all_years_are_counted_by_decade_and_each_decade_zooms_in(self):
        response = self.get()
        text = page_text(response)
        self.assertIn("17 gifts 1998–2015, and 1 of no known date, not on the axis.", text)
        self.assertIn("1990s (16 gifts, 1 visit) 2010s (1 gift)", text)  # no 2000s: nothing
        self.assertContains(response, 'href="?year_from=1990&amp;year_to=1999"')
        self.assertContains(response, '<svg class="chart"')
        self.assertContains(response, "<title>the 1990s: 16 gifts</title>")

    def test_a_decade_is_counted_by_year_and_each_year_zooms_in(self):
        response = self.get("?year_from=1990&year_to=1999")
        text = page_text(response)
        self.assertIn("All years 1990s", text)  # the zoom path
        self.assertIn("1998 (16 gifts, 1 visit)", text)
        self.assertContains(response, 'href="?year_from=1998&amp;year_to=1998"')
        self.assertNotIn("Gifts at no recorded visit", text)

    def test_a_year_lists_its_gifts_at_no_visit_by_month(self):
        response = self.get("?year_from=1998&year_to=1998")
        text = page_text(response)
        self.assertIn("All years 1990s 1998", text)
        self.assertIn("Mar (14 gifts)", text)
        loose = text[text.index("Gifts at no recorded visit in 1998") :]
        # The gift at the published visit is on the visit's card, not here; the one at a
        # draft visit is here, and the draft visit is named nowhere.
        self.assertNotIn("Vase at the summit", loose)
        self.assertIn("Vase at the summit", text)
        self.assertIn("Clock at the talks", loose)
        self.assertNotIn("Secret talks", text)
        self.assertNotIn("Draft statue", text)
        months = [
            loose.index(name) for name in ("March 1998", "July 1998", "1998, month not stated")
        ]
        self.assertEqual(months, sorted(months))
        # The first ten of March, then the way to all of them.
        self.assertIn("March gift 09", loose)
        self.assertNotIn("March gift 10", loose)
        self.assertIn("All 13 of March 1998", loose)
        self.assertContains(response, 'href="?year_from=1998&amp;year_to=1998&amp;month=3"')
        self.assertIn("Year-only bowl", loose[loose.index("1998, month not stated") :])

    def test_a_month_lists_all_its_gifts(self):
        response = self.get("?year_from=1998&year_to=1998&month=3")
        text = page_text(response)
        self.assertIn("All years 1990s 1998 March 1998", text)
        self.assertIn("March gift 12", text)
        self.assertNotIn("Rug of July", text)
        self.assertContains(response, 'aria-current="true">Mar')

    def test_two_countries_show_what_passed_between_them_both_ways(self):
        text = page_text(self.get("?country=FR&partner=DE&year_from=1998&year_to=1998"))
        self.assertIn("16 gifts between France and Germany in 1998", text)
        self.assertIn("Rug of July", text)
        text = page_text(self.get("?country=FR&partner=US"))
        self.assertIn("1 gift between France and United States", text)

    def test_a_leader_filters_the_gifts(self):
        leader = make_leader(name="Jacques Chirac", country="FR")
        make_gift(item="Chirac's gift", giver=leader, date=datetime.date(2001, 2, 3))
        text = page_text(self.get("?leader=jacques-chirac"))
        self.assertIn("1 gift with Jacques Chirac in 2001", text)

    def test_zoom_errors_are_form_errors(self):
        cases = {
            "?partner=DE": "Choose the first country too.",
            "?country=DE&partner=de": "Choose a country other than the first.",
            "?month=3": "A month is chosen within one year",
            "?year_from=1998&year_to=1999&month=3": "A month is chosen within one year",
            "?year_from=1998&year_to=1998&month=13": "less than or equal to 12",
        }
        for query, message in cases.items():
            with self.subTest(query=query):
                response = self.client.get(f"/timeline/{query}")
                self.assertContains(response, message, status_code=400)

    def test_the_axis_costs_the_same_however_many_gifts(self):
        def add_gifts():
            for day in range(1, 29):
                make_gift(date=datetime.date(1998, 2, day))

        self.assertQueriesDoNotGrow("/timeline/?year_from=1998&year_to=1998", 12, add_gifts)

    def test_one_year_chosen_beyond_the_records_is_that_year(self):
        text = page_text(self.get("?year_from=2030"))
        self.assertIn("0 gifts in 2030.", text)
        text = page_text(self.get("?year_to=1950"))
        self.assertIn("0 gifts in 1950.", text)


class EmptyGiftAxisTests(TestCase):
    def test_one_year_chosen_with_no_record_at_all(self):
        for query, summary in (
            ("?year_from=2020", "0 gifts in 2020."),
            ("?year_to=2020", "0 gifts in 2020."),
            ("?country=KP&year_from=2020", "0 gifts involving North Korea in 2020."),
        ):
            with self.subTest(query):
                self.assertIn(summary, page_text(self.client.get(f"/timeline/{query}")))
        self.assertIn("0 gifts.", page_text(self.client.get("/timeline/")))
