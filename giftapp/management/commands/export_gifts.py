import sys

from django.core.management.base import BaseCommand

from giftapp.exports.csv_stream import csv_chunks
from giftapp.models import Gift


class Command(BaseCommand):
    help = "Write the interchange CSV: the public records, or every record with --all."

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write, or - for standard output.")
        parser.add_argument(
            "--all", action="store_true", help="Every record and flag, drafts included."
        )

    def handle(self, *args, out, all, **options):
        gifts = Gift.objects.all() if all else Gift.objects.public()
        chunks = csv_chunks(gifts, public=not all)
        if out == "-":
            sys.stdout.flush()
            for _, data in chunks:
                sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        count = 0
        with open(out, "wb") as handle:
            for rows, data in chunks:
                handle.write(data)
                count += rows
        self.stderr.write(f"Wrote {count} gifts to {out}.")
