import csv
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from giftapp.importers.pipeline import FORMATS, REJECT_REASON, ImportFileError, run_import
from giftapp.importers.reading import count_rows
from giftapp.importers.report import summary_lines


class Progress:
    """Two tqdm bars on a terminal (reading and validating, then writing); silent otherwise."""

    def __init__(self, total, stream):
        self.stream, self.total = stream, total
        self.bars = {}

    def _bar(self, name, desc):
        if name not in self.bars:
            for bar in self.bars.values():
                bar.close()
            self.bars[name] = tqdm(
                total=self.total, desc=desc, unit=" rows", file=self.stream, dynamic_ncols=True
            )
        return self.bars[name]

    def read(self, n):
        self._bar("read", "Validating").update(n)

    def write(self, n):
        self._bar("write", "Writing").update(n)

    def close(self):
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = (
        "Import a gift register. All or nothing: if any row is invalid nothing is written "
        "and every bad row is listed, unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish what passes the publication rules."
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Write the good rows, report the bad."
        )
        parser.add_argument(
            "--rejects", type=Path, help="Write the bad rows, with a reason, to this CSV."
        )
        parser.add_argument("--user", help="The account the import is recorded under.")
        parser.add_argument(
            "--offline",
            action="store_true",
            help="The site is not serving: a large import may lock the tables it loads, "
            "readers included, to load several times faster (a new database, a restore).",
        )

    def handle(
        self, *args, file, format, dry_run, publish, skip_invalid, rejects, user, offline, **opts
    ):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
        progress = None
        if sys.stderr.isatty() and opts.get("verbosity", 1) > 0:
            with open(file, "rb") as binary:
                progress = Progress(count_rows(binary), sys.stderr)
        try:
            with open(file, "rb") as binary:
                result = run_import(
                    binary,
                    format,
                    file_name=file.name,
                    user=account,
                    publish=publish,
                    skip_invalid=skip_invalid,
                    dry_run=dry_run,
                    progress=progress,
                    offline=offline,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if progress:
                progress.close()

        for line in summary_lines(result):
            self.stdout.write(line)
        if rejects and result.rejects:
            self.write_rejects(rejects, result)
            self.stdout.write(f"Rejected rows written to {rejects}.")
        if result.problems and not skip_invalid:
            raise CommandError(
                f"{len(result.rejects)} invalid rows: nothing was written. Fix them, or "
                "import with --skip-invalid --rejects REJECTS.csv."
            )

    def write_rejects(self, path, result):
        header = [c for c in result.header if c != REJECT_REASON] + [REJECT_REASON]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(header)
            for raw, reason in result.rejects:
                writer.writerow([raw.get(c, "") for c in header[:-1]] + [reason])
