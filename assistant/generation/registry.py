"""The generations running in this process, and the worker id that names this process in a reply's row.

A Generation holds one reply's text so far in memory and wakes whoever waits for more. The registry maps a
reply's public id to its Generation while it runs; `runner` adds and removes them, `following` and `relay`
read them. A reply left streaming by a process that is gone is found here too (`sweep_expired`).
"""

import asyncio
import os
import socket
import uuid

from conversations import replies
from conversations.models import Message

from ..providers import Usage

WORKER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Generation:
    """One reply being generated: its text so far, and a way to wait for more."""

    def __init__(self, reply: Message, limit_key: str = "") -> None:
        self.reply = reply
        self.limit_key = limit_key  # whose daily token quota the reply counts against
        self.parts: list[str] = []
        self.length = 0
        self.status = Message.Status.STREAMING
        self.error = ""
        self.retry_after: float | None = None
        self.usage = Usage()
        self.stop_requested = False
        self.finished = asyncio.Event()  # set once the outcome is stored
        self._changed = asyncio.Event()
        self._waiting = False  # someone waits on _changed: only then is a new event worth making
        self.task: asyncio.Task | None = None
        self.remote = 0  # followers in other processes
        self.published = 0  # how much of the text the frames group has been sent

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def append(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)
        self._notify()

    def end(self, status: Message.Status) -> None:
        """The outcome is stored: wake every follower for the last time."""
        self.status = status
        self.finished.set()
        self._waiting = True
        self._notify()

    def _notify(self) -> None:
        # Per token, this is on the hot path: it only costs an allocation when a follower is waiting.
        if self._waiting:
            self._waiting = False
            changed, self._changed = self._changed, asyncio.Event()
            changed.set()

    async def wait_beyond(self, offset: int) -> None:
        """Return when the text is longer than `offset` characters, or the reply is finished."""
        while self.length <= offset and not self.finished.is_set():
            self._waiting = True
            await self._changed.wait()

    def request_stop(self) -> bool:
        """Stop: cancel the task (the runner stores the reply as cancelled). False if it had ended."""
        if self.task is None or self.task.done():
            return False
        self.stop_requested = True
        self.task.cancel()
        return True


_running: dict[uuid.UUID, Generation] = {}


def get(reply_id: uuid.UUID) -> Generation | None:
    return _running.get(reply_id)


def add(generation: Generation) -> None:
    _running[generation.reply.public_id] = generation


def remove(generation: Generation) -> None:
    _running.pop(generation.reply.public_id, None)


def stop_local(reply_id: uuid.UUID) -> bool:
    """Stop the reply if this process generates it."""
    generation = _running.get(reply_id)
    return generation is not None and generation.request_stop()


def _dead_here(worker: str) -> bool:
    """A worker of this host whose process is gone (a crash or SIGKILL), so its replies are orphans."""
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or worker == WORKER:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def sweep_expired() -> int:
    """Mark interrupted every reply left streaming by a process that stopped (replies.sweep_expired)."""
    return replies.sweep_expired(_dead_here)
