"""Home, about, visits, leaders and sanctions pages, as an analyst reads them."""

import datetime

from django.template import Context, Template
from django.test import SimpleTestCase, TestCase, override_settings

from giftapp.charts import Bar
from giftapp.models import FlagStatus, Leader, LeaderRedirect, PublicationStatus
from giftapp.templatetags.registry import date_span

from .factories import make_flag, make_gift, make_leader, make_regime, make_source, make_visit
from .pages_support import (
    ARTWORKS,
    DAGGER,
    DOGS,
    FIRST_CAR,
    LIMOUSINE,
    PYONGYANG,
    SITE_SCRIPT,
    TEA_SET,
    VOSTOCHNY,
    ConstantQueriesMixin,
    load_demo_story,
    page_text,
)

DRAFT = PublicationStatus.DRAFT


class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def setUp(self):
        self.response = self.client.get("/")
        self.text = page_text(self.response)

    def test_home_says_what_the_registry_is(self):
        self.assertContains(self.response, "<h1>Diplomatic Gift Registry</h1>", html=True)
        self.assertIn("with a source for every claim", self.text)

    def test_home_search_box_sends_q_to_the_gift_list(self):
        self.assertContains(self.response, 'action="/gifts/" method="get"')
        self.assertContains(self.response, '<label for="home-q">Search the gifts</label>')
        self.assertContains(self.response, 'id="home-q" type="search" name="q"')

    def test_home_shows_headline_numbers_of_the_demo(self):
        for figure in ("6 gifts", "2 visits", "2 countries", "2 flagged for sanctions"):
            self.assertIn(figure, self.text)

    def test_home_lists_the_latest_published_gifts(self):
        for item in (DOGS, ARTWORKS, LIMOUSINE, DAGGER, TEA_SET, FIRST_CAR):
            self.assertIn(item, self.text)
        self.assertContains(self.response, f'href="/gifts/{self.gifts[DOGS].pk}/"')

    def test_home_lists_the_gifts_given_last_not_those_published_last(self):
        for day in range(1, 11):
            make_gift(item=f"Gift of 2 January 2025, number {day}", date=datetime.date(2025, 1, 2))
        make_gift(item="Gift of 1 March 2025", date=datetime.date(2025, 3, 1))
        make_gift(item="Bowl of 1999, published last", date=datetime.date(1999, 1, 1))
        text = page_text(self.client.get("/"))
        latest = text[text.index("Latest gifts") : text.index("All gifts")]
        self.assertNotIn("Bowl of 1999", latest)
        self.assertLess(latest.index("Gift of 1 March 2025"), latest.index("Gift of 2 January"))

    def test_home_lists_public_flags_with_badge_gift_and_who_alleged_it(self):
        self.assertIn(
            f"Alleged breach · UN DPRK sanctions {LIMOUSINE} — alleged by Breitbart News "
            "(news report) on 20 June 2024",
            self.text,
        )
        self.assertIn("alleged by South Korea's Ministry of Unification", self.text)
        self.assertNotIn("Possible breach", self.text)

    def test_home_browses_by_country_both_directions(self):
        self.assertContains(self.response, '<a href="/countries/KP/">North Korea</a>', html=True)
        self.assertContains(self.response, '<a href="/countries/RU/">Russia</a>', html=True)
        self.assertIn("North Korea 2 4", self.text)
        self.assertIn("Russia 4 2", self.text)

    def test_home_has_a_title_and_feed_links(self):
        self.assertContains(self.response, "<title>Gifts between state leaders")
        self.assertContains(self.response, 'href="/feeds/gifts/"')


class AboutPageTests(TestCase):
    @override_settings(REGISTRY_CONTACT_EMAIL="errors@registry.example")
    def test_about_explains_scope_review_statuses_citation_licence_and_corrections(self):
        with self.assertNumQueries(0):
            response = self.client.get("/about/")
        text = page_text(response)
        self.assertIn("Gifts between private persons or companies are out of scope", text)
        self.assertIn("a reviewer", text)
        for status in ("Draft", "In review", "Published", "Retracted"):
            self.assertIn(status, text)
        for status in ("Possible breach", "Alleged breach", "Confirmed breach", "Disputed"):
            self.assertIn(status, text)
        self.assertIn("a claim, never a verdict", text)
        self.assertIn("How to cite", text)
        self.assertIn("CC BY 4.0", text)
        self.assertIn("open source", text)
        self.assertContains(response, 'href="mailto:errors@registry.example"')
        self.assertContains(response, "<title>About the registry")


class VisitPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def test_visit_list_is_chronological_with_public_gift_counts(self):
        response = self.client.get("/visits/")
        text = page_text(response)
        self.assertLess(text.index("Kim Jong Un's visit to Russia"), text.index("Putin's state"))
        self.assertContains(response, '<td class="num">1</td>', html=True)
        self.assertContains(response, '<td class="num">5</td>', html=True)
        self.assertIn("2 visits", text)

    def test_visit_detail_shows_dates_kind_place_participants_and_summary(self):
        response = self.client.get(f"/visits/{PYONGYANG}/")
        text = page_text(response)
        self.assertContains(response, "<title>Putin&#x27;s state visit to the DPRK")
        self.assertIn("State visit hosted by North Korea (Pyongyang, Kumsusan Guesthouse)", text)
        self.assertIn("18–19 June 2024", text)
        self.assertIn("Treaty on Comprehensive Strategic Partnership", text)
        self.assertContains(response, '<a href="/leaders/vladimir-putin/">Vladimir Putin</a>')
        self.assertContains(response, '<a href="/leaders/kim-jong-un/">Kim Jong Un</a>')
        self.assertIn("Breitbart News", text)
        self.assertIn("CBS News", text)

    def test_visit_detail_lists_gifts_in_both_directions(self):
        response = self.client.get(f"/visits/{PYONGYANG}/")
        text = page_text(response)
        visitors = text.index("From the visitors (Russia) to the hosts")
        hosts = text.index("From the hosts (North Korea) to the visitors")
        for item in (LIMOUSINE, DAGGER, TEA_SET):
            self.assertTrue(visitors < text.index(item) < hosts, item)
        for item in (DOGS, ARTWORKS):
            self.assertGreater(text.index(item), hosts, item)
        self.assertNotIn(FIRST_CAR, text)

    def test_gift_given_by_the_host_months_later_is_listed_under_the_hosts(self):
        text = page_text(self.client.get(f"/visits/{VOSTOCHNY}/"))
        self.assertIn("No published gift from the visitors.", text)
        self.assertGreater(text.index(FIRST_CAR), text.index("From the hosts (Russia)"))
        self.assertIn("Vostochny Cosmodrome", text)
        self.assertIn("City Not recorded", text)

    def test_visit_detail_has_a_public_change_log(self):
        from giftapp.models import Visit
        from giftapp.queries.history import visit_change_log

        visit = Visit.objects.get(slug="putin-state-visit-to-the-dprk-2024")
        response = self.client.get(visit.get_absolute_url())
        self.assertContains(response, '<h2 id="changes">Change log</h2>', html=False)
        self.assertIn("Published", page_text(response))
        # Later public edits name the fields changed, never who changed them.
        first = visit.history.earliest()
        later = visit.history.latest()
        later.history_date = first.history_date + datetime.timedelta(days=3)
        later.venue = "Kumsusan Palace"
        later.save()
        day, events = visit_change_log(visit)[0]
        # The edited version copies no sources rows: they count as changed too.
        self.assertEqual(events[0].split(", ")[0], "Changed: venue")

    def test_unknown_visit_is_not_found(self):
        self.assertEqual(self.client.get("/visits/no-such-visit/").status_code, 404)


class LeaderNewestGiftsTests(TestCase):
    def test_a_leader_page_lists_the_newest_twenty_gifts_newest_first(self):
        leader = make_leader("Jean Dupont")
        for day in range(1, 26):
            make_gift(giver=leader, item=f"Vase of day {day:02d}", date=datetime.date(2001, 1, day))
        text = page_text(self.client.get(leader.get_absolute_url()))
        shown = [day for day in range(1, 26) if f"Vase of day {day:02d}" in text]
        self.assertEqual(shown, list(range(6, 26)))
        positions = [text.index(f"Vase of day {day:02d}") for day in range(25, 5, -1)]
        self.assertEqual(positions, sorted(positions))


class LeaderPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def test_leader_list_shows_leaders_with_public_records_and_counts(self):
        response = self.client.get("/leaders/")
        text = page_text(response)
        self.assertIn("2 leaders", text)
        self.assertContains(response, '<a href="/leaders/kim-jong-un/">Kim Jong Un</a>')
        self.assertContains(response, '<a href="/leaders/vladimir-putin/">Vladimir Putin</a>')
        # Kim: 2 given, 4 received, 2 visits.
        self.assertRegex(
            response.content.decode(),
            r'(?s)Kim Jong Un</a>.*?<td class="num">2</td>\s*<td class="num">4</td>\s*'
            r'<td class="num">2</td>',
        )

    def test_leader_list_sorts_by_every_count_and_finds_any_name(self):
        def names(url):
            return [leader.name for leader in self.client.get(url).context["leaders"]]

        kim, putin = "Kim Jong Un", "Vladimir Putin"
        self.assertEqual(names("/leaders/"), [kim, putin])
        self.assertEqual(names("/leaders/?sort=-name"), [putin, kim])
        self.assertEqual(names("/leaders/?sort=-given"), [putin, kim])
        self.assertEqual(names("/leaders/?sort=-received"), [kim, putin])
        self.assertEqual(len(names("/leaders/?sort=-latest")), 2)
        self.assertEqual(names("/leaders/?q=김정은"), [kim])  # any of their names
        self.assertEqual(names("/leaders/?q=PUTIN&sort=-given"), [putin])
        response = self.client.get("/leaders/?q=putin&sort=-given")
        self.assertContains(response, "1 leader matching “putin”")
        # Headers keep the search; the current column reverses.
        self.assertContains(response, 'href="/leaders/?q=putin&amp;sort=given"')
        self.assertContains(response, '<time datetime="2024-06-19">19 Jun 2024</time>')
        self.assertContains(self.client.get("/leaders/?q=nobody"), "No leader with a published")

    def test_leader_page_shows_names_title_country_gifts_and_visits(self):
        response = self.client.get("/leaders/kim-jong-un/")
        text = page_text(response)
        self.assertContains(response, "<title>Kim Jong Un ·")
        self.assertIn("김정은", text)
        self.assertIn("Kim Jong-eun, Kim Jong-un", text)
        self.assertIn("General Secretary of the Workers' Party of Korea", text)
        self.assertContains(response, '<a href="/countries/KP/">North Korea</a>', html=True)
        given, received = text.index("Gifts given"), text.index("Gifts received")
        visits = text.index("Visits 12")
        for item in (DOGS, ARTWORKS):
            self.assertTrue(given < text.index(item) < received, item)
        for item in (LIMOUSINE, DAGGER, TEA_SET, FIRST_CAR):
            self.assertTrue(received < text.index(item) < visits, item)
        self.assertLess(text.index("Kim Jong Un's visit to Russia"), text.index("Putin's state"))
        self.assertContains(response, 'href="/gifts/?giver=kim-jong-un"')

    def test_unknown_leader_is_not_found(self):
        self.assertEqual(self.client.get("/leaders/nobody/").status_code, 404)

    def test_address_of_a_merged_leader_redirects_to_the_leader_kept(self):
        kim = Leader.objects.get(slug="kim-jong-un")
        LeaderRedirect.objects.create(old_slug="kim-jong-eun", leader=kim)
        response = self.client.get("/leaders/kim-jong-eun/")
        self.assertRedirects(response, "/leaders/kim-jong-un/", status_code=301)


class SanctionsPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def test_regime_list_shows_authority_target_force_and_flagged_count(self):
        response = self.client.get("/sanctions/")
        text = page_text(response)
        self.assertContains(response, 'href="/sanctions/UN-SC1718/"')
        self.assertIn("UN Security Council", text)
        self.assertIn("North Korea", text)
        self.assertIn("from 14 October 2006, still in force", text)
        self.assertContains(response, '<td class="num">2</td>', html=True)

    def test_regime_page_shows_legal_basis_notes_sources_and_flagged_gifts_by_status(self):
        response = self.client.get("/sanctions/UN-SC1718/")
        text = page_text(response)
        self.assertContains(response, "<title>UN Security Council sanctions on the DPRK")
        self.assertIn("S/RES/2397 (2017) (bans supplying transport vehicles)", text)
        self.assertIn("no UN finding exists for these gifts", text)
        self.assertContains(response, 'href="https://www.un.org/securitycouncil/sanctions/1718"')
        self.assertIn("Resolution 2321 (2016)", text)
        self.assertIn("Alleged breach (2)", text)
        self.assertIn(LIMOUSINE, text)
        self.assertIn(FIRST_CAR, text)
        # The draft flag on the artworks is not public.
        self.assertNotIn(ARTWORKS, text)
        self.assertNotIn("Possible breach", text)

    def test_regime_code_is_case_insensitive_and_unknown_code_is_not_found(self):
        self.assertEqual(self.client.get("/sanctions/un-sc1718/").status_code, 200)
        self.assertEqual(self.client.get("/sanctions/EU-NOTHING/").status_code, 404)


class EveryPageTests(TestCase):
    """House rules that hold on every public page."""

    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()
        cls.urls = [
            "/",
            "/about/",
            f"/gifts/{cls.gifts[LIMOUSINE].pk}/",
            "/visits/",
            f"/visits/{PYONGYANG}/",
            "/timeline/",
            "/timeline/?year_from=abc",
            "/leaders/",
            "/leaders/kim-jong-un/",
            "/countries/",
            "/countries/KP/",
            "/sanctions/",
            "/sanctions/UN-SC1718/",
        ]

    def test_no_page_has_inline_scripts_styles_or_event_handlers(self):
        for url in self.urls:
            with self.subTest(url=url):
                body = self.client.get(url).content.decode().lower()
                # The site's own scripts, from its static files, are the only ones.
                body = SITE_SCRIPT.sub("", body)
                self.assertNotIn("<script", body)
                self.assertNotIn("<style", body)
                self.assertNotIn("style=", body)
                self.assertNotRegex(body, r"\son[a-z]+=")

    def test_every_page_has_one_h1_a_named_title_and_a_main_landmark(self):
        for url in self.urls:
            with self.subTest(url=url):
                body = self.client.get(url).content.decode()
                self.assertEqual(body.count("<h1"), 1)
                self.assertIn('<main id="content"', body)
                title = body[body.index("<title>") + 7 : body.index("</title>")]
                self.assertNotEqual(
                    title.strip(), "Diplomatic Gift Registry · Diplomatic Gift Registry"
                )


class PageQueryCountTests(ConstantQueriesMixin, TestCase):
    """Each page costs the same number of queries with 2 rows or 20."""

    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()
        cls.source = make_source()
        cls.giver = make_leader("Giver One", country="FR")
        cls.recipient = make_leader("Recipient One", country="DE")
        cls.visit = make_visit(
            title="A summit", visitors=[cls.giver], hosts=[cls.recipient], host_country="DE"
        )
        for _ in range(2):
            cls.add_gift()

    @classmethod
    def add_gift(cls, **fields):
        defaults = {"giver": cls.giver, "recipient": cls.recipient, "visit": cls.visit}
        gift = make_gift(sources=[cls.source], **(defaults | fields))
        make_flag(gift, cls.regime, sources=[cls.source])
        return gift

    def add_gifts(self, n=18):
        for i in range(n):
            self.add_gift(date=datetime.date(2000 + i, 1, 1))

    def add_world(self, n=18):
        """More leaders, visits, countries and gifts in both directions."""
        codes = ["IT", "ES", "JP", "BR", "IN", "KE", "CA", "MX", "EG", "AU"]
        for i in range(n):
            code = codes[i % len(codes)]
            leader = make_leader(f"Leader {i}", country=code)
            visit = make_visit(visitors=[leader], hosts=[self.recipient], host_country="DE")
            gift = make_gift(
                sources=[self.source],
                giver=leader,
                recipient=self.recipient,
                giver_country=code,
                visit=visit,
            )
            make_gift(
                giver=self.recipient,
                recipient=leader,
                giver_country="DE",
                recipient_country=code,
                visit=visit,
            )
            make_flag(gift, self.regime)

    def test_home_queries_do_not_grow(self):
        self.assertQueriesDoNotGrow("/", 5, self.add_world)

    def test_visit_list_queries_do_not_grow(self):
        _before, after = self.assertQueriesDoNotGrow("/visits/", 4, self.add_world)
        self.assertIn("19 visits", page_text(after))

    def test_visit_detail_queries_do_not_grow(self):
        url = self.visit.get_absolute_url()
        self.assertQueriesDoNotGrow(url, 8, self.add_gifts)

    def test_leader_list_queries_do_not_grow(self):
        # The count, the page, and the latest gift given and received.
        _before, after = self.assertQueriesDoNotGrow("/leaders/", 4, self.add_world)
        self.assertIn("20 leaders", page_text(after))

    def test_leader_detail_queries_do_not_grow(self):
        def add_gifts_both_ways():
            self.add_gifts()
            for i in range(10):
                self.add_gift(
                    giver=self.recipient,
                    recipient=self.giver,
                    giver_country="DE",
                    recipient_country="FR",
                    date=datetime.date(2010, 1, i + 1),
                )

        self.add_gift(
            giver=self.recipient, recipient=self.giver, giver_country="DE", recipient_country="FR"
        )
        url = self.giver.get_absolute_url()
        # The leader, counts, visits, newest gifts both ways with their flags, the offices
        # the registers give, the gifts by register, the spellings the registers use, and
        # the gifts given with another giver.
        _before, after = self.assertQueriesDoNotGrow(url, 11, add_gifts_both_ways)
        self.assertIn("20 gifts given and 11 received", page_text(after))

    def test_regime_list_queries_do_not_grow(self):
        def add_regimes():
            for i in range(18):
                make_flag(self.add_gift(), make_regime(code=f"EU-TEST{i}"))

        self.assertQueriesDoNotGrow("/sanctions/", 1, add_regimes)

    def test_regime_detail_queries_do_not_grow(self):
        def add_flags():
            self.add_gifts()
            make_flag(self.add_gift(), self.regime, status=FlagStatus.DISPUTED)
            make_flag(self.add_gift(), self.regime, status=FlagStatus.CLEARED)

        _before, after = self.assertQueriesDoNotGrow(self.regime.get_absolute_url(), 5, add_flags)
        self.assertIn("Alleged breach (22)", page_text(after))
        self.assertIn("Cleared (1)", page_text(after))

    def test_draft_gifts_are_left_out_of_leader_counts(self):
        make_gift(giver=self.giver, recipient=self.recipient, publication_status=DRAFT)
        response = self.client.get("/leaders/")
        self.assertRegex(
            response.content.decode(),
            r'(?s)Giver One</a>.*?<td class="num">2</td>\s*<td class="num">0</td>',
        )


class PartyTagTests(SimpleTestCase):
    """A giver or recipient in gift tables and on the timeline."""

    def party(self, leader, as_reported, code):
        template = Template("{% load registry %}{% party leader as_reported code %}")
        context = {"leader": leader, "as_reported": as_reported, "code": code}
        return template.render(Context(context))

    def test_a_known_leader_links_to_their_page_then_the_country(self):
        kim = Leader(name="Kim <Jong> Un", slug="kim-jong-un", country="KP")
        self.assertEqual(
            self.party(kim, "ignored", kim.country),
            '<a href="/leaders/kim-jong-un/">Kim &lt;Jong&gt; Un</a> '
            '<span class="meta">(North Korea)</span>',
        )

    def test_else_the_registers_words_cut_to_80_characters_else_unnamed(self):
        reported = "The <delegation> of " + "x" * 100
        text = self.party(None, reported, "SU")
        self.assertTrue(text.startswith("The &lt;delegation&gt; of xxx"))
        self.assertIn("x…", text)
        self.assertTrue(text.endswith(' <span class="meta">(Soviet Union)</span>'))
        self.assertEqual(self.party(None, "", ""), "Unnamed")


class SvgBarsTests(SimpleTestCase):
    """A chart's bars, written in one filter: as the template loop wrote them."""

    def test_bars_are_rectangles_with_escaped_titles_linked_where_they_lead(self):
        bars = [
            Bar(12.5, 40, 8, 60.0, "given", 2024, 3, "2024: 3 <given>"),
            Bar(21, 0, 8, 100, "received current", 2024, 5, "2024", url="/gifts/?a=1&b=2"),
        ]
        loop = Template(
            "{% load l10n %}{% localize off %}{% for bar in bars %}{% if bar.url %}"
            '<a href="{{ bar.url }}">{% endif %}<rect class="{{ bar.css_class }}" '
            'x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ bar.height }}">'
            "<title>{{ bar.label }}</title></rect>{% if bar.url %}</a>{% endif %}{% endfor %}"
            "{% endlocalize %}"
        )
        drawn = Template("{% load registry %}{{ bars|svg_bars }}").render(Context({"bars": bars}))
        self.assertEqual(drawn, loop.render(Context({"bars": bars})))
        self.assertIn("<title>2024: 3 &lt;given&gt;</title>", drawn)
        self.assertIn('<a href="/gifts/?a=1&amp;b=2"><rect class="received current" x="21"', drawn)


class DateSpanTests(SimpleTestCase):
    def test_visit_dates_read_as_compactly_as_they_can(self):
        d = datetime.date
        cases = [
            ((d(2024, 6, 19), d(2024, 6, 19)), "19 June 2024"),
            ((d(2024, 6, 18), d(2024, 6, 19)), "18–19 June 2024"),
            ((d(2024, 6, 30), d(2024, 7, 2)), "30 June – 2 July 2024"),
            ((d(2023, 12, 30), d(2024, 1, 2)), "30 December 2023 – 2 January 2024"),
        ]
        for (start, end), expected in cases:
            with self.subTest(expected=expected):
                self.assertEqual(date_span(start, end), expected)
