"""Relay a provider's answer to the client as Server-Sent Events, and store the outcome.

The provider is read by its own task (the pump) into a buffer; the response
generator sends what has gathered at most every STREAM_COALESCE_MS, so a
300-token answer becomes a few dozen writes, not 300. The first frame goes out
as soon as the first text arrives. The database is touched once at the start
(by the caller) and once at the end, never per token.

Whatever happens, the reply is stored with what was produced and a status that
tells the truth: complete, error (upstream failed) or interrupted (the client
went away, and the upstream stream was closed).
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings

from conversations.actions import finish_reply
from conversations.models import Message

from .providers import Provider, ProviderError, Usage

log = logging.getLogger(__name__)

OPENING = b": stream open\n\n"
KEEPALIVE = b": keep-alive\n\n"
_cleanups: set[asyncio.Task] = set()  # strong references until each cleanup is done


def sse(payload: dict) -> bytes:
    """One event, exactly `data: <one-line JSON>\\n\\n`."""
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


class Pump:
    """Reads the provider's stream into a buffer and wakes the sender."""

    def __init__(self, provider: Provider, messages: list[dict]) -> None:
        self.provider = provider
        self.messages = messages
        self.parts: list[str] = []
        self.sent = 0
        self.usage: Usage | None = None
        self.error: ProviderError | None = None
        self.finished = False
        self.wake = asyncio.Event()

    async def run(self) -> None:
        try:
            async for piece in self.provider.stream(
                self.messages, temperature=settings.LLM_TEMPERATURE, max_tokens=settings.LLM_MAX_TOKENS
            ):
                if isinstance(piece, Usage):
                    self.usage = piece
                else:
                    self.parts.append(piece)
                    self.wake.set()
        except ProviderError as exc:
            self.error = exc
        except Exception:
            log.exception("provider %s failed", self.provider.name)
            self.error = ProviderError("Something went wrong while getting the answer. Please try again.")
        finally:
            self.finished = True
            self.wake.set()

    def take(self) -> str:
        new = "".join(self.parts[self.sent :])
        self.sent = len(self.parts)
        return new

    @property
    def text(self) -> str:
        return "".join(self.parts)


async def relay(provider: Provider, messages: list[dict], reply: Message) -> AsyncIterator[bytes]:
    """The SSE body of one chat turn. `reply` is the pending assistant message, already stored."""
    pump = Pump(provider, messages)
    task = asyncio.create_task(pump.run())
    status = Message.Status.INTERRUPTED
    coalesce = settings.STREAM_COALESCE_MS / 1000
    keepalive = settings.STREAM_KEEPALIVE_SECONDS
    try:
        yield OPENING
        while True:
            try:
                await asyncio.wait_for(pump.wake.wait(), keepalive)
            except TimeoutError:
                yield KEEPALIVE
                continue
            pump.wake.clear()
            text = pump.take()
            if text:
                yield sse({"content": text})
            if pump.finished:
                break
            if coalesce:
                await asyncio.sleep(coalesce)
        if pump.error is not None:
            status = Message.Status.ERROR
            event = {"error": pump.error.message}
            if pump.error.retry_after is not None:
                event["retry_after"] = pump.error.retry_after
            yield sse(event)
        else:
            status = Message.Status.COMPLETE
            if pump.usage is not None:
                yield sse({"usage": pump.usage.as_dict()})
            yield sse({"done": True})
    finally:
        # Runs on success, on error, and when the client goes away (CancelledError or
        # GeneratorExit, both re-raised after this). The cleanup is its own task, shielded,
        # so a second cancellation cannot leave the reply unsaved or the upstream open.
        cleanup = asyncio.ensure_future(_finish(task, pump, reply, status))
        _cleanups.add(cleanup)
        cleanup.add_done_callback(_cleanups.discard)
        await asyncio.shield(cleanup)


async def _finish(task: asyncio.Task, pump: Pump, reply: Message, status: str) -> None:
    if not task.done():
        task.cancel()  # closes the upstream stream
    await asyncio.gather(task, return_exceptions=True)
    usage = pump.usage or Usage()
    error = pump.error.message if (pump.error is not None and status == Message.Status.ERROR) else ""
    try:
        await sync_to_async(finish_reply)(
            reply,
            pump.text,
            status,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            error=error,
        )
    except Exception:
        log.exception("could not store the end of reply %s", reply.public_id)
