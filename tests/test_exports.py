"""Exports of the gift list: ?format=csv (the interchange CSV) and ?format=json."""

import csv
import io
import json
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from giftapp.exports import interchange
from giftapp.models import Gift, SanctionsFlag
from tests.factories import make_flag, make_gift, make_leader, make_regime, make_source
from tests.test_gift_list import build_registry

HEADER_LINE = (
    "id,date,giver,giver_country,recipient,recipient_country,visit,item,description,category,"
    "quantity,value,currency,value_usd,value_note,disposition,sanctions,sources,"
    "giver_as_reported,recipient_as_reported,notes,publication_status"
)


def body(response):
    return b"".join(response.streaming_content)


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = build_registry()
        cls.r.car.sources.set(
            [
                make_source(url="https://news.example.org/z-story"),
                make_source(url="https://archive.example.org/a-story"),
                make_source(url=""),
            ]
        )
        cls.r.formula = make_gift(
            item="@Poisoned cell",
            description='=HYPERLINK("https://evil.example.org","click me")',
            notes='He said "thanks", then left,\nsmiling.',
            giver_country="US",
            recipient_country="GB",
            giver_as_reported="-1+1",
            recipient_as_reported="'quoted",
        )

    def csv_rows(self, query=""):
        response = self.client.get("/gifts/?format=csv" + query)
        self.assertEqual(response.status_code, 200)
        return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"), newline="")))

    def test_csv_is_streamed_as_an_attachment_named_after_the_filter_and_date(self):
        response = self.client.get("/gifts/?recipient_country=kp&format=csv")
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        today = timezone.localdate().isoformat()
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="gifts-recipient_country-KP-{today}.csv"',
        )

    def test_filename_keeps_only_safe_characters(self):
        response = self.client.get('/gifts/?format=json&q=Kim "Jong-un"/../élysée&category=book')
        today = timezone.localdate().isoformat()
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="gifts-q-Kim_Jong-un_.._elysee-category-book-{today}.json"',
        )

    def test_csv_has_the_exact_header_crlf_line_ends_and_no_bom(self):
        data = body(self.client.get("/gifts/?format=csv"))
        self.assertFalse(data.startswith(b"\xef\xbb\xbf"))
        self.assertTrue(data.startswith(HEADER_LINE.encode() + b"\r\n"))
        self.assertEqual(tuple(HEADER_LINE.split(",")), interchange.HEADER)
        records = data.split(b"\r\n")
        self.assertEqual(records[-1], b"")
        # The one bare newline is inside the quoted notes cell.
        self.assertEqual(data.count(b"\n"), data.count(b"\r\n") + 1)

    def test_csv_is_the_filtered_set_in_id_order_across_all_pages(self):
        rows = self.csv_rows("&recipient_country=KP&sort=-date&page=abc")
        self.assertEqual([row["id"] for row in rows], [str(self.r.car.pk), str(self.r.tea.pk)])
        rows = self.csv_rows()
        public = sorted(g.pk for g in [*self.r.public, self.r.formula])
        self.assertEqual([int(row["id"]) for row in rows], public)

    def test_unpublished_gifts_never_appear_in_exports(self):
        csv_text = body(self.client.get("/gifts/?format=csv")).decode()
        json_text = body(self.client.get("/gifts/?format=json")).decode()
        for text in (csv_text, json_text):
            self.assertNotIn("Hidden", text)
            self.assertNotIn("confirmed", text)

    def test_csv_cells_follow_the_interchange_format(self):
        rows = {row["item"]: row for row in self.csv_rows()}
        car, tea = rows["Aurus Senat limousine"], rows["Tea set"]
        self.assertEqual(car["date"], "2024-06-19")
        self.assertEqual(tea["date"], "2024-06")
        self.assertEqual(rows["Busts of Putin"]["date"], "2024")
        self.assertEqual(rows["Photograph album"]["date"], "")
        self.assertEqual(car["value"], "500000.00")
        self.assertEqual(car["value_usd"], "500000.00")
        self.assertEqual(rows["Photograph album"]["value"], "100.00")
        self.assertEqual(rows["Photograph album"]["currency"], "EUR")
        self.assertEqual(rows["Busts of Putin"]["value"], "")
        self.assertEqual(rows["Busts of Putin"]["value_note"], "undisclosed")
        self.assertEqual(car["giver"], "Vladimir Putin")
        self.assertEqual(car["recipient_country"], "KP")
        self.assertEqual(rows["Photograph album"]["recipient"], "")
        self.assertEqual(rows["Photograph album"]["recipient_as_reported"], "The German delegation")
        self.assertEqual(car["quantity"], "")
        self.assertEqual(car["category"], "vehicle")
        self.assertEqual(car["disposition"], "unknown")
        self.assertEqual(car["publication_status"], "published")

    def test_visit_slug_only_for_a_published_visit(self):
        rows = {row["item"]: row for row in self.csv_rows()}
        self.assertEqual(rows["Aurus Senat limousine"]["visit"], self.r.visit.slug)
        self.assertEqual(rows["Tea set"]["visit"], "")

    def test_sanctions_list_public_flags_by_regime_then_status(self):
        rows = {row["item"]: row for row in self.csv_rows()}
        self.assertEqual(rows["Silk carpet"]["sanctions"], "EU-DPRK:cleared;UN-SC1718:possible")
        self.assertEqual(rows["Aurus Senat limousine"]["sanctions"], "UN-SC1718:alleged")
        self.assertEqual(rows["Busts of Putin"]["sanctions"], "")  # a draft flag

    def test_sources_are_sorted_urls_separated_by_spaces(self):
        rows = {row["item"]: row for row in self.csv_rows()}
        urls = rows["Aurus Senat limousine"]["sources"].split(" ")
        self.assertEqual(urls, sorted(urls))
        self.assertEqual(urls[0], "https://archive.example.org/a-story")
        self.assertEqual(len(urls), 2)

    def test_cells_that_a_spreadsheet_would_run_are_prefixed_with_a_quote(self):
        row = next(r for r in self.csv_rows() if r["id"] == str(self.r.formula.pk))
        self.assertEqual(row["description"], '\'=HYPERLINK("https://evil.example.org","click me")')
        self.assertEqual(row["item"], "'@Poisoned cell")
        self.assertEqual(row["giver_as_reported"], "'-1+1")
        self.assertEqual(row["recipient_as_reported"], "''quoted")
        # RFC 4180 quoting keeps commas, quotes and line breaks intact.
        self.assertEqual(row["notes"], 'He said "thanks", then left,\nsmiling.')

    def test_spreadsheet_safe_prefixes_every_trigger(self):
        for text in ("=1", "+1", "-1", "@a", "\tx", "\rx", "'x"):
            with self.subTest(text=text):
                self.assertEqual(interchange.spreadsheet_safe(text), "'" + text)
        self.assertEqual(interchange.spreadsheet_safe("Tea set"), "Tea set")
        self.assertEqual(interchange.spreadsheet_safe(""), "")

    def test_json_is_an_array_of_the_filtered_gifts_with_typed_fields(self):
        response = self.client.get("/gifts/?format=json&country=KP")
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        records = json.loads(body(response))
        self.assertEqual(
            [r["id"] for r in records], sorted([self.r.car.pk, self.r.tea.pk, self.r.busts.pk])
        )
        car = next(r for r in records if r["id"] == self.r.car.pk)
        self.assertEqual(list(car)[: len(interchange.HEADER)], list(interchange.HEADER))
        self.assertEqual(car["url"], f"http://testserver/gifts/{self.r.car.pk}/")
        self.assertEqual(car["value"], "500000.00")
        self.assertEqual(car["quantity"], None)
        self.assertEqual(car["sanctions"], [{"regime": "UN-SC1718", "status": "alleged"}])
        self.assertEqual(car["sources"], sorted(car["sources"]))
        tea = next(r for r in records if r["id"] == self.r.tea.pk)
        self.assertEqual((tea["date"], tea["visit"]), ("2024-06", ""))
        busts = next(r for r in records if r["id"] == self.r.busts.pk)
        self.assertEqual((busts["value"], busts["sanctions"]), (None, []))

    def test_json_of_an_empty_result_is_an_empty_array(self):
        response = self.client.get("/gifts/?format=json&country=KP&category=book")
        self.assertEqual(json.loads(body(response)), [])

    def test_bad_filter_value_on_an_export_is_a_400_naming_the_parameter(self):
        for query, parameter in [
            ("date_from=2024-13-45", "date_from"),
            ("value_min=abc", "value_min"),
            ("giver_country=ZZ", "giver_country"),
            ("country=KP&country=RU", "country"),
            ("q=" + "x" * 10_000, "q"),
            ("sort=bogus", "sort"),
        ]:
            for export_format in ("csv", "json"):
                with self.subTest(query=query[:30], format=export_format):
                    response = self.client.get(f"/gifts/?format={export_format}&{query}")
                    self.assertEqual(response.status_code, 400)
                    self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
                    self.assertIn(f"\n{parameter}: ", response.content.decode())

    def test_unknown_or_repeated_format_is_a_400(self):
        for query in ("format=xlsx", "format=csv&format=json"):
            with self.subTest(query=query):
                response = self.client.get("/gifts/?" + query)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "use format=csv or format=json", status_code=400)

    def test_export_queries_do_not_grow_with_rows(self):
        def count(url):
            with CaptureQueriesContext(connection) as queries:
                body(self.client.get(url))
            return len(queries)

        before = count("/gifts/?format=csv"), count("/gifts/?format=json&regime=UN-SC1718")
        regime = SanctionsFlag.objects.first().regime
        for _ in range(25):
            gift = make_gift(
                giver=make_leader(country="RU"),
                recipient=make_leader(country="KP"),
                giver_country="RU",
                recipient_country="KP",
                sources=[make_source()],
            )
            make_flag(gift, regime)
        after = count("/gifts/?format=csv"), count("/gifts/?format=json&regime=UN-SC1718")
        self.assertEqual(before, after)
        # CSV on PostgreSQL: the settings, the ids as one array and one COPY; elsewhere the
        # gifts, their sources and their public flags. JSON: those three (and the regime
        # codes to check).
        csv_queries = 3
        self.assertEqual(before, (csv_queries, 4))
        with self.assertNumQueries(csv_queries):
            body(self.client.get("/gifts/?format=csv&country=KP"))


class InterchangeRowTests(TestCase):
    """The row builders that the public export and `export_gifts --all` share."""

    @classmethod
    def setUpTestData(cls):
        cls.r = build_registry()

    def test_public_row_lists_public_flags_only_and_hides_a_draft_visit(self):
        row = dict(zip(interchange.HEADER, interchange.gift_row(self.r.busts), strict=True))
        self.assertEqual(row["sanctions"], "")
        row = dict(zip(interchange.HEADER, interchange.gift_row(self.r.tea), strict=True))
        self.assertEqual(row["visit"], "")

    def test_full_row_lists_every_flag_and_the_visit(self):
        row = dict(
            zip(interchange.HEADER, interchange.gift_row(self.r.busts, public=False), strict=True)
        )
        self.assertEqual(row["sanctions"], "UN-SC1718:possible")
        row = dict(
            zip(interchange.HEADER, interchange.gift_row(self.r.tea, public=False), strict=True)
        )
        self.assertEqual(row["visit"], self.r.draft_visit.slug)
        row = dict(
            zip(interchange.HEADER, interchange.gift_row(self.r.draft, public=False), strict=True)
        )
        self.assertEqual(
            (row["sanctions"], row["publication_status"]), ("UN-SC1718:confirmed", "draft")
        )

    def test_csv_lines_of_every_record_reuse_the_same_rows(self):
        gifts = interchange.for_export(Gift.objects.all(), public=False)
        lines = list(interchange.csv_lines(gifts, public=False))
        self.assertEqual(lines[0], interchange_header_line())
        self.assertEqual(len(lines), 1 + Gift.objects.count())
        self.assertTrue(all(line.endswith("\r\n") for line in lines))
        self.assertIn("Hidden draft limousine", "".join(lines))

    def test_format_helpers(self):
        self.assertEqual(interchange.format_decimal(Decimal("1500")), "1500.00")
        self.assertEqual(interchange.format_decimal(Decimal("0.5")), "0.50")
        self.assertEqual(interchange.format_decimal(None), "")


def interchange_header_line():
    return HEADER_LINE + "\r\n"


class NoRegimeExportTests(TestCase):
    def test_export_of_an_empty_registry_is_just_the_header(self):
        make_regime()
        response = self.client.get("/gifts/?format=csv")
        self.assertEqual(body(response), (HEADER_LINE + "\r\n").encode())


class ChunkedExportTests(TestCase):
    def test_for_export_reads_every_gift_once_in_id_order_across_chunks(self):
        gifts = [make_gift(item=f"Vase {n}") for n in range(7)]
        for chunk_size in (1, 3, 7, 50):
            with self.subTest(chunk_size=chunk_size):
                records = list(
                    interchange.for_export(Gift.objects.all(), public=False, chunk_size=chunk_size)
                )
                self.assertEqual([r["id"] for r in records], [g.pk for g in gifts])
                self.assertEqual(records[0]["item"], "Vase 0")
