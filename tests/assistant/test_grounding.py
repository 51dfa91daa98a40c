"""Grounding the language models: the passages go into the prompt with numbered sources, the stream sends
a `sources` event first, and the sources are stored with the reply."""

import json

import pytest
from asgiref.sync import sync_to_async

from accounts.identity import Identity
from assistant.grounding import ground
from assistant.library.files import read_all
from assistant.library.search import LibraryIndex
from assistant.prompts import GROUNDING_INTRO, build_messages, grounding_message, system_prompt
from conversations import actions
from conversations.models import Message

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

INDEX = LibraryIndex(read_all())


@sync_to_async
def new_thread():
    return actions.create_thread(Identity(), None)


def data_events(raw: bytes) -> list[dict]:
    return [json.loads(line[6:]) for line in raw.decode().splitlines() if line.startswith("data: ")]


async def ask(aclient, thread, message: str) -> list[dict]:
    body = json.dumps({"thread_id": str(thread.public_id), "message": message})
    response = await aclient.post("/api/chat/stream", body, content_type="application/json")
    return data_events(b"".join([chunk async for chunk in response.streaming_content]))


def answer_request(fake_groq) -> list[dict]:
    """The messages of the request for the answer (a new thread's title is asked for too, at the same time)."""
    return next(r.body["messages"] for r in fake_groq.requests if r.body["messages"][0]["content"] == system_prompt())


async def test_the_model_receives_the_passages_with_numbered_sources(aclient, fake_groq, library):
    thread = await new_thread()
    events = await ask(aclient, thread, "What are the symptoms of type 2 diabetes?")

    sent = answer_request(fake_groq)
    assert sent[0] == {"role": "system", "content": system_prompt()}
    assert sent[1]["role"] == "system"
    passages = sent[1]["content"]
    assert passages.startswith(GROUNDING_INTRO)
    assert "## Type 2 diabetes" in passages
    assert "[1] MedlinePlus: Diabetes Type 2 <https://medlineplus.gov/diabetestype2.html>" in passages
    assert "Symptoms: Many people have no symptoms" in passages  # the topic's own words, not a summary of them
    assert "When to get urgent help:" in passages
    assert sent[-1] == {"role": "user", "content": "What are the symptoms of type 2 diabetes?"}

    sources = events[0]["sources"]
    assert sources[0] == {"title": "MedlinePlus: Diabetes Type 2", "url": "https://medlineplus.gov/diabetestype2.html"}
    assert all(set(s) == {"title", "url"} for s in sources)
    assert events[-1] == {"done": True}
    # Every source in the event is numbered in the prompt, in the same order.
    for number, source in enumerate(sources, 1):
        assert f"[{number}] {source['title']} <{source['url']}>" in passages

    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert reply.sources == sources and reply.status == "complete"
    listed = (await aclient.get(f"/api/threads/{thread.public_id}/messages")).json()
    assert listed[1]["sources"] == sources


async def test_a_question_the_library_does_not_cover_sends_no_passages_and_no_sources(aclient, fake_groq, library):
    thread = await new_thread()
    events = await ask(aclient, thread, "What is sarcoidosis?")
    sent = answer_request(fake_groq)
    assert [m["role"] for m in sent] == ["system", "user"]
    assert events[0] == {"sources": []}
    assert (await Message.objects.aget(thread=thread, role="assistant")).sources == []


async def test_sources_are_stored_even_when_the_model_fails(aclient, fake_groq, library):
    thread = await new_thread()
    # (The marker's words, "server error", move the safety classifier; an ordinary question keeps it at ease.)
    events = await ask(aclient, thread, "[fake:server_error] what are the symptoms of type 2 diabetes?")
    assert "error" in events[-1]
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert reply.status == "error" and reply.sources == events[0]["sources"] != []


async def test_the_passages_message_numbers_sources_across_topics():
    grounding = ground("high blood pressure and type 2 diabetes", index=INDEX)
    assert len(grounding.hits) >= 2
    text = grounding_message(grounding)
    urls = [s["url"] for s in grounding.sources]
    assert len(urls) == len(set(urls))
    for number, url in enumerate(urls, 1):
        assert f"[{number}] " in text and f"<{url}>" in text
    messages = build_messages([("user", "hi"), ("assistant", "hello")], "and now?", grounding)
    assert [m["role"] for m in messages] == ["system", "system", "user", "assistant", "user"]
    assert build_messages([], "x", None) == [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": "x"},
    ]
