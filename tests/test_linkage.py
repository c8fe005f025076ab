"""Linking the two transcriptions of the US notices: one public record per real gift."""

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from giftapp.importers.linkage import Record, link, propose
from giftapp.models import Gift, GiftLink, ImportBatch, LinkStatus, RegisterEntry

from .factories import make_gift, make_source, make_user
from .pages_support import page_text

DAY = datetime.date(2013, 8, 30)


def record(key, text, recipient="the president", value="450.00", day=DAY, country="LT"):
    return Record(key, day, Decimal(value), text, recipient, country)


class ProposalTests(SimpleTestCase):
    def test_the_same_words_on_the_same_day_and_value_are_linked(self):
        (proposal,) = propose(
            [record("fr", "baltic amber carved face rec d 8 30 2013 est value 450 00")],
            [record("fg", "baltic amber carved face")],
        )
        self.assertEqual(proposal.status, LinkStatus.LINKED)
        self.assertEqual(proposal.evidence["words"], 100)
        self.assertEqual(proposal.evidence["date"], "2013-08-30")

    def test_different_objects_sharing_a_day_and_a_value_are_not_proposed(self):
        proposals = propose(
            [record("fr", "silver bowl with engraved seal")],
            [record("fg", "leather bound atlas of the world")],
        )
        self.assertEqual(proposals, [])

    def test_a_different_day_or_value_is_never_proposed(self):
        kept = [record("fr", "silver bowl")]
        self.assertEqual(propose(kept, [record("fg", "silver bowl", value="451.00")]), [])
        other_day = DAY + datetime.timedelta(days=1)
        self.assertEqual(propose(kept, [record("fg", "silver bowl", day=other_day)]), [])

    def test_the_same_object_twice_to_one_recipient_goes_to_the_queue(self):
        proposals = propose(
            [record("fr1", "wristwatch"), record("fr2", "wristwatch")],
            [record("fg1", "wristwatch"), record("fg2", "wristwatch")],
        )
        self.assertEqual({p.status for p in proposals}, {LinkStatus.CANDIDATE})
        self.assertEqual(len(proposals), 2)  # each record proposed once

    def test_the_same_object_to_different_recipients_is_matched_by_recipient(self):
        kept = [
            record("fr1", "watch with case", "colonel haight"),
            record("fr2", "watch with case", "general petraeus"),
        ]
        duplicates = [
            record("fg2", "watch with case", "general petraeus"),
            record("fg1", "watch with case", "colonel haight"),
        ]
        pairs = {(p.kept.key, p.duplicate.key): p.status for p in propose(kept, duplicates)}
        self.assertEqual(pairs, {("fr1", "fg1"): "linked", ("fr2", "fg2"): "linked"})

    def test_different_countries_of_the_giver_go_to_the_queue(self):
        (proposal,) = propose(
            [record("fr", "rug", country="IT")], [record("fg", "rug", country="RU")]
        )
        self.assertEqual(proposal.status, LinkStatus.CANDIDATE)


class LinkTests(TestCase):
    def setUp(self):
        source = make_source()
        self.kept = make_gift(
            item="Baltic amber carved face", date=DAY, value=450, currency="USD", value_usd=450,
            giver_country="LT", recipient_country="US", import_key="us-federal-register:6235:1",
            recipient_title="The Vice President", sources=[source],
        )  # fmt: skip
        self.duplicate = make_gift(
            item="Baltic amber carved face", date=DAY, value=450, currency="USD", value_usd=450,
            giver_country="LT", recipient_country="US", import_key="us-foreign-gifts:2990:1",
            recipient_title="The Vice President", disposition="archives",
            sources=[make_source(url="https://github.com/dwillis/all-foreign-gifts-around-us")],
        )  # fmt: skip
        batch = ImportBatch.objects.create(file_name="f.csv", file_sha256="0" * 64, format="x")
        for record, gift, register, cells in (
            (1, self.kept, "us-federal-register", [["id", "6235"], ["donor", "Dalia"]]),
            (2, self.duplicate, "us-foreign-gifts", [["id", "2990"], ["foreign_donor", "Dalia"]]),
        ):
            RegisterEntry.objects.create(
                batch=batch, register=register, row=cells[0][1], record=record, line=2,
                cells=cells, gift=gift, status="imported",
            )  # fmt: skip

    def test_one_public_record_carries_both_registers(self):
        self.assertEqual(link(), {"linked": 1, "candidate": 0, "rejected": 0})
        self.duplicate.refresh_from_db()
        self.assertEqual(self.duplicate.publication_status, "retracted")
        self.assertIn(f"gift record {self.kept.pk}", self.duplicate.retraction_reason)
        self.assertEqual(Gift.objects.public().count(), 1)
        text = page_text(self.client.get(self.kept.get_absolute_url()))
        self.assertIn("US Federal Register notices of gifts to federal employees, row 6235", text)
        self.assertIn("(second transcription), row 2990", text)
        page = self.client.get(self.kept.get_absolute_url()).content.decode()
        self.assertIn("github.com/dwillis", page)  # both registers' sources
        # Where they disagree: the disposition.
        self.assertIn("Where the registers disagree", text)
        self.assertIn("Deposited with national archives (us-foreign-gifts)", text)
        gone = self.client.get(self.duplicate.get_absolute_url())
        self.assertEqual(gone.status_code, 410)
        self.assertContains(gone, f"Read gift record {self.kept.pk}", status_code=410)
        history = self.duplicate.history.first()
        self.assertIn("Linked to the record of the same gift", history.history_change_reason)

    def test_a_public_record_is_not_retracted_for_one_not_yet_public(self):
        Gift.objects.filter(pk=self.kept.pk).update(publication_status="draft")
        self.assertEqual(link(), {"linked": 0, "candidate": 1, "rejected": 0})
        self.duplicate.refresh_from_db()
        self.assertEqual(self.duplicate.publication_status, "published")
        self.assertTrue(GiftLink.objects.get().evidence["kept_not_published"])

    def test_linking_again_changes_nothing(self):
        link()
        self.assertEqual(link(), {"linked": 0, "candidate": 0, "rejected": 0})
        self.assertEqual(GiftLink.objects.count(), 1)

    def test_a_reviewer_unlinks_and_no_later_run_links_again(self):
        link()
        reviewer = make_user("rita", "reviewer")
        self.client.force_login(reviewer)
        pk = GiftLink.objects.get().pk
        response = self.client.post(
            "/admin/giftapp/giftlink/", {"action": "reject_selected", "_selected_action": [pk]}
        )
        self.assertEqual(response.status_code, 302)
        self.duplicate.refresh_from_db()
        self.assertEqual(self.duplicate.publication_status, "published")
        self.assertEqual(GiftLink.objects.get().status, "rejected")
        self.assertEqual(GiftLink.objects.get().decided_by, reviewer)
        self.assertEqual(link(), {"linked": 0, "candidate": 0, "rejected": 0})
        self.assertEqual(Gift.objects.public().count(), 2)

    def test_an_editor_cannot_decide(self):
        link()
        self.client.force_login(make_user("erin", "editor"))
        pk = GiftLink.objects.get().pk
        self.client.post(
            "/admin/giftapp/giftlink/", {"action": "reject_selected", "_selected_action": [pk]}
        )
        self.assertEqual(GiftLink.objects.get().status, "linked")

    def test_the_command_reports_and_a_dry_run_writes_nothing(self):
        from io import StringIO

        out = StringIO()
        call_command("link_gifts", "--dry-run", stdout=out)
        self.assertIn("1 pairs would be linked", out.getvalue())
        self.assertFalse(GiftLink.objects.exists())


class LabelledPairTests(SimpleTestCase):
    """The rule on 343 pairs of the two bundled US transcriptions read by hand
    (tests/fixtures/linkage/us-gift-pairs.csv; bench/grade_linkage.py prints the same)."""

    def test_precision_and_recall_on_the_labelled_pairs(self):
        from bench.grade_linkage import grade

        measures, _counts = grade()
        hits, total = measures["precision"]
        self.assertGreaterEqual(total, 200)
        self.assertGreaterEqual(hits / total, 0.99)
        hits, total = measures["recall"]
        self.assertGreaterEqual(total, 250)
        self.assertGreaterEqual(hits / total, 0.95)
        hits, total = measures["hard negatives kept apart"]
        self.assertGreaterEqual(total, 60)
        self.assertEqual(hits, total)
