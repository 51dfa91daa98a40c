"""Things that change conversations. Each owns its transaction."""

import re
import uuid
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import Identity
from accounts.models import User

from . import replies, statements
from .models import DEFAULT_TITLE, TITLE_MAX_LENGTH, Message, Thread


def clean_title(raw: str | None) -> str:
    """Trimmed title; ValueError with a message for a person when it is empty or too long."""
    title = (raw or "").strip()
    if not title:
        raise ValueError(_("Title cannot be empty"))
    if len(title) > TITLE_MAX_LENGTH:
        raise ValueError(_("Title is too long: at most %(n)d characters") % {"n": TITLE_MAX_LENGTH})
    return title


def new_thread(identity: Identity, title: str | None = None) -> Thread:
    """A thread of `identity`'s, not yet saved: a user's, or a guest's (its guest id kept to claim it later)."""
    return Thread(
        owner=identity.user,
        guest_id=None if identity.user is not None else identity.guest_id,
        is_guest=identity.user is None,
        title=title or DEFAULT_TITLE,
    )


def create_thread(identity: Identity, title: str | None = None) -> Thread:
    thread = new_thread(identity, title)
    thread.save(force_insert=True)
    return thread


def rename_thread(thread: Thread, title: str) -> Thread:
    thread.title = title
    thread.updated_at = timezone.now()
    thread.save(update_fields=["title", "updated_at"])
    return thread


def delete_thread(thread: Thread) -> None:
    thread.delete()  # its messages go with it (on_delete=CASCADE)


@transaction.atomic
def append_message(thread: Thread, role: str, content: str, **fields: Any) -> Message:
    """Store a message and bump the thread's updated_at, together."""
    now = timezone.now()
    message = Message.objects.create(
        thread=thread, role=role, content=content, created_at=now, updated_at=now, **fields
    )
    Thread.objects.filter(pk=thread.pk).update(updated_at=now)
    thread.updated_at = now
    return message


# What a first question starts with that says nothing about its subject, left out of the thread's title.
_GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|hola|buenas|ok|okay|so|um|quick question|question|please|por favor)\b[\s,!.:;-]*)+",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"^(?:(?:can|could) you (?:please )?(?:tell me|explain)(?: about)?|tell me(?: about)?|explain|"
    r"i (?:want|would like|wanted) to know(?: about)?|what(?:'s| is| are)(?: the| a| an)?|"
    r"(?:qu[eé]) (?:es|son)(?: el| la| los| las| un| una)?)\s+",
    re.IGNORECASE,
)


def title_from(text: str, limit: int = 60) -> str:
    """A short thread title from the first question: its first line without a greeting, the asking words
    ("what are the", "can you tell me about") or the question mark, capitalised, cut at a word.
    "what are the symptoms of type 2 diabetes?" -> "Symptoms of type 2 diabetes"."""
    line = " ".join(text.split())
    short = _ASKING.sub("", _GREETING.sub("", line.lstrip("¿¡ ")), count=1).rstrip(" ?!.")
    line = short[0].upper() + short[1:] if len(short) >= 3 else line
    if len(line) <= limit:
        return line or DEFAULT_TITLE
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(",.;:!?- ") + "…"


def replace_title(thread_pk: int, expected: str, title: str) -> bool:
    """Give a thread `title` if its title is still `expected` (not renamed meanwhile); whether it did."""
    return Thread.objects.filter(pk=thread_pk, title=expected).update(title=title) == 1


def recent_history(thread: Thread, limit: int) -> list[tuple[str, str]]:
    """The last `limit` stored messages with text, oldest first, as (role, content)."""
    if limit <= 0:
        return []
    rows = statements.history(thread.pk, limit)
    rows.reverse()
    return rows


@transaction.atomic
def start_turn(
    thread: Thread,
    content: str,
    *,
    provider: str,
    model: str,
    sources: list[dict] | None = None,
    answer: str | None = None,
    safety: dict | None = None,
    worker: str = "",
    first: bool | None = None,
) -> tuple[Message, Message]:
    """Store the user's message and a pending assistant reply together, before any model is called.
    `sources` are the library pages the reply is grounded on, stored with it from the start. With `answer`
    (the fixed answer to an emergency or a crisis) the reply is stored complete at once, with `safety`.

    The first exchange also gives a thread that still has the default title a short one. `first` says
    whether this is it, when the caller knows (it has read the history); otherwise it is looked up.
    """
    now = timezone.now()
    if first is None:
        first = not thread.messages.exists()
    question = Message(thread=thread, role=Message.Role.USER, content=content, created_at=now, updated_at=now)
    fields = {"provider": provider, "model": model, "sources": sources or [], "safety": safety or {}}
    if answer is None:
        reply = replies.pending(thread, now, worker, **fields)
    else:  # the fixed answer, complete at once
        reply = Message(
            thread=thread, role=Message.Role.ASSISTANT, content=answer, status=Message.Status.COMPLETE,
            created_at=now, updated_at=now, **fields,
        )  # fmt: skip
    Message.objects.bulk_create([question, reply])  # one INSERT for both; each gets its key back
    title = title_from(content) if first and thread.title == DEFAULT_TITLE else None
    statements.touch_thread(thread.pk, now, title)
    thread.updated_at = now
    if title is not None:
        thread.title = title
    return question, reply


@transaction.atomic
def claim_guest_threads(user: User, guest_id: uuid.UUID) -> int:
    """Move a guest's threads into the user's account. Returns how many moved."""
    return Thread.objects.filter(owner__isnull=True, guest_id=guest_id).update(
        owner=user, guest_id=None, is_guest=False
    )


def claim_guest_threads_on_signal(sender: type[User], user: User, guest_id: uuid.UUID, **kwargs: Any) -> None:
    claim_guest_threads(user, guest_id)


def set_flagged(threads: QuerySet[Thread], flagged: bool) -> int:
    return threads.update(flagged=flagged)


def set_hidden(threads: QuerySet[Thread], hidden: bool) -> int:
    return threads.update(hidden=hidden)


def question_before(reply: Message) -> Message | None:
    """The user's message that a reply answers (for "Try again")."""
    return (
        Message.objects.filter(thread_id=reply.thread_id, role=Message.Role.USER, created_at__lte=reply.created_at)
        .exclude(pk=reply.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def history_before(message: Message, limit: int) -> list[tuple[str, str]]:
    """The last `limit` messages with text before `message` in its thread, oldest first, as (role, content)."""
    if limit <= 0:
        return []
    rows = list(
        Message.objects.filter(thread_id=message.thread_id)
        .exclude(content="")
        .filter(
            models.Q(created_at__lt=message.created_at) | models.Q(created_at=message.created_at, id__lt=message.id)
        )
        .order_by("-created_at", "-id")
        .values_list("role", "content")[:limit]
    )
    rows.reverse()
    return rows
