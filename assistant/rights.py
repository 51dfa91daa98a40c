"""What this app keeps about a person, for their data rights (accounts/rights.py): the safety events about
their threads."""

from typing import Any

from accounts.models import User
from accounts.rights import iso

from .models import Feedback, SafetyEvent


def export_safety_events(user: User) -> list[dict[str, Any]]:
    events = SafetyEvent.objects.filter(thread__owner=user).select_related("thread", "message")
    return [
        {
            "kind": e.kind,
            "class": e.safety_class,
            "category": e.category,
            "thread_id": str(e.thread.public_id),
            "message_id": str(e.message.public_id),
            "reason": e.reason,
            "created_at": iso(e.created_at),
        }
        for e in events
    ]


def export_feedback(user: User) -> list[dict[str, Any]]:
    found = Feedback.objects.filter(thread__owner=user).select_related("thread", "message")
    return [
        {
            "thread_id": str(f.thread.public_id),
            "message_id": str(f.message.public_id),
            "rating": f.rating,
            "comment": f.comment,
            "created_at": iso(f.created_at),
            "updated_at": iso(f.updated_at),
        }
        for f in found
    ]
