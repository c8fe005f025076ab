"""Editors propose, reviewers apply: a change to anything the public site shows (a published
record, or a leader or source a published record displays) reaches the public only when a
reviewer applies it, and only to the version it was made against. Nothing the public site
shows is deleted, and unlinking a gift from its visit writes history."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from giftapp.editorial import workflow
from giftapp.models import Gift, Leader, ProposedChange, Source, Visit

from .factories import make_gift, make_leader, make_source, make_visit
from .test_workflow import WorkflowTestCase, gift_form


def leader_form(leader, **overrides):
    return {
        "name": leader.name,
        "kind": leader.kind,
        "native_name": leader.native_name,
        "aliases": "\n".join(leader.aliases),
        "country": leader.country,
        "title": leader.title,
        "slug": leader.slug,
        "wikidata_id": leader.wikidata_id,
    } | overrides


def source_form(source, **overrides):
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else "",
        "quote": source.quote,
    } | overrides


class ProposalTestCase(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kim = make_leader("Kim Jong Un", "KP", title="General Secretary")
        cls.published.giver = cls.kim
        cls.published.giver_country = "KP"
        cls.published.save()

    def propose_gift(self, **changes):
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        response = self.client.post(url, gift_form(self.published, **changes), follow=True)
        self.assertContains(response, "waits for a reviewer")
        return ProposedChange.objects.latest("pk")

    def apply(self, *proposals):
        self.client.force_login(self.reviewer)
        return self.client.post(
            reverse("admin:giftapp_proposedchange_changelist"),
            {"action": "apply_selected", ACTION_CHECKBOX_NAME: [p.pk for p in proposals]},
            follow=True,
        )


class EditorProposesTests(ProposalTestCase):
    def test_an_editors_change_to_a_published_gift_is_a_proposal_and_the_page_keeps_its_text(
        self,
    ):
        proposal = self.propose_gift(item="Gold pocket watch", notes="Engraved.")
        self.assertEqual(proposal.record, self.published)
        self.assertEqual(proposal.changes, {"item": "Gold pocket watch", "notes": "Engraved."})
        self.assertIn(["item", "Gold watch", "Gold pocket watch"], proposal.summary)
        self.assertEqual(proposal.proposed_by, self.editor)
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch")
        self.client.logout()
        page = self.client.get(self.published.get_absolute_url())
        self.assertContains(page, "Gold watch")
        self.assertNotContains(page, "pocket")

    def test_a_reviewer_applies_it_and_the_history_names_both(self):
        proposal = self.propose_gift(item="Gold pocket watch")
        response = self.apply(proposal)
        self.assertContains(response, "1 proposed change(s) applied.")
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold pocket watch")
        proposal.refresh_from_db()
        self.assertEqual((proposal.status, proposal.decided_by), ("applied", self.reviewer))
        latest = self.published.history.latest()
        self.assertEqual(latest.history_user, self.reviewer)
        self.assertEqual(latest.history_change_reason, "Proposed by erin, applied by rita")
        self.client.logout()
        self.assertContains(self.client.get(self.published.get_absolute_url()), "pocket watch")

    def test_a_change_applies_only_to_the_version_it_was_made_against(self):
        proposal = self.propose_gift(item="Gold pocket watch")
        self.client.force_login(self.reviewer)
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        self.client.post(url, gift_form(self.published, notes="Checked by a reviewer."))
        response = self.apply(proposal)
        self.assertContains(response, "changed after this change was proposed")
        self.published.refresh_from_db()
        self.assertEqual(
            (self.published.item, self.published.notes), ("Gold watch", "Checked by a reviewer.")
        )
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "outdated")

    def test_a_second_proposal_on_the_same_version_is_outdated_once_the_first_applies(self):
        first = self.propose_gift(item="Gold pocket watch")
        second = self.propose_gift(item="Golden watch")
        self.apply(first, second)
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold pocket watch")
        second.refresh_from_db()
        self.assertEqual(second.status, "outdated")

    def test_removing_the_last_source_is_refused_before_it_is_proposed(self):
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        response = self.client.post(url, gift_form(self.published, sources=[]))
        self.assertContains(response, "Add at least one source before publishing.")
        self.assertFalse(ProposedChange.objects.exists())

    def test_a_change_that_breaks_the_publication_rules_is_never_applied(self):
        proposal = self.propose_gift(item="Gold pocket watch")
        self.published.sources.clear()  # since the proposal, through no form
        proposal.base_version = workflow.record_version(self.published)
        proposal.save()
        response = self.apply(proposal)
        self.assertContains(response, "Add at least one source before publishing.")
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch")
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "pending")

    def test_a_new_source_reaches_the_page_only_when_applied(self):
        extra = make_source(title="A second report")
        proposal = self.propose_gift(sources=[self.source.pk, extra.pk])
        self.client.logout()
        self.assertNotContains(self.client.get(self.published.get_absolute_url()), "A second")
        self.apply(proposal)
        self.client.logout()
        self.assertContains(self.client.get(self.published.get_absolute_url()), "A second")

    def test_an_unchanged_save_proposes_nothing(self):
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        response = self.client.post(url, gift_form(self.published), follow=True)
        self.assertContains(response, "Nothing to propose")
        self.assertFalse(ProposedChange.objects.exists())

    def test_an_editor_edits_a_draft_directly(self):
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_gift_change", args=[self.draft.pk])
        self.client.post(url, gift_form(self.draft, item="Silver dish", publication_status="draft"))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.item, "Silver dish")
        self.assertFalse(ProposedChange.objects.exists())

    def test_a_reviewer_edits_a_published_gift_directly(self):
        self.client.force_login(self.reviewer)
        url = reverse("admin:giftapp_gift_change", args=[self.published.pk])
        self.client.post(url, gift_form(self.published, item="Gold wristwatch"))
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold wristwatch")
        self.assertFalse(ProposedChange.objects.exists())

    def test_an_editor_cannot_apply_or_reject(self):
        proposal = self.propose_gift(item="Gold pocket watch")
        for action in ("apply_selected", "reject_selected"):
            self.client.post(
                reverse("admin:giftapp_proposedchange_changelist"),
                {"action": action, ACTION_CHECKBOX_NAME: [proposal.pk]},
            )
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "pending")
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch")

    def test_a_rejected_change_never_applies(self):
        proposal = self.propose_gift(item="Gold pocket watch")
        self.client.force_login(self.reviewer)
        self.client.post(
            reverse("admin:giftapp_proposedchange_changelist"),
            {"action": "reject_selected", ACTION_CHECKBOX_NAME: [proposal.pk]},
        )
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "rejected")
        self.assertEqual(
            workflow.apply_proposal(proposal, self.reviewer), f"{proposal} was already decided."
        )
        self.published.refresh_from_db()
        self.assertEqual(self.published.item, "Gold watch")

    def test_the_review_queue_lists_the_proposals(self):
        self.propose_gift(item="Gold pocket watch")
        self.client.force_login(self.reviewer)
        page = self.client.get(reverse("admin:review_queue"))
        self.assertContains(page, "Proposed changes to public records (1)")
        self.assertContains(page, "Gold pocket watch")


class DisplayedRecordsTests(ProposalTestCase):
    """A leader or a source is not published itself; the public site shows it through the
    published records that point to it."""

    def test_a_leader_shown_by_a_published_gift_changes_only_through_review(self):
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_leader_change", args=[self.kim.pk])
        self.client.post(url, leader_form(self.kim, name="Kim Jong Forged"))
        self.kim.refresh_from_db()
        self.assertEqual(self.kim.name, "Kim Jong Un")
        proposal = ProposedChange.objects.get()
        self.apply(proposal)
        self.kim.refresh_from_db()
        self.assertEqual(self.kim.name, "Kim Jong Forged")

    def test_a_leader_known_only_from_drafts_is_edited_directly(self):
        drafted = make_leader("Draft Person", "FR")
        make_gift(giver=drafted, publication_status="draft")
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_leader_change", args=[drafted.pk])
        self.client.post(url, leader_form(drafted, title="Minister"))
        drafted.refresh_from_db()
        self.assertEqual(drafted.title, "Minister")
        self.assertFalse(ProposedChange.objects.exists())

    def test_a_host_of_a_published_visit_changes_only_through_review(self):
        host = make_leader("Vladimir Putin", "RU")
        make_visit(host_country="RU", hosts=[host], sources=[self.source])
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_leader_change", args=[host.pk])
        self.client.post(url, leader_form(host, title="Tsar"))
        host.refresh_from_db()
        self.assertEqual(host.title, "")
        self.assertEqual(ProposedChange.objects.get().changes, {"title": "Tsar"})

    def test_a_cited_source_changes_only_through_review(self):
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_source_change", args=[self.source.pk])
        self.client.post(url, source_form(self.source, url="https://forged.example.net/"))
        self.source.refresh_from_db()
        self.assertNotIn("forged", self.source.url)
        self.apply(ProposedChange.objects.get())
        self.source.refresh_from_db()
        self.assertEqual(self.source.url, "https://forged.example.net/")

    def test_an_editor_cannot_revert_a_shown_leader_from_history(self):
        self.kim.title = "Chairman"
        self.kim.save()
        first = self.kim.history.earliest()
        self.client.force_login(self.editor)
        url = reverse("admin:giftapp_leader_simple_history", args=[self.kim.pk, first.history_id])
        response = self.client.post(url, leader_form(self.kim, title="General Secretary"))
        self.assertEqual(response.status_code, 403)
        self.kim.refresh_from_db()
        self.assertEqual(self.kim.title, "Chairman")


class DeletionTests(ProposalTestCase):
    def delete(self, model, record):
        return self.client.post(
            reverse(f"admin:giftapp_{model}_delete", args=[record.pk]), {"post": "yes"}
        )

    def test_nothing_a_published_record_points_to_can_be_deleted(self):
        visit = make_visit(publication_status="draft", sources=[self.source])
        self.published.visit = visit
        self.published.save()
        self.client.force_login(self.reviewer)
        for model, record in [("source", self.source), ("leader", self.kim), ("visit", visit)]:
            with self.subTest(model):
                response = self.delete(model, record)
                self.assertNotEqual(response.status_code, 302)
                self.assertTrue(type(record).objects.filter(pk=record.pk).exists())

    def test_a_bulk_delete_names_what_the_public_site_shows(self):
        spare = make_source(title="Cited nowhere")
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("admin:giftapp_source_changelist"),
            {
                "action": "delete_selected",
                ACTION_CHECKBOX_NAME: [self.source.pk, spare.pk],
                "post": "yes",
            },
        )
        self.assertContains(response, "shown on the public site by the published gift")
        self.assertEqual(Source.objects.filter(pk__in=[self.source.pk, spare.pk]).count(), 2)

    def test_a_source_cited_by_nothing_published_is_deleted(self):
        spare = make_source(title="Cited nowhere")
        self.client.force_login(self.reviewer)
        self.assertEqual(self.delete("source", spare).status_code, 302)
        self.assertFalse(Source.objects.filter(pk=spare.pk).exists())

    def test_deleting_a_visit_writes_each_unlinked_gifts_history(self):
        visit = make_visit(publication_status="draft")
        self.draft.visit = visit
        self.draft.save()
        self.client.force_login(self.editor)
        self.assertEqual(self.delete("visit", visit).status_code, 302)
        self.assertFalse(Visit.objects.filter(pk=visit.pk).exists())
        self.draft.refresh_from_db()
        self.assertIsNone(self.draft.visit)
        latest = self.draft.history.latest()
        self.assertIsNone(latest.visit_id)
        self.assertEqual(latest.history_user, self.editor)
        self.assertIn("was deleted", latest.history_change_reason)
        self.assertEqual(Gift.objects.get(pk=self.published.pk).item, "Gold watch")
        self.assertTrue(Leader.objects.filter(pk=self.kim.pk).exists())
