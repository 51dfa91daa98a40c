"""A reply's lifecycle: every change of an assistant message's status is made here, with one lease rule.

    pending  (`pending`, stored by actions.start_turn: `streaming`, leased to the process that generates it)
      │ save_progress: the text so far, the lease renewed
      ▼
    finish: `complete`, `error` (with the text so far), `cancelled` (Stop) or `interrupted`
      ▲
    restart (Try again, for a RETRYABLE reply): `streaming` again, in place
    restart after keep_version (Regenerate, or the question edited): the answer it had kept as a
      MessageVersion, then `streaming` again in place; or `answer` (the fixed safety answer), complete

A reply whose lease has run out was left by a process that stopped: `settle` (one reply, when it is read)
and `sweep_expired` (all of them, at start-up) mark it `interrupted`; a Stop that finds nobody generating
it marks it `cancelled` (`cancel_orphan`). Each change is one conditional UPDATE: progress and the outcome
are stored only by the process the reply is leased to (`worker`), so a generation that lost its reply (marked
interrupted, then generated again elsewhere) cannot overwrite it; a restart only takes a reply nobody is
generating, so two presses of Try again start one generation.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import statements
from .models import Message, MessageVersion, Thread

RETRYABLE = (Message.Status.ERROR, Message.Status.INTERRUPTED, Message.Status.CANCELLED)


def lease_seconds() -> float:
    """How long a generating process holds a reply without saving: longer than the longest silence the
    model may have before it fails (LLM_IDLE_TIMEOUT), plus one progress interval."""
    return settings.LLM_IDLE_TIMEOUT + settings.STREAM_PROGRESS_SECONDS + 10


def lease_until(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=lease_seconds())


def pending(thread: Thread, now: datetime, worker: str, **fields: Any) -> Message:
    """A new reply, not yet saved: `streaming`, leased to `worker` (the process that will generate it)."""
    return Message(
        thread=thread, role=Message.Role.ASSISTANT, status=Message.Status.STREAMING, lease_until=lease_until(now),
        worker=worker, created_at=now, updated_at=now, **fields,
    )  # fmt: skip


def save_progress(reply_pk: int, text: str, worker: str) -> bool:
    """The text so far, and the lease renewed, while `worker` generates the reply; False (nothing stored)
    once it has finished or has been taken from this process."""
    now = timezone.now()
    return bool(
        statements.update_message(
            reply_pk,
            only_status=(Message.Status.STREAMING,),
            only_worker=worker,
            content=text,
            lease_until=lease_until(now),
            updated_at=now,
        )
    )


@transaction.atomic
def finish(
    reply: Message,
    content: str,
    status: str,
    *,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
    error: str = "",
    retry_after: float | None = None,
) -> Message:
    """Store the final state of a reply, whatever happened, and move the thread's updated_at: by the process
    that generates it (`reply.worker`), while it is streaming or was marked interrupted for a lapsed lease
    (the whole answer is worth more than the mark). A reply generated again elsewhere meanwhile is left as
    it is, and returned as stored."""
    now = timezone.now()
    stored = statements.update_message(
        reply.pk,
        only_status=(Message.Status.STREAMING, Message.Status.INTERRUPTED),
        only_worker=reply.worker,
        content=content,
        status=status,
        lease_until=None,
        retry_after=retry_after,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        error=error,
        updated_at=now,
    )
    if not stored:
        reply.refresh_from_db()
        return reply
    statements.touch_thread(reply.thread_id, now)
    reply.content, reply.status, reply.error, reply.updated_at = content, status, error, now
    reply.prompt_tokens, reply.completion_tokens = prompt_tokens, completion_tokens
    reply.lease_until, reply.retry_after = None, retry_after
    return reply


@transaction.atomic
def restart(reply: Message, worker: str, *, sources: list[dict], provider: str = "", model: str = "") -> Message | None:
    """Generate a reply again, in place, grounded on `sources`: one that failed, was stopped, or was cut off
    (or, its answer kept, one generated again). `provider` and `model` say who writes it now, when that may
    have changed. None when the reply is being generated already (another press of the same button)."""
    now = timezone.now()
    who = {"provider": provider, "model": model, "safety": {}} if provider else {}
    idle = Message.objects.filter(pk=reply.pk).exclude(status=Message.Status.STREAMING)
    taken = idle.update(
        content="", status=Message.Status.STREAMING, error="", prompt_tokens=None, completion_tokens=None,
        lease_until=lease_until(now), worker=worker, sources=sources, updated_at=now, **who,
    )  # fmt: skip
    if not taken:
        return None
    Thread.objects.filter(pk=reply.thread_id).update(updated_at=now)
    reply.refresh_from_db()
    return reply


def keep_version(message: Message, feedback: dict | None = None) -> MessageVersion:
    """What a message says now, kept before it is replaced (a question edited, an answer generated again)."""
    return MessageVersion.objects.create(
        message=message,
        content=message.content,
        status=message.status,
        error=message.error,
        provider=message.provider,
        model=message.model,
        sources=message.sources,
        safety=message.safety,
        feedback=feedback or {},
        created_at=message.updated_at,
    )


def answer(reply: Message, text: str, *, provider: str, model: str, safety: dict) -> Message:
    """The reply replaced, in place, by a fixed answer (an emergency or a crisis): complete at once."""
    now = timezone.now()
    Message.objects.filter(pk=reply.pk).update(
        content=text, status=Message.Status.COMPLETE, error="", provider=provider, model=model, sources=[],
        safety=safety, prompt_tokens=None, completion_tokens=None, lease_until=None, updated_at=now,
    )  # fmt: skip
    Thread.objects.filter(pk=reply.thread_id).update(updated_at=now)
    reply.refresh_from_db()
    return reply


def is_last_exchange(question: Message, reply: Message) -> bool:
    """Whether these are the thread's last two messages: the question, then its reply."""
    last_two = list(Message.objects.filter(thread_id=reply.thread_id).order_by("-created_at", "-id")[:2])
    return [m.pk for m in last_two] == [reply.pk, question.pk]


def _lapse(replies: QuerySet[Message], status: str, now: datetime) -> int:
    return replies.filter(status=Message.Status.STREAMING).update(status=status, lease_until=None, updated_at=now)


def settle(reply: Message) -> Message:
    """The reply as stored now; if it is streaming with a lapsed lease, it is marked interrupted first."""
    now = timezone.now()
    _lapse(Message.objects.filter(pk=reply.pk, lease_until__lt=now), Message.Status.INTERRUPTED, now)
    reply.refresh_from_db()
    return reply


def cancel_orphan(reply: Message) -> None:
    """Stop, for a reply nobody is generating any more (its lease has lapsed): stored cancelled."""
    now = timezone.now()
    _lapse(Message.objects.filter(pk=reply.pk, lease_until__lt=now), Message.Status.CANCELLED, now)


def sweep_expired(orphaned: Callable[[str], bool]) -> int:
    """Mark interrupted every reply left streaming by a process that stopped: its lease has run out, or
    `orphaned(worker)` says its process is gone (at start-up, a crashed predecessor's replies need not wait
    for their lease). Returns how many."""
    now = timezone.now()
    streaming = Message.objects.filter(status=Message.Status.STREAMING)
    expired = set(streaming.filter(lease_until__lt=now).values_list("pk", flat=True))
    for pk, worker in streaming.exclude(worker="").values_list("pk", "worker"):
        if orphaned(worker):
            expired.add(pk)
    return _lapse(Message.objects.filter(pk__in=expired), Message.Status.INTERRUPTED, now)
