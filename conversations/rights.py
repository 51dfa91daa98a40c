"""People's rights over their data: everything about them as JSON, and deleting the account at once."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Thread


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_user_data(user: User) -> dict[str, Any]:
    """The account, every thread with its messages (and their sources and safety answers), and the safety
    events about them."""
    from assistant.models import SafetyEvent

    threads = Thread.objects.filter(owner=user).prefetch_related("messages").order_by("created_at", "id")
    events = SafetyEvent.objects.filter(thread__owner=user).select_related("thread", "message")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {"id": str(user.public_id), "email": user.email, "date_joined": _iso(user.date_joined)},
        "threads": [
            {
                "id": str(t.public_id),
                "title": t.title,
                "created_at": _iso(t.created_at),
                "updated_at": _iso(t.updated_at),
                "messages": [
                    {
                        "id": str(m.public_id),
                        "role": m.role,
                        "content": m.content,
                        "status": m.status,
                        "sources": m.sources,
                        "safety": m.safety,
                        "created_at": _iso(m.created_at),
                    }
                    for m in t.messages.all()
                ],
            }
            for t in threads
        ],
        "safety_events": [
            {
                "kind": e.kind,
                "class": e.safety_class,
                "category": e.category,
                "thread_id": str(e.thread.public_id),
                "message_id": str(e.message.public_id),
                "reason": e.reason,
                "created_at": _iso(e.created_at),
            }
            for e in events
        ],
    }


@transaction.atomic
def delete_account(user: User) -> int:
    """Delete the account with its threads, messages and safety events, now. Returns the threads removed."""
    count = Thread.objects.filter(owner=user).count()
    Thread.objects.filter(owner=user).delete()
    user.delete()
    return count
