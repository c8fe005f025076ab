"""giftapp/exports/csv_stream.py: the interchange CSV.

A small registry's export is compared with a file written out by hand from
docs/interchange.md, on both databases (HandWrittenExpectationTests). On PostgreSQL the
export (COPY) must also be, byte for byte, what the Python writer (interchange.csv_lines)
writes, for every awkward value a register or an editor can store; on SQLite the Python
writer is the export, and those tests pin what it writes and how it is cut into chunks."""

import contextlib
import csv
import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import QueryDict
from django.test import TestCase, TransactionTestCase

from bench import run as bench_run
from giftapp.exports import csv_stream as export
from giftapp.exports import interchange
from giftapp.filters import GiftFilter
from giftapp.models import DatePrecision, FlagStatus, Gift, PublicationStatus, Source

from .factories import make_flag, make_gift, make_leader, make_regime, make_source, make_visit

D = datetime.date
DRAFT = PublicationStatus.DRAFT

# Texts that break naive CSV writers, spreadsheets or PostgreSQL's COPY.
AWKWARD_TEXTS = [
    "",
    "Plain text",
    "comma, inside",
    'a "quoted" word',
    '"',
    "line\nfeed",
    "carriage\rreturn",
    "CRLF\r\ninside",
    "\r\nCRLF first",
    "\nLF first",
    "ends with CRLF\r\n",
    "=1+2",
    "+33 1 23 45 67 89",
    "-1",
    "@SUM(A1:A9)",
    "\tTab first",
    "\rCR first",
    "'quote first",
    "''two quotes first",
    '=HYPERLINK("https://evil.example.org","click, me")',
    " space first",
    "space last ",
    "\\.",  # alone on a line, PostgreSQL's end-of-data marker
    "back\\slash \\N",
    "Ким Чен Ын",
    "김정은",
    "عبد الفتاح السيسي",
    "习近平",
    "🎁 first",
    "emoji 🎁, then a comma",
    "\u2028line separator\u2029",
    "\x0bvertical tab, form feed\x0c",
    "semi;colon:colon|pipe",
    "NULL",
    "null",
    '100% "sure"; 50%% off',
]

# (date, precision) as registers give them; years before 1000 too.
DATES = [
    (D(2024, 2, 29), DatePrecision.DAY),
    (D(1999, 12, 1), DatePrecision.MONTH),
    (D(1975, 1, 1), DatePrecision.YEAR),
    (None, DatePrecision.UNKNOWN),
    (D(999, 1, 1), DatePrecision.YEAR),
    (D(5, 3, 1), DatePrecision.MONTH),
    (D(1, 1, 1), DatePrecision.DAY),
]

# (value, currency, value_usd)
VALUES = [
    (None, "", None),
    (Decimal("0"), "EUR", Decimal("0")),
    (Decimal("0.01"), "GBP", None),
    # Fifteen digits: SQLite keeps decimals as floats (see LargestValueTests for sixteen).
    (Decimal("9999999999999.99"), "KPW", Decimal("1234567890123.45")),
    (Decimal("1234.5"), "RUB", Decimal("13.1")),
    (None, "", Decimal("100")),
]

QUANTITIES = [None, 1, 2, 2147483647]

STATUSES = [
    PublicationStatus.PUBLISHED,
    PublicationStatus.PUBLISHED,
    PublicationStatus.DRAFT,
    PublicationStatus.IN_REVIEW,
    PublicationStatus.RETRACTED,
]


def python_csv(queryset, public):
    """What the Python writer makes of the queryset: the reference."""
    lines = interchange.csv_lines(interchange.for_export(queryset, public=public), public=public)
    return "".join(lines).encode()


def exported(queryset, public, **kwargs):
    return b"".join(data for _, data in export.csv_chunks(queryset, public=public, **kwargs))


def parse(data):
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


@contextlib.contextmanager
def copy_statements():
    """The list of the COPY statements the exports made meanwhile."""
    statements = []
    real_statement = export.copy_statement

    def copy_statement(*args, **kwargs):
        statements.append(real_statement(*args, **kwargs))
        return statements[-1]

    with mock.patch.object(export, "copy_statement", copy_statement):
        yield statements


def plan_of(copy):
    """EXPLAIN of a COPY statement's query, under the settings of the transaction."""
    select = copy.removeprefix("COPY (").removesuffix(") TO STDOUT (FORMAT csv)")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {select}")
        return "\n".join(row[0] for row in cursor.fetchall())


def build_awkward_registry():
    """A gift for each of AWKWARD_TEXTS, in its every text cell, leader name, visit slug and
    a source URL; across every date precision, kind of value and publication status; with
    awkward regime codes, public and non-public flags, published and draft visits, several
    sources or none, and gifts without leaders."""
    regimes = [
        make_regime(code)
        for code in ["UN-SC1718", "EU-RU", "eu-lower", "=EVIL,CODE", "É-ACCENT", "Z-LAST"]
    ]
    gifts = []
    for n, text in enumerate(AWKWARD_TEXTS):
        date, precision = DATES[n % len(DATES)]
        value, currency, value_usd = VALUES[n % len(VALUES)]
        status = STATUSES[n % len(STATUSES)]
        published = status == PublicationStatus.PUBLISHED
        visit = make_visit(
            title=f"Visit {n}",
            slug=text or f"visit-{n}",
            publication_status=PublicationStatus.PUBLISHED if n % 3 else DRAFT,
        )
        gift = make_gift(
            item=text,
            description=text,
            value_note=text,
            giver_as_reported=text,
            recipient_as_reported=text[::-1],
            notes=text + text,
            giver=make_leader(text, "RU") if n % 4 else None,
            recipient=make_leader(text + " (recipient)", "KP") if n % 5 else None,
            giver_country="RU" if published or n % 2 else "",
            recipient_country="KP" if published or n % 2 else "",
            visit=visit if n % 6 else None,
            date=date,
            date_precision=precision,
            value=value,
            currency=currency,
            value_usd=value_usd,
            quantity=QUANTITIES[n % len(QUANTITIES)],
            category=Gift.Category.values[n % len(Gift.Category.values)],
            disposition=Gift.Disposition.values[n % len(Gift.Disposition.values)],
            publication_status=status,
            retraction_reason="Wrong entry" if status == PublicationStatus.RETRACTED else "",
            sources=[
                make_source(url=url)
                for url in [
                    f"https://example.org/{n}/{text}",
                    "https://B.example.org/upper",
                    "https://a.example.org/lower",
                    "https://é.example.org/accent",
                    "",
                    f"=https://evil.example.org/{n}",
                ][: n % 7]
            ],
        )
        for k in range(n % 4):
            make_flag(
                gift,
                regimes[(n + k) % len(regimes)],
                status=FlagStatus.values[(n * k) % len(FlagStatus.values)],
                publication_status=DRAFT if (n + k) % 3 == 0 else PublicationStatus.PUBLISHED,
            )
        if n % 4 == 3:  # a second claim under the same regime: sorted by status
            make_flag(gift, regimes[n % len(regimes)], status=FlagStatus.CLEARED)
        gifts.append(gift)
    return gifts


class AwkwardValuesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gifts = build_awkward_registry()

    def test_export_is_byte_identical_to_the_python_writer(self):
        querysets = {
            "every gift": Gift.objects.all(),
            "public gifts": Gift.objects.public(),
            "a filter": Gift.objects.filter(quantity__isnull=True),
            "a filter with quotes": Gift.objects.filter(item__contains="'")
            | Gift.objects.filter(notes__contains='% "'),
            "no gift": Gift.objects.none(),
        }
        for name, queryset in querysets.items():
            for public in (True, False):
                with self.subTest(name, public=public):
                    self.assertEqual(exported(queryset, public), python_csv(queryset, public))

    def test_export_matches_the_row_builder_of_single_gifts(self):
        # interchange.gift_row() reads one model instance at a time: a third writer.
        gifts = Gift.objects.order_by("id")
        for public in (True, False):
            with self.subTest(public=public):
                expected = "".join(interchange.csv_lines(gifts, public=public)).encode()
                self.assertEqual(exported(Gift.objects.all(), public), expected)

    def test_every_awkward_text_reads_back_as_itself_made_spreadsheet_safe(self):
        rows = parse(exported(Gift.objects.all(), public=False))
        self.assertEqual(tuple(rows[0]), interchange.HEADER)
        records = [dict(zip(interchange.HEADER, row, strict=True)) for row in rows[1:]]
        self.assertEqual([int(r["id"]) for r in records], [g.pk for g in self.gifts])
        for text, record in zip(AWKWARD_TEXTS, records, strict=True):
            safe = interchange.spreadsheet_safe(text)
            with self.subTest(text=text):
                self.assertEqual(record["item"], safe)
                self.assertEqual(record["description"], safe)
                self.assertEqual(record["giver_as_reported"], safe)
                self.assertEqual(
                    record["recipient_as_reported"], interchange.spreadsheet_safe(text[::-1])
                )
                self.assertEqual(record["notes"], interchange.spreadsheet_safe(text + text))

    def test_cells_are_formatted_as_the_interchange_format_says(self):
        records = {
            int(row[0]): dict(zip(interchange.HEADER, row, strict=True))
            for row in parse(exported(Gift.objects.all(), public=False))[1:]
        }
        first, second, third, fourth, fifth, sixth, seventh = (
            records[gift.pk] for gift in self.gifts[:7]
        )
        self.assertEqual(
            [r["date"] for r in (first, second, third, fourth, fifth, sixth, seventh)],
            ["2024-02-29", "1999-12", "1975", "", "999", "5-03", "0001-01-01"],
        )
        self.assertEqual(
            [(r["value"], r["currency"], r["value_usd"]) for r in (first, second, fourth, sixth)],
            [
                ("", "", ""),
                ("0.00", "EUR", "0.00"),
                ("9999999999999.99", "KPW", "1234567890123.45"),
                ("", "", "100.00"),
            ],
        )
        self.assertEqual([r["quantity"] for r in (first, second, fourth)], ["", "1", "2147483647"])
        self.assertEqual((first["giver"], first["recipient"]), ("", ""))
        self.assertEqual(second["giver"], AWKWARD_TEXTS[1])
        # Sorted by code point: "=" before upper case before lower case before "é".
        self.assertEqual(
            seventh["sources"],
            "'=https://evil.example.org/6 https://B.example.org/upper "
            "https://a.example.org/lower https://example.org/6/carriage\rreturn "
            "https://é.example.org/accent",
        )

    def test_public_export_lists_public_flags_and_published_visits_only(self):
        everything = {int(row[0]): row for row in parse(exported(Gift.objects.all(), False))[1:]}
        public = {int(row[0]): row for row in parse(exported(Gift.objects.all(), True))[1:]}
        sanctions, visit = interchange.HEADER.index("sanctions"), interchange.HEADER.index("visit")
        for gift in self.gifts:
            flags = sorted(
                (flag.regime.code, flag.status)
                for flag in gift.flags.select_related("regime")
                if gift.is_public and flag.is_public
            )
            with self.subTest(gift=gift.pk):
                self.assertEqual(
                    public[gift.pk][sanctions],
                    interchange.spreadsheet_safe(";".join(f"{c}:{s}" for c, s in flags)),
                )
                shown = gift.visit is not None and gift.visit.is_public
                self.assertEqual(
                    public[gift.pk][visit], everything[gift.pk][visit] if shown else ""
                )
        self.assertTrue(any(row[sanctions] for row in public.values()))
        self.assertNotEqual(
            [row[sanctions] for row in public.values()],
            [row[sanctions] for row in everything.values()],
        )

    def test_chunks_hold_whole_rows_and_say_how_many(self):
        whole = exported(Gift.objects.all(), public=False)
        for rows_per_chunk in (1, 2, 7, 1000):
            with self.subTest(rows_per_chunk=rows_per_chunk):
                chunks = list(
                    export.csv_chunks(
                        Gift.objects.all(), public=False, rows_per_chunk=rows_per_chunk
                    )
                )
                self.assertEqual(chunks[0], (0, whole[: whole.index(b"\r\n") + 2]))
                self.assertEqual(b"".join(data for _, data in chunks), whole)
                for rows, data in chunks[1:]:
                    self.assertEqual(len(parse(data)), rows)
                    self.assertLessEqual(rows, rows_per_chunk)
                    self.assertTrue(data.endswith(b"\r\n"))
                self.assertEqual(sum(rows for rows, _ in chunks), len(self.gifts))

    def test_the_list_export_writes_the_filtered_set_as_the_python_writer_does(self):
        for params in [
            {},
            {"q": "Ким"},
            {"q": 'a "quoted", 50% \\ _'},
            {"category": "artwork"},
            {"flagged": "yes"},
        ]:
            with self.subTest(params=params):
                response = self.client.get("/gifts/", params | {"format": "csv"})
                self.assertEqual(response.status_code, 200)
                data = QueryDict(mutable=True)
                data.update(params)
                filterset = GiftFilter(data, queryset=Gift.objects.public())
                self.assertTrue(filterset.is_valid())
                self.assertEqual(
                    b"".join(response.streaming_content), python_csv(filterset.qs, public=True)
                )

    def test_export_gifts_writes_the_python_writers_bytes_and_counts_the_gifts(self):
        for args, public, queryset in [
            ((), True, Gift.objects.public()),
            (("--all",), False, Gift.objects.all()),
        ]:
            with self.subTest(args=args), tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "gifts.csv"
                stderr = io.StringIO()
                call_command("export_gifts", str(path), *args, stderr=stderr)
                self.assertEqual(path.read_bytes(), python_csv(queryset, public))
                self.assertIn(f"Wrote {queryset.count()} gifts to {path}.", stderr.getvalue())

    def test_export_gifts_to_standard_output(self):
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
        with mock.patch("sys.stdout", stdout):
            call_command("export_gifts", "-", "--all")
        self.assertEqual(stdout.buffer.getvalue(), python_csv(Gift.objects.all(), public=False))


@pytest.mark.postgresql("copy")
class LargestValueTests(TestCase):
    def test_the_largest_value_keeps_every_digit(self):
        make_gift(value=Decimal("99999999999999.99"), currency="USD", value_usd=Decimal("0.01"))
        data = exported(Gift.objects.all(), public=True)
        self.assertEqual(data, python_csv(Gift.objects.all(), public=True))
        self.assertIn(b",99999999999999.99,USD,0.01,", data)


@pytest.mark.postgresql("copy")
class ParallelPlanTests(TestCase):
    """Parallel workers read, join and sort the gifts and their sources: the rows still
    come out in id order, each whole, the bytes of the Python writer."""

    @classmethod
    def setUpTestData(cls):
        build_awkward_registry()

    def test_a_parallel_plan_writes_the_python_writers_bytes(self):
        with connection.cursor() as cursor:  # a small registry planned as a large one
            cursor.execute(
                "SET LOCAL parallel_setup_cost = 0; SET LOCAL min_parallel_table_scan_size = 0;"
                "SET LOCAL min_parallel_index_scan_size = 0"
            )
        querysets = {
            "public gifts": Gift.objects.public(),
            "a filter": Gift.objects.public().filter(item__contains="a"),
        }
        for name, queryset in querysets.items():
            with self.subTest(name), copy_statements() as statements:
                self.assertEqual(exported(queryset, True), python_csv(queryset, True))
                # The export's own settings hold until the test's transaction ends.
                self.assertIn("Workers Planned", plan_of(statements[0]))


@pytest.mark.postgresql("copy")
class AbandonedExportTests(TransactionTestCase):
    """A client that goes away mid-download: the COPY is cancelled, the connection lives on.
    (Outside a test transaction, as a streamed response runs.)"""

    def test_closing_an_export_early_cancels_it_and_keeps_the_connection_usable(self):
        source = make_source()
        Gift.objects.bulk_create(
            Gift(
                item=f"Vase {n}",
                description="A vase, " * 30,
                date=D(2024, 6, 19),
                giver_country="FR",
                recipient_country="DE",
                publication_status=PublicationStatus.PUBLISHED,
            )
            for n in range(20_000)
        )
        Gift.sources.through.objects.bulk_create(
            Gift.sources.through(gift_id=pk, source_id=source.pk)
            for pk in Gift.objects.values_list("pk", flat=True)
        )
        chunks = export.csv_chunks(Gift.objects.all(), rows_per_chunk=100)
        received = sum(rows for rows, _ in [next(chunks), next(chunks), next(chunks)])
        chunks.close()
        self.assertEqual(received, 200)
        self.assertEqual(Gift.objects.count(), 20_000)
        self.assertEqual(connection.connection.info.transaction_status, 0)  # idle


@pytest.mark.postgresql("copy")
class SnapshotTests(TransactionTestCase):
    """The export reads the matching ids, then their rows, in two statements: both from
    one snapshot. (Outside a test transaction, as a streamed response runs.)"""

    def test_a_gift_edited_between_the_ids_and_the_rows_is_exported_as_it_matched(self):
        make_gift(item="Vase", recipient_country="US")
        edited = make_gift(item="Tea set", recipient_country="US")
        select_ids = export.selected_ids

        def select_ids_then_unpublish(*args, **kwargs):
            condition = select_ids(*args, **kwargs)
            editor = connections.create_connection(DEFAULT_DB_ALIAS)  # commits at once
            try:
                with editor.cursor() as cursor:
                    cursor.execute(
                        "UPDATE giftapp_gift SET item = %s, publication_status = %s WHERE id = %s",
                        ["Draft wording", DRAFT, edited.pk],
                    )
            finally:
                editor.close()
            return condition

        # The ids written into the statement, then (more than INLINE_IDS) into a table.
        for inline in (export.INLINE_IDS, 1):
            Gift.objects.filter(pk=edited.pk).update(
                item="Tea set", publication_status=PublicationStatus.PUBLISHED
            )
            with (
                self.subTest(inline=inline),
                mock.patch.object(export, "selected_ids", select_ids_then_unpublish),
                mock.patch.object(export, "INLINE_IDS", inline),
            ):
                data = exported(Gift.objects.public(), public=True)
                self.assertEqual(Gift.objects.get(pk=edited.pk).item, "Draft wording")
                self.assertEqual(data.count(b"\r\n"), 3)
                self.assertIn(b",Tea set,", data)
                self.assertNotIn(b"Draft wording", data)


class HandWrittenExpectationTests(TestCase):
    """The export of a small registry against the bytes docs/interchange.md prescribes,
    written out by hand here: on PostgreSQL (COPY) and on SQLite (the csv module) alike."""

    EXPECTED = (
        "id,date,giver,giver_country,recipient,recipient_country,visit,item,description,"
        "category,quantity,value,currency,value_usd,value_note,disposition,sanctions,sources,"
        "giver_as_reported,recipient_as_reported,notes,publication_status\r\n"
        "7,2024-06-19,Vladimir Putin,RU,Kim Jong Un,KP,pyongyang-2024,Aurus Senat limousine,"
        '"A car, ""armoured""\nwith two lines",vehicle,1,1500.00,USD,1500.00,,retained,'
        "UN-SC1718:alleged,https://a.example.org/1 https://b.example.org/2,,,'=1+1,published\r\n"
        "8,2024-06,,RU,,KP,,Tea set,,tableware,,,,,undisclosed,unknown,,"
        "https://a.example.org/1,The President of Russia,'-the leader,,published\r\n"
        "9,,,SU,,DD,,Vase,,artwork,2,12.50,SUR,,,museum,,https://a.example.org/1,,,,published\r\n"
    )

    @classmethod
    def setUpTestData(cls):
        regime = make_regime()
        other = make_regime(code="EU-RU", name="EU sanctions on Russia", target_country="RU")
        putin = make_leader("Vladimir Putin", "RU")
        kim = make_leader("Kim Jong Un", "KP")
        first = make_source(url="https://a.example.org/1")
        second = make_source(url="https://b.example.org/2")
        visit = make_visit(title="Pyongyang 2024", slug="pyongyang-2024", host_country="KP")
        draft_visit = make_visit(slug="draft-visit", publication_status=DRAFT)
        car = make_gift(
            pk=7,
            sources=[second, first],
            giver=putin,
            recipient=kim,
            giver_country="RU",
            recipient_country="KP",
            visit=visit,
            item="Aurus Senat limousine",
            description='A car, "armoured"\nwith two lines',
            category="vehicle",
            quantity=1,
            value=Decimal("1500"),
            currency="USD",
            value_usd=Decimal("1500"),
            disposition="retained",
            notes="=1+1",
        )
        make_flag(car, regime)
        make_flag(car, other, publication_status=DRAFT)  # not public: not exported
        make_gift(
            pk=8,
            sources=[first],
            giver_country="RU",
            recipient_country="KP",
            visit=draft_visit,  # not published: its slug is left out
            item="Tea set",
            category="tableware",
            date=D(2024, 6, 1),
            date_precision=DatePrecision.MONTH,
            value_note="undisclosed",
            giver_as_reported="The President of Russia",
            recipient_as_reported="-the leader",
        )
        make_gift(
            pk=9,
            sources=[first],
            giver_country="SU",
            recipient_country="DD",
            item="Vase",
            category="artwork",
            quantity=2,
            date=None,
            date_precision=DatePrecision.UNKNOWN,
            value=Decimal("12.5"),
            currency="SUR",
            disposition="museum",
        )
        make_gift(pk=10, sources=[first], item="A draft", publication_status=DRAFT)

    def test_the_public_export_is_the_hand_written_file(self):
        self.assertEqual(exported(Gift.objects.public(), public=True).decode(), self.EXPECTED)

    def test_the_list_export_is_the_hand_written_file(self):
        response = self.client.get("/gifts/?format=csv")
        self.assertEqual(b"".join(response.streaming_content).decode(), self.EXPECTED)


@pytest.mark.postgresql("statistics")
class StaleStatisticsTests(TestCase):
    """The export's plan does not rest on the tables' statistics: with statistics gathered
    while the registry was nearly empty, a filter matching thousands of gifts still reads
    each source once, not once per gift (no subplan run per row)."""

    def test_an_export_straight_after_a_bulk_write_plans_on_what_it_reads(self):
        make_gift(recipient_country="DE", sources=[make_source()])
        with connection.cursor() as cursor:  # statistics of a nearly empty registry
            for table in ("giftapp_gift", "giftapp_gift_sources", "giftapp_source"):
                cursor.execute(f"ANALYZE {table}")
        sources = Source.objects.bulk_create(
            Source(url=f"https://news.example.org/{n}", title=f"Story {n}") for n in range(3000)
        )
        gifts = Gift.objects.bulk_create(
            Gift(item=f"Vase {n}", date=D(2024, 6, 19), giver_country="KP",
                 recipient_country="US", publication_status=PublicationStatus.PUBLISHED)
            for n in range(3000)
        )  # fmt: skip
        Gift.sources.through.objects.bulk_create(
            Gift.sources.through(gift_id=gift.pk, source_id=source.pk)
            for gift, source in zip(gifts, sources, strict=True)
        )
        filtered = GiftFilter(QueryDict("recipient_country=US")).qs
        # The ids written into the statement, then (more than INLINE_IDS) read from a table.
        for inline, how in ((3000, "= ANY ('{"), (2999, "Seq Scan on export_gift_ids")):
            with (
                self.subTest(inline=inline),
                copy_statements() as statements,
                mock.patch.object(export, "INLINE_IDS", inline),
            ):
                data = exported(filtered, public=True)
                self.assertEqual(data.count(b"\r\n"), 3001)
                plan = plan_of(statements[0])  # the ids table lives until the test's end
                self.assertIn(how, plan)
                # The only subplans are the index lookups of a gift with more than two
                # sources: none reads a whole table once per gift.
                per_row = plan.partition("SubPlan")[2]
                self.assertNotIn("Seq Scan", per_row, plan)

    def test_with_every_statistic_forgotten_the_export_is_whole_and_plans_the_same(self):
        """What bench/run.py measures straight after its import: the statistics on the
        tables an import writes deleted, the filtered export gives every gift."""
        for n in range(30):
            make_gift(item=f"Vase {n}", recipient_country="US", sources=[make_source()])
        make_gift(item="Elsewhere", recipient_country="DE")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE giftapp_gift")
        bench_run.make_statistics_stale()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_statistic WHERE starelid = 'giftapp_gift'::regclass"
            )
            self.assertEqual(cursor.fetchone()[0], 0)
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'giftapp_gift'::regclass")
            self.assertEqual(cursor.fetchone()[0], -1)
        rows, _seconds, queries = bench_run.stream_csv(bench_run.filtered_export_path())
        self.assertEqual(rows, 30)
        self.assertLessEqual(queries, 8)
