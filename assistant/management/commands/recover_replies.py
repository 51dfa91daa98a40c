from typing import Any

from django.core.management.base import BaseCommand

from assistant.generation import sweep_expired


class Command(BaseCommand):
    help = "Mark interrupted the replies left streaming by a process that stopped (their lease ran out)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = sweep_expired()
        self.stdout.write(f"{count} interrupted repl{'y' if count == 1 else 'ies'} found and marked.")
