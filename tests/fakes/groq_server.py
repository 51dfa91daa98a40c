"""A fake Groq server on loopback that speaks Groq's streaming wire format.

`POST /openai/v1/chat/completions` (Groq) and `POST /v1/chat/completions`
(OpenAI-compatible servers) answer with `data: {chunk}` lines carrying
`choices[].delta.content`, a last chunk with `finish_reason` and
`x_groq.usage` (and `usage`), then `data: [DONE]`, at a set token rate.

On request it misbehaves: `429` with `retry-after`, `500`, a stall, a stream
cut mid-way, or a chunk a client cannot read (`malformed`). A behaviour is taken
from `server.plan` (first in, first out), else from a `[fake:NAME]` marker in
the last user message, else `server.default`. It records every request, and
counts streams whose client went away early.

Used by the tests and by the benchmark (`python -m tests.fakes.groq_server`).
"""

import argparse
import asyncio
import contextlib
import json
import re
import time
import uuid
import zlib
from dataclasses import dataclass, field

MARKER = re.compile(r"\[fake:([a-z0-9_]+)\]")


@dataclass
class Behaviour:
    kind: str = "ok"  # ok | rate_limit | server_error | stall | cut | error_chunk | malformed
    tokens: int = 30
    retry_after: float = 2.0
    cut_after: int = 5  # tokens sent before a cut, a stall, an error chunk or the malformed chunk
    stall_seconds: float = 3600.0
    malformed: bytes = b'{"choices":[{"delta":{"content":5}}]}'  # what the malformed chunk's `data:` line holds


@dataclass
class Recorded:
    path: str
    headers: dict
    body: dict


@dataclass
class FakeGroq:
    tokens_per_second: float = 1000.0
    default: Behaviour = field(default_factory=Behaviour)
    plan: list = field(default_factory=list)
    named: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    completed: int = 0
    client_gone: int = 0
    gzip: bool = False  # compress the stream (content-encoding: gzip), flushed after every event
    host: str = "127.0.0.1"
    port: int = 0
    _server: asyncio.AbstractServer | None = None

    @property
    def base_url(self) -> str:
        """For GROQ_BASE_URL (the SDK adds /openai/v1/...)."""
        return f"http://{self.host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    async def start(self) -> "FakeGroq":
        self._server = await asyncio.start_server(self._handle, self.host, self.port, limit=1 << 20, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def token_text(self, i: int) -> str:
        return f"tok{i} "

    def answer(self, tokens: int) -> str:
        return "".join(self.token_text(i) for i in range(tokens))

    def _behaviour_for(self, body: dict) -> Behaviour:
        if self.plan:
            return self.plan.pop(0)
        messages = body.get("messages") or []
        last = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
        match = MARKER.search(last if isinstance(last, str) else "")
        if match:
            return self.named.get(match.group(1)) or Behaviour(kind=match.group(1))
        return self.default

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                path, headers, raw = request
                if not path.endswith("/chat/completions"):
                    await _respond(writer, 404, {"error": {"message": "not found"}})
                    continue
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    await _respond(writer, 400, {"error": {"message": "bad json"}})
                    continue
                self.requests.append(Recorded(path, headers, body))
                keep = await self._serve(reader, writer, body)
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _serve(self, reader, writer, body) -> bool:
        b = self._behaviour_for(body)
        if b.kind == "rate_limit":
            await _respond(
                writer,
                429,
                {
                    "error": {
                        "message": f"Rate limit reached. Please try again in {b.retry_after}s.",
                        "type": "tokens",
                        "code": "rate_limit_exceeded",
                    }
                },
                extra={"retry-after": f"{b.retry_after:g}"},
            )
            return True
        if b.kind == "server_error":
            await _respond(
                writer, 500, {"error": {"message": "Internal Server Error", "type": "internal_server_error"}}
            )
            return True
        return await self._stream(reader, writer, body, b)

    async def _stream(self, reader, writer, body, b: Behaviour) -> bool:
        compressor = zlib.compressobj(wbits=31) if self.gzip else None  # 31: the gzip format
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
            + (b"content-encoding: gzip\r\n" if compressor else b"")
            + b"transfer-encoding: chunked\r\nx-request-id: req_fake\r\n\r\n"
        )

        def event(data: bytes) -> bytes:
            if compressor is not None:
                data = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
            return _chunked(data)

        def end() -> bytes:
            return (_chunked(compressor.flush()) if compressor is not None else b"") + b"0\r\n\r\n"

        model = body.get("model", "llama-3.3-70b-versatile")
        cid = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        created = int(time.time())
        n = min(int(body.get("max_tokens") or b.tokens), b.tokens)
        gap = 1.0 / self.tokens_per_second if self.tokens_per_second > 0 else 0.0

        def gone() -> bool:  # the client hung up (reading nothing, so a next request stays intact)
            return reader.at_eof() or writer.transport.is_closing()

        def chunk_data(delta: dict, finish=None, usage=None) -> bytes:
            data = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
                "x_groq": {"id": "req_fake"},
            }
            if usage is not None:
                data["x_groq"]["usage"] = usage
                data["usage"] = usage
            return b"data: " + json.dumps(data, separators=(",", ":")).encode() + b"\n\n"

        def chunk(delta: dict, finish=None, usage=None) -> bytes:
            return event(chunk_data(delta, finish, usage))

        # A token's chunk is the same but for its text: made once, with the text put in per token.
        head, _, tail = chunk_data({"content": "\0"}).partition(b'"\\u0000"')

        def token_chunk(text: str) -> bytes:
            return event(head + json.dumps(text).encode() + tail)

        try:
            writer.write(chunk({"role": "assistant", "content": ""}))
            start = time.monotonic()
            for i in range(n):
                if b.kind == "malformed" and i == b.cut_after:
                    # Then the rest as usual: a client that skipped this chunk would get a whole answer.
                    writer.write(event(b"data: " + b.malformed + b"\n\n"))
                if b.kind in ("cut", "stall", "error_chunk") and i == b.cut_after:
                    if b.kind == "cut":
                        await writer.drain()
                        writer.transport.abort()  # no terminating chunk: a broken stream
                        return False
                    if b.kind == "error_chunk":
                        err = {"error": {"message": "Service unavailable", "type": "internal_server_error"}}
                        writer.write(event(b"data: " + json.dumps(err).encode() + b"\n\n"))
                        writer.write(end())
                        await writer.drain()
                        return True
                    deadline = time.monotonic() + b.stall_seconds
                    while time.monotonic() < deadline and not gone():
                        await asyncio.sleep(0.02)
                    if gone():
                        self.client_gone += 1
                    return False
                writer.write(token_chunk(self.token_text(i)))
                await writer.drain()
                if gap:
                    delay = start + (i + 1) * gap - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                if gone():
                    self.client_gone += 1
                    return False
            prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
            usage = {
                "queue_time": 0.01,
                "prompt_tokens": prompt_tokens,
                "prompt_time": 0.01,
                "completion_tokens": n,
                "completion_time": n * gap,
                "total_tokens": prompt_tokens + n,
                "total_time": n * gap + 0.01,
            }
            writer.write(chunk({}, finish="stop", usage=usage))
            writer.write(event(b"data: [DONE]\n\n"))
            writer.write(end())
            await writer.drain()
            self.completed += 1
            return True
        except ConnectionError:
            self.client_gone += 1
            return False


def _chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


async def _read_request(reader: asyncio.StreamReader):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    _method, path, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = await reader.readexactly(length) if length else b""
    return path, headers, body


async def _respond(writer, status: int, payload: dict, extra: dict | None = None) -> None:
    body = json.dumps(payload).encode()
    reason = {400: "Bad Request", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error"}[status]
    head = f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
    for k, v in (extra or {}).items():
        head += f"{k}: {v}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()


async def _main() -> None:
    parser = argparse.ArgumentParser(description="Run the fake Groq server (for the benchmark).")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--rate", type=float, default=280.0, help="tokens per second per stream")
    parser.add_argument("--tokens", type=int, default=300, help="tokens per answer")
    args = parser.parse_args()
    server = await FakeGroq(tokens_per_second=args.rate, default=Behaviour(tokens=args.tokens), port=args.port).start()
    print(f"fake Groq on {server.base_url} ({args.rate:g} tokens/s, {args.tokens} tokens)", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    # For the benchmark, on the 2 cores it shares with the server it measures: uvloop (a dependency of
    # the server already) makes its timers and writes cheaper, leaving more of the cores to the server.
    try:
        import uvloop
    except ImportError:
        uvloop = None
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(), loop_factory=uvloop.new_event_loop if uvloop else None)
