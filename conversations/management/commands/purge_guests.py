from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from conversations.models import Thread


def purge_guest_threads(days: int | None = None) -> int:
    """Delete the threads no account owns (a guest's, or made with no identity at all) that have been idle
    longer than MEDBOTX_GUEST_DATA_DAYS. Their messages and safety events go with them."""
    cutoff = timezone.now() - timedelta(days=settings.GUEST_DATA_DAYS if days is None else days)
    stale = Thread.objects.filter(owner__isnull=True, updated_at__lt=cutoff)
    count = stale.count()
    stale.delete()
    return count


class Command(BaseCommand):
    help = "Delete guest threads idle longer than MEDBOTX_GUEST_DATA_DAYS (run at start and hourly by serve)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Override MEDBOTX_GUEST_DATA_DAYS for this run.")

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        count = purge_guest_threads(days)
        self.stdout.write(f"{count} guest thread(s) deleted.")
