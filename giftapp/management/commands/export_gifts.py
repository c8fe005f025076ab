import sys

from django.core.management.base import BaseCommand

from giftapp.interchange import csv_lines, for_export
from giftapp.models import Gift


class Command(BaseCommand):
    help = "Write the interchange CSV: the public records, or every record with --all."

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write, or - for standard output.")
        parser.add_argument(
            "--all", action="store_true", help="Every record and flag, drafts included."
        )

    def handle(self, *args, out, all, **options):
        public = not all
        gifts = for_export(Gift.objects.all() if all else Gift.objects.public(), public=public)
        lines = csv_lines(gifts, public=public)
        if out == "-":
            sys.stdout.writelines(lines)
            return
        with open(out, "w", encoding="utf-8", newline="") as handle:
            count = sum(1 for line in lines if handle.write(line)) - 1
        self.stderr.write(f"Wrote {count} gifts to {out}.")
