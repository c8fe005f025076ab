"""Register entries: every data row of every imported register kept verbatim with what
became of it, exported by export_entries, shown on the gift page and the registers page."""

import csv
import datetime
import io
import lzma
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase, TestCase

from giftapp.charts import years_chart
from giftapp.exports.entries import HEADER
from giftapp.importers.formats import BUNDLED_REGISTERS
from giftapp.importers.pipeline import run_import
from giftapp.models import COUNTRIES_PROBLEM, Gift, ImportBatch, RegisterEntry
from giftapp.money import base_year, constant_usd, to_usd

from .factories import make_gift, make_source, make_staff
from .pages_support import page_text
from .test_import_registers import FIXTURES, UK, US, import_file, rows_in

FOREIGN = FIXTURES / "us-foreign-gifts-slice.csv"
PK = FIXTURES / "pk-toshakhana-slice.csv"


def export(**options):
    out = io.StringIO()
    call_command("export_entries", "-", stdout=out, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


class EntriesTests(TestCase):
    def test_every_data_row_of_every_register_appears_with_its_outcome(self):
        for path, fmt in ((US, "us-federal-register"), (UK, "uk-ministers"), (PK, "pk-toshakhana")):
            import_file(path, fmt)
        lines = export()
        self.assertEqual(list(lines[0]), list(HEADER))
        for path, fmt, id_column in (
            (US, "us-federal-register", "id"),
            (UK, "uk-ministers", ""),
            (PK, "pk-toshakhana", ""),
        ):
            with self.subTest(fmt):
                rows = rows_in(path)
                mine = [line for line in lines if line["register"] == fmt]
                firsts = [line for line in mine if line["entry"] == "1"]
                self.assertEqual(len(firsts), len(rows))  # every row, once as entry 1
                expected = (
                    sorted(r[id_column] for r in rows)
                    if id_column
                    else sorted(str(n) for n in range(1, len(rows) + 1))
                )
                self.assertEqual(sorted(line["row"] for line in firsts), expected)
                for line in mine:
                    self.assertIn(line["status"], ("imported", "skipped", "rejected"))
                    if line["status"] == "imported":
                        gift = Gift.objects.get(pk=line["gift"])
                        self.assertEqual(line["giver"], gift.giver.slug if gift.giver else "")
                        self.assertEqual(
                            line["recipient"], gift.recipient.slug if gift.recipient else ""
                        )
                        self.assertEqual(line["reason"], "")
                    else:
                        self.assertEqual(line["gift"], "")
                        self.assertNotEqual(line["reason"], "")
        # A row that packs several gifts has an entry for each, numbered from 1.
        packed = [line for line in lines if line["register"] == "us-federal-register"]
        self.assertTrue(any(line["entry"] == "2" for line in packed))
        self.assertEqual(sum(line["status"] == "imported" for line in lines), Gift.objects.count())

    def test_entries_keep_the_row_verbatim_with_the_file(self):
        import_file(PK, "pk-toshakhana")
        entry = RegisterEntry.objects.get(register="pk-toshakhana", record=1)
        first = rows_in(PK)[0]
        self.assertEqual(entry.cells, [[column, text] for column, text in first.items()])
        self.assertIn("\n", dict(entry.cells)["Detail of Gifts"])  # as published
        self.assertEqual(entry.batch.file_name, PK.name)
        self.assertEqual(len(entry.batch.file_sha256), 64)
        self.assertEqual(entry.line, 2)
        self.assertIn("Cabinet Division", entry.source_note)

    def test_a_reimport_keeps_one_set_of_entries_and_a_changed_row_replaces_its_own(self):
        import_file(US, "us-federal-register")
        count = RegisterEntry.objects.count()
        again = import_file(US, "us-federal-register")
        self.assertFalse(again.written)
        self.assertEqual(RegisterEntry.objects.count(), count)
        self.assertEqual(ImportBatch.objects.count(), 1)
        rows = rows_in(US)
        rows[0]["gift_description"] += " (corrected)"
        changed = io.StringIO()
        writer = csv.DictWriter(changed, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        run_import(
            io.BytesIO(changed.getvalue().encode()),
            "us-federal-register",
            file_name="changed.csv",
            skip_invalid=True,
        )
        self.assertEqual(RegisterEntry.objects.count(), count)
        self.assertEqual(set(RegisterEntry.objects.values_list("batch", flat=True)).__len__(), 1)
        first = RegisterEntry.objects.get(register="us-federal-register", row=rows[0]["id"])
        self.assertIn("(corrected)", dict(first.cells)["gift_description"])

    def test_a_file_with_a_rejected_row_and_no_skip_keeps_nothing(self):
        with UK.open("rb") as handle:
            result = run_import(handle, "uk-ministers", file_name=UK.name)
        self.assertTrue(result.problems)
        self.assertFalse(RegisterEntry.objects.exists())

    def test_the_registrys_own_format_keeps_no_entries(self):
        make_gift(item="Tea set", sources=[make_source()])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.csv"
            call_command("export_gifts", str(path), stderr=io.StringIO())
            Gift.objects.all().delete()
            with path.open("rb") as handle:
                run_import(handle, "registry", file_name=path.name)
        self.assertTrue(Gift.objects.exists())
        self.assertFalse(RegisterEntry.objects.exists())

    def test_the_admin_lists_entries_read_only(self):
        import_file(PK, "pk-toshakhana")
        self.client.force_login(make_staff("chief", superuser=True))
        listed = self.client.get("/admin/giftapp/registerentry/?status__exact=rejected")
        self.assertContains(listed, "the recipient cell holds a date")
        entry = RegisterEntry.objects.get(register="pk-toshakhana", record=1)
        page = self.client.get(f"/admin/giftapp/registerentry/{entry.pk}/change/")
        self.assertContains(page, "Two  small  silver")
        self.assertNotContains(page, 'name="_save"')

    def test_the_gift_page_says_which_register_recorded_it(self):
        import_file(FOREIGN, "us-foreign-gifts", publish=True)
        gift = Gift.objects.get(import_key="us-foreign-gifts:1:1")
        text = page_text(self.client.get(gift.get_absolute_url()))
        self.assertIn("As recorded by", text)
        self.assertIn(
            "US notices of gifts to federal employees (second transcription), row 1", text
        )
        self.assertIn("foreign_donor His Excellency Mohamed Irfaan Ali", text)
        self.assertIn("the data set that transcribes the notices", text)

    def test_the_registers_page_counts_each_register(self):
        import_file(PK, "pk-toshakhana", publish=True)
        text = page_text(self.client.get("/registers/"))
        self.assertIn("Pakistan's Toshakhana record", text)
        self.assertIn("2002–2022", text)
        # 18 rows; 15 gifts published, all with the giver not stated; 1 skipped, 2 rejected
        self.assertIn("18 15", text)
        self.assertIn("15 1 2", text)


class PublicationRuleTests(TestCase):
    def test_a_giver_not_stated_may_be_published_without_a_giver_country(self):
        gift = make_gift(giver_country="", giver_not_stated=True, sources=[make_source()])
        gift.full_clean()
        self.assertEqual(gift.own_publication_problems(), [])
        self.assertIn(
            "Not stated by the register", page_text(self.client.get(gift.get_absolute_url()))
        )

    def test_a_giver_country_left_blank_still_blocks_publication(self):
        gift = make_gift(publication_status="draft", giver_country="")
        self.assertEqual(gift.own_publication_problems(), [COUNTRIES_PROBLEM])
        gift.publication_status = "published"
        with self.assertRaises(ValidationError):
            gift.full_clean()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Gift.objects.filter(pk=gift.pk).update(publication_status="published")


class MoneyTests(SimpleTestCase):
    def test_conversion_names_its_basis(self):
        usd, basis = to_usd(Decimal("1200000"), "PKR", 2019)
        self.assertEqual(usd, Decimal("7998.06"))
        self.assertEqual(basis, "converted at the 2019 average rate (150.0363 PKR per US$)")
        self.assertEqual(to_usd(Decimal("5"), "USD", 2019), (Decimal("5"), ""))
        usd, basis = to_usd(Decimal("5"), "PKR", 1990)
        self.assertIsNone(usd)
        self.assertIn("no 1990 PKR rate", basis)
        usd, basis = to_usd(Decimal("5"), "GBP", None)
        self.assertIsNone(usd)
        self.assertIn("date is unknown", basis)

    def test_constant_dollars(self):
        self.assertEqual(constant_usd(Decimal("100"), base_year()), Decimal("100"))
        self.assertEqual(constant_usd(Decimal("100"), 2000), Decimal("182"))  # 313.689/172.2
        self.assertIsNone(constant_usd(Decimal("100"), 1900))
        self.assertIsNone(constant_usd(None, 2000))


class CoverageChartTests(SimpleTestCase):
    def test_years_no_register_covers_are_marked_not_drawn_as_zero(self):
        chart = years_chart({2002: 3, 2010: 1}, {}, covered=set(range(2002, 2006)) | {2010})
        gaps = [row["year"] for row in chart.rows if not row["covered"]]
        self.assertEqual(gaps, [2006, 2007, 2008, 2009])
        self.assertEqual(len(chart.gaps), 4)
        self.assertFalse(years_chart({2002: 3, 2010: 1}, {}).gaps)


class LoadRegistersTests(TestCase):
    def test_load_registers_imports_publishes_and_is_idempotent(self):
        with tempfile.TemporaryDirectory() as tmp:
            slices = {
                "us-federal-register": US,
                "us-foreign-gifts": FOREIGN,
                "uk-ministers": UK,
                "pk-toshakhana": PK,
            }
            for name, fmt in BUNDLED_REGISTERS.items():
                (Path(tmp) / name).write_bytes(lzma.compress(slices[fmt].read_bytes()))
            out = io.StringIO()
            call_command("load_registers", directory=Path(tmp), stdout=out)
            self.assertEqual(out.getvalue().count("(batch #"), 4)
            self.assertEqual(
                set(RegisterEntry.objects.values_list("register", flat=True)), set(slices)
            )
            self.assertTrue(Gift.objects.published().filter(giver_not_stated=True).exists())
            entries = RegisterEntry.objects.count()
            again = io.StringIO()
            call_command("load_registers", directory=Path(tmp), stdout=again)
            self.assertEqual(again.getvalue().count("nothing changed"), 4)
            self.assertEqual(RegisterEntry.objects.count(), entries)


class LeaderPageTests(TestCase):
    def test_a_leaders_page_gives_offices_over_time_and_gifts_by_register(self):
        import_file(PK, "pk-toshakhana", publish=True)
        gift = Gift.objects.get(import_key="pk-toshakhana:1:1")  # Abdul Sattar, 2002
        leader = gift.recipient
        make_gift(
            recipient=leader,
            recipient_title="Senator",
            giver_country="CN",
            recipient_country="PK",
            date=datetime.date(2010, 5, 1),
            sources=[make_source()],
        )
        text = page_text(self.client.get(leader.get_absolute_url()))
        self.assertIn("Offices held, as the registers give them", text)
        self.assertIn("Minister for Foreign Affairs 2002", text)
        self.assertIn("Senator 2010", text)
        self.assertIn("Gifts by register Pakistan's Toshakhana record:", text)
        spelling = gift.register_entries.get().recipient_name
        rows = RegisterEntry.objects.filter(gift__recipient=leader, recipient_name=spelling)
        self.assertIn(
            f"Written as Register rows {spelling} Pakistan's Toshakhana record: {rows.count()}",
            text,
        )
