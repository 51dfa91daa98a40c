"""Groq and OpenAI-compatible servers: one streaming reader over the official SDKs.

Both SDKs share a shape (they are generated from the same kind of spec). We use
their raw streaming response and read the `data:` lines ourselves: parsing each
chunk into typed objects costs several times more CPU per token than reading
the JSON we need, and the SDKs' typed errors (rate limit, status, timeout,
connection) still raise before the stream starts.
"""

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import httpx
import orjson

from ..grounding import Grounding
from . import errors
from .base import ProviderError, Usage

log = logging.getLogger(__name__)


class _Unreadable(Exception):
    """A chunk that is not what the wire format says it is."""


def _field[T](data: dict, key: str, kind: type[T]) -> T | None:
    """`data[key]` when it is a `kind`; None when it is absent or null; anything else is unreadable."""
    value = data.get(key)
    if value is None or isinstance(value, kind):
        return value
    raise _Unreadable(f"{key} is {type(value).__name__}")


def _count(usage: dict, key: str) -> int | None:
    # What the reply's row can store: a count of tokens, not a bool, a negative number or a huge one.
    value = _field(usage, key, int)
    if value is not None and (isinstance(value, bool) or not 0 <= value < 2**31):
        raise _Unreadable(f"{key} is {value!r}")
    return value


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    raw = response.headers.get("retry-after")
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:
        return None


class OpenAICompatibleProvider:
    """Streams chat completions from any server that speaks the OpenAI wire format (Groq does)."""

    def __init__(
        self,
        *,
        name: str,
        model: str,
        client_factory: Callable[[], Any],
        sdk: Any,
        idle_timeout: float,
        path: str,
        extra_body: dict | None = None,
    ) -> None:
        self.name = name
        self._path = path  # the chat completions endpoint, under the client's base URL
        self.model = model
        self._client_factory = client_factory
        self._sdk = sdk
        self._idle_timeout = idle_timeout
        self._extra_body = extra_body or {}
        # One client per event loop: the aiohttp transport belongs to the loop it was made in.
        self._clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def client(self) -> Any:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = self._client_factory()
        return client

    async def aclose(self) -> None:
        """Close this event loop's client (tests, and a loop that is shutting down)."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()

    def _error_for(self, exc: Exception) -> ProviderError:
        sdk = self._sdk
        if isinstance(exc, sdk.RateLimitError):
            wait = _retry_after(exc.response)
            return ProviderError(
                errors.with_wait(errors.BUSY, wait),
                retry_after=wait,
                code="rate_limited",
            )
        if isinstance(exc, sdk.APITimeoutError):
            return ProviderError(errors.TIMEOUT, code="timeout")
        if isinstance(exc, sdk.APIConnectionError):
            return ProviderError(errors.UNREACHABLE, code="unreachable")
        if isinstance(exc, sdk.AuthenticationError | sdk.PermissionDeniedError):
            log.error("%s rejected our credentials: %s", self.name, exc)
            return ProviderError(errors.MISCONFIGURED, code="misconfigured")
        if isinstance(exc, sdk.APIStatusError):
            if exc.status_code >= 500:
                wait = _retry_after(exc.response)
                return ProviderError(
                    errors.with_wait(errors.TROUBLE, wait),
                    retry_after=wait,
                    code="upstream_unavailable",
                )
            log.error("%s refused the request (%s): %s", self.name, exc.status_code, exc)
            return ProviderError(errors.REFUSED)
        log.exception("unexpected error from %s", self.name)
        return ProviderError(errors.GENERIC)

    async def stream(
        self, messages: list[dict], *, temperature: float, max_tokens: int, grounding: Grounding | None = None
    ) -> AsyncIterator[str | Usage]:
        # The library passages are already in `messages` (see prompts.build_messages).
        sdk = self._sdk
        body = {
            "model": self.model,
            "messages": messages,
            "temperature": temperature,
            "max_tokens": max_tokens,
            "stream": True,
            **self._extra_body,
        }
        try:
            # The SDK's own client (its auth, retries, timeouts and typed errors) through its generic post,
            # for the raw response: chat.completions.create would first walk the whole request through its
            # typed transform (more with a long history) and then parse every
            # chunk into objects, where we need one string from each.
            response = await self.client().post(self._path, cast_to=httpx.Response, body=body, stream=True)
            try:
                loop = asyncio.get_running_loop()
                async with asyncio.timeout(loop.time() + self._idle_timeout) as idle:
                    # Moving the deadline costs a timer per call: a few times per idle period is enough.
                    moved, step = loop.time(), min(1.0, self._idle_timeout / 4)
                    # The raw bytes, split into lines here: the SDK's text decoding and line splitting
                    # (through httpx) cost more per token than everything else on this path.
                    pending = b""
                    async for chunk in response.aiter_bytes():
                        now = loop.time()
                        if now - moved >= step:
                            idle.reschedule(now + self._idle_timeout)
                            moved = now
                        lines = (pending + chunk).split(b"\n")
                        pending = lines.pop()
                        for line in lines:
                            if not line.startswith(b"data:"):
                                continue
                            payload = line[5:].strip()
                            if payload == b"[DONE]":
                                return
                            for piece in self._pieces(payload):
                                yield piece
            finally:
                await response.aclose()
            # A stream that ends without [DONE] was cut short.
            raise ProviderError(errors.CUT, code="cut")
        except ProviderError:
            raise
        except (TimeoutError, httpx.TimeoutException, aiohttp.ServerTimeoutError):
            raise ProviderError(errors.STALLED, code="stalled") from None
        except (httpx.HTTPError, aiohttp.ClientError, ConnectionError) as exc:
            log.warning("%s stream failed: %r", self.name, exc)
            raise ProviderError(errors.CUT, code="cut") from None
        except sdk.APIError as exc:
            raise self._error_for(exc) from None

    def _pieces(self, payload: bytes) -> Iterator[str | Usage]:
        """The text and usage in one chunk's `data:`. A chunk that is not the documented shape ends the answer
        at once, as an error with the text so far: skipping it would store an answer with a hole in it."""
        try:
            chunk = orjson.loads(payload)
            if not isinstance(chunk, dict):
                raise _Unreadable(f"the chunk is {type(chunk).__name__}")
            if "error" in chunk:
                message = (chunk["error"] or {}).get("message", "") if isinstance(chunk["error"], dict) else ""
                log.warning("upstream error mid-stream: %s", message)
                raise ProviderError(errors.FAILED_MID_ANSWER, code="upstream_error")
            for choice in _field(chunk, "choices", list) or ():
                if not isinstance(choice, dict):
                    raise _Unreadable(f"a choice is {type(choice).__name__}")
                content = _field(_field(choice, "delta", dict) or {}, "content", str)
                if content:
                    yield content
            usage = _field(_field(chunk, "x_groq", dict) or {}, "usage", dict) or _field(chunk, "usage", dict)
            if usage:
                yield Usage(_count(usage, "prompt_tokens"), _count(usage, "completion_tokens"))
        except (orjson.JSONDecodeError, _Unreadable) as exc:
            log.error("%s sent a chunk we could not read (%s): %.300r", self.name, exc, payload)
            raise ProviderError(errors.UNREADABLE, code="unreadable") from None
