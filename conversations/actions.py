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


def title_from(text: str, limit: int = 60) -> str:
    """A short thread title from the first question: its first line, cut at a word."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line or DEFAULT_TITLE
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(",.;:!?- ") + "…"


def recent_history(thread: Thread, limit: int) -> list[tuple[str, str]]:
    """The last `limit` stored messages with text, oldest first, as (role, content)."""
    if limit <= 0:
        return []
    rows = list(
        thread.messages.exclude(content="").order_by("-created_at", "-id").values_list("role", "content")[:limit]
    )
    rows.reverse()
    return rows


@transaction.atomic
def start_turn(thread: Thread, content: str, *, provider: str, model: str) -> tuple[Message, Message]:
    """Store the user's message and a pending assistant reply together, before any model is called.

    The first exchange also gives a thread that still has the default title a short one.
    """
    now = timezone.now()
    first = not thread.messages.exists()
    question = Message.objects.create(
        thread=thread, role=Message.Role.USER, content=content, created_at=now, updated_at=now
    )
    reply = Message.objects.create(
        thread=thread,
        role=Message.Role.ASSISTANT,
        content="",
        status=Message.Status.STREAMING,
        provider=provider,
        model=model,
        created_at=now,
        updated_at=now,
    )
    fields = {"updated_at": now}
    if first and thread.title == DEFAULT_TITLE:
        fields["title"] = title_from(content)
    Thread.objects.filter(pk=thread.pk).update(**fields)
    for name, value in fields.items():
        setattr(thread, name, value)
    return question, reply


@transaction.atomic
def finish_reply(
    reply: Message,
    content: str,
    status: str,
    *,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
    error: str = "",
) -> Message:
    """Store the final state of an assistant reply, whatever happened, and move the thread's updated_at."""
    now = timezone.now()
    Message.objects.filter(pk=reply.pk).update(
        content=content,
        status=status,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        error=error,
        updated_at=now,
    )
    Thread.objects.filter(pk=reply.thread_id).update(updated_at=now)
    reply.content, reply.status, reply.error, reply.updated_at = content, status, error, now
    reply.prompt_tokens, reply.completion_tokens = prompt_tokens, completion_tokens
    return reply


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
