"""What this app keeps about a person, for their data rights (accounts/rights.py): their threads."""

from typing import Any

from accounts.models import User
from accounts.rights import iso

from .models import Thread


def export_threads(user: User) -> list[dict[str, Any]]:
    """Every thread with its messages, with their sources and safety answers, oldest first."""
    threads = Thread.objects.filter(owner=user).prefetch_related("messages__versions").order_by("created_at", "id")
    return [
        {
            "id": str(t.public_id),
            "title": t.title,
            "created_at": iso(t.created_at),
            "updated_at": iso(t.updated_at),
            "messages": [
                {
                    "id": str(m.public_id),
                    "role": m.role,
                    "content": m.content,
                    "status": m.status,
                    "sources": m.sources,
                    "safety": m.safety,
                    "created_at": iso(m.created_at),
                    # What it said before it was edited or generated again, oldest first.
                    "earlier_versions": [
                        {
                            "content": v.content,
                            "status": v.status,
                            "sources": v.sources,
                            "safety": v.safety,
                            "feedback": v.feedback,
                            "created_at": iso(v.created_at),
                            "replaced_at": iso(v.replaced_at),
                        }
                        for v in m.versions.all()
                    ],
                }
                for m in t.messages.all()
            ],
        }
        for t in threads
    ]


def count_threads(user: User) -> int:
    return Thread.objects.filter(owner=user).count()
