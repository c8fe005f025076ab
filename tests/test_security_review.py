"""The security review's findings, one test each, named after the finding: tried as an
attacker and as a careless editor would, on both databases. docs/security.md maps each
actor and rule to the tests that show it; the fuller tests of each area are named there.
"""

import io
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giftapp.importers import us_federal_register
from giftapp.importers.pipeline import run_import
from giftapp.importers.titles import gift_title
from giftapp.models import Gift, PendingImport, ProposedChange, Source

from .factories import (
    make_flag,
    make_gift,
    make_leader,
    make_regime,
    make_source,
    make_user,
    make_visit,
)
from .test_import_admin import DATABASES, run_tasks, upload
from .test_import_registry_csv import csv_bytes, row
from .test_proposed_changes import leader_form, source_form
from .test_workflow import gift_form


class SecurityReviewFindings(TestCase):
    databases = DATABASES

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("erin", "editor")
        cls.reviewer = make_user("rita", "reviewer")
        cls.source = make_source(title="Official readout")
        cls.kim = make_leader("Kim Jong Un", "KP")
        cls.gift = make_gift(
            item="Aurus Senat limousine",
            giver=cls.kim,
            giver_country="KP",
            recipient_country="RU",
            sources=[cls.source],
        )
        cls.secret = make_leader("Unpublished Person", "KP")
        make_gift(item="Draft vase", giver=cls.secret, publication_status="draft")

    def setUp(self):
        cache.clear()

    def test_finding_1_editors_cannot_rewrite_a_leader_or_source_a_published_page_shows(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:giftapp_leader_change", args=[self.kim.pk]),
            leader_form(self.kim, name="Defaced Name"),
        )
        self.client.post(
            reverse("admin:giftapp_source_change", args=[self.source.pk]),
            source_form(self.source, title="Defaced title"),
        )
        self.client.logout()
        page = self.client.get(self.gift.get_absolute_url())
        self.assertContains(page, "Kim Jong Un")
        self.assertContains(page, "Official readout")
        self.assertNotContains(page, "Defaced")
        self.assertEqual(ProposedChange.objects.pending().count(), 2)

    def test_finding_2_an_editors_import_cannot_change_a_published_flag(self):
        regime = make_regime()
        draft = make_gift(item="Tea set", publication_status="draft", sources=[self.source])
        flag = make_flag(draft, regime, status="alleged", sources=[self.source])
        result = run_import(
            io.BytesIO(csv_bytes([row(id=str(draft.pk), sanctions=f"{regime.code}:confirmed")])),
            "registry",
            file_name="f.csv",
            user=self.editor,
            skip_invalid=True,
        )
        flag.refresh_from_db()
        self.assertEqual((flag.status, flag.publication_status), ("alleged", "published"))
        self.assertEqual(result.counts["flags"]["conflict"], 1)

    def test_finding_3_approval_is_bound_to_the_version_and_nothing_skips_retraction(self):
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_gift_change", args=[self.gift.pk])
        self.client.post(url, gift_form(self.gift, item="Edited after approval"))
        self.gift.refresh_from_db()
        self.assertEqual(self.gift.item, "Aurus Senat limousine")  # waits for review
        self.client.force_login(self.reviewer)
        response = self.client.post(url, gift_form(self.gift, publication_status="draft"))
        self.assertContains(response, "leaves the public site only by retraction")
        response = self.client.post(
            reverse("admin:giftapp_visit_delete", args=[make_visit_for(self.gift).pk]),
            {"post": "yes"},
        )
        self.assertNotEqual(response.status_code, 302)  # a published gift points to it
        self.client.logout()
        self.assertEqual(self.client.get(self.gift.get_absolute_url()).status_code, 200)

    def test_finding_4_a_source_url_must_be_a_web_address_of_bounded_length(self):
        self.client.force_login(self.reviewer)
        for url in ["javascript:alert(1)", "https://example.org/" + "a" * 600]:
            with self.subTest(url=url[:30]):
                response = self.client.post(
                    reverse("admin:giftapp_source_add"),
                    source_form(self.source, url=url, title="New"),
                )
                self.assertEqual(response.status_code, 200)
                self.assertFalse(Source.objects.filter(title="New").exists())
        result = run_import(
            io.BytesIO(csv_bytes([row(sources="javascript:alert(1)")])),
            "registry",
            file_name="f.csv",
        )
        self.assertFalse(result.written)
        self.assertIn("sources", {problem.column for problem in result.problems})

    def test_finding_5_an_unpublished_leader_answers_as_an_unknown_one(self):
        for url in ["/gifts/?leader={}", "/gifts/?giver={}", "/timeline/?leader={}"]:
            with self.subTest(url=url):
                secret = self.client.get(url.format(self.secret.slug))
                unknown = self.client.get(url.format("nobody-at-all"))
                self.assertEqual(secret.status_code, unknown.status_code)
                self.assertNotIn("Unpublished Person", secret.content.decode())
        self.assertEqual(self.client.get(self.secret.get_absolute_url()).status_code, 404)

    @override_settings(ALLOWED_HOSTS=["gifts.example.org", "evil.example.net"])
    def test_finding_6_one_hosts_address_never_reaches_another_hosts_page(self):
        evil = self.client.get(self.gift.get_absolute_url(), HTTP_HOST="evil.example.net")
        self.assertEqual(evil.status_code, 200)
        good = self.client.get(self.gift.get_absolute_url(), HTTP_HOST="gifts.example.org")
        self.assertNotContains(good, "evil.example.net")

    def test_finding_7_repeated_and_junk_parameters_multiply_no_work(self):
        def queries(query):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(f"/gifts/?{query}", follow=True)
            self.assertEqual(response.status_code, 200)
            return len(captured)

        one = queries("giver_country=KP")
        many = queries("&".join(["giver_country=KP"] * 500 + [f"junk{n}=1" for n in range(200)]))
        self.assertEqual(one, many)
        response = self.client.get("/gifts/?" + "&".join(f"category=c{n}" for n in range(50)))
        self.assertContains(response, "Give at most", status_code=200)

    @override_settings(REGISTRY_EXPORT_RATE="2/m")
    def test_finding_7_exports_are_rate_limited(self):
        codes = [self.client.get("/gifts/?format=csv").status_code for _ in range(3)]
        self.assertEqual(codes, [200, 200, 429])

    def test_finding_8_a_crafted_megabyte_cell_is_parsed_in_under_a_second(self):
        crafted = "\\" + " 1" * 500_000  # the backslash fraction, never closed
        started = time.perf_counter()
        us_federal_register._FRACTION.search(crafted)
        gift_title(["(" * 1_000_000])
        self.assertLess(time.perf_counter() - started, 1.0)

    def test_finding_8_the_admins_dry_run_runs_outside_the_request(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:import_gifts"),
            {"file": upload(csv_bytes([row()])), "format": "registry"},
        )
        pending = PendingImport.objects.get()
        self.assertEqual(
            (response.status_code, pending.state, pending.report), (302, "checking", [])
        )
        self.assertEqual(run_tasks(), 1)
        pending.refresh_from_db()
        self.assertEqual(pending.state, "checked")

    def test_finding_9_the_review_queue_needs_a_reviewer_and_data_quality_an_editor(self):
        staff = get_user_model().objects.create_user("sam", password="x" * 20, is_staff=True)
        for user, queue, quality in [
            (staff, 403, 403),
            (self.editor, 403, 200),
            (self.reviewer, 200, 200),
        ]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(reverse("admin:review_queue")).status_code, queue)
                self.assertEqual(
                    self.client.get(reverse("admin:data_quality")).status_code, quality
                )


def make_visit_for(gift):
    visit = make_visit(publication_status="draft")
    Gift.objects.filter(pk=gift.pk).update(visit=visit)
    return visit
