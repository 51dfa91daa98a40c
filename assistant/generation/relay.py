"""Between processes: how a follower in one process reads a reply generated in another, and how Stop reaches it.

Through the Channels layer (channels-redis when REDIS_URL is set). Each process listens on one channel of its
own, named after its worker id, which the reply's row records. A follower elsewhere joins the reply's frames
group, says hello to that channel with the offset it has, gets the missing text back on its own channel, then
the live frames; it says bye when it leaves. Frames are only published while someone in another process
follows, and the process's one listener is the only standing cost: a reply costs the layer nothing unless it
is followed or stopped from elsewhere. Stop is a message to that channel too.

    hello {reply, channel, offset}  ->  frame {offset, text} on the follower's channel, then frames to the group
    bye {reply}                     ->  one follower fewer
    stop {reply}                    ->  the generating process stops the reply
    (to the group) frame {offset, text} ... end {status}
"""

import asyncio
import contextlib
import hashlib
import logging
import uuid
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer, get_channel_layer
from django.conf import settings
from redis.exceptions import TimeoutError as RedisTimeoutError

from conversations import replies
from conversations.models import Message
from medbotx.sync import server_context

from . import registry
from .pieces import KEEPALIVE, Piece

log = logging.getLogger(__name__)


def frames_group(reply_id: uuid.UUID) -> str:
    return f"reply.{reply_id.hex}.frames"


def worker_channel(worker: str) -> str:
    """The channel a worker process listens on (a worker id holds characters channel names may not)."""
    return "medbotx.worker." + hashlib.sha256(worker.encode()).hexdigest()[:32]


# --- The generating side ----------------------------------------------------------------------------


async def publish(generation: registry.Generation, end: bool = False) -> None:
    """Send the frames group the text it has not had yet (and, at the end, the outcome)."""
    layer = get_channel_layer()
    group = frames_group(generation.reply.public_id)
    text = generation.text
    if len(text) > generation.published:
        offset = generation.published
        generation.published = len(text)
        await layer.group_send(group, {"type": "frame", "offset": offset, "text": text[offset:]})
    if end:
        await layer.group_send(group, {"type": "end", "status": generation.status})


_listener: asyncio.Task | None = None


def ensure_listener() -> None:
    """Start this process's listener (once, on its first generation): followers in other processes and
    Stop reach this process's replies through it."""
    global _listener
    loop = asyncio.get_running_loop()
    if _listener is not None and not _listener.done() and _listener.get_loop() is loop:
        return
    if get_channel_layer() is None:
        return
    _listener = loop.create_task(_listen(), context=server_context())


async def _listen() -> None:
    layer = get_channel_layer()
    channel = worker_channel(registry.WORKER)
    while True:
        try:
            message = await layer.receive(channel)
        except asyncio.CancelledError:
            raise
        except (TimeoutError, RedisTimeoutError):
            # channels-redis waits for a message in 5-second polls; under load, the client's read of an
            # empty poll can time out first. Nothing is lost: poll again.
            continue
        except Exception:  # the layer is briefly unreachable (Redis restarting): try again shortly
            log.warning("the channel layer failed; listening again in a second", exc_info=True)
            await asyncio.sleep(1)
            continue
        try:
            await _answer(layer, message)
        except Exception:
            log.exception("could not answer %s", message.get("type"))


async def _answer(layer: BaseChannelLayer, message: dict) -> None:
    """A hello (a follower elsewhere, with the offset it has), its bye, or Stop, for one of this process's
    replies. One that is no longer running here is not answered: the follower then reads what is stored."""
    try:
        reply_id = uuid.UUID(str(message.get("reply")))
    except ValueError:
        return
    generation = registry.get(reply_id)
    kind = message.get("type")
    if generation is None:
        return
    if kind == "hello":
        if generation.remote == 0:
            generation.published = generation.length
        generation.remote += 1
        text = generation.text
        offset = min(int(message.get("offset", 0)), len(text))
        with contextlib.suppress(ChannelFull):
            await layer.send(message["channel"], {"type": "frame", "offset": offset, "text": text[offset:]})
    elif kind == "bye":
        generation.remote = max(0, generation.remote - 1)
    elif kind == "stop":
        generation.request_stop()


# --- The following side -----------------------------------------------------------------------------


async def tell_worker(reply: Message, message: dict) -> bool:
    """Send `message` about `reply` to the process generating it, as its row says; False if it cannot be."""
    layer = get_channel_layer()
    if layer is None or not reply.worker:
        return False
    try:
        await layer.send(worker_channel(reply.worker), {**message, "reply": reply.public_id.hex})
    except ChannelFull:  # that process stopped reading (it died): nobody will answer
        return False
    return True


async def follow_remote(reply: Message, offset: int) -> AsyncIterator[Piece]:
    """A reply generated in another process, from `offset` on, until its end frame (or until no process
    answers and the stored row says it is over)."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    group = frames_group(reply.public_id)
    await layer.group_add(group, channel)
    sent = offset
    answered = False
    try:
        await tell_worker(reply, {"type": "hello", "channel": channel, "offset": offset})
        while True:
            wait = settings.STREAM_KEEPALIVE_SECONDS if answered else settings.STREAM_HANDOFF_SECONDS
            try:
                message = await asyncio.wait_for(layer.receive(channel), wait)
            except TimeoutError:
                if answered:
                    yield KEEPALIVE
                    continue
                # Nobody answered: no process runs this reply any more, or its process is busy (or had not
                # started listening yet). The stored state and the lease decide; meanwhile, ask again.
                stored = await sync_to_async(replies.settle)(reply)
                if stored.status == Message.Status.STREAMING:
                    await tell_worker(stored, {"type": "hello", "channel": channel, "offset": sent})
                    continue
                if len(stored.content) > sent:
                    yield Piece(sent, stored.content[sent:])
                return
            answered = True
            if message["type"] == "frame":
                start, text = message["offset"], message["text"]
                if start + len(text) > sent and start <= sent:
                    yield Piece(sent, text[sent - start :])
                    sent = start + len(text)
            elif message["type"] == "end":
                stored = await sync_to_async(replies.settle)(reply)
                if len(stored.content) > sent:
                    yield Piece(sent, stored.content[sent:])
                return
    finally:
        await asyncio.shield(_leave(layer, group, channel, reply))


async def _leave(layer: BaseChannelLayer, group: str, channel: str, reply: Message) -> None:
    await layer.group_discard(group, channel)
    await tell_worker(reply, {"type": "bye"})
