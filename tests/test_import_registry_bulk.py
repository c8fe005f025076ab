"""The registry format's fast reader (PostgreSQL) against the importer's own validation.

The fast reader stages a plain row itself and hands every other row to the validation.
It must never let through a row the validation rejects, and must stage what it lets
through exactly as the validation would: both are run on the same rows here, hostile
ones included. On PostgreSQL, whole files are imported both ways and must give the same
report, records and export; and a large import into an empty registry, which sets the
gift tables' indexes and keys aside, must leave them as they were.
"""

import csv
import io
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import SimpleTestCase, TestCase

from giftapp.counts import facets
from giftapp.exports.interchange import HEADER
from giftapp.importers import bulk, registry_load
from giftapp.importers.bulk import PostgresImport, References
from giftapp.importers.pipeline import Importer, run_import
from giftapp.importers.registry_bulk import (
    PICK,
    SEPARATOR,
    plain_rows,
    remembered,
    staged_text,
)
from giftapp.models import (
    Gift,
    GiftFacet,
    GiftFacetPair,
    Leader,
    SanctionsFlag,
    Source,
    Visit,
)

from .factories import make_gift, make_leader, make_regime, make_user, make_visit
from .test_import_registry_csv import csv_bytes, export_all, row

# Rows that a register or a hand-edited file may hold: each differs from a plain row in
# one way, valid or not.
CASES = {
    "plain": {},
    "with an id": {"id": "42"},
    "id with leading zeros": {"id": "007"},
    "id zero": {"id": "0"},
    "id in other digits": {"id": "١٢"},
    "id negative": {"id": "-3"},
    "id with a space": {"id": " 4"},
    "month": {"date": "2024-06"},
    "year": {"date": "2024"},
    "no date": {"date": "", "visit": ""},
    "no such day": {"date": "2023-02-29"},
    "a leap day": {"date": "2024-02-29"},
    "year zero": {"date": "0000"},
    "date and a line break": {"date": "2024-06-19\n"},
    "date in other digits": {"date": "２０２４-06-19"},
    "date written out": {"date": "June 2024"},
    "lower-case country": {"giver_country": "ru"},
    "dotless i country": {"giver_country": "ıt"},
    "unknown country": {"giver_country": "ZZ"},
    "same countries": {"giver_country": "KP"},
    "no giver country": {"giver_country": ""},
    "country with a space": {"recipient_country": "KP "},
    "historical country": {"giver_country": "SU"},
    "value": {"value": "1500.00", "currency": "USD", "value_usd": "1500.00"},
    "value without cents": {"value": "1500", "currency": "EUR"},
    "value with one decimal": {"value": "12.5", "currency": "EUR"},
    "value in exponent": {"value": "1e3", "currency": "USD"},
    "value with underscores": {"value": "1_000", "currency": "USD"},
    "value with spaces": {"value": " 10 ", "currency": "USD"},
    "negative value": {"value": "-5", "currency": "USD"},
    "too many decimals": {"value": "1.005", "currency": "USD"},
    "too many digits": {"value": "123456789012345", "currency": "USD"},
    "infinite value": {"value": "Infinity", "currency": "USD"},
    "value, no currency": {"value": "10"},
    "currency, no value": {"currency": "USD"},
    "lower-case currency": {"value": "10", "currency": "usd"},
    "unknown currency": {"value": "10", "currency": "XYZ"},
    "negative dollar value": {"value_usd": "-1"},
    "quantity": {"quantity": "12"},
    "no quantity": {"quantity": ""},
    "quantity zero": {"quantity": "0"},
    "quantity in other digits": {"quantity": "٣"},
    "quantity as a word": {"quantity": "several"},
    "unknown category": {"category": "tea"},
    "no category": {"category": ""},
    "no disposition": {"disposition": ""},
    "unknown disposition": {"disposition": "lost"},
    "sanction": {"sanctions": "UN-SC1718:alleged"},
    "two sanctions": {"sanctions": "UN-SC1718:alleged;EU-RU:possible"},
    "sanctions with spaces": {"sanctions": " UN-SC1718:alleged ; EU-RU:possible "},
    "sanctions with an empty part": {"sanctions": "UN-SC1718:alleged;;"},
    "unknown regime": {"sanctions": "XX-NONE:alleged"},
    "unknown flag status": {"sanctions": "UN-SC1718:proven"},
    "lower-case regime": {"sanctions": "un-sc1718:alleged"},
    "no sources": {"sources": ""},
    "two sources": {"sources": "https://a.example.org/1 https://b.example.org/2"},
    "the same source twice": {"sources": "https://a.example.org/1 https://a.example.org/1"},
    "sources split by a tab": {"sources": "https://a.example.org/1\thttps://b.example.org/2"},
    "sources split by a no-break space": {"sources": "https://a.example.org/1\u00a0x"},
    "existing visit": {"visit": "putin-in-pyongyang"},
    "new visit": {"visit": "a-new-visit"},
    "new visit, no date": {"visit": "undated-visit", "date": ""},
    "new visit, no countries": {
        "visit": "stateless-visit",
        "giver_country": "",
        "recipient_country": "",
    },
    "visit with a space": {"visit": "a visit"},
    "visit in another script": {"visit": "визит"},
    "published": {"publication_status": "published"},
    "published, no sources": {"publication_status": "published", "sources": ""},
    "published, one country": {"publication_status": "published", "giver_country": ""},
    "retracted": {"publication_status": "retracted"},
    "in review": {"publication_status": "in_review"},
    "status in capitals": {"publication_status": "PUBLISHED"},
    "unknown status": {"publication_status": "public"},
    "empty item": {"item": ""},
    "item of spaces": {"item": "   "},
    "item of no-break spaces": {"item": "\u00a0\u2003"},
    "item in another script": {"item": "茶具"},
    "item of 300 characters": {"item": "x" * 300},
    "item of 301 characters": {"item": "x" * 301},
    "giver of 201 characters": {"giver": "x" * 201},
    "value note of 301 characters": {"value_note": "x" * 301},
    "multiline description": {"description": "Line one\r\nline two\tand a \\ backslash"},
    "accented text": {"description": "Théière en porcelaine", "giver_as_reported": "Erdoğan"},
    "formula": {"description": '\'=HYPERLINK("x")'},
    "quoted quote": {"notes": "''=1+1"},
    "formula in the id": {"id": "'12"},
    "nul character": {"notes": "a\x00b"},
    "leader by alias": {"recipient": "KIM JONG-UN"},
    "leader in another script": {"recipient": "김정은"},
}


def copy_text(value):
    """A staged value as a line of COPY text writes it."""
    if value is None:
        return "\\N"
    if isinstance(value, list):
        return "{" + ",".join(map(str, value)) + "}"
    text = str(value)
    for char, escape in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(char, escape)
    return text


class RememberedTests(SimpleTestCase):
    def test_values_are_remembered_up_to_a_bound_and_invalid_ones_not_at_all(self):
        calls = []

        def parse(text):
            calls.append(text)
            return None if text == "bad" else text.upper()

        cache, lookup = remembered(parse)
        self.assertEqual(lookup("a"), "A")
        self.assertIsNone(lookup("bad"))
        self.assertEqual(cache, {"a": "A"})
        with mock.patch("giftapp.importers.registry_bulk.REMEMBERED", 3):
            for text in "bcdefg":
                lookup(text)
                self.assertLessEqual(len(cache), 3)
        self.assertEqual(calls, ["a", "bad", *"bcdefg"])


class FastReaderTests(TestCase):
    """On every database: the fast reader is plain Python."""

    @classmethod
    def setUpTestData(cls):
        make_regime()
        make_regime(code="EU-RU", name="EU sanctions on Russia", authority="EU")
        make_leader("Kim Jong Un", "KP", native_name="김정은", aliases=["Kim Jong-un"])
        make_visit(title="Putin in Pyongyang", slug="putin-in-pyongyang")

    def reader(self, header, **options):
        importer = Importer("registry", **options)
        importer.start_file()
        fast = PostgresImport(importer)
        fast.references = References(importer)
        importer.result.header = list(header)
        return importer, fast, plain_rows(fast, header)

    def both_ways(self, cells, header=HEADER, **options):
        """(the fast reader's line or None, the validation's line or its problems)."""
        fast_importer, fast, plain = self.reader(header, **options)
        fields = plain(list(cells), SEPARATOR.join(cells), 2)
        line = None if fields is None else staged_text(fields)
        slow_importer, slow, _plain = self.reader(header, **options)
        raw = {k: v[1:] if v.startswith("'") else v for k, v in zip(header, cells, strict=True)}
        checked = slow_importer.validate_row(2, raw)
        if checked is None:
            expected = [str(p) for p in slow_importer.result.problems]
        else:
            values = slow.staged(checked, 0, checked.entries[0])
            expected = "\t".join(copy_text(values[i]) for i in PICK) + "\n"
        if line is not None:
            # What it creates, it creates as the validation does.
            self.assertEqual(fast.references.new_leaders, slow.references.new_leaders)
            self.assertEqual(fast.references.new_sources, slow.references.new_sources)
            self.assertEqual(fast_importer.withheld_publication, slow_importer.withheld_publication)
        return line, expected

    def test_each_row_is_staged_as_the_validation_stages_it_or_left_to_it(self):
        taken = set()
        for name, cells in CASES.items():
            with self.subTest(name):
                line, expected = self.both_ways([(row() | cells).get(c, "") for c in HEADER])
                if line is not None:
                    self.assertIsInstance(expected, str, f"rejected by the validation: {expected}")
                    self.assertEqual(line, expected)
                    taken.add(name)
        # Plain rows are the fast reader's own: it is what makes the import fast.
        for name in ("plain", "with an id", "month", "value", "sanction", "new visit"):
            self.assertIn(name, taken)
        for name in ("lower-case country", "id in other digits", "formula", "quoted quote"):
            self.assertNotIn(name, taken)

    def test_an_editors_file_asking_for_publication_is_staged_as_drafts(self):
        editor = make_user("erin", "editor")
        cells = [row(publication_status="published").get(c, "") for c in HEADER]
        line, expected = self.both_ways(cells, user=editor)
        self.assertEqual(line, expected)
        self.assertIn("\tdraft\t", line)

    def test_publish_stages_a_row_without_status_as_published(self):
        line, expected = self.both_ways([row().get(c, "") for c in HEADER], publish=True)
        self.assertEqual(line, expected)
        self.assertIn("\tpublished\t", line)

    def test_columns_in_another_order_and_a_reason_column_hash_as_the_validation_does(self):
        header = ["reject_reason", *reversed(HEADER)]
        cells = [row(id="9").get(c, "") if c != "reject_reason" else "bad date" for c in header]
        line, expected = self.both_ways(cells, header=header)
        self.assertEqual(line, expected)


HOSTILE_FILE = [
    row(id="1"),
    row(id="2", giver_country="ru", notes="lower-case country, valid"),
    row(id="3", date="2024-02-30"),
    row(id="4", value="1e3", currency="USD"),
    row(id="5", sanctions="XX-NONE:alleged", quantity="0"),
    row(id="6", visit="undated", date=""),
    row(id="7", visit="dated", item="Creates the visit"),
    row(id="8", visit="dated", date="", item="Names the visit line 8 created"),
    row(id="1", item="A repeated id"),
    row(id="", item="No id", description="Two\r\nlines, a \\ and a\ttab"),
    row(id="10", publication_status="published", sources=""),
    row(id="11", description="'=1+1", value_note="'-5 below"),
    row(id="12", item="   "),
    row(id="13", giver="x" * 201),
]


@pytest.mark.postgresql("copy")
class FastAndGeneralPathTests(TestCase):
    """PostgreSQL: the registry's fast reader and the general path give the same import."""

    @classmethod
    def setUpTestData(cls):
        make_regime()
        make_leader("Kim Jong Un", "KP", aliases=["Kim Jong-un"])

    def load(self, data, general=False, **options):
        if general:
            with mock.patch(
                "giftapp.importers.registry_bulk.RegistryImport.copy_rows",
                PostgresImport.copy_rows,
            ):
                return run_import(io.BytesIO(data), "registry", file_name="f.csv", **options)
        return run_import(io.BytesIO(data), "registry", file_name="f.csv", **options)

    def outcome(self, result):
        return (
            [(p.line, p.column, p.value, p.reason) for p in result.problems],
            result.rejects,
            {entity: dict(counts) for entity, counts in result.counts.items()},
            dict(result.row_outcomes),
            result.rows,
            result.written,
        )

    def test_a_hostile_file_is_reported_alike_both_ways(self):
        data = csv_bytes(HOSTILE_FILE)
        fast = self.outcome(self.load(data))
        general = self.outcome(self.load(data, general=True))
        self.assertEqual(fast, general)
        lines = {line for line, _column, _value, _reason in fast[0]}
        # Physical lines: the two-line description moves the rows after it down by one.
        self.assertEqual(lines, {4, 6, 7, 10, 13, 15, 16})
        self.assertEqual(Gift.objects.count(), 0)

    def created_history(self):
        return [m.history.filter(history_type="+").count() for m in (Gift, Leader, Visit, Source)]

    def registry(self):
        """The export, without the id the file left blank (a new one on each import)."""
        rows = list(csv.DictReader(io.StringIO(export_all().decode(), newline="")))
        return sorted(
            tuple((r | {"id": r["id"] if r["item"] != "No id" else ""}).values()) for r in rows
        )

    def test_skipping_the_invalid_rows_writes_the_same_registry_both_ways(self):
        data = csv_bytes(HOSTILE_FILE)
        before = self.created_history()
        fast = self.load(data, skip_invalid=True)
        fast_history = [n - b for n, b in zip(self.created_history(), before, strict=True)]
        registry = self.registry()
        for model in (SanctionsFlag, Gift, Visit, Source):
            model.objects.all().delete()
        Leader.objects.exclude(name="Kim Jong Un").delete()
        before = self.created_history()
        general = self.load(data, skip_invalid=True, general=True)
        general_history = [n - b for n, b in zip(self.created_history(), before, strict=True)]
        self.assertEqual(self.outcome(fast)[:5], self.outcome(general)[:5])
        self.assertEqual(self.registry(), registry)
        self.assertEqual(fast_history, general_history)
        self.assertEqual(fast_history[0], fast.counts["gifts"]["created"])
        self.assertEqual(Gift.objects.get(pk=2).giver_country, "RU")
        self.assertEqual(Gift.objects.get(item="No id").description.count("\r\n"), 1)
        self.assertEqual(Gift.objects.get(pk=11).description, "=1+1")


@pytest.mark.postgresql("copy")
class SetAsideTests(TestCase):
    """PostgreSQL: a large import into an empty registry builds the indexes and foreign
    keys of the gift and visit tables again, as they were."""

    TABLES = [
        "giftapp_gift",
        "giftapp_gift_sources",
        "giftapp_historicalgift",
        "giftapp_visit",
        "giftapp_historicalvisit",
        "giftapp_giftfacet",
        "giftapp_giftfacetpair",
    ]

    def schema(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1",
                [self.TABLES],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
                "condeferrable, condeferred FROM pg_constraint "
                "WHERE conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]) "
                "ORDER BY 1, 2",
                [self.TABLES, self.TABLES],
            )
            return indexes, cursor.fetchall()

    def facet_counts(self):
        return (
            sorted(
                GiftFacet.objects.exclude(n=0).values_list(
                    "giver_country", "recipient_country", "category", "year", "is_flagged", "n"
                )
            ),
            sorted(
                GiftFacetPair.objects.exclude(n=0).values_list(
                    "filter_dimension", "filter_value", "facet_dimension", "facet_value", "n"
                )
            ),
        )

    def large_import(self):
        """Import 40 rows as a large import (from 10 rows); return the lists of tables
        set aside, in turn, and check that the registry and its schema come out whole."""
        make_regime()
        before = self.schema()
        gifts, history = Gift.objects.count(), Gift.history.count()
        rows = [
            row(
                id=str(n),
                item=f"Gift {n}",
                sanctions="UN-SC1718:alleged",
                visit=f"visit-{n}",
                date=f"{2000 + n % 3}-06-19",
                publication_status="published" if n % 2 else "draft",
            )
            for n in range(1, 41)
        ]
        set_aside = mock.Mock(wraps=bulk.set_aside)
        with (
            mock.patch.object(bulk, "SET_ASIDE_MIN_ROWS", 10),
            mock.patch.object(bulk, "set_aside", set_aside),
            mock.patch.object(registry_load, "set_aside", set_aside),
        ):
            result = run_import(
                io.BytesIO(csv_bytes(rows)), "registry", file_name="f.csv", offline=True
            )
        self.assertTrue(result.written, result.problems)
        self.assertEqual(self.schema(), before)
        # The recount gave what the triggers would have kept.
        counted = self.facet_counts()
        self.assertEqual(sum(n for *_key, n in counted[0]), 20)
        facets.rebuild()
        self.assertEqual(self.facet_counts(), counted)
        self.assertEqual(Gift.objects.count() - gifts, 40)
        self.assertEqual(Gift.history.count() - history, 40)
        self.assertEqual(Visit.objects.filter(gifts__isnull=False).distinct().count(), 40)
        self.assertEqual(Visit.history.count(), 40)
        self.assertEqual(SanctionsFlag.objects.count(), 40)
        self.assertEqual(Gift.objects.filter(sources__url="https://news.example.org/a").count(), 40)
        return [call.args[0] for call in set_aside.call_args_list]

    def test_a_large_import_into_few_gifts_sets_their_tables_aside(self):
        make_gift(id=999, publication_status="draft")  # not one of the ids the file gives
        # Leaders and sources: too few to set aside; then the visits; then the gifts,
        # whose facet counts are recounted at the end rather than kept row by row.
        self.assertEqual(
            self.large_import(),
            [
                [],
                [],
                ["giftapp_visit", "giftapp_historicalvisit"],
                [
                    "giftapp_gift",
                    "giftapp_gift_sources",
                    "giftapp_historicalgift",
                    "giftapp_giftfacet",
                    "giftapp_giftfacetpair",
                ],
            ],
        )

    def test_a_load_into_no_gift_sets_their_tables_aside_before_reading(self):
        """Into a registry without a gift, the gifts are COPYed as the file is read
        (registry_load.py): their tables are set aside first, the history last."""
        self.assertEqual(
            self.large_import(),
            [
                [
                    "giftapp_gift",
                    "giftapp_gift_sources",
                    "giftapp_giftfacet",
                    "giftapp_giftfacetpair",
                ],
                [],
                [],
                ["giftapp_visit", "giftapp_historicalvisit"],
                ["giftapp_historicalgift"],
            ],
        )

    def test_a_load_into_no_gift_writes_its_gifts_frozen(self):
        """Every page of the gift table is all-visible straight after a load: its rows
        went in with COPY FREEZE, into the table truncated for it. The keys of other
        tables that point to gifts, dropped for the TRUNCATE, are back."""
        before = self.schema()
        rows = [row(id=str(n), item=f"Gift {n}") for n in range(1, 400)]
        with mock.patch.object(bulk, "SET_ASIDE_MIN_ROWS", 10):
            result = run_import(
                io.BytesIO(csv_bytes(rows)), "registry", file_name="f.csv", offline=True
            )
        self.assertTrue(result.written, result.problems)
        self.assertEqual(self.schema(), before)
        with connection.cursor() as cursor:
            # The import analysed the table, which counts its all-visible pages.
            cursor.execute(
                "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'giftapp_gift'::regclass"
            )
            pages, visible = cursor.fetchone()
        self.assertGreater(pages, 1)
        self.assertEqual(visible, pages)

    def test_a_load_locks_the_tables_whose_ids_it_draws_and_only_into_no_gift(self):
        """The gifts a load writes name the leaders, sources and visits by the ids their
        sequences will draw: nothing else may write those tables meanwhile."""
        tables = {"giftapp_gift", "giftapp_leader", "giftapp_visit", "giftapp_source"}

        def locked(**options):
            with transaction.atomic(), connection.cursor() as cursor:
                applies = registry_load.RegistryLoad.applies(Importer("registry", **options))
                cursor.execute(
                    "SELECT relation::regclass::text FROM pg_locks WHERE pid = "
                    "pg_backend_pid() AND locktype = 'relation' AND mode = 'ExclusiveLock'"
                )
                return applies, tables & {name for (name,) in cursor.fetchall()}

        # (A lock is held to the end of the test's transaction: the one that takes it last.)
        self.assertEqual(locked(), (False, set()))  # the site may be serving
        gift = make_gift()
        self.assertEqual(locked(offline=True), (False, set()))  # staged: gifts to match
        gift.delete()
        self.assertEqual(locked(offline=True), (True, tables))

    def test_the_keys_are_back_after_a_large_import(self):
        self.large_import()
        # The keys are back: a gift naming a leader that does not exist is refused.
        with (
            self.assertRaises(IntegrityError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("UPDATE giftapp_gift SET giver_id = -1 WHERE id = 1")

    def fresh_gift_table(self):
        """Empty the gift table into new storage (undone with the test), as a load does
        itself. Rows that earlier tests wrote and rolled back leave room in its pages,
        which PostgreSQL may fill before the table's end, whatever the order the rows come
        in."""
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE giftapp_gift CASCADE")

    def laid_out(self):
        """Import 120 rows, the first eight with ids, in an order of their own, and a
        few more further on; return the gifts' items in the order they lie in the table."""
        make_regime()
        numbered = dict(enumerate([7, 3, 250, 12, 1, 99, 40, 5])) | {60: 1000, 90: 500}
        rows = [
            row(
                id=str(numbered.get(n, "")),
                item=f"Gift {n}",
                giver=f"Giver {n % 17}",
                recipient=f"Recipient {n % 5}",
                visit=f"visit-{n % 30}",
                date=f"{2000 + n % 20}-06-19",
            )
            for n in range(120)
        ]
        with mock.patch.object(bulk, "SET_ASIDE_MIN_ROWS", 10):
            result = run_import(
                io.BytesIO(csv_bytes(rows)), "registry", file_name="f.csv", offline=True
            )
        self.assertTrue(result.written, result.problems)
        self.assertEqual(
            list(
                Gift.objects.filter(id__in=numbered.values())
                .order_by("id")
                .values_list("item", flat=True)
            ),
            [f"Gift {n}" for n in sorted(numbered, key=numbered.get)],
        )
        # Those without an id take ids past the file's highest, in the file's order.
        unnumbered = Gift.objects.exclude(id__in=numbered.values()).filter(item__startswith="Gift")
        self.assertGreater(min(unnumbered.values_list("id", flat=True)), 1000)
        self.assertEqual(
            list(unnumbered.order_by("id").values_list("item", flat=True)),
            [f"Gift {n}" for n in range(120) if n not in numbered],
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT item FROM giftapp_gift ORDER BY ctid")
            return [item for (item,) in cursor.fetchall()]

    def test_gifts_are_laid_out_in_the_files_order(self):
        """Staged (the registry holds a gift), the gifts lie in the table in the file's
        order, ids given or not, whatever order the joins that resolve their leaders and
        visits return them in."""
        self.fresh_gift_table()
        make_gift(id=2000, item="Before")
        self.assertEqual(self.laid_out(), ["Before", *(f"Gift {n}" for n in range(120))])

    def test_gifts_loaded_into_no_gift_are_laid_out_in_the_files_order_unnumbered_last(self):
        """Loaded straight into the gift table, the gifts with an id lie in the file's
        order, then those without one (which take the highest ids). (The load truncates
        the gift table itself: no page freed by earlier tests is left to fill.)"""
        numbered = [*range(8), 60, 90]
        self.assertEqual(
            self.laid_out(),
            [f"Gift {n}" for n in numbered]
            + [f"Gift {n}" for n in range(120) if n not in numbered],
        )

    def test_an_import_while_the_site_serves_sets_nothing_aside(self):
        """Without --offline (the admin's imports never have it) no table is locked to
        the readers of the public site, however large the import."""
        make_regime()
        rows = [row(id=str(n), item=f"Gift {n}", visit=f"visit-{n}") for n in range(1, 41)]
        with (
            mock.patch.object(bulk, "SET_ASIDE_MIN_ROWS", 10),
            mock.patch.object(bulk, "set_aside", wraps=bulk.set_aside) as set_aside,
        ):
            result = run_import(io.BytesIO(csv_bytes(rows)), "registry", file_name="f.csv")
        self.assertTrue(result.written, result.problems)
        self.assertEqual(Gift.objects.count(), 40)
        self.assertTrue(set_aside.call_args_list)
        self.assertEqual({tuple(call.args[0]) for call in set_aside.call_args_list}, {()})

    def test_tables_already_holding_as_many_rows_keep_their_indexes(self):
        make_regime()
        first = [row(id=str(n), item=f"Gift {n}") for n in range(1, 21)]
        second = [row(id=str(n), item=f"Gift {n}") for n in range(21, 31)]
        with mock.patch.object(bulk, "SET_ASIDE_MIN_ROWS", 5):
            run_import(io.BytesIO(csv_bytes(first)), "registry", file_name="a.csv", offline=True)
            with mock.patch.object(bulk, "set_aside", wraps=bulk.set_aside) as set_aside:
                run_import(
                    io.BytesIO(csv_bytes(second)), "registry", file_name="b.csv", offline=True
                )
        # The gifts' call only: the leaders and the source are known by now.
        set_aside.assert_called_once_with([])
        self.assertEqual(Gift.objects.count(), 30)
