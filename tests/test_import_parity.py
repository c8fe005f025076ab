"""Every writer of an import gives the same registry from the same file.

An import validates its rows once, in Python, then writes them through the ORM (SQLite,
and PostgreSQL when asked) or with COPY and set-based SQL (PostgreSQL); an offline
registry file into a registry without a gift is COPYed straight into the gift table.
Here the same files go through each on PostgreSQL — slices of the real US and UK
registers, and registry files of edge cases — and every gift field, leader, visit,
source, flag and history row must come out the same.
"""

import io
import re
from collections import Counter

import pytest
from django.db import transaction
from django.test import TestCase

from giftapp.importers.pipeline import run_import
from giftapp.models import Gift, Leader, RegisterEntry, SanctionsFlag, Source, Visit

from .factories import make_leader, make_regime, make_user
from .registers import SLICES, register_bytes
from .test_import_registry_bulk import HOSTILE_FILE
from .test_import_registry_csv import csv_bytes, row
from .test_import_rules import FILE_RULE_ROWS

# What differs between two imports of one file whatever the writer: ids, clocks, batches.
VOLATILE = re.compile(r"(^id$|_id$|_at$|^history_date$|^history_id$|^import_batch)")

EDGE_CASES = [
    row(id="101", visit="pyongyang-2024", description="Two\r\nlines, a \\ and a\ttab"),
    row(id="102", visit="pyongyang-2024", date="2024-06", item="Month only"),
    row(id="103", date="", visit="", item="No date"),
    row(
        id="104",
        giver="Kim Jong-un",
        giver_country="KP",
        recipient="Vladimir Putin",
        recipient_country="RU",
        item="By an alias",
    ),
    row(id="105", value="1500.00", currency="EUR", value_usd="1620.50", value_note="est."),
    row(id="106", sanctions="UN-SC1718:alleged", item="Flagged"),
    row(id="107", publication_status="published", item="Published"),
    row(id="108", publication_status="retracted", item="Retracted"),
    row(id="", item="No id", notes="'=1+1"),
    row(id="109", giver="", recipient="", giver_as_reported="A delegation", item="No leaders"),
    row(id="110", sources="https://a.example.org/x https://b.example.org/y", quantity=""),
    row(id="111", giver_country="SU", recipient_country="DD", date="1985", item="Historical"),
]


def plain(instance):
    """A record's fields that do not depend on when or in what order it was written."""
    values = {}
    for field in instance._meta.concrete_fields:
        if VOLATILE.search(field.attname):
            continue
        values[field.attname] = getattr(instance, field.attname)
    return values


def registry():
    """The whole registry, keyed by what names each record rather than by its id."""
    leaders = {leader.pk: leader.slug for leader in Leader.objects.all()}
    visits = {visit.pk: visit.slug for visit in Visit.objects.all()}
    gifts = []
    for gift in Gift.objects.prefetch_related("sources", "flags__regime"):
        gifts.append(
            plain(gift)
            | {
                "giver": leaders.get(gift.giver_id),
                "recipient": leaders.get(gift.recipient_id),
                "visit": visits.get(gift.visit_id),
                # The clocks differ; whether they were set does not.
                "stamped": (gift.published_at is not None, gift.retracted_at is not None),
                "sources": sorted(source.url for source in gift.sources.all()),
                "flags": sorted(
                    (flag.regime.code, flag.status, flag.publication_status)
                    for flag in gift.flags.all()
                ),
            }
        )
    history = {
        model.__name__: Counter(
            (
                entry.history_type,
                re.sub(r"#\d+", "#", entry.history_change_reason or ""),
                entry.history_user_id,
            )
            for entry in model.history.all()
        )
        for model in (Gift, Leader, Visit, Source, SanctionsFlag)
    }
    gift_keys = dict(Gift.objects.values_list("pk", "import_key"))
    entries = sorted(
        (e.register, e.row, e.record, e.line, e.entry, e.status, e.reason, repr(e.cells))
        + (gift_keys.get(e.gift_id), e.source_url, e.source_note)
        for e in RegisterEntry.objects.all()
    )
    return {
        "entries": entries,
        "gifts": sorted(gifts, key=repr),
        "leaders": sorted(repr(plain(leader)) for leader in Leader.objects.all()),
        "visits": sorted(repr(plain(visit)) for visit in Visit.objects.all()),
        "sources": sorted(repr(plain(source)) for source in Source.objects.all()),
        "history": history,
    }


def nonzero(counts):
    """The counts without zeros: a writer may count what it found none of."""
    return {key: n for key, n in counts.items() if n}


class Rollback(Exception):
    pass


@pytest.mark.postgresql("copy")
class WriterParityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_regime()
        make_leader("Kim Jong Un", "KP", aliases=["Kim Jong-un"])
        cls.reviewer = make_user("reviewer", "reviewer")

    def imported(self, data, format, *, copy, **options):
        """The report and the registry after importing data with one writer; the
        import is rolled back afterwards."""
        try:
            with transaction.atomic():
                result = run_import(
                    io.BytesIO(data), format, file_name="f.csv", copy=copy, **options
                )
                outcome = (
                    # The set-based checks find their problems after the others.
                    sorted((p.line, p.column, p.value, p.reason) for p in result.problems),
                    {
                        entity: nonzero(counts)
                        for entity, counts in result.counts.items()
                        if any(counts.values())
                    },
                    nonzero(result.row_outcomes),
                    nonzero(result.skipped),
                    result.written,
                    registry(),
                )
                raise Rollback
        except Rollback:
            return outcome

    def assertSameEveryWay(self, data, format, **options):
        """The ORM's registry, the staged writer's, and for a registry file the load's
        straight into the gift table (an offline import into a registry without a gift,
        registry_load.py), all the same."""
        orm = self.imported(data, format, copy=False, **options)
        self.assertTrue(orm[4], "the file wrote nothing")
        writers = {"staged": {}}
        if format == "registry":
            writers["loaded"] = {"offline": True}
        for writer, more in writers.items():
            written = self.imported(data, format, copy=True, **options, **more)
            for part, name in enumerate(["problems", "counts", "rows", "skipped", "written"]):
                self.assertEqual(orm[part], written[part], f"{writer}: {name}")
            for name, records in orm[5].items():
                self.assertEqual(records, written[5][name], f"{writer}: {name}")
        return orm

    def test_the_us_register_slice_is_written_alike(self):
        data = (SLICES / "us-federal-register-slice.csv").read_bytes()
        outcome = self.assertSameEveryWay(data, "us-federal-register", skip_invalid=True)
        self.assertGreater(len(outcome[5]["gifts"]), 100)

    def test_the_uk_register_slice_is_written_alike(self):
        data = (SLICES / "uk-ministers-slice.csv").read_bytes()
        outcome = self.assertSameEveryWay(data, "uk-ministers", skip_invalid=True)
        self.assertGreater(len(outcome[5]["gifts"]), 50)

    def test_a_registry_file_of_edge_cases_is_written_alike(self):
        data = csv_bytes(EDGE_CASES)
        outcome = self.assertSameEveryWay(data, "registry", user=self.reviewer)
        self.assertEqual(len(outcome[5]["gifts"]), len(EDGE_CASES))

    def test_a_hostile_registry_file_is_written_alike(self):
        self.assertSameEveryWay(csv_bytes(HOSTILE_FILE), "registry", skip_invalid=True)

    def test_the_whole_uk_register_is_written_alike(self):
        data = register_bytes("uk-ministers-gifts-2024-2025.csv")
        outcome = self.assertSameEveryWay(data, "uk-ministers", skip_invalid=True)
        self.assertGreater(len(outcome[5]["gifts"]), 100)

    def test_the_whole_us_register_is_written_alike(self):
        data = register_bytes("us-federal-register-gifts-1999-2018.csv")
        outcome = self.assertSameEveryWay(data, "us-federal-register", skip_invalid=True)
        self.assertGreater(len(outcome[5]["gifts"]), 8000)

    def test_the_whole_second_us_transcription_is_written_alike(self):
        data = register_bytes("us-foreign-gifts-1977-2022.csv")
        outcome = self.assertSameEveryWay(data, "us-foreign-gifts", skip_invalid=True, publish=True)
        self.assertGreater(len(outcome[5]["gifts"]), 4000)
        self.assertEqual(len(outcome[5]["entries"]), 4580)

    def test_the_whole_toshakhana_record_is_written_alike(self):
        data = register_bytes("pk-toshakhana-2002-2022.csv")
        outcome = self.assertSameEveryWay(data, "pk-toshakhana", skip_invalid=True, publish=True)
        self.assertGreater(len(outcome[5]["gifts"]), 4000)
        self.assertEqual(len(outcome[5]["entries"]), 4214)

    def test_the_files_own_rules_are_applied_alike(self):
        self.assertSameEveryWay(csv_bytes(FILE_RULE_ROWS), "registry", skip_invalid=True)

    def test_a_second_import_of_the_same_file_changes_nothing_either_way(self):
        data = (SLICES / "uk-ministers-slice.csv").read_bytes()
        run_import(io.BytesIO(data), "uk-ministers", file_name="f.csv", skip_invalid=True)
        before = registry()
        for copy in (False, True):
            result = self.imported(data, "uk-ministers", copy=copy, skip_invalid=True)
            self.assertFalse(result[4])
            self.assertEqual(result[5], before)


@pytest.mark.postgresql("statistics")
class PlannerStatisticsTests(TestCase):
    def test_an_import_leaves_the_planners_statistics_current(self):
        from django.db import connection

        data = (SLICES / "us-federal-register-slice.csv").read_bytes()
        run_import(io.BytesIO(data), "us-federal-register", file_name="f.csv", skip_invalid=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
                [["giftapp_gift", "giftapp_leader", "giftapp_gift_sources"]],
            )
            estimates = dict(cursor.fetchall())
        self.assertEqual(estimates["giftapp_gift"], Gift.objects.count())
        self.assertEqual(estimates["giftapp_leader"], Leader.objects.count())
        self.assertEqual(estimates["giftapp_gift_sources"], Gift.sources.through.objects.count())
