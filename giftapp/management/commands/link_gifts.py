from django.core.management.base import BaseCommand

from giftapp.importers.linkage import link


class Command(BaseCommand):
    help = (
        "Link the gifts that both transcriptions of the US notices record: the sure ones "
        "linked (the duplicate retracted, pointing to the kept record), the doubtful ones "
        "queued for an editor. Pairs decided before are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, write nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = link(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{counts['linked']:,} pairs {verb} linked and {counts['candidate']:,} queued for "
            "an editor."
        )
