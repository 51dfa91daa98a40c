"""POST /api/chat/stream: the answer streams as SSE, and every turn is stored whatever happens."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.core.asgi import get_asgi_application

from accounts.identity import Identity
from assistant import generation
from assistant.prompts import system_prompt
from conversations import actions
from conversations.models import DEFAULT_TITLE, Message, Thread
from tests.fakes.groq_server import Behaviour

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CHAT = "/api/chat/stream"


async def ask(aclient, thread_id, message, caller=None, headers=None):
    headers = {**(caller.header_dict() if caller else {}), **(headers or {})}
    body = json.dumps({"thread_id": str(thread_id), "message": message})
    return await aclient.post(CHAT, body, content_type="application/json", headers=headers)


async def read_all(response) -> bytes:
    return b"".join([chunk async for chunk in response.streaming_content])


def events(raw: bytes) -> list[dict]:
    """The data events, parsed as an old client would: split on blank lines, keep `data:` lines."""
    out = []
    for block in raw.decode().split("\n\n"):
        for line in block.splitlines():
            if line.startswith("data: "):
                out.append(json.loads(line[6:]))
    return out


@sync_to_async
def new_thread(identity=None, title=None) -> Thread:
    return actions.create_thread(identity or Identity(), title)


@sync_to_async
def stored(thread) -> list[tuple[str, str, str]]:
    return [(m.role, m.status, m.content) for m in Message.objects.filter(thread=thread)]


async def test_a_successful_turn_streams_one_frame_per_token_and_stores_both_messages(aclient, fake_groq, settings):
    fake_groq.tokens_per_second = 10  # one token per 100 ms: one frame each
    fake_groq.default = Behaviour(tokens=3)
    settings.STREAM_COALESCE_MS = 0
    thread = await new_thread()

    response = await ask(aclient, thread.public_id, "  What is a normal temperature?  ")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    body = await read_all(response)
    assert body.startswith(b": stream open\n\n")
    assert events(body)[-1] == {"done": True}
    assert "".join(e.get("content", "") for e in events(body)) == "tok0 tok1 tok2 "
    assert [e for e in events(body) if "content" in e] == [
        {"content": "tok0 "},
        {"content": "tok1 "},
        {"content": "tok2 "},
    ]

    rows = await stored(thread)
    assert rows == [
        ("user", "complete", "What is a normal temperature?"),
        ("assistant", "complete", "tok0 tok1 tok2 "),
    ]
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert (reply.provider, reply.model, reply.completion_tokens) == ("groq", "llama-3.3-70b-versatile", 3)
    assert reply.prompt_tokens == events(body)[-2]["usage"]["prompt_tokens"] > 0

    request = fake_groq.requests[-1]
    assert request.path == "/openai/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer gsk_test"
    assert request.body["model"] == "llama-3.3-70b-versatile"
    assert request.body["temperature"] == 0.3
    assert request.body["max_tokens"] == 2048
    assert request.body["stream"] is True
    assert request.body["messages"] == [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": "What is a normal temperature?"},
    ]


async def test_the_exact_bytes_with_usage(aclient, fake_groq, settings):
    fake_groq.tokens_per_second = 10
    fake_groq.default = Behaviour(tokens=2)
    settings.STREAM_COALESCE_MS = 0
    thread = await new_thread()
    body = await read_all(await ask(aclient, thread.public_id, "Hi"))
    prompt_tokens = len(system_prompt().split()) + 1
    # The original MedBotX's framing, which its React client depends on: `data: <json>` and a blank line,
    # nothing else but comments. (Resuming has its own stream with ids: tests/assistant/test_resume.py.)
    assert body == (
        b": stream open\n\n"
        b'data: {"sources": []}\n\n'
        b'data: {"content": "tok0 "}\n\n'
        b'data: {"content": "tok1 "}\n\n'
        b'data: {"usage": {"prompt_tokens": %d, "completion_tokens": 2}}\n\n'
        b'data: {"done": true}\n\n' % prompt_tokens
    )


async def test_the_prompt_carries_the_last_ten_messages_then_the_new_one(aclient, fake_groq):
    thread = await new_thread()

    @sync_to_async
    def fill():
        for i in range(14):
            actions.append_message(thread, "user" if i % 2 == 0 else "assistant", f"note {i} on healthy sleep")

    await fill()
    await read_all(await ask(aclient, thread.public_id, "and what about naps?"))
    sent = fake_groq.requests[-1].body["messages"]
    assert sent[0]["role"] == "system"
    assert [m["content"] for m in sent[1:]] == [f"note {i} on healthy sleep" for i in range(4, 14)] + [
        "and what about naps?"
    ]


async def test_settings_shape_the_request(aclient, fake_groq, settings):
    settings.LLM_TEMPERATURE = 0.1
    settings.LLM_MAX_TOKENS = 5
    settings.LLM_HISTORY_MESSAGES = 2
    settings.GROQ_MODEL = "llama-3.1-8b-instant"
    thread = await new_thread()
    for _ in range(2):
        await read_all(await ask(aclient, thread.public_id, "what else helps me sleep well?"))
    body = fake_groq.requests[-1].body
    assert (body["temperature"], body["max_tokens"], body["model"]) == (0.1, 5, "llama-3.1-8b-instant")
    assert len(body["messages"]) == 1 + 2 + 1


async def test_the_first_exchange_titles_the_thread(aclient, fake_groq):
    thread = await new_thread()
    await read_all(await ask(aclient, thread.public_id, "How much sleep does a teenager need on school nights?"))
    await read_all(await ask(aclient, thread.public_id, "And adults?"))
    await thread.arefresh_from_db()
    assert thread.title == "How much sleep does a teenager need on school nights"
    named = await new_thread(title="My own title")
    await read_all(await ask(aclient, named.public_id, "Something else entirely"))
    await named.arefresh_from_db()
    assert named.title == "My own title"


async def test_a_turn_moves_the_threads_updated_at(aclient, fake_groq):
    thread = await new_thread()
    before = thread.updated_at
    await read_all(await ask(aclient, thread.public_id, "hello"))
    await thread.arefresh_from_db()
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert thread.updated_at > before and thread.updated_at >= reply.created_at


FAILURES = [
    # (behaviour, words in the error, the partial reply stored)
    (Behaviour(kind="rate_limit", retry_after=2), "try again in 2 seconds", ""),
    (Behaviour(kind="server_error"), "having trouble", ""),
    (Behaviour(kind="cut", tokens=10, cut_after=3), "lost mid-answer", "tok0 tok1 tok2 "),
    (Behaviour(kind="stall", tokens=10, cut_after=3, stall_seconds=30), "stopped responding", "tok0 tok1 tok2 "),
    (Behaviour(kind="error_chunk", tokens=10, cut_after=4), "failed mid-answer", "tok0 tok1 tok2 tok3 "),
]


@pytest.mark.parametrize(("behaviour", "words", "partial"), FAILURES, ids=lambda v: getattr(v, "kind", None))
async def test_an_upstream_failure_sends_an_error_event_and_keeps_everything(
    aclient, fake_groq, settings, behaviour, words, partial
):
    settings.LLM_IDLE_TIMEOUT = 0.5
    fake_groq.plan = [behaviour]
    thread = await new_thread()

    body = await read_all(await ask(aclient, thread.public_id, "Is a cold contagious?"))

    got = events(body)
    assert {"done": True} not in got
    error = got[-1]
    assert isinstance(error["error"], str) and words in error["error"]
    assert "".join(e.get("content", "") for e in got) == partial
    if behaviour.kind == "rate_limit":
        assert error["retry_after"] == 2
    rows = await stored(thread)
    assert rows == [("user", "complete", "Is a cold contagious?"), ("assistant", "error", partial)]
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert words in reply.error


async def test_the_sdk_retries_once_before_anything_is_streamed(aclient, fake_groq, settings):
    settings.LLM_MAX_RETRIES = 1
    fake_groq.plan = [Behaviour(kind="server_error")]
    thread = await new_thread()
    body = await read_all(await ask(aclient, thread.public_id, "hello"))
    assert events(body)[-1] == {"done": True}
    assert len(fake_groq.requests) == 2


async def test_a_client_that_disconnects_does_not_stop_the_reply_which_is_stored_complete(fake_groq, settings):
    fake_groq.tokens_per_second = 50
    fake_groq.default = Behaviour(tokens=40)
    thread = await new_thread()
    app = get_asgi_application()
    body = json.dumps({"thread_id": str(thread.public_id), "message": "Tell me about asthma"}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": CHAT,
        "raw_path": CHAT.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    to_app: asyncio.Queue = asyncio.Queue()
    from_app: asyncio.Queue = asyncio.Queue()
    await to_app.put({"type": "http.request", "body": body, "more_body": False})
    task = asyncio.create_task(app(scope, to_app.get, from_app.put))

    start = await asyncio.wait_for(from_app.get(), 10)
    assert start["type"] == "http.response.start" and start["status"] == 200
    received = b""
    while b'"content"' not in received:
        received += (await asyncio.wait_for(from_app.get(), 10))["body"]
    await to_app.put({"type": "http.disconnect"})
    await asyncio.wait_for(task, 10)

    # The generation belongs to the server, not to the request: it carries on and is stored complete.
    reply = await Message.objects.aget(thread=thread, role="assistant")
    await generation.final(reply)
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert reply.status == Message.Status.COMPLETE
    assert reply.content == fake_groq.answer(40)
    assert fake_groq.client_gone == 0 and fake_groq.completed == 1
    assert (await Message.objects.aget(thread=thread, role="user")).content == "Tell me about asthma"


async def test_a_stranger_gets_404_and_nothing_is_written(aclient, fake_groq, owner, stranger):
    thread = await new_thread(owner.identity)
    response = await ask(aclient, thread.public_id, "hello", stranger)
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Thread not found"}
    assert await Message.objects.acount() == 0
    assert (await ask(aclient, thread.public_id, "hello")).status_code == 404  # anonymous
    assert fake_groq.requests == []


async def test_the_owner_and_a_guest_can_chat_in_their_threads(aclient, fake_groq, owner, guest):
    for caller in (owner, guest):
        thread = await new_thread(caller.identity)
        response = await ask(aclient, thread.public_id, "hello", caller)
        assert events(await read_all(response))[-1] == {"done": True}


BAD_BODIES = [
    ('{"thread_id": "%s", "message": ""}', 422, "empty"),
    ('{"thread_id": "%s", "message": "   \\n  "}', 422, "empty"),
    ('{"thread_id": "%s", "message": "' + "x" * 4001 + '"}', 422, "too long"),
    ('{"thread_id": "%s"}', 422, "message"),
    ('{"message": "hi"}', 422, "thread_id"),
    ('{"thread_id": "%s", "message": 5}', 422, "message"),
    ('{"thread_id": "%s", "message": "hi", "model": "gpt"}', 422, "model"),
    ('{"thread_id": "%s", "message": "hi"', 400, "not valid JSON"),
    ('{"thread_id": "not-a-uuid", "message": "hi"}', 404, "Thread not found"),
]


@pytest.mark.parametrize(("template", "status", "words"), BAD_BODIES)
async def test_bad_bodies_get_a_clear_4xx_and_write_nothing(aclient, fake_groq, template, status, words):
    thread = await new_thread()
    raw = template % thread.public_id if "%s" in template else template
    response = await aclient.post(CHAT, raw, content_type="application/json")
    assert response.status_code == status
    detail = json.loads(response.content)["detail"]
    assert isinstance(detail, str) and words in detail
    assert await Message.objects.acount() == 0
    assert fake_groq.requests == []


async def test_the_message_limit_is_a_setting(aclient, fake_groq, settings):
    settings.CHAT_MESSAGE_MAX_CHARS = 10
    thread = await new_thread()
    assert (await ask(aclient, thread.public_id, "x" * 11)).status_code == 422
    assert (await ask(aclient, thread.public_id, "x" * 10)).status_code == 200


async def test_a_bad_token_gets_401(aclient, fake_groq):
    thread = await new_thread()
    response = await ask(aclient, thread.public_id, "hi", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert await Message.objects.acount() == 0


async def test_fifty_concurrent_streams_all_complete_and_are_stored(aclient, fake_groq):
    fake_groq.tokens_per_second = 200
    fake_groq.default = Behaviour(tokens=40)
    threads = [await new_thread() for _ in range(50)]

    async def one(thread):
        question = f"how do I sleep better? (thread {str(thread.public_id)[:8]})"
        return events(await read_all(await ask(aclient, thread.public_id, question)))

    results = await asyncio.gather(*(one(t) for t in threads))
    expected = fake_groq.answer(40)
    for got in results:
        assert got[-1] == {"done": True}
        assert "".join(e.get("content", "") for e in got) == expected
    replies = [m async for m in Message.objects.filter(role="assistant")]
    assert len(replies) == 50
    assert all(m.status == "complete" and m.content == expected for m in replies)
    assert await Message.objects.filter(role="user").acount() == 50


async def test_an_openai_compatible_server_works_the_same(aclient, fake_groq, settings):
    settings.MEDBOTX_LLM = "openai"
    settings.OPENAI_BASE_URL = fake_groq.openai_base_url
    settings.OPENAI_MODEL = "local-llama"
    thread = await new_thread()
    got = events(await read_all(await ask(aclient, thread.public_id, "hello")))
    assert got[-1] == {"done": True}
    assert fake_groq.requests[-1].path == "/v1/chat/completions"
    assert fake_groq.requests[-1].body["model"] == "local-llama"
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert (reply.provider, reply.model, reply.content) == ("openai", "local-llama", fake_groq.answer(12))


async def test_the_default_title_is_kept_until_a_first_message(aclient, fake_groq):
    thread = await new_thread()
    assert thread.title == DEFAULT_TITLE


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
async def test_a_compressed_upstream_stream_is_decoded_token_by_token(aclient, fake_groq, settings, gzip):
    """Plain or compressed, the body goes through httpx's decoder and gives every token, in order, as it
    comes."""
    fake_groq.gzip = gzip
    fake_groq.tokens_per_second = 20
    fake_groq.default = Behaviour(tokens=4)
    settings.STREAM_COALESCE_MS = 0
    thread = await new_thread()
    body = await read_all(await ask(aclient, thread.public_id, "Hi"))
    assert [e["content"] for e in events(body) if "content" in e] == ["tok0 ", "tok1 ", "tok2 ", "tok3 "]
    assert events(body)[-1] == {"done": True}
    rows = await stored(thread)
    assert rows[-1] == ("assistant", "complete", "tok0 tok1 tok2 tok3 ")


async def test_a_message_with_an_unpaired_surrogate_is_answered_and_stored(aclient):
    """Even an emergency: the safety answer must never be lost to a text encoding error (it was a 500 at the
    insert). The unpaired surrogate, valid JSON but not text, is stored as U+FFFD."""
    thread = await new_thread()
    message = "\\udc00 my dad collapsed and is not breathing"  # the JSON escape, as a client could send it
    raw = f'{{"thread_id": "{thread.public_id}", "message": "{message}"}}'
    response = await aclient.post(CHAT, raw, content_type="application/json")
    assert response.status_code == 200
    assert events(await read_all(response))[-1] == {"done": True}
    assert await stored(thread) == [
        ("user", "complete", "\ufffd my dad collapsed and is not breathing"),
        ("assistant", "complete", (await Message.objects.aget(thread=thread, role="assistant")).content),
    ]
    assert (await Message.objects.aget(thread=thread, role="assistant")).provider == "safety"
