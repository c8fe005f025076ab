"""The editorial workflow: roles, publication rules, retraction, history, revert, merges."""

import datetime

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from giftapp.editorial.workflow import merge_leaders, publish
from giftapp.models import Gift, Leader, LeaderRedirect, SanctionsFlag, Visit

from .factories import (
    make_flag,
    make_gift,
    make_leader,
    make_regime,
    make_source,
    make_user,
    make_visit,
)

D = datetime.date


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def gift_form(gift, **overrides):
    """The gift change form's POST data for a gift as it stands."""
    data = {
        "item": gift.item,
        "description": gift.description,
        "category": gift.category,
        "quantity": gift.quantity or "",
        "giver": gift.giver_id or "",
        "giver_country": gift.giver_country,
        "giver_title": gift.giver_title,
        "recipient": gift.recipient_id or "",
        "recipient_country": gift.recipient_country,
        "recipient_title": gift.recipient_title,
        "giver_as_reported": "",
        "recipient_as_reported": "",
        "visit": gift.visit_id or "",
        "date": gift.date.isoformat() if gift.date else "",
        "date_precision": gift.date_precision,
        "value": "",
        "currency": "",
        "value_usd": "",
        "value_note": gift.value_note,
        "disposition": gift.disposition,
        "notes": gift.notes,
        "sources": [s.pk for s in gift.sources.all()],
        "publication_status": gift.publication_status,
        "retraction_reason": gift.retraction_reason,
    }
    return data | management_form("flags") | overrides


class WorkflowTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("erin", "editor")
        cls.reviewer = make_user("rita", "reviewer")
        cls.source = make_source()
        cls.draft = make_gift(item="Silver bowl", publication_status="draft", sources=[cls.source])
        cls.published = make_gift(item="Gold watch", sources=[cls.source])

    def act(self, action, records, **extra):
        return self.client.post(
            reverse("admin:giftapp_gift_changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in records], **extra},
            follow=True,
        )

    def status(self, record):
        record.refresh_from_db()
        return record.publication_status


class RoleTests(WorkflowTestCase):
    def test_migrate_creates_the_editor_and_reviewer_roles(self):
        editor = set(
            Group.objects.get(name="editor").permissions.values_list("codename", flat=True)
        )
        reviewer = set(
            Group.objects.get(name="reviewer").permissions.values_list("codename", flat=True)
        )
        self.assertIn("change_gift", editor)
        self.assertNotIn("review_records", editor)
        self.assertIn("review_records", reviewer)
        self.assertTrue(editor < reviewer)


class EditorBoundaryTests(WorkflowTestCase):
    def setUp(self):
        self.client.force_login(self.editor)

    def test_editor_drafts_a_gift_and_submits_it_for_review(self):
        response = self.client.post(
            reverse("admin:giftapp_gift_add"),
            gift_form(self.draft, item="Lacquer box", publication_status="draft"),
        )
        self.assertEqual(response.status_code, 302)
        box = Gift.objects.get(item="Lacquer box")
        response = self.act("submit_for_review", [box])
        self.assertContains(response, "1 gift submitted for review.")
        self.assertEqual(self.status(box), "in_review")

    def test_editor_cannot_publish_through_the_change_form(self):
        url = reverse("admin:giftapp_gift_change", args=[self.draft.pk])
        response = self.client.post(url, gift_form(self.draft, publication_status="published"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(self.status(self.draft), "draft")

    def test_editor_is_offered_only_draft_and_in_review(self):
        response = self.client.get(reverse("admin:giftapp_gift_change", args=[self.draft.pk]))
        self.assertContains(response, 'value="in_review"')
        self.assertNotContains(response, 'value="published"')

    def test_editor_cannot_publish_or_retract_through_actions(self):
        response = self.client.get(reverse("admin:giftapp_gift_changelist"))
        self.assertContains(response, "Submit selected for review")
        self.assertNotContains(response, "Publish selected")
        self.act("publish_selected", [self.draft])
        self.assertEqual(self.status(self.draft), "draft")
        self.act("retract_selected", [self.published], apply="1", reason="Because")
        self.assertEqual(self.status(self.published), "published")

    def test_editor_changes_to_a_published_record_wait_for_a_reviewer(self):
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        page = self.client.get(url)
        self.assertContains(page, "saving proposes your change to a reviewer")
        self.assertNotContains(page, 'name="publication_status"')
        response = self.client.post(url, gift_form(self.published, item="Forged watch"))
        self.assertEqual(response.status_code, 302)
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch")
        self.assertNotContains(self.client.get("/gifts/"), "Forged watch")

    def test_editor_cannot_delete_a_published_record(self):
        url = reverse("admin:giftapp_gift_delete", args=[self.published.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.act("delete_selected", [self.published], post="yes")
        self.assertTrue(Gift.objects.filter(pk=self.published.pk).exists())

    def test_editor_cannot_revert_a_published_record_from_history(self):
        self.published.item = "Gold watch (engraved)"
        self.published.save()
        first = self.published.history.earliest()
        url = reverse(
            "admin:giftapp_gift_simple_history", args=[self.published.pk, first.history_id]
        )
        response = self.client.post(url, gift_form(self.published, item="Gold watch"))
        self.assertEqual(response.status_code, 403)
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch (engraved)")

    def test_editor_cannot_change_a_published_gift_inline_on_a_draft_visit(self):
        visit = make_visit(publication_status="draft", host_country="DE", sources=[self.source])
        self.published.visit = visit
        self.published.save()
        prefix = "gifts"  # gifts from the visiting side: giver country FR differs from host DE
        data = {
            "title": visit.title,
            "slug": visit.slug,
            "kind": visit.kind,
            "start_date": "2024-06-18",
            "end_date": "2024-06-19",
            "host_country": "DE",
            "city": "",
            "venue": "",
            "summary": "",
            "sources": [self.source.pk],
            "publication_status": "draft",
            **management_form(prefix, total=1, initial=1),
            **management_form("gifts-2"),
            f"{prefix}-0-id": self.published.pk,
            f"{prefix}-0-visit": visit.pk,
            f"{prefix}-0-item": "Renamed by an editor",
            f"{prefix}-0-category": "other",
            f"{prefix}-0-quantity": "",
            f"{prefix}-0-giver_country": "FR",
            f"{prefix}-0-recipient_country": "DE",
            f"{prefix}-0-date": "2024-06-19",
            f"{prefix}-0-date_precision": "day",
        }
        response = self.client.post(reverse("admin:giftapp_visit_change", args=[visit.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "only a reviewer can change it")
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch")

    def test_a_crafted_list_edit_cannot_publish(self):
        self.client.post(
            reverse("admin:giftapp_gift_changelist"),
            {
                **management_form("form", total=1, initial=1),
                "form-0-id": self.draft.pk,
                "form-0-publication_status": "published",
                "_save": "Save",
            },
        )
        self.assertEqual(self.status(self.draft), "draft")

    def test_editor_may_delete_a_draft(self):
        url = reverse("admin:giftapp_gift_delete", args=[self.draft.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 302)
        self.assertFalse(Gift.objects.filter(pk=self.draft.pk).exists())

    def test_editor_cannot_merge_leaders(self):
        a, b = make_leader("Kim Jong Un", "KP"), make_leader("Kim Jong-un", "KP")
        self.client.post(
            reverse("admin:giftapp_leader_changelist"),
            {
                "action": "merge_selected",
                ACTION_CHECKBOX_NAME: [a.pk, b.pk],
                "keep": a.pk,
                "apply": "1",
            },
        )
        self.assertEqual(Leader.objects.count(), 2)


class ReviewerTests(WorkflowTestCase):
    def setUp(self):
        self.client.force_login(self.reviewer)

    def test_reviewer_publishes_and_the_gift_appears_on_the_public_list(self):
        self.assertNotContains(self.client.get("/gifts/"), "Silver bowl")
        response = self.act("publish_selected", [self.draft])
        self.assertContains(response, "1 gift published.")
        self.assertEqual(self.status(self.draft), "published")
        self.assertIsNotNone(self.draft.published_at)
        self.assertContains(self.client.get("/gifts/"), "Silver bowl")

    def test_publishing_is_refused_without_a_source(self):
        unsourced = make_gift(item="Unsourced vase", publication_status="in_review")
        response = self.act("publish_selected", [unsourced])
        self.assertContains(response, "Add at least one source before publishing.")
        self.assertEqual(self.status(unsourced), "in_review")
        url = reverse("admin:giftapp_gift_change", args=[unsourced.pk])
        response = self.client.post(url, gift_form(unsourced, publication_status="published"))
        self.assertContains(response, "Add at least one source before publishing.")
        self.assertEqual(self.status(unsourced), "in_review")

    def test_publishing_is_refused_without_both_countries(self):
        gift = make_gift(
            item="Register row",
            recipient_country="",
            publication_status="draft",
            sources=[self.source],
        )
        self.assertIn("country", publish(gift))
        self.assertEqual(self.status(gift), "draft")

    def test_publishing_a_flag_needs_provisions_and_who_alleged_it_and_when(self):
        flag = make_flag(
            self.published,
            make_regime(),
            sources=[self.source],
            publication_status="draft",
            provisions="",
            alleged_by="",
            alleged_on=None,
        )
        problem = publish(flag)
        self.assertIn("the provisions relied on", problem)
        self.assertIn("who alleged it", problem)
        self.assertIn("when it was alleged", problem)
        self.assertEqual(self.status(flag), "draft")
        flag.provisions, flag.alleged_by, flag.alleged_on = "OP 8", "A panel", D(2024, 1, 1)
        flag.save()
        self.assertIsNone(publish(flag))
        self.assertEqual(self.status(flag), "published")

    def test_retraction_asks_for_a_reason_then_removes_the_gift_from_public_view(self):
        response = self.act("retract_selected", [self.published])
        self.assertContains(response, "Shown to the public")
        self.assertEqual(self.status(self.published), "published")
        response = self.act(
            "retract_selected", [self.published], apply="1", reason="The source was a hoax."
        )
        self.assertContains(response, "1 gift retracted.")
        self.assertEqual(self.status(self.published), "retracted")
        self.assertIsNotNone(self.published.retracted_at)
        self.client.logout()
        page = self.client.get(self.published.get_absolute_url())
        self.assertContains(page, "The source was a hoax.", status_code=410)
        self.assertNotContains(self.client.get("/gifts/"), "Gold watch")
        self.assertNotContains(self.client.get("/gifts/?format=csv"), "Gold watch")
        self.assertNotContains(self.client.get("/gifts/?format=json"), "Gold watch")
        self.assertNotContains(self.client.get("/feeds/gifts/"), "Gold watch")

    def test_a_published_record_cannot_be_deleted_even_by_a_reviewer(self):
        url = reverse("admin:giftapp_gift_delete", args=[self.published.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)

    def test_reviewer_changes_a_published_record(self):
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        response = self.client.post(url, gift_form(self.published, item="Gold wristwatch"))
        self.assertEqual(response.status_code, 302)
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold wristwatch")

    def test_a_published_record_leaves_only_by_retraction_never_back_to_draft(self):
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        for status in ("draft", "in_review"):
            with self.subTest(status):
                response = self.client.post(
                    url, gift_form(self.published, publication_status=status)
                )
                self.assertContains(response, "leaves the public site only by retraction")
                self.assertEqual(self.status(self.published), "published")
        self.assertEqual(self.client.get(self.published.get_absolute_url()).status_code, 200)

    def test_retracting_through_the_form_needs_a_reason(self):
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        response = self.client.post(url, gift_form(self.published, publication_status="retracted"))
        self.assertContains(response, "Give the reason for the retraction.")
        self.assertEqual(self.status(self.published), "published")


class HistoryTests(WorkflowTestCase):
    def test_history_shows_the_editor_and_the_reviewer_by_name(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("admin:giftapp_gift_add"),
            gift_form(self.draft, item="Jade seal", publication_status="in_review"),
        )
        seal = Gift.objects.get(item="Jade seal")
        self.client.force_login(self.reviewer)
        self.act("publish_selected", [seal])
        users = [h.history_user.username for h in seal.history.order_by("history_date")]
        self.assertEqual(users[0], "erin")
        self.assertEqual(users[-1], "rita")
        page = self.client.get(reverse("admin:giftapp_gift_history", args=[seal.pk]))
        self.assertContains(page, "erin")
        self.assertContains(page, "rita")

    def test_history_shows_field_level_changes(self):
        self.client.force_login(self.reviewer)
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        self.client.post(url, gift_form(self.published, item="Gold pocket watch"))
        page = self.client.get(reverse("admin:giftapp_gift_history", args=[self.published.pk]))
        self.assertContains(page, "Gold pocket watch")
        self.assertContains(page, "Gold watch")

    def test_reviewer_reverts_to_an_earlier_version_and_the_revert_is_recorded(self):
        self.client.force_login(self.reviewer)
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        self.client.post(url, gift_form(self.published, item="Wrong name"))
        original = self.published.history.earliest()
        revert_url = reverse(
            "admin:giftapp_gift_simple_history", args=[self.published.pk, original.history_id]
        )
        self.assertContains(self.client.get(revert_url), "Revert")
        self.published.refresh_from_db()
        response = self.client.post(revert_url, gift_form(self.published, item=original.item))
        self.assertEqual(response.status_code, 302)
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch")
        latest = self.published.history.latest()
        self.assertEqual((latest.item, latest.history_user), ("Gold watch", self.reviewer))

    def test_deletes_are_recorded(self):
        self.client.force_login(self.editor)
        pk = self.draft.pk
        self.client.post(reverse("admin:giftapp_gift_delete", args=[pk]), {"post": "yes"})
        deleted = Gift.history.filter(id=pk).latest()
        self.assertEqual((deleted.history_type, deleted.history_user), ("-", self.editor))


class MergeTests(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kim = make_leader("Kim Jong Un", "KP", native_name="김정은", aliases=["Kim Jong-un"])
        cls.dupe = make_leader("Kim Jong-eun", "KP", wikidata_id="Q56226")
        cls.putin = make_leader("Vladimir Putin", "RU")
        cls.given = make_gift(
            giver=cls.dupe, giver_country="KP", recipient_country="RU", sources=[cls.source]
        )
        cls.received = make_gift(
            recipient=cls.dupe, giver_country="RU", recipient_country="KP", sources=[cls.source]
        )
        cls.flag = make_flag(cls.received, make_regime(), sources=[cls.source])
        cls.visit = make_visit(host_country="KP", visitors=[cls.putin], hosts=[cls.dupe])
        cls.trip = make_visit(host_country="RU", visitors=[cls.dupe], hosts=[cls.putin])

    def test_reviewer_merges_two_leaders_through_the_admin(self):
        self.client.force_login(self.reviewer)
        url = reverse("admin:giftapp_leader_changelist")
        pair = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [self.kim.pk, self.dupe.pk]}
        self.assertContains(self.client.post(url, pair), "Merge two leaders")
        response = self.client.post(url, pair | {"keep": self.kim.pk, "apply": "1"}, follow=True)
        self.assertContains(response, "now redirects")
        self.assertFalse(Leader.objects.filter(pk=self.dupe.pk).exists())

        self.kim.refresh_from_db()
        self.assertEqual(self.kim.aliases, ["Kim Jong-eun", "Kim Jong-un"])
        self.assertEqual(self.kim.wikidata_id, "Q56226")
        self.given.refresh_from_db()
        self.received.refresh_from_db()
        self.assertEqual((self.given.giver, self.received.recipient), (self.kim, self.kim))
        self.assertEqual(list(self.visit.hosts.all()), [self.kim])
        self.assertEqual(list(self.trip.visitors.all()), [self.kim])
        self.assertEqual(SanctionsFlag.objects.get().gift, self.received)
        self.assertEqual(LeaderRedirect.objects.get().old_slug, "kim-jong-eun")

        self.client.logout()
        old = self.client.get("/leaders/kim-jong-eun/")
        self.assertRedirects(old, "/leaders/kim-jong-un/", status_code=301)
        history = Gift.history.filter(id=self.given.pk).latest()
        self.assertEqual(history.history_user, self.reviewer)
        self.assertEqual(Leader.history.filter(id=self.dupe.pk).latest().history_type, "-")

    def test_merging_a_leader_into_itself_is_refused(self):
        with self.assertRaises(ValueError):
            merge_leaders(self.kim, self.kim)

    def test_the_merge_form_needs_exactly_two_leaders(self):
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("admin:giftapp_leader_changelist"),
            {"action": "merge_selected", ACTION_CHECKBOX_NAME: [self.kim.pk]},
            follow=True,
        )
        self.assertContains(response, "Select exactly two leaders to merge.")


class EditorPagesTests(WorkflowTestCase):
    def test_review_queue_lists_records_in_review(self):
        in_review = make_gift(item="Ivory chess set", publication_status="in_review")
        Visit.objects.create(
            title="Queued visit",
            host_country="FR",
            start_date=D(2024, 1, 1),
            end_date=D(2024, 1, 2),
            publication_status="in_review",
        )
        self.client.force_login(self.reviewer)
        page = self.client.get(reverse("admin:review_queue"))
        self.assertContains(page, "Ivory chess set")
        self.assertContains(page, "Queued visit")
        self.assertContains(page, reverse("admin:giftapp_gift_change", args=[in_review.pk]))
        self.assertNotContains(page, "Silver bowl")

    def test_data_quality_page_lists_the_gaps(self):
        make_gift(item="Unsourced published gift")
        make_leader("Nameless native", "FR")
        self.client.force_login(self.editor)
        page = self.client.get(reverse("admin:data_quality"))
        self.assertContains(page, "Published gifts without a source (1)")
        self.assertContains(page, "Unsourced published gift")
        self.assertContains(page, "Leaders without a native-script name (1)")
        self.assertContains(page, "Gifts with no visit (3)")

    def test_editor_pages_are_for_staff_only(self):
        for name in ["admin:review_queue", "admin:data_quality"]:
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 302)

    def test_the_review_queue_needs_the_reviewer_role_and_data_quality_an_editorial_one(self):
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
                index = self.client.get(reverse("admin:index")).content.decode()
                self.assertEqual("Review queue" in index, queue == 200)
                self.assertEqual("Data quality" in index, quality == 200)
