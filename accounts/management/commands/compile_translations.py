from django.core.management.base import BaseCommand

from medbotx.translations import LOCALE, compile_all


class Command(BaseCommand):
    help = "Compile the pages' translations (locale/*/django.po) into the .mo files Django reads, where stale."

    def handle(self, *args: object, **options: object) -> None:
        written = compile_all()
        for mo in written:
            self.stdout.write(f"compiled {mo.relative_to(LOCALE.parent)}")
        if not written:
            self.stdout.write("translations up to date")
