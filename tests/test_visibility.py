"""Only published records are public: drafts answer 404, retractions 410, and neither
appears in any list, count, feed, timeline, leader, country or regime page."""

import datetime

from django.test import TestCase
from django.utils import timezone

from giftapp.models import PublicationStatus, SanctionsRegime

from .factories import make_flag, make_gift, make_leader, make_source, make_visit
from .pages_support import PYONGYANG, load_demo_story, page_text

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
RETRACTED = PublicationStatus.RETRACTED


class DetailStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.draft_gift = make_gift(item="Draft gift", publication_status=DRAFT)
        cls.review_gift = make_gift(item="Gift in review", publication_status=IN_REVIEW)
        cls.retracted_gift = make_gift(
            item="Gold watch",
            publication_status=RETRACTED,
            retraction_reason="The register entry was misread: no watch was given.",
            retracted_at=datetime.datetime(2024, 9, 3, 10, tzinfo=datetime.UTC),
        )
        cls.draft_visit = make_visit(title="Draft visit", publication_status=DRAFT)
        cls.review_visit = make_visit(title="Visit in review", publication_status=IN_REVIEW)
        cls.retracted_visit = make_visit(
            title="Phantom summit",
            publication_status=RETRACTED,
            retraction_reason="The summit was cancelled.",
        )

    def test_draft_and_in_review_gifts_are_not_found(self):
        for gift in (self.draft_gift, self.review_gift):
            with self.subTest(gift=gift.item):
                response = self.client.get(gift.get_absolute_url())
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, gift.item, status_code=404)

    def test_retracted_gift_is_gone_with_a_notice_reason_and_date(self):
        response = self.client.get(self.retracted_gift.get_absolute_url())
        self.assertEqual(response.status_code, 410)
        text = page_text(response)
        self.assertIn("This gift record has been retracted", text)
        self.assertIn("The register entry was misread: no watch was given.", text)
        self.assertIn("retracted on 3 September 2024", text)
        self.assertContains(response, "<title>Retracted: Gold watch", status_code=410)
        self.assertContains(response, '<meta name="robots" content="noindex">', status_code=410)

    def test_draft_and_in_review_visits_are_not_found(self):
        for visit in (self.draft_visit, self.review_visit):
            with self.subTest(visit=visit.title):
                self.assertEqual(self.client.get(visit.get_absolute_url()).status_code, 404)

    def test_retracted_visit_is_gone_with_its_reason(self):
        with self.assertNumQueries(1):
            response = self.client.get(self.retracted_visit.get_absolute_url())
        self.assertEqual(response.status_code, 410)
        self.assertIn("The summit was cancelled.", page_text(response))
        self.assertIn("retracted on", page_text(response))

    def test_missing_gift_is_not_found(self):
        self.assertEqual(self.client.get("/gifts/999999/").status_code, 404)


class DemoDraftFlagTests(TestCase):
    """The demo's draft flag (F3, on the artworks) shows nowhere."""

    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()

    def public_urls(self):
        urls = [
            "/",
            "/about/",
            "/visits/",
            "/timeline/",
            "/leaders/",
            "/leaders/kim-jong-un/",
            "/leaders/vladimir-putin/",
            "/countries/",
            "/countries/KP/",
            "/countries/RU/",
            "/sanctions/",
            "/sanctions/UN-SC1718/",
            "/feeds/gifts/",
            "/feeds/flags/",
        ]
        urls += [f"/visits/{slug}/" for slug in self.visits]
        urls += [f"/gifts/{gift.pk}/" for gift in self.gifts.values()]
        return urls

    def test_draft_flag_rationale_and_provisions_appear_on_no_public_page(self):
        for url in self.public_urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                body = response.content.decode()
                self.assertNotIn("research note", body)
                self.assertNotIn("paragraph to verify", body)
                if url != "/about/":  # which explains every status
                    self.assertNotIn("Possible breach", body)


class UnpublishedRecordsLeaveListsTests(TestCase):
    """Drafts and retractions are counted and listed nowhere."""

    @classmethod
    def setUpTestData(cls):
        cls.gifts, cls.visits = load_demo_story()
        cls.regime = SanctionsRegime.objects.get(code="UN-SC1718")
        pyongyang = cls.visits[PYONGYANG]
        cls.putin = pyongyang.visitors.get()
        cls.kim = pyongyang.hosts.get()
        retracted = make_gift(
            item="Retracted samovar",
            giver=cls.putin,
            recipient=cls.kim,
            giver_country="RU",
            recipient_country="KP",
            visit=pyongyang,
            publication_status=RETRACTED,
            retraction_reason="Confused with another visit.",
        )
        draft = make_gift(
            item="Draft icon",
            giver=cls.putin,
            recipient=cls.kim,
            giver_country="RU",
            recipient_country="KP",
            visit=pyongyang,
            publication_status=DRAFT,
        )
        # Public-looking flags on unpublished gifts, and unpublished flags on public ones.
        make_flag(retracted, cls.regime, alleged_by="Flag on a retracted gift")
        make_flag(draft, cls.regime, alleged_by="Flag on a draft gift")
        make_flag(
            cls.gifts["Tea set"],
            cls.regime,
            alleged_by="A retracted allegation",
            publication_status=RETRACTED,
            retraction_reason="Withdrawn by its author.",
        )
        make_visit(
            title="Retracted banquet",
            host_country="KP",
            visitors=[cls.putin],
            hosts=[cls.kim],
            publication_status=RETRACTED,
            retraction_reason="Not a separate visit.",
            start_date=datetime.date(2024, 6, 20),
            end_date=datetime.date(2024, 6, 20),
        )
        make_visit(
            title="Draft dinner", host_country="KP", hosts=[cls.kim], publication_status=DRAFT
        )

    HIDDEN = (
        "Retracted samovar",
        "Draft icon",
        "Flag on a retracted gift",
        "Flag on a draft gift",
        "A retracted allegation",
        "Retracted banquet",
        "Draft dinner",
    )

    def assertHidden(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        body = response.content.decode()
        for text in self.HIDDEN:
            self.assertNotIn(text, body, f"{text!r} on {url}")
        return page_text(response)

    def test_unpublished_records_appear_on_no_public_page(self):
        for url in (
            "/",
            "/visits/",
            f"/visits/{PYONGYANG}/",
            "/timeline/",
            "/timeline/?country=KP",
            "/leaders/",
            "/leaders/kim-jong-un/",
            "/countries/",
            "/countries/KP/",
            "/sanctions/",
            "/sanctions/UN-SC1718/",
            "/feeds/gifts/",
            "/feeds/flags/",
            f"/gifts/{self.gifts['Tea set'].pk}/",
        ):
            with self.subTest(url=url):
                self.assertHidden(url)

    def test_counts_leave_out_unpublished_records(self):
        home = self.assertHidden("/")
        for figure in ("6 gifts", "2 visits", "2 countries", "2 flagged for sanctions"):
            self.assertIn(figure, home)
        self.assertIn("4 gifts received", self.assertHidden("/countries/KP/"))
        self.assertIn("5 published gifts", self.assertHidden(f"/visits/{PYONGYANG}/"))
        self.assertIn("2 visits", self.assertHidden("/timeline/"))
        self.assertIn("2 gifts given and 4 received", self.assertHidden("/leaders/kim-jong-un/"))
        self.assertIn("Alleged breach (2)", self.assertHidden("/sanctions/UN-SC1718/"))

    def test_tea_set_has_no_sanctions_box_for_its_retracted_flag(self):
        text = self.assertHidden(f"/gifts/{self.gifts['Tea set'].pk}/")
        self.assertNotIn("Sanctions claims", text)


class LeaderAndCountryWithoutPublicRecordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = make_source()
        cls.drafted = make_leader("Only Drafted", country="NZ")
        make_gift(giver=cls.drafted, giver_country="NZ", publication_status=DRAFT)
        cls.retracted = make_leader("Only Retracted", country="NZ")
        make_gift(
            recipient=cls.retracted,
            giver_country="FR",
            recipient_country="NZ",
            publication_status=RETRACTED,
            retraction_reason="Wrong person.",
            retracted_at=timezone.now(),
        )
        cls.draft_visitor = make_leader("Draft Visitor", country="NZ")
        make_visit(visitors=[cls.draft_visitor], publication_status=IN_REVIEW)
        cls.visible = make_leader("Visible Host", country="IE")
        make_visit(host_country="IE", hosts=[cls.visible])

    def test_leader_with_only_unpublished_records_is_not_found(self):
        for leader in (self.drafted, self.retracted, self.draft_visitor):
            with self.subTest(leader=leader.name):
                self.assertEqual(self.client.get(leader.get_absolute_url()).status_code, 404)

    def test_leader_with_only_a_public_visit_has_a_page(self):
        response = self.client.get(self.visible.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("No published gift from Visible Host.", page_text(response))

    def test_leader_list_has_only_leaders_with_a_public_record(self):
        text = page_text(self.client.get("/leaders/"))
        self.assertIn("Visible Host", text)
        for name in ("Only Drafted", "Only Retracted", "Draft Visitor"):
            self.assertNotIn(name, text)

    def test_filters_answer_for_an_unpublished_leader_as_for_an_unknown_one(self):
        """Neither the list, its exports nor the timeline confirm a name known only from
        unpublished records: each answers exactly as for a name nobody has."""

        def answer(url, slug):
            response = self.client.get(url.format(slug))
            text = response.content.decode().replace(slug, "NAME")
            return response.status_code, text

        for leader in (self.drafted, self.retracted, self.draft_visitor):
            for url in (
                "/gifts/?leader={}",
                "/gifts/?giver={}",
                "/gifts/?recipient={}",
                "/gifts/?leader={}&format=csv",
                "/gifts/?leader={}&format=json",
                "/timeline/?leader={}",
            ):
                with self.subTest(leader=leader.name, url=url):
                    status, text = answer(url, leader.slug)
                    unknown_status, unknown_text = answer(url, "nobody-at-all")
                    self.assertEqual(status, unknown_status)
                    self.assertEqual(text, unknown_text)
        # A leader with a public record is found.
        response = self.client.get(f"/timeline/?leader={self.visible.slug}")
        self.assertNotContains(response, "No leader has the name")

    def test_country_with_only_unpublished_records_is_not_found(self):
        self.assertEqual(self.client.get("/countries/NZ/").status_code, 404)
        self.assertEqual(self.client.get("/countries/IE/").status_code, 200)
