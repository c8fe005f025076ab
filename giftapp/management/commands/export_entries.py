from django.core.management.base import BaseCommand

from giftapp.exports.entries import entry_lines
from giftapp.models import RegisterEntry


class Command(BaseCommand):
    help = (
        "Write every register entry as CSV (register,row,entry,gift,giver,giver_spelling,"
        "recipient,recipient_spelling,status,reason): what became of each data row of each "
        "imported register file."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write, or - for standard output.")
        parser.add_argument("--register", help="Only this register's entries (a format name).")

    def handle(self, *args, out, register=None, **options):
        entries = RegisterEntry.objects.all()
        if register:
            entries = entries.filter(register=register)
        if out == "-":
            for text in entry_lines(entries):
                self.stdout.write(text, ending="")
            return
        with open(out, "w", encoding="utf-8", newline="") as handle:
            for text in entry_lines(entries):
                handle.write(text)
        self.stderr.write(f"Wrote {entries.count()} register entries to {out}.")
