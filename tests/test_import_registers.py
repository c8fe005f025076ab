"""The register formats through the whole import: every row accounted for, idempotent,
changes update drafts and never overwrite published records."""

import csv
import io
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from giftapp.importers.pipeline import run_import
from giftapp.models import Gift, ImportBatch, Leader, Source

FIXTURES = Path(__file__).parent / "fixtures" / "registers"
US = FIXTURES / "us-federal-register-slice.csv"
UK = FIXTURES / "uk-ministers-slice.csv"


def rows_in(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def import_file(path, fmt, **options):
    with path.open("rb") as handle:
        return run_import(handle, fmt, file_name=path.name, skip_invalid=True, **options)


class RegisterImportTests(TestCase):
    def assert_every_row_accounted_for(self, result, path):
        outcomes = result.row_outcomes
        total = outcomes["imported"] + outcomes["skipped"] + outcomes["rejected"]
        total += outcomes["conflict"]
        self.assertEqual(result.rows, len(rows_in(path)))
        self.assertEqual(total, result.rows)

    def test_us_slice_imports_as_drafts_with_sources_and_every_row_accounted_for(self):
        result = import_file(US, "us-federal-register")
        self.assertTrue(result.written)
        self.assert_every_row_accounted_for(result, US)
        self.assertGreater(result.counts["gifts"]["created"], result.row_outcomes["imported"])
        self.assertEqual(result.counts["gifts"]["created"], Gift.objects.count())
        self.assertEqual(set(Gift.objects.values_list("publication_status", flat=True)), {"draft"})
        self.assertEqual(set(Gift.objects.values_list("recipient_country", flat=True)), {"US"})
        self.assertFalse(Gift.objects.filter(sources__isnull=True).exists())
        self.assertTrue(Gift.objects.filter(category="travel").exists())
        self.assertTrue(Gift.objects.filter(giver_country="").exists())  # "NA", not Namibia
        namibian_rows = {r["id"] for r in rows_in(US) if r["donor_country"] == "Namibia"}
        for key in Gift.objects.filter(giver_country="NA").values_list("import_key", flat=True):
            self.assertIn(key.split(":")[1].split(".")[0], namibian_rows)
        self.assertIn(
            "repeats an earlier row in every column but the register's id", result.skipped
        )
        keys = list(Gift.objects.values_list("import_key", flat=True))
        self.assertEqual(len(keys), len(set(keys)))
        self.assertTrue(all(k.startswith("us-federal-register:") for k in keys))
        batch = ImportBatch.objects.get()
        self.assertEqual(Gift.objects.filter(import_batch=batch).count(), Gift.objects.count())

    def test_reimporting_a_register_changes_nothing(self):
        import_file(US, "us-federal-register")
        counts = (Gift.objects.count(), Leader.objects.count(), Source.objects.count())
        history = Gift.history.count()
        result = import_file(US, "us-federal-register")
        self.assertFalse(result.written)
        self.assertEqual(result.counts["gifts"]["unchanged"], counts[0])
        self.assertEqual(
            (Gift.objects.count(), Leader.objects.count(), Source.objects.count()), counts
        )
        self.assertEqual(Gift.history.count(), history)
        self.assert_every_row_accounted_for(result, US)

    def test_a_changed_row_updates_a_draft_and_conflicts_with_a_published_gift(self):
        import_file(UK, "uk-ministers")
        rows = rows_in(UK)
        first = Gift.objects.order_by("pk").first()
        published = Gift.objects.order_by("pk")[1]
        Gift.objects.filter(pk=published.pk).update(publication_status="published")
        # The UK register has no row id: its key is the row's minister, date, gift and
        # donor, so a correction of another cell (here the outcome) updates the gift.
        changed = 0
        for row in rows:
            if (row["gift"], row["date"]) in {
                (g.item, g.date.isoformat()) for g in (first, published)
            }:
                row["outcome"] = "Donated to charity"
                changed += 1
        self.assertEqual(changed, 2)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        result = run_import(
            io.BytesIO(out.getvalue().encode()),
            "uk-ministers",
            file_name="uk.csv",
            skip_invalid=True,
        )
        first.refresh_from_db()
        published.refresh_from_db()
        self.assertEqual(first.disposition, "donated")
        self.assertNotEqual(published.disposition, "donated")
        self.assertEqual(result.counts["gifts"]["updated"], 1)
        self.assertEqual(result.counts["gifts"]["conflict"], 1)
        self.assertEqual(Gift.objects.count(), result.counts["gifts"]["unchanged"] + 2)

    def test_uk_slice_sets_direction_and_notes_above_limit(self):
        result = import_file(UK, "uk-ministers")
        self.assert_every_row_accounted_for(result, UK)
        self.assertTrue(Gift.objects.filter(giver_country="GB").exists())
        self.assertTrue(Gift.objects.filter(recipient_country="GB").exists())
        self.assertTrue(Gift.objects.filter(value_note="above the £140 limit", value=None).exists())

    def test_a_spouse_named_beside_the_giver_is_a_second_giver(self):
        import_file(US, "us-federal-register")
        gift = Gift.objects.filter(giver_as_reported__contains="and Mrs. Obuchi").first()
        self.assertEqual(gift.giver.name, "Keizo Obuchi")
        self.assertEqual(gift.co_giver.name, "Mrs. Obuchi")
        self.assertEqual(gift.co_giver.country, "JP")
        Gift.objects.filter(pk=gift.pk).update(publication_status="published")
        self.assertContains(
            self.client.get(f"/gifts/{gift.pk}/"), f'and <a href="/leaders/{gift.co_giver.slug}/">'
        )
        spouse_page = self.client.get(gift.co_giver.get_absolute_url())
        self.assertContains(spouse_page, "Gifts given with another giver")
        self.assertContains(spouse_page, gift.item[:20])

    def test_governments_are_givers_of_their_own_kind(self):
        import_file(UK, "uk-ministers")
        bodies = dict(Leader.objects.filter(kind="body").values_list("name", "country"))
        self.assertEqual(bodies["Government of Hungary"], "HU")
        self.assertEqual(bodies["Government of Pakistan"], "PK")
        gift = Gift.objects.filter(giver__name="Government of Hungary").first()
        self.assertIn("Government of Hungary", gift.giver_as_reported)
        people = Leader.objects.filter(kind="person", name__icontains="government")
        self.assertFalse(people.exists(), list(people))
        Gift.objects.filter(pk=gift.pk).update(publication_status="published")
        page = self.client.get(gift.giver.get_absolute_url())
        self.assertContains(page, "A body, not a person")

    def test_the_command_prints_a_summary_that_adds_up(self):
        out = io.StringIO()
        call_command(
            "import_gifts", str(UK), "--format", "uk-ministers", "--skip-invalid", stdout=out
        )
        text = out.getvalue()
        self.assertIn(f"Rows: {len(rows_in(UK))} read", text)
        self.assertIn("Skipped rows, by reason:", text)
        self.assertIn("gifts", text)

    def test_an_editors_import_adds_no_spelling_to_a_leader_from_before_it(self):
        """A leader's spellings are on its public page: an editor's import names it in
        drafts only, and its register rows keep the spelling; a reviewer's adds it."""
        from .factories import make_user

        import_file(US, "us-federal-register")
        row = next(r for r in rows_in(US) if r["id"] == "1")
        misspelt = row["donor"].replace("Lucinschi", "Lucinshi")

        def one_row(row_id):
            out = io.StringIO()
            writer = csv.DictWriter(out, list(row))
            writer.writeheader()
            writer.writerow(row | {"id": row_id, "donor": misspelt})
            return io.BytesIO(out.getvalue().encode())

        editor, reviewer = make_user("ed", "editor"), make_user("rv", "reviewer")
        run_import(one_row("900001"), "us-federal-register", file_name="e.csv", user=editor)
        leader = Leader.objects.get(name="Petru Lucinschi")
        self.assertEqual(leader.aliases, [])
        self.assertEqual(Gift.objects.get(import_key__contains=":900001:").giver, leader)
        run_import(one_row("900002"), "us-federal-register", file_name="r.csv", user=reviewer)
        leader.refresh_from_db()
        self.assertEqual(leader.aliases, ["Petru Lucinshi"])
