"""The chat stream's wire format (POST /api/chat/stream and the API's resume): Server-Sent Events.

On the POST streams each event is exactly `data: <one-line JSON>` and a blank line, the original MedBotX's
framing: its React client keeps only blocks that start with `data: `. The resume stream
(GET /api/chat/replies/{id}/stream, for EventSource) puts `id: <offset>` before each `data:` line: the
reply's length in characters after the event, so a client that reconnects with `Last-Event-ID` (or
`?from=`) gets exactly what it missed. The text comes from the reply's generation (generation.follow), which runs on its
own: a client that goes away does not stop it.
"""

import json
from collections.abc import AsyncIterator

from django.http import HttpRequest

from conversations.models import Message

from . import generation, metrics

OPENING = b": stream open\n\n"
KEEPALIVE = b": keep-alive\n\n"
NOT_FINISHED: dict[str, str] = {
    Message.Status.CANCELLED: "The answer was stopped before it finished.",
    Message.Status.INTERRUPTED: "The answer was interrupted before it finished. You can ask for it again.",
}


def resume_offset(request: HttpRequest) -> int:
    """Where a resumed stream starts: `Last-Event-ID` (EventSource's reconnect) or `?from=` (a reload), in
    characters of the reply; 0 when neither is there. ValueError for anything but a whole number: the API
    refuses it, the page (whose own script sends these) starts from the beginning."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("from") or "0"
    return max(0, int(raw))


def sse(payload: dict, event_id: int | None = None) -> bytes:
    """One event: `id: <n>` (when given) and `data: <one-line JSON>`, then a blank line."""
    head = b"id: %d\n" % event_id if event_id is not None else b""
    return head + b"data: " + json.dumps(payload).encode() + b"\n\n"


async def answered(reply: Message, ids: bool = True) -> AsyncIterator[bytes]:
    """The SSE body of a turn the safety layer answered at once: the same wire format, with a `safety`
    event (old clients ignore it) before the fixed answer. No model is called."""
    end = len(reply.content) if ids else None
    yield OPENING
    yield sse({"sources": reply.sources}, 0 if ids else None)
    yield sse({"safety": reply.safety}, 0 if ids else None)
    yield sse({"content": reply.content}, end)
    yield sse({"done": True}, end)


async def stream(reply: Message, offset: int = 0, *, ids: bool = True) -> AsyncIterator[bytes]:
    """The SSE body of a reply, from `offset`: sources (from the start only), the text as it comes, then
    usage and done, or an error. `ids=False` leaves out the `id:` lines (the POST streams)."""
    metrics.OPEN_STREAMS.inc()
    try:
        yield OPENING
        if reply.safety:
            async for chunk in answered(reply, ids):
                if chunk != OPENING:
                    yield chunk
            return
        if offset == 0:
            yield sse({"sources": reply.sources}, 0 if ids else None)
        sent = offset
        async for item in generation.follow(reply, offset):
            if isinstance(item, generation.Ended):
                stored = item.reply
                break
            if item is generation.KEEPALIVE:
                yield KEEPALIVE
                continue
            sent = item.end
            metrics.FRAMES.inc()
            yield sse({"content": item.text}, sent if ids else None)
        if len(stored.content) > sent:  # a reply that had finished already: its text, whole
            metrics.FRAMES.inc()
            yield sse({"content": stored.content[sent:]}, len(stored.content) if ids else None)
            sent = len(stored.content)
        end = max(sent, offset) if ids else None
        if stored.status == Message.Status.COMPLETE:
            usage = {"prompt_tokens": stored.prompt_tokens, "completion_tokens": stored.completion_tokens}
            yield sse({"usage": usage}, end)
            yield sse({"done": True}, end)
        elif stored.status == Message.Status.ERROR:
            event: dict[str, str | float] = {"error": stored.error or generation.GENERIC_ERROR}
            if stored.retry_after is not None:
                event["retry_after"] = stored.retry_after
            yield sse(event, end)
        else:
            message = NOT_FINISHED.get(stored.status, generation.GENERIC_ERROR)
            yield sse({"error": message, "status": stored.status}, end)
    finally:
        metrics.OPEN_STREAMS.dec()
