"""The offline assistant (MEDBOTX_LLM=offline) answers from the health library, with sources, and says so."""

import json

import pytest
from asgiref.sync import sync_to_async

from accounts.identity import Identity
from assistant.providers.offline import DECLINED, HEADER, compose, greeting_text, not_found_text, sections_for
from conversations import actions
from conversations.models import Message, Thread

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CHAT = "/api/chat/stream"
DIABETES_SOURCE = {"title": "MedlinePlus: Diabetes Type 2", "url": "https://medlineplus.gov/diabetestype2.html"}


@pytest.fixture(autouse=True)
def offline(settings, library):
    settings.MEDBOTX_LLM = "offline"


async def ask(aclient, thread: Thread, message: str) -> bytes:
    body = json.dumps({"thread_id": str(thread.public_id), "message": message})
    response = await aclient.post(CHAT, body, content_type="application/json")
    assert response.status_code == 200
    return b"".join([chunk async for chunk in response.streaming_content])


def data_events(raw: bytes) -> list[dict]:
    return [json.loads(line[6:]) for line in raw.decode().splitlines() if line.startswith("data: ")]


@sync_to_async
def new_thread() -> Thread:
    return actions.create_thread(Identity(), None)


async def test_the_offline_stream_bytes_sources_first_then_the_answer_then_done(aclient):
    thread = await new_thread()
    raw = await ask(aclient, thread, "What are the symptoms of type 2 diabetes?")
    reply = await Message.objects.aget(thread=thread, role="assistant")
    # The whole answer arrives in one frame when the pace is 0 (tests): the bytes are exactly these. (The
    # sources are compared as JSON: PostgreSQL's jsonb does not keep the keys' order in the stored copy.)
    frames = raw.split(b"\n\n")
    end = len(reply.content)
    assert frames[0] == b": stream open"
    assert frames[1].startswith(b"data: ")
    assert json.loads(frames[1].removeprefix(b"data: ")) == {"sources": reply.sources}
    assert frames[2:] == [
        b"data: " + json.dumps({"content": reply.content}).encode(),
        b'data: {"usage": {"prompt_tokens": 0, "completion_tokens": 0}}',
        b'data: {"done": true}',
        b"",
    ]
    # The resume stream carries the same events, each with its offset for EventSource's Last-Event-ID.
    url = f"/api/chat/replies/{reply.public_id}/stream"
    resumed = b"".join([chunk async for chunk in (await aclient.get(url)).streaming_content])
    assert resumed.split(b"\n\n")[2:] == [
        b"id: %d\ndata: " % end + json.dumps({"content": reply.content}).encode(),
        b'id: %d\ndata: {"usage": {"prompt_tokens": 0, "completion_tokens": 0}}' % end,
        b'id: %d\ndata: {"done": true}' % end,
        b"",
    ]
    assert reply.sources[0] == DIABETES_SOURCE
    assert (reply.status, reply.provider, reply.model) == ("complete", "offline", "health-library")


async def test_the_answer_says_where_it_comes_from_and_carries_the_passages_urgent_help_and_sources(aclient):
    thread = await new_thread()
    await ask(aclient, thread, "what are the symptoms of diabetis")
    text = (await Message.objects.aget(thread=thread, role="assistant")).content
    first_line = text.splitlines()[0]
    assert "built-in health library" in first_line and "offline mode" in first_line
    assert "## Type 2 diabetes" in text
    assert "**Symptoms**" in text and "thirsty" in text  # the section the question asked for
    assert "**When to get urgent help**" in text
    assert "[MedlinePlus: Diabetes Type 2](https://medlineplus.gov/diabetestype2.html)" in text
    assert "mg" not in text.split()  # no dose


async def test_the_sources_are_returned_with_the_message(aclient):
    thread = await new_thread()
    await ask(aclient, thread, "Type 2 diabetes: what helps?")
    response = await aclient.get(f"/api/threads/{thread.public_id}/messages")
    question, answer = response.json()
    assert question["sources"] == []
    assert answer["sources"][0] == DIABETES_SOURCE


async def test_nothing_relevant_is_said_honestly_with_no_sources(aclient):
    thread = await new_thread()
    raw = await ask(aclient, thread, "What is sarcoidosis?")
    events = data_events(raw)
    assert events[0] == {"sources": []}
    text = "".join(e.get("content", "") for e in events)
    assert text == f"{HEADER}\n\n{not_found_text()}"
    assert "could not find" in text and "pharmacist" in text
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert reply.sources == [] and reply.status == "complete"


async def test_a_request_that_is_not_about_health_is_declined(aclient):
    thread = await new_thread()
    events = data_events(await ask(aclient, thread, "Write me a poem about autumn leaves"))
    assert "".join(e.get("content", "") for e in events) == DECLINED
    assert events[0] == {"sources": []} and events[-1] == {"done": True}


async def test_a_greeting_gets_an_introduction(aclient):
    thread = await new_thread()
    events = data_events(await ask(aclient, thread, "hello!"))
    assert "".join(e.get("content", "") for e in events) == greeting_text()


async def test_a_follow_up_uses_the_previous_question(aclient):
    thread = await new_thread()
    await ask(aclient, thread, "what are the symptoms of type 2 diabetes")
    events = data_events(await ask(aclient, thread, "how can I prevent it?"))
    text = "".join(e.get("content", "") for e in events)
    assert "## Type 2 diabetes" in text and "**Prevention**" in text


async def test_the_answer_streams_in_many_frames_at_the_default_pace(aclient, settings):
    settings.OFFLINE_PACE_MS = 2
    settings.STREAM_COALESCE_MS = 0
    thread = await new_thread()
    events = data_events(await ask(aclient, thread, "type 2 diabetes"))
    frames = [e for e in events if "content" in e]
    assert len(frames) > 20
    stored = (await Message.objects.aget(thread=thread, role="assistant")).content
    assert "".join(e["content"] for e in frames) == stored


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("how do I prevent it", "prevention"),
        ("what causes it", "causes"),
        ("what are the signs", "symptoms"),
        ("how is it treated", "what_helps"),
        ("what is it", "what_it_is"),
    ],
)
async def test_the_section_shown_follows_what_was_asked(question, first):
    sections = {"what_it_is": "a", "symptoms": "b", "causes": "c", "what_helps": "d", "prevention": "e"}
    chosen = sections_for(question, sections)
    assert first in chosen
    assert chosen[0] == "what_it_is" or first == "what_it_is"


async def test_without_grounding_the_provider_invents_nothing():
    assert compose(None) == not_found_text()
