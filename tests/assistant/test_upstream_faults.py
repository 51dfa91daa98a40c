"""A model server that sends data we cannot read: the reply ends as an error at once, keeping the text
received before it, with a sentence for the person; every follower is told, and the failure is logged.
(The other upstream failures are in tests/assistant/test_chat_stream.py.)"""

import asyncio
import json
import logging

import pytest
from asgiref.sync import sync_to_async

from accounts.identity import Identity
from assistant import generation
from conversations import actions
from conversations.models import Message
from tests.fakes.groq_server import Behaviour

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

GOOD = "tok0 tok1 tok2 "  # the tokens the fake sends before the malformed chunk (then it goes on: see below)
WORDS = "could not read"

MALFORMED = {
    "content_a_number": b'{"choices":[{"delta":{"content":5}}]}',
    "content_a_list": b'{"choices":[{"delta":{"content":["tok"]}}]}',
    "not_json": b'{"choices":[{"delta":{"content":"tok',
    "not_utf8": b'{"choices":[{"delta":{"content":"\xff"}}]}',
    "a_list_not_an_object": b'[{"choices":[{"delta":{"content":"tok"}}]}]',
    "a_string_not_an_object": b'"tok"',
    "null": b"null",
    "choices_an_object": b'{"choices":{"delta":{"content":"tok"}}}',
    "a_choice_not_an_object": b'{"choices":["tok"]}',
    "delta_a_string": b'{"choices":[{"delta":"tok"}]}',
    "usage_in_words": b'{"choices":[],"usage":{"prompt_tokens":"many","completion_tokens":3}}',
    "usage_negative": b'{"choices":[],"x_groq":{"usage":{"prompt_tokens":-1,"completion_tokens":3}}}',
}


@sync_to_async
def new_thread():
    return actions.create_thread(Identity(), None)


async def read(response) -> bytes:
    # A reply that is never finished would hold its followers until its lease runs out (an hour here):
    # fail instead of holding the test run.
    async def whole():
        return b"".join([chunk async for chunk in response.streaming_content])

    return await asyncio.wait_for(whole(), 30)


def events(raw: bytes) -> list[dict]:
    return [json.loads(line[6:]) for line in raw.decode().splitlines() if line.startswith("data: ")]


async def turn_with(aclient, fake_groq, settings, data: bytes):
    """A turn whose model sends GOOD, then `data` as a chunk, then the rest of a good answer and [DONE]
    (a client that skipped the chunk would store a whole answer). Returns both followers' events: the
    POST stream's and the resume stream's (opened at once), and the stored reply."""
    settings.LLM_IDLE_TIMEOUT = 3600  # a lease of over an hour: only the fault itself can end this reply
    settings.STREAM_COALESCE_MS = 0
    fake_groq.tokens_per_second = 50
    fake_groq.plan = [Behaviour(kind="malformed", tokens=10, cut_after=3, malformed=data)]
    thread = await new_thread()
    body = json.dumps({"thread_id": str(thread.public_id), "message": "Is a cold contagious?"})
    response = await aclient.post("/api/chat/stream", body, content_type="application/json")
    reply = await Message.objects.aget(thread=thread, role="assistant")
    second = await aclient.get(f"/api/chat/replies/{reply.public_id}/stream")
    posted, resumed = await asyncio.gather(read(response), read(second))
    return events(posted), events(resumed), await Message.objects.aget(pk=reply.pk)


@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
async def test_unreadable_data_ends_the_reply_as_an_error_at_once_with_the_text_so_far(
    aclient, fake_groq, settings, caplog, data
):
    with caplog.at_level(logging.ERROR, logger="assistant.providers"):
        posted, resumed, reply = await turn_with(aclient, fake_groq, settings, data)

    assert (reply.status, reply.content) == (Message.Status.ERROR, GOOD)
    assert WORDS in reply.error and reply.lease_until is None
    assert generation.get(reply.public_id) is None  # nothing left running
    for got in (posted, resumed):
        assert "".join(e.get("content", "") for e in got) == GOOD
        assert WORDS in got[-1]["error"] and "try again" in got[-1]["error"]
        assert {"done": True} not in got
    assert "groq sent a chunk we could not read" in caplog.text and repr(data) in caplog.text


async def test_an_openai_compatible_server_sending_unreadable_data_ends_the_same_way(aclient, fake_groq, settings):
    settings.MEDBOTX_LLM = "openai"
    settings.OPENAI_BASE_URL = fake_groq.openai_base_url
    posted, _resumed, reply = await turn_with(aclient, fake_groq, settings, MALFORMED["content_a_number"])
    assert (reply.provider, reply.status, reply.content) == ("openai", Message.Status.ERROR, GOOD)
    assert "".join(e.get("content", "") for e in posted) == GOOD and WORDS in posted[-1]["error"]
