"""A consistent copy of the live SQLite database, made with SQLite's online backup API."""

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Copy the live SQLite database to a file, consistently, while the server runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Where to write the copy, e.g. backups/medbotx-2026-11-25.sqlite3")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                "This database is PostgreSQL: use pg_dump -Fc (and WAL archiving); see docs/deploy.md#backups."
            )
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists already; choose a new file")
        target.parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            with destination:
                connection.connection.backup(destination)  # pages copied under SQLite's own locking
        finally:
            destination.close()
        check = sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise CommandError(f"The copy failed its integrity check: {check}")
        self.stdout.write(f"Backed up to {target} ({target.stat().st_size:,} bytes, integrity ok).")
