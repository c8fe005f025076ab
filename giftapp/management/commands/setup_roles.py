from django.core.management.base import BaseCommand

from giftapp.editorial.workflow import setup_roles


class Command(BaseCommand):
    help = "Create or update the editor and reviewer groups (migrate also does this)."

    def handle(self, *args, **options):
        setup_roles()
        self.stdout.write(self.style.SUCCESS("Roles ready: editor, reviewer."))
