"""Following a reply by character offset, from any process: the request that started it, a reload, a second
tab, a reconnect after a dropped network. In this process a follower reads the Generation directly; in
another, through the relay."""

import asyncio
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings

from conversations import replies
from conversations.models import Message

from . import registry, relay
from .pieces import KEEPALIVE, Ended, Piece


async def follow(reply: Message, offset: int = 0) -> AsyncIterator[Piece | Ended]:
    """A reply from `offset` on, from any process: its text as it comes (Pieces, and KEEPALIVE during
    silences), then `Ended` with the stored reply. A reply that had finished already yields only `Ended`:
    its text is in it. The API's stream and the page's stream each format this one sequence."""
    local = registry.get(reply.public_id)
    if local is not None:
        async for item in _follow_local(local, offset):
            yield item
        await local.finished.wait()
        yield Ended(local.reply)  # what was stored, held by the Generation: no query
        return
    stored = await sync_to_async(replies.settle)(reply)
    if stored.status == Message.Status.STREAMING:
        async for item in relay.follow_remote(stored, offset):
            yield item
        stored = await sync_to_async(replies.settle)(reply)
    yield Ended(stored)


async def _follow_local(generation: registry.Generation, offset: int) -> AsyncIterator[Piece]:
    coalesce = settings.STREAM_COALESCE_MS / 1000
    keepalive = settings.STREAM_KEEPALIVE_SECONDS
    sent = min(offset, generation.length)
    loop = asyncio.get_running_loop()
    while True:
        try:
            await asyncio.wait_for(generation.wait_beyond(sent), keepalive)
        except TimeoutError:
            yield KEEPALIVE
            continue
        framed_at = loop.time()
        if generation.length > sent:
            text = generation.text
            yield Piece(sent, text[sent:])
            sent = len(text)
        if generation.finished.is_set():
            return
        if coalesce:
            # The next frame is due a window after this one was made, not a window after it was written:
            # when writing is slow (a busy server), the frames keep their pace instead of falling behind.
            delay = framed_at + coalesce - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)


async def final(reply: Message) -> Message:
    """The reply as stored, once its generation in this process (if it runs here) has finished."""
    local = registry.get(reply.public_id)
    if local is not None:
        await local.finished.wait()
        return local.reply
    return await sync_to_async(replies.settle)(reply)
