"""Things that change conversations. Each owns its transaction."""

import uuid

from django.db import transaction
from django.utils import timezone

from .models import DEFAULT_TITLE, Message, Thread


def clean_title(raw: str | None, *, max_length: int = 200) -> str:
    """Trimmed title; ValueError with a message for a person when it is empty or too long."""
    title = (raw or "").strip()
    if not title:
        raise ValueError("Title cannot be empty")
    if len(title) > max_length:
        raise ValueError(f"Title is too long: at most {max_length} characters")
    return title


def create_thread(identity, title: str | None = None) -> Thread:
    return Thread.objects.create(
        owner=identity.user,
        guest_id=None if identity.user is not None else identity.guest_id,
        is_guest=identity.user is None,
        title=title or DEFAULT_TITLE,
    )


def rename_thread(thread: Thread, title: str) -> Thread:
    thread.title = title
    thread.updated_at = timezone.now()
    thread.save(update_fields=["title", "updated_at"])
    return thread


def delete_thread(thread: Thread) -> None:
    thread.delete()  # its messages go with it (on_delete=CASCADE)


@transaction.atomic
def append_message(thread: Thread, role: str, content: str, **fields) -> Message:
    """Store a message and bump the thread's updated_at, together."""
    now = timezone.now()
    message = Message.objects.create(
        thread=thread, role=role, content=content, created_at=now, updated_at=now, **fields
    )
    Thread.objects.filter(pk=thread.pk).update(updated_at=now)
    thread.updated_at = now
    return message


@transaction.atomic
def claim_guest_threads(user, guest_id: uuid.UUID) -> int:
    """Move a guest's threads into the user's account. Returns how many moved."""
    return Thread.objects.filter(owner__isnull=True, guest_id=guest_id).update(
        owner=user, guest_id=None, is_guest=False
    )


def claim_guest_threads_on_signal(sender, user, guest_id, **kwargs) -> None:
    claim_guest_threads(user, guest_id)


def set_flagged(threads, flagged: bool) -> int:
    return threads.update(flagged=flagged)


def set_hidden(threads, hidden: bool) -> int:
    return threads.update(hidden=hidden)
