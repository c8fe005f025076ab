"""The import's file-level rules, as the one rule layer applies them for both writers."""

import csv
import io

from django.test import SimpleTestCase, TestCase

from giftapp.importers.pipeline import ImportFileError, run_import
from giftapp.importers.reading import CELL_LIMIT
from giftapp.importers.rules import SeenIds
from giftapp.models import Gift, Visit

from .factories import make_regime
from .registers import SLICES, register_rows
from .test_import_registry_csv import csv_bytes, load, row

# Rows that only the file so far shows to be wrong: a repeated id, and a dateless row naming
# a visit that only a rejected row would have created.
FILE_RULE_ROWS = [
    row(id="1", visit="summit-2024"),  # creates the visit
    row(id="1", visit="another-2024", item="Repeats an id"),  # rejected: creates nothing
    row(id="3", visit="another-2024", date="", item="Names it, undated"),
    row(id="4", visit="summit-2024", date="", item="Names the first, undated"),
]


class SeenIdsTests(SimpleTestCase):
    def test_the_first_line_to_give_an_id_is_remembered(self):
        seen = SeenIds()
        self.assertEqual(seen.first_line(42, 2), 2)
        self.assertEqual(seen.first_line(7, 3), 3)
        self.assertEqual(seen.first_line(42, 9), 2)
        self.assertEqual(seen.first_line(7, 10), 3)

    def test_ids_beyond_the_dense_range_and_odd_ones_are_kept_too(self):
        seen = SeenIds()
        for gift_id in (SeenIds.DENSE_IDS, 10**15, 0, -5):
            self.assertEqual(seen.first_line(gift_id, 4), 4)
            self.assertEqual(seen.first_line(gift_id, 5), 4)

    def test_the_array_never_outgrows_its_bound(self):
        seen = SeenIds()
        seen.first_line(SeenIds.DENSE_IDS - 1, 2)
        seen.first_line(SeenIds.DENSE_IDS - 2, 3)
        self.assertEqual(len(seen._dense), SeenIds.DENSE_IDS)
        self.assertEqual(seen.first_line(SeenIds.DENSE_IDS - 1, 9), 2)

    def test_a_dense_id_costs_four_bytes_not_an_object(self):
        seen = SeenIds()
        for gift_id in range(1, 100_001):
            seen.first_line(gift_id, gift_id + 1)
        self.assertLessEqual(seen._dense.buffer_info()[1], 2 * 100_001)
        self.assertEqual(seen._sparse, {})


class FileRuleTests(TestCase):
    """Both writers (the database's own, and the ORM on PostgreSQL too, through the parity
    tests) reject what only the file so far shows to be wrong."""

    @classmethod
    def setUpTestData(cls):
        make_regime()

    def test_a_repeated_id_is_rejected_on_its_later_line(self):
        result = load(
            csv_bytes([row(id="5"), row(id="6", item="Other"), row(id="5", item="Again")])
        )
        self.assertEqual(
            [(p.line, p.column, p.reason) for p in result.problems],
            [(4, "id", "The id is already on line 2.")],
        )
        self.assertFalse(Gift.objects.exists())

    def test_a_visit_is_created_only_by_a_valid_row(self):
        result = load(csv_bytes(FILE_RULE_ROWS), skip_invalid=True)
        self.assertEqual(
            sorted((p.line, p.column) for p in result.problems), [(3, "id"), (4, "visit")]
        )
        self.assertEqual(list(Visit.objects.values_list("slug", flat=True)), ["summit-2024"])
        self.assertEqual(Gift.objects.filter(visit__slug="summit-2024").count(), 2)


class BadFileTests(TestCase):
    """A file that cannot be read as its format says, and rows that cannot be read at all."""

    @classmethod
    def setUpTestData(cls):
        make_regime()

    def test_a_file_in_another_format_is_named_in_one_line(self):
        data = (SLICES / "uk-ministers-slice.csv").read_bytes()
        with self.assertRaises(ImportFileError) as raised:
            run_import(io.BytesIO(data), "us-federal-register", file_name="f.csv")
        message = str(raised.exception)
        self.assertNotIn("\n", message)
        self.assertIn("Expected: id,", message)
        self.assertTrue(message.endswith("The file looks like the uk-ministers format."))

    def test_a_file_in_no_known_format_gets_no_guess(self):
        with self.assertRaises(ImportFileError) as raised:
            run_import(io.BytesIO(b"a,b\r\n1,2\r\n"), "registry", file_name="f.csv")
        self.assertNotIn("looks like", str(raised.exception))

    def test_a_huge_cell_rejects_its_row_with_line_and_column(self):
        crafted = ("1-" * 500_000)[:1_000_000]  # a megabyte of digits and dashes
        rows = [row(id="1"), row(id="2", description=crafted), row(id="3", item="After")]
        result = run_import(
            io.BytesIO(csv_bytes(rows)), "registry", file_name="f.csv", skip_invalid=True
        )
        self.assertEqual(
            [(p.line, p.column, p.reason) for p in result.problems],
            [
                (
                    3,
                    "description",
                    f"The cell holds 1,000,000 characters; a cell holds at most {CELL_LIMIT:,}.",
                )
            ],
        )
        self.assertEqual(sorted(Gift.objects.values_list("pk", flat=True)), [1, 3])

    def test_a_huge_cell_in_a_register_never_reaches_its_parser(self):
        header, rows = register_rows("uk-ministers-gifts-2024-2025.csv")
        first = rows[0] | {"gift": "1-" * 500_000}
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerow(first)
        result = run_import(io.BytesIO(out.getvalue().encode()), "uk-ministers", file_name="f.csv")
        self.assertEqual([(p.line, p.column) for p in result.problems], [(2, "gift")])
        self.assertFalse(Gift.objects.exists())
