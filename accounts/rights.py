"""People's rights over their data: everything MedBotX keeps about a person as JSON, and deleting the account
with all of it, at once.

The account is this app's; the rest belongs to the apps that keep it. Each registers, when it is ready, what
it holds about a user: its part of the export and how many of its main records there are (shown before and
after deleting). Deleting the user deletes their records with it (their foreign keys cascade).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import User


@dataclass(frozen=True)
class Holder:
    key: str  # its part of the export, e.g. "threads"
    export: Callable[[User], Any]
    count: Callable[[User], int] | None = None


_HOLDERS: dict[str, Holder] = {}


def register(key: str, export: Callable[[User], Any], count: Callable[[User], int] | None = None) -> None:
    """An app's data about a person: called from its AppConfig.ready()."""
    _HOLDERS[key] = Holder(key, export, count)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_user_data(user: User) -> dict[str, Any]:
    """The account, then each app's part: every thread with its messages (their sources and safety answers),
    and the safety events about them."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": str(user.public_id),
            "email": user.email,
            "date_joined": iso(user.date_joined),
            "language": user.language,  # the pages' language they chose ("" for their browser's)
        },
        **{holder.key: holder.export(user) for holder in _HOLDERS.values()},
    }


def counts(user: User) -> dict[str, int]:
    """How many records of each kind the apps keep about the user (those that count them)."""
    return {holder.key: holder.count(user) for holder in _HOLDERS.values() if holder.count is not None}


@transaction.atomic
def delete_account(user: User) -> dict[str, int]:
    """Delete the account and everything about it, now. Returns what was removed, by kind."""
    removed = counts(user)
    user.delete()
    return removed
