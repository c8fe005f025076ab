"""The registry's interchange CSV: import, all-or-nothing, idempotence, round trip."""

import csv
import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from giftapp.exports.interchange import HEADER
from giftapp.importers.pipeline import ImportFileError, run_import
from giftapp.importers.reading import CELL_LIMIT
from giftapp.models import (
    Gift,
    ImportBatch,
    Leader,
    SanctionsFlag,
    Source,
    Visit,
)

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


def csv_bytes(rows, header=HEADER, *, bom=False, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def row(**cells):
    base = {
        "date": "2024-06-19",
        "giver": "Vladimir Putin",
        "giver_country": "RU",
        "recipient": "Kim Jong Un",
        "recipient_country": "KP",
        "item": "Tea set",
        "category": "tableware",
        "quantity": "1",
        "disposition": "unknown",
        "sources": "https://news.example.org/a",
    }
    return base | cells


def load(data, **options):
    return run_import(io.BytesIO(data), "registry", file_name="test.csv", **options)


def export_all():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.csv"
        call_command("export_gifts", str(path), "--all", stderr=io.StringIO())
        return path.read_bytes()


class RegistryImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.regime = make_regime()

    def test_a_new_row_creates_a_draft_gift_with_leaders_and_sources(self):
        result = load(csv_bytes([row()]))
        self.assertTrue(result.written, result.problems)
        gift = Gift.objects.get()
        self.assertEqual(gift.publication_status, "draft")
        self.assertEqual((gift.giver.name, gift.recipient.country.code), ("Vladimir Putin", "KP"))
        self.assertEqual(gift.sources.get().url, "https://news.example.org/a")
        self.assertEqual(gift.import_batch, result.batch)
        self.assertEqual(result.counts["leaders"]["created"], 2)
        self.assertEqual(ImportBatch.objects.get().file_name, "test.csv")

    def test_dates_keep_their_precision(self):
        load(
            csv_bytes(
                [row(date="2024-06", item="A"), row(date="2024", item="B"), row(date="", item="C")]
            )
        )
        got = {g.item: (g.date, g.date_precision) for g in Gift.objects.all()}
        self.assertEqual(got["A"], (D(2024, 6, 1), "month"))
        self.assertEqual(got["B"], (D(2024, 1, 1), "year"))
        self.assertEqual(got["C"], (None, "unknown"))

    def test_leaders_are_matched_by_alias_within_their_country(self):
        kim = make_leader("Kim Jong Un", "KP", aliases=["Kim Jong-un"])
        load(csv_bytes([row(recipient="KIM JONG-UN")]))
        self.assertEqual(Gift.objects.get().recipient, kim)
        self.assertEqual(Leader.objects.filter(country="KP").count(), 1)

    def test_any_invalid_row_means_nothing_is_written_and_every_bad_row_is_listed(self):
        data = csv_bytes(
            [
                row(item="Good"),
                row(item="Bad date", date="2024-13-45"),
                row(item="Bad value", value="abc", currency="USD"),
                row(item="Bad country", giver_country="ZZ"),
                row(item="Same countries", giver_country="KP"),
                row(item="Unknown regime", sanctions="XX-NOPE:alleged"),
                row(item="Value, no currency", value="10"),
            ]
        )
        result = load(data)
        self.assertFalse(result.written)
        self.assertEqual(Gift.objects.count(), 0)
        self.assertEqual(Leader.objects.count(), 0)
        self.assertEqual(ImportBatch.objects.count(), 0)
        by_line = {(p.line, p.column) for p in result.problems}
        self.assertIn((3, "date"), by_line)
        self.assertIn((4, "value"), by_line)
        self.assertIn((5, "giver_country"), by_line)
        self.assertIn((6, "recipient_country"), by_line)
        self.assertIn((7, "sanctions"), by_line)
        self.assertIn((8, "currency"), by_line)
        self.assertEqual(result.row_outcomes["rejected"], 6)
        message = str(next(p for p in result.problems if p.column == "date"))
        self.assertIn("line 3, column date", message)
        self.assertIn("2024-13-45", message)

    def test_skip_invalid_writes_the_good_rows_and_reports_the_bad(self):
        result = load(
            csv_bytes([row(item="Good"), row(item="Bad", quantity="0")]), skip_invalid=True
        )
        self.assertTrue(result.written)
        self.assertEqual(list(Gift.objects.values_list("item", flat=True)), ["Good"])
        self.assertEqual(len(result.rejects), 1)
        self.assertIn("quantity", result.rejects[0][1])

    def test_a_dry_run_reports_real_counts_and_writes_nothing(self):
        result = load(csv_bytes([row(), row(item="Dagger")]), dry_run=True)
        self.assertFalse(result.written)
        self.assertEqual(result.counts["gifts"]["created"], 2)
        self.assertEqual(Gift.objects.count(), 0)
        self.assertEqual(ImportBatch.objects.count(), 0)

    def test_importing_the_same_file_again_changes_nothing(self):
        data = csv_bytes([row(), row(item="Dagger", sanctions="UN-SC1718:alleged")])
        load(data)
        histories = Gift.history.count()
        result = load(data)
        self.assertEqual(result.counts["gifts"]["unchanged"], 2)
        self.assertFalse(result.written)
        self.assertEqual(Gift.objects.count(), 2)
        self.assertEqual(Gift.history.count(), histories)
        self.assertEqual(ImportBatch.objects.count(), 1)

    def test_a_blank_id_row_updates_the_one_gift_it_matches(self):
        load(csv_bytes([row(notes="first")]))
        gift = Gift.objects.get()
        load(csv_bytes([row(notes="second", sources="https://news.example.org/b")]))
        gift.refresh_from_db()
        self.assertEqual(Gift.objects.count(), 1)
        self.assertEqual(gift.notes, "second")
        self.assertEqual(gift.sources.count(), 2)  # sources add, never remove

    def test_a_blank_id_row_matching_two_gifts_is_rejected(self):
        load(csv_bytes([row(id="1"), row(id="2")]))
        result = load(csv_bytes([row(notes="which one?")]))
        self.assertFalse(result.written)
        self.assertIn("Matches several gifts", str(result.problems[0]))

    def test_an_id_updates_that_gift_or_creates_it_with_that_id(self):
        result = load(csv_bytes([row(id="500")]))
        self.assertTrue(result.written)
        self.assertTrue(Gift.objects.filter(pk=500).exists())
        new = make_gift()  # the id sequence moved past the imported id
        self.assertGreater(new.pk, 500)
        load(csv_bytes([row(id="500", item="Tea service")]))
        self.assertEqual(Gift.objects.get(pk=500).item, "Tea service")

    def test_a_changed_row_never_overwrites_a_published_gift(self):
        load(csv_bytes([row(id="7")]))
        Gift.objects.filter(pk=7).update(publication_status="published")
        result = load(csv_bytes([row(id="7", item="Changed in the file")]))
        self.assertEqual(result.counts["gifts"]["conflict"], 1)
        self.assertIn("a reviewer must update it", result.conflicts[0][2])
        self.assertEqual(Gift.objects.get(pk=7).item, "Tea set")

    def test_flags_are_added_as_drafts_and_never_removed(self):
        load(csv_bytes([row(id="3", sanctions="UN-SC1718:alleged")]))
        flag = SanctionsFlag.objects.get()
        self.assertEqual((flag.status, flag.publication_status), ("alleged", "draft"))
        load(csv_bytes([row(id="3", sanctions="UN-SC1718:disputed", notes="x")]))
        flag.refresh_from_db()
        self.assertEqual(flag.status, "disputed")
        load(csv_bytes([row(id="3", sanctions="", notes="y")]))
        self.assertEqual(SanctionsFlag.objects.count(), 1)

    def test_publication_in_the_file_counts_only_for_a_reviewer(self):
        editor = make_user("erin", "editor")
        result = load(csv_bytes([row(publication_status="published")]), user=editor)
        self.assertEqual(Gift.objects.get().publication_status, "draft")
        self.assertIn("Only a reviewer's import may publish", " ".join(result.notes))
        reviewer = make_user("rita", "reviewer")
        load(csv_bytes([row(item="Dagger", publication_status="published")]), user=reviewer)
        self.assertEqual(Gift.objects.get(item="Dagger").publication_status, "published")
        self.assertEqual(Gift.history.filter(item="Dagger").get().history_user, reviewer)

    def test_publish_applies_the_publication_rules(self):
        result = load(csv_bytes([row(sources="")]), publish=True)
        self.assertFalse(result.written)
        self.assertIn("Add at least one source", str(result.problems[0]))
        result = load(csv_bytes([row()]), publish=True)
        self.assertEqual(Gift.objects.get().publication_status, "published")

    def test_an_undated_gift_may_name_a_visit_an_earlier_row_creates(self):
        result = load(
            csv_bytes(
                [
                    row(item="Dated", visit="summit-2024"),
                    row(item="Undated", visit="summit-2024", date=""),
                ]
            )
        )
        self.assertTrue(result.written, [str(p) for p in result.problems])
        self.assertEqual(Visit.objects.get().gifts.count(), 2)
        result = load(csv_bytes([row(item="Orphan", visit="no-such-visit", date="")]))
        self.assertIn("a new one needs the gift's date", str(result.problems[0]))

    def test_a_new_visit_is_created_from_the_gifts_date_and_countries(self):
        load(csv_bytes([row(visit="putin-in-pyongyang")]))
        visit = Visit.objects.get()
        self.assertEqual((visit.slug, visit.host_country.code), ("putin-in-pyongyang", "KP"))
        self.assertEqual((visit.start_date, visit.publication_status), (D(2024, 6, 19), "draft"))
        self.assertEqual(visit.title, "Putin in pyongyang")

    def test_a_row_rejected_for_its_visit_creates_none_of_its_leaders_and_sources(self):
        orphan = row(
            item="Orphan",
            visit="no-such-visit",
            date="",
            giver="Only Named Here",
            sources="https://only.example.org/here",
        )
        result = load(csv_bytes([orphan]), skip_invalid=True)
        self.assertFalse(result.written)
        self.assertEqual((Leader.objects.count(), Source.objects.count()), (0, 0))
        result = load(csv_bytes([orphan, row()]), skip_invalid=True)
        self.assertTrue(result.written)
        self.assertEqual([p.line for p in result.problems], [2])
        self.assertFalse(Leader.objects.filter(name="Only Named Here").exists())
        self.assertFalse(Source.objects.filter(url="https://only.example.org/here").exists())
        self.assertEqual(result.counts["leaders"]["created"], Leader.objects.count())
        self.assertEqual(result.counts["sources"]["created"], 1)

    def test_a_new_visit_is_created_by_the_first_row_that_can_create_it(self):
        rows = [
            row(item="Too early", visit="state-visit_2", date=""),
            row(item="Creates", visit="state-visit_2", date="2019-04", recipient_country=""),
            row(item="Named", visit="state-visit_2", date="2020-01-01"),
            row(item="Undated", visit="state-visit_2", date=""),
        ]
        result = load(csv_bytes(rows), skip_invalid=True)
        self.assertEqual(
            [(p.line, p.column, p.value) for p in result.problems], [(2, "visit", "state-visit_2")]
        )
        visit = Visit.objects.get()
        self.assertEqual(
            (visit.title, visit.host_country.code, visit.start_date),
            ("State visit_2", "RU", D(2019, 4, 1)),
        )
        self.assertEqual(
            sorted(visit.gifts.values_list("item", flat=True)), ["Creates", "Named", "Undated"]
        )
        self.assertEqual(result.counts["visits"]["created"], 1)


class HostileFileTests(TestCase):
    def assert_file_refused(self, data, message):
        with self.assertRaises(ImportFileError) as raised:
            load(data)
        self.assertIn(message, str(raised.exception))
        self.assertEqual(Gift.objects.count(), 0)

    def test_wrong_header(self):
        self.assert_file_refused(b"name,when\r\nvase,2024\r\n", "missing id, date")

    def test_a_single_column(self):
        self.assert_file_refused(b"item\r\nvase\r\n", "the header does not match")

    def test_latin_1(self):
        data = csv_bytes([row(item="Théière")], encoding="latin-1")
        self.assert_file_refused(data, "not UTF-8")

    def test_empty_file(self):
        self.assert_file_refused(b"", "The file is empty")

    def test_a_utf8_bom_is_accepted(self):
        result = load(csv_bytes([row(item="Théière")], bom=True))
        self.assertTrue(result.written)
        self.assertEqual(Gift.objects.get().item, "Théière")

    def test_a_row_with_too_many_cells(self):
        data = csv_bytes([row()]) + b"1,2,3\r\n"
        result = load(data)
        self.assertFalse(result.written)
        self.assertIn("cells where the header has 22", str(result.problems[0]))

    def test_a_description_up_to_the_cell_limit_is_stored_and_a_longer_one_rejected(self):
        result = load(csv_bytes([row(description="x" * CELL_LIMIT)]))
        self.assertTrue(result.written)
        self.assertEqual(len(Gift.objects.get().description), CELL_LIMIT)
        result = load(csv_bytes([row(item="Longer", description="x" * (CELL_LIMIT + 1))]))
        self.assertFalse(result.written)
        self.assertEqual([(p.line, p.column) for p in result.problems], [(2, "description")])

    def test_a_too_long_item_is_reported_with_its_column(self):
        result = load(csv_bytes([row(item="x" * 1000)]))
        self.assertEqual(result.problems[0].column, "item")

    def test_duplicate_ids_are_reported(self):
        result = load(csv_bytes([row(id="9"), row(id="9", item="Other")]))
        self.assertFalse(result.written)
        self.assertIn("already on line 2", str(result.problems[0]))
        # The rejects file gets the row's own cells, whichever path found the problem.
        self.assertEqual([raw["item"] for raw, _reason in result.rejects], ["Other"])

    def test_unknown_regime_code(self):
        result = load(csv_bytes([row(sanctions="EU-NOTHING:alleged")]))
        self.assertIn("No sanctions regime has this code", str(result.problems[0]))

    def test_a_formula_is_stored_as_text_neutralised_on_export_and_restored(self):
        formula = '=HYPERLINK("http://evil.example","click")'
        load(csv_bytes([row(id="1", description=formula, value_note="-5 below")]))
        gift = Gift.objects.get()
        self.assertEqual(gift.description, formula)
        exported = export_all().decode()
        self.assertIn("'=HYPERLINK(", exported)
        self.assertIn("'-5 below", exported)
        Gift.objects.all().delete()
        load(exported.encode())
        self.assertEqual(Gift.objects.get().description, formula)
        self.assertEqual(Gift.objects.get().value_note, "-5 below")


class RoundTripTests(TestCase):
    def test_export_all_then_import_into_an_empty_registry_is_byte_identical(self):
        regime = make_regime()
        ofac = make_regime(
            code="US-OFAC-NK", name="OFAC North Korea sanctions", authority="US OFAC"
        )
        kim = make_leader("Kim Jong Un", "KP", native_name="김정은", aliases=["Kim Jong-un"])
        putin = make_leader("Vladimir Putin", "RU", native_name="Владимир Путин")
        honecker = make_leader("Erich Honecker", "DD")
        source_a, source_b = make_source(), make_source(url="https://b.example.org/x?y=1&z=2")
        visit = make_visit(title="Summit", host_country="KP", publication_status="draft")
        gifts = [
            make_gift(
                item='Aurus "Senat", limousine',
                description="Line one\nline two, with commas\r\nand “quotes”",
                giver=putin,
                giver_country="RU",
                recipient=kim,
                recipient_country="KP",
                visit=visit,
                value=Decimal("1000000.00"),
                currency="KPW",
                value_usd=Decimal("750.50"),
                notes="Кремль → 평양",
                sources=[source_a, source_b],
            ),
            make_gift(
                item="Porcelain",
                giver=honecker,
                giver_country="DD",
                recipient_country="SU",
                date=D(1975, 5, 1),
                date_precision="month",
                value=Decimal("10.00"),
                currency="DDM",
                publication_status="in_review",
                quantity=None,
                giver_as_reported="Erich Honecker, Chairman",
                recipient_as_reported="USSR",
            ),
            make_gift(
                item="Unknown date",
                date=None,
                date_precision="unknown",
                giver_country="",
                recipient_country="US",
                publication_status="draft",
                category="travel",
                value_note="=SUM(A1)",
                disposition="archives",
            ),
            make_gift(
                item="Year only",
                date=D(2001, 1, 1),
                date_precision="year",
                publication_status="retracted",
                retraction_reason="Hoax",
            ),
        ]
        make_flag(gifts[0], regime, status="alleged")
        make_flag(
            gifts[0],
            ofac,
            status="possible",
            publication_status="draft",
        )
        first = export_all()

        for model in (SanctionsFlag, Gift, Visit, Leader, Source):
            model.objects.all().delete()
        result = load(first)
        self.assertTrue(result.written, [str(p) for p in result.problems])
        second = export_all()
        self.assertEqual(first, second)
        self.assertEqual(Gift.objects.get(item="Porcelain").publication_status, "in_review")
        self.assertEqual(len(list(csv.reader(io.StringIO(first.decode(), newline="")))), 5)


class CommandTests(TestCase):
    def test_import_command_reports_and_fails_on_invalid_rows_with_rejects_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path, rejects = Path(tmp) / "in.csv", Path(tmp) / "rejects.csv"
            path.write_bytes(csv_bytes([row(), row(item="Bad", date="June")]))
            out = io.StringIO()
            with self.assertRaises(CommandError):
                call_command("import_gifts", str(path), "--format", "registry", stdout=out)
            self.assertIn("line 3, column date", out.getvalue())
            self.assertEqual(Gift.objects.count(), 0)
            out = io.StringIO()
            call_command(
                "import_gifts",
                str(path),
                "--format",
                "registry",
                "--skip-invalid",
                "--rejects",
                str(rejects),
                stdout=out,
            )
            self.assertIn("Rows: 2 read — 1 imported, 0 skipped, 1 rejected", out.getvalue())
            rejected = list(csv.DictReader(rejects.open(encoding="utf-8")))
            self.assertEqual(rejected[0]["item"], "Bad")
            self.assertIn("use YYYY-MM-DD", rejected[0]["reject_reason"])
            # The fixed rejects file imports as it is, reason column and all.
            fixed = rejects.read_text(encoding="utf-8").replace(",June,", ",2024-06,")
            rejects.write_text(fixed, encoding="utf-8")
            call_command("import_gifts", str(rejects), "--format", "registry", stdout=io.StringIO())
            self.assertEqual(Gift.objects.count(), 2)

    def test_export_command_writes_only_public_records_without_all(self):
        make_gift(item="Public one")
        make_gift(item="Draft one", publication_status="draft")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "out.csv"
            call_command("export_gifts", str(path), stderr=io.StringIO())
            text = path.read_text(encoding="utf-8")
        self.assertIn("Public one", text)
        self.assertNotIn("Draft one", text)
