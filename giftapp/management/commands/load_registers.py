import csv
import io
import lzma
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from giftapp.importers.formats import BUNDLED_REGISTERS
from giftapp.importers.pipeline import run_import
from giftapp.importers.report import summary_lines


def records(data):
    """The data rows of a CSV file (its records after the header)."""
    return max(sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")))) - 1, 0)


class Bar:
    """One tqdm bar over every register's rows, read then written; silent off a terminal."""

    def __init__(self, total, stream):
        self.bar = tqdm(total=total, unit=" rows", file=stream, dynamic_ncols=True)

    def describe(self, text):
        self.bar.set_description(text)

    def read(self, n):
        self.bar.update(n)

    def write(self, n):
        pass  # the bar counts rows read; writing follows at once

    def close(self):
        self.bar.close()


class Command(BaseCommand):
    help = (
        "Import and publish the public registers bundled under data/registers/, every row "
        "accounted for (rows that cannot be imported are kept as rejected register "
        "entries), then link the gifts both US transcriptions record (link_gifts). "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=Path(settings.BASE_DIR) / "data" / "registers",
            help="Where the compressed register files are.",
        )
        parser.add_argument(
            "--only", action="append", help="Only this register (a format name); repeatable."
        )
        parser.add_argument(
            "--no-link", action="store_true", help="Import only; do not run link_gifts."
        )

    def handle(self, *args, directory, only=None, no_link=False, **options):
        chosen = {name: fmt for name, fmt in BUNDLED_REGISTERS.items() if not only or fmt in only}
        missing = [name for name in chosen if not (directory / name).is_file()]
        if missing:
            raise CommandError(f"Missing in {directory}: {', '.join(missing)}.")
        files = {name: lzma.decompress((directory / name).read_bytes()) for name in chosen}
        bar = None
        if sys.stderr.isatty() and options.get("verbosity", 1) > 0:
            bar = Bar(sum(records(data) for data in files.values()), sys.stderr)
        try:
            for name, data in files.items():
                fmt = chosen[name]
                if bar:
                    bar.describe(fmt)
                result = run_import(
                    io.BytesIO(data),
                    fmt,
                    file_name=name.removesuffix(".xz"),
                    publish=True,
                    skip_invalid=True,
                    progress=bar,
                )
                self.report(fmt, result, options.get("verbosity", 1))
        finally:
            if bar:
                bar.close()
        if not (only or no_link):
            # The two transcriptions of the US notices record the same gifts: one each.
            call_command("link_gifts", stdout=self.stdout)

    def report(self, fmt, result, verbosity):
        outcomes = result.row_outcomes
        if result.written:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{fmt}: {result.rows:,} rows — {outcomes['imported']:,} imported, "
                    f"{outcomes['skipped']:,} skipped, {outcomes['rejected']:,} rejected "
                    f"(batch #{result.batch.pk})."
                )
            )
        else:
            self.stdout.write(f"{fmt}: already imported; nothing changed.")
        if verbosity > 1:
            for line in summary_lines(result):
                self.stdout.write(f"  {line}")
