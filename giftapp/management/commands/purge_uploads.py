from django.core.management.base import BaseCommand

from giftapp.editorial.tasks import purge_stale_uploads


class Command(BaseCommand):
    help = (
        "Discard the admin's uploads made more than REGISTRY_PENDING_IMPORT_HOURS ago "
        "(the admin's import page and every import task do it too; this is for a scheduler)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Discarded {purge_stale_uploads()} uploads.")
