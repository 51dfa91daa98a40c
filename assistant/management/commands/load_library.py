from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assistant.library.files import TopicFileError
from assistant.library.loader import load_library


class Command(BaseCommand):
    help = "Load the health library's topic files into the database (safe to run again: it changes only what changed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--overwrite-edits", action="store_true", help="Replace topics edited in admin with their files."
        )
        parser.add_argument("--prune", action="store_true", help="Remove loaded topics whose file is gone.")

    def handle(self, *args: Any, overwrite_edits: bool, prune: bool, **options: Any) -> None:
        try:
            report = load_library(overwrite_edits=overwrite_edits, prune=prune)
        except TopicFileError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        self.stdout.write(report.summary())
