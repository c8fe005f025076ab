"""bench/generate_registry.py: a synthetic registry that the site and its rules accept."""

import datetime
import io
import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from bench import run as bench_run
from bench.generate_registry import SHAPES, Command, Generator
from giftapp.models import (
    Gift,
    Leader,
    PublicationStatus,
    SanctionsFlag,
    SanctionsRegime,
    Source,
    Visit,
)
from giftapp.text import fold_all

from .test_facets import assert_kept

N = 300
SEED = 7


def generate(**options):
    out = io.StringIO()
    call_command(Command(), stdout=out, **options)
    return out.getvalue()


def in_memory(gifts, seed, shape="bench"):
    """Every row a generator makes, table by table, without writing anything."""
    generator = Generator(
        gifts,
        seed,
        dict.fromkeys(["leader", "source", "visit", "gift", "flag"], 1),
        {"leader_names": set(), "leader_slugs": set(), "visit_slugs": set()},
        SHAPES[shape],
    )
    generator.setup_flags(
        [
            (1, "KP", datetime.date(2006, 10, 14), "S/RES/1718 (2006)"),
            (2, "RU", datetime.date(2014, 7, 31), "Regulation 833/2014"),
            (3, "IR", datetime.date(1995, 3, 15), "31 CFR 560.204"),
        ]
    )
    generator.make_leaders()
    generator.make_sources()
    rows = {key: [] for key in generator.tables}
    for key, table in generator.tables.items():
        rows[key] += table.rows
        table.rows = []
    for _done in generator.batches(1000):
        for key, table in generator.tables.items():
            rows[key] += table.rows
            table.rows = []
    return generator, rows


def non_latin(text):
    return any(ord(ch) >= 0x400 for ch in text)


class GeneratedRegistryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = generate(gifts=N, seed=SEED)

    @pytest.mark.postgresql("triggers")
    def test_the_facet_aggregates_count_the_generated_gifts(self):
        assert_kept(self)

    def test_it_makes_the_requested_number_of_gifts_and_says_how_long_it_took(self):
        self.assertEqual(Gift.objects.count(), N)
        self.assertIn(f"Generated {N} gifts", self.output)
        self.assertRegex(self.output, r"in \d+\.\d s")
        self.assertGreaterEqual(Leader.objects.count(), 300)
        self.assertGreater(Visit.objects.count(), N // 15)
        self.assertGreaterEqual(Source.objects.count(), 200)
        self.assertEqual(
            set(SanctionsRegime.objects.values_list("code", flat=True)),
            {"UN-SC1718", "EU-RU", "US-OFAC-IR"},
        )

    def test_a_sample_of_records_passes_the_models_validation(self):
        for model in (Gift, Visit, Leader, Source, SanctionsFlag):
            for record in model.objects.order_by("pk")[::25]:
                with self.subTest(model=model.__name__, pk=record.pk):
                    record.full_clean()

    def test_search_text_is_what_saving_the_record_would_store(self):
        for gift in Gift.objects.order_by("pk")[::7]:
            stored = gift.search_text
            gift.refresh_search_text()
            self.assertEqual(stored, gift.search_text)
        for leader in Leader.objects.order_by("pk")[::7]:
            self.assertEqual(leader.search_text, fold_all(*leader.all_names()))
            self.assertEqual(leader.aliases, sorted(set(leader.aliases)))

    def test_every_gift_has_a_source_and_published_ones_name_two_different_countries(self):
        self.assertFalse(Gift.objects.filter(sources=None).exists())
        published = Gift.objects.public()
        self.assertGreater(published.count(), N * 0.75)
        self.assertFalse(published.filter(giver_country="").exists())
        self.assertFalse(published.filter(giver_country=F("recipient_country")).exists())

    def test_flagged_gifts_are_those_with_an_open_public_flag(self):
        expected = set(SanctionsFlag.objects.public_open().values_list("gift_id", flat=True))
        self.assertEqual(
            set(Gift.objects.public().flagged().values_list("pk", flat=True)), expected
        )

    def test_published_gifts_appear_on_the_gift_list(self):
        newest = Gift.objects.public().order_by(F("date").desc(nulls_last=True), "id").first()
        response = self.client.get(reverse("gift_list"))
        self.assertContains(response, reverse("gift_detail", args=[newest.pk]))
        self.assertContains(response, f"{Gift.objects.public().count():,} gifts")

    def test_drafts_are_not_listed(self):
        draft = Gift.objects.filter(publication_status=PublicationStatus.DRAFT).first()
        response = self.client.get(reverse("gift_detail", args=[draft.pk]))
        self.assertEqual(response.status_code, 404)

    def test_search_finds_a_leader_by_an_alias_in_another_script(self):
        gifts = Gift.objects.public().filter(giver__isnull=False).select_related("giver")
        gift, alias = next(
            (gift, alias)
            for gift in gifts.order_by("pk")
            for alias in gift.giver.aliases
            if non_latin(alias)
        )
        response = self.client.get(reverse("gift_list"), {"q": alias})
        self.assertContains(response, reverse("gift_detail", args=[gift.pk]))
        self.assertNotContains(response, "No gifts")

    def test_the_registry_importer_accepts_every_exported_row(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "all.csv"
            call_command("export_gifts", str(path), "--all", stderr=io.StringIO())
            out = io.StringIO()
            call_command("import_gifts", path, format="registry", dry_run=True, stdout=out)
        self.assertNotIn("invalid", out.getvalue().lower())

    def test_it_refuses_a_registry_that_is_not_empty(self):
        with self.assertRaisesMessage(CommandError, "The registry is not empty"):
            generate(gifts=10)
        self.assertEqual(Gift.objects.count(), N)

    def test_append_adds_to_the_registry(self):
        output = generate(gifts=40, seed=SEED, append=True)
        self.assertIn("Generated 40 gifts", output)
        self.assertEqual(Gift.objects.count(), N + 40)
        # The same seed again: new leaders get names of their own.
        slugs = list(Leader.objects.values_list("slug", flat=True))
        self.assertEqual(len(slugs), len(set(slugs)))
        new_gift = Gift.objects.create(
            item="Made after the generator",
            giver_country="FR",
            recipient_country="DE",
            date=datetime.date(2025, 1, 1),
        )
        self.assertEqual(new_gift.pk, Gift.objects.order_by("pk").last().pk)


class GeneratorTests(TestCase):
    def test_the_same_seed_gives_the_same_rows(self):
        _, first = in_memory(N, SEED)
        _, again = in_memory(N, SEED)
        _, other = in_memory(N, SEED + 1)
        self.assertEqual(first, again)
        self.assertNotEqual(first["gift"], other["gift"])

    def test_the_sourced_shape_has_many_sources_and_most_gifts_on_visits(self):
        shapes = {shape: in_memory(20000, SEED, shape)[1] for shape in ("bench", "sourced")}
        for shape, rows in shapes.items():
            with self.subTest(shape=shape):
                self.assertEqual(len(rows["gift"]), 20000)
                # Every source in the pool is made, whether a gift cites it or not.
                self.assertEqual(len(rows["source"]), 400 if shape == "bench" else 12000)
        bench, sourced = shapes["bench"], shapes["sourced"]
        # One visit per 5.6 gifts (178,000 at a million), against one per eight or so.
        self.assertTrue(20000 / 6.2 < len(sourced["visit"]) < 20000 / 5.1, len(sourced["visit"]))
        self.assertTrue(20000 / 9 < len(bench["visit"]) < 20000 / 7, len(bench["visit"]))
        # The gifts cite a few hundred sources between them, against thousands.
        cited = {
            shape: {source for _gift, source in rows["gift_sources"]}
            for shape, rows in shapes.items()
        }
        self.assertLessEqual(len(cited["bench"]), 400)
        self.assertGreater(len(cited["sourced"]), 6000)

    def test_the_registry_has_the_shape_of_a_real_one(self):
        generator, rows = in_memory(4000, SEED)
        gifts = [
            dict(zip(generator.tables["gift"].columns, row, strict=True)) for row in rows["gift"]
        ]
        self.assertEqual(len(gifts), 4000)
        # A few countries receive most gifts.
        top = Counter(g["recipient_country"] for g in gifts).most_common(5)
        self.assertGreater(sum(n for _c, n in top), 4000 * 0.3)
        precisions = Counter(g["date_precision"] for g in gifts)
        self.assertEqual(set(precisions), {"day", "month", "year", "unknown"})
        self.assertGreater(precisions["day"], 4000 * 0.7)
        statuses = Counter(g["publication_status"] for g in gifts)
        self.assertEqual(set(statuses), set(PublicationStatus.values))
        self.assertGreater(len({g["currency"] for g in gifts}), 5)
        self.assertGreater(sum(g["value_usd"] is not None for g in gifts), 4000 * 0.5)
        self.assertTrue(4000 * 0.001 < len(rows["flag"]) < 4000 * 0.012)
        years = {g["date"].year for g in gifts if g["date"]}
        # A gift known to belong to a visit has at least the visit's year.
        self.assertTrue(all(g["date"] for g in gifts if g["visit_id"]))
        self.assertTrue(4000 * 0.005 < precisions["unknown"] < 4000 * 0.05)
        self.assertTrue(min(years) <= 1977 and max(years) >= 2023)
        # Visits hold several gifts each, given both ways.
        self.assertTrue(4000 / 12 < len(rows["visit"]) < 4000 / 5)
        leaders = [
            dict(zip(generator.tables["leader"].columns, r, strict=True)) for r in rows["leader"]
        ]
        scripts = Counter()
        for leader in leaders:
            for name in [leader["native_name"], *json.loads(leader["aliases"])]:
                for block, low, high in (
                    ("cyrillic", 0x400, 0x4FF),
                    ("arabic", 0x600, 0x6FF),
                    ("hangul", 0xAC00, 0xD7A3),
                    ("chinese", 0x4E00, 0x9FFF),
                ):
                    if any(low <= ord(ch) <= high for ch in name):
                        scripts[block] += 1
        self.assertEqual(set(scripts), {"cyrillic", "arabic", "hangul", "chinese"})


class BenchTableTests(SimpleTestCase):
    def test_the_table_says_which_targets_are_met(self):
        bench = bench_run
        table = bench.format_table(
            [
                {
                    "case": "gifts by leader: `/gifts/?leader=a|b`, cold",
                    "p50": 12.34,
                    "p95": 640.0,
                    "queries": [9, 9, 10],
                    "target": "p95 ≤ 600 ms",
                    "met": False,
                },
                {
                    "case": "CSV export, 100,000 rows",
                    "queries": [53],
                    "measured": "120,000 rows/s; 40 MB peak RSS growth",
                    "target": "≥ 100,000 rows/s, ≤ 200 MB",
                    "met": True,
                },
            ]
        )
        lines = table.splitlines()
        self.assertEqual(lines[0], "| case | p50 ms | p95 ms | queries | measured | target | met |")
        self.assertEqual(
            lines[2],
            "| gifts by leader: `/gifts/?leader=a\\|b`, cold | 12.3 | 640.0 | 9–10 |  "
            "| p95 ≤ 600 ms | **no** |",
        )
        self.assertEqual(
            lines[3],
            "| CSV export, 100,000 rows | — | — | 53 | 120,000 rows/s; 40 MB peak RSS growth "
            "| ≥ 100,000 rows/s, ≤ 200 MB | yes |",
        )

    def test_p95_is_the_nearest_rank(self):
        bench = bench_run
        self.assertEqual(bench.percentile(list(range(1, 21)), 0.95), 19)
        self.assertEqual(bench.percentile([5.0], 0.95), 5.0)
