"""Starting and stopping a reply's generation: a task of the server process, not of the request that asked.

The task reads the provider, keeps the text in its Generation (registry), saves progress to the database at a
bounded rate (MEDBOTX_STREAM_PROGRESS_SECONDS, never per token) with the reply's lease, and stores the outcome
through `conversations.replies`. A follower that goes away does not stop it; only Stop does (stored as
cancelled). A server shutting down leaves it interrupted, to be retried.
"""

import asyncio
import logging
import time

from asgiref.sync import sync_to_async
from django.conf import settings

from conversations import replies
from conversations.models import Message
from medbotx import limits
from medbotx.sync import server_context

from .. import metrics, titles
from ..grounding import Grounding
from ..providers import Provider, ProviderError, Usage, errors
from . import registry, relay

log = logging.getLogger(__name__)

GENERIC_ERROR = errors.GENERIC
PROGRESS_EVERY = 16  # pieces between two looks at the clock for a progress save


def start(
    reply: Message,
    provider: Provider,
    messages: list[dict],
    grounding: Grounding | None = None,
    limit_key: str = "",
    *,
    title_question: str = "",
) -> registry.Generation:
    """Start generating `reply` (stored as streaming) on the running event loop. Its tokens count against
    `limit_key`'s daily quota. With `title_question` (the first question of a thread), the model then titles
    the thread from the first exchange (assistant/titles.py)."""
    generation = registry.Generation(reply, limit_key)
    registry.add(generation)
    relay.ensure_listener()
    # The task belongs to the server, not to the request: it starts from the server's context, so its
    # database work goes to the server's shared thread, not to the request's (gone once the request ends).
    generation.task = asyncio.get_running_loop().create_task(
        _run(generation, provider, messages, grounding, title_question), context=server_context()
    )
    return generation


async def stop(reply: Message) -> None:
    """Stop the reply's generation, in whichever process runs it; with none running, store it cancelled."""
    if registry.stop_local(reply.public_id):
        return
    await relay.tell_worker(reply, {"type": "stop"})
    await sync_to_async(replies.cancel_orphan)(reply)


async def _run(
    generation: registry.Generation,
    provider: Provider,
    messages: list[dict],
    grounding: Grounding | None,
    title_question: str = "",
) -> None:
    reply = generation.reply
    status = Message.Status.INTERRUPTED
    saved_at = time.monotonic()
    started = time.monotonic()
    try:
        async for piece in provider.stream(
            messages,
            temperature=settings.LLM_TEMPERATURE,
            max_tokens=settings.LLM_MAX_TOKENS,
            grounding=grounding,
        ):
            if isinstance(piece, Usage):
                generation.usage = piece
                continue
            if not generation.parts:
                metrics.FIRST_TOKEN.observe(time.monotonic() - started)
            generation.append(piece)
            if generation.remote:
                await relay.publish(generation)
            if (
                len(generation.parts) % PROGRESS_EVERY == 0
                and time.monotonic() - saved_at >= settings.STREAM_PROGRESS_SECONDS
            ):
                saved_at = time.monotonic()
                await sync_to_async(replies.save_progress)(reply.pk, generation.text, registry.WORKER)
        status = Message.Status.COMPLETE
    except ProviderError as exc:
        status = Message.Status.ERROR
        generation.error, generation.retry_after = exc.message, exc.retry_after
        metrics.UPSTREAM_ERRORS.labels(kind=exc.code).inc()
    except asyncio.CancelledError:
        # "Stop" cancels on purpose; anything else (the server shutting down) interrupts.
        status = Message.Status.CANCELLED if generation.stop_requested else Message.Status.INTERRUPTED
        raise
    except Exception:
        log.exception("provider %s failed", provider.name)
        status = Message.Status.ERROR
        generation.error = GENERIC_ERROR
        metrics.UPSTREAM_ERRORS.labels(kind="unexpected").inc()
    finally:
        generation.status = status
        try:
            await sync_to_async(_store_end)(generation, status)
        except Exception:
            log.exception("could not store the end of reply %s", reply.public_id)
        finally:
            metrics.TOKENS.inc(len(generation.parts))
            generation.end(status)
            registry.remove(generation)
            if generation.remote:
                await relay.publish(generation, end=True)
            if title_question and status == Message.Status.COMPLETE:
                titles.after_first_answer(reply, title_question, generation.text, provider)


def _store_end(generation: registry.Generation, status: str) -> None:
    """Count the tokens against the quota and store the outcome (one call, from the generating task)."""
    if generation.limit_key:
        used = (generation.usage.completion_tokens or generation.length // 4) + (generation.usage.prompt_tokens or 0)
        limits.add("tokens", generation.limit_key, limits.TOKEN_QUOTA_SECONDS, used)
    replies.finish(
        generation.reply,
        generation.text,
        status,
        prompt_tokens=generation.usage.prompt_tokens,
        completion_tokens=generation.usage.completion_tokens,
        error=generation.error,
        retry_after=generation.retry_after,
    )
