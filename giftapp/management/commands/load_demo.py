from django.core.management.base import BaseCommand

from giftapp.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo story (the 2023–2024 Putin–Kim gifts). Running it again changes nothing."

    def handle(self, *args, **options):
        written = load_demo()
        if written:
            self.stdout.write(self.style.SUCCESS(f"Demo story loaded ({written} records written)."))
        else:
            self.stdout.write("Demo story already loaded; nothing changed.")
