"""A thread titled by the model after its first answer (assistant/titles.py): replacing the title made from
the question, never one the person gave, never with junk, and never from the offline library."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from assistant import titles
from conversations.models import Thread
from tests.fakes.groq_server import Behaviour

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
WORDS = ["Ways ", "to ", "ease ", "a ", "sore ", "throat."]


async def ask_first(aclient) -> Thread:
    assert (await aclient.post("/start/")).status_code == 302
    await aclient.post("/notice/")
    await aclient.post("/chat/send/", {"message": "hi, what can I do about a sore throat?"})
    return await Thread.objects.aget()


async def settled(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await sync_to_async(condition)():
            return
        await asyncio.sleep(0.05)


async def test_the_model_titles_a_thread_after_its_first_answer(aclient, fake_groq, settings, monkeypatch):
    settings.MODEL_TITLES = True
    fake_groq.plan = [Behaviour(tokens=12), Behaviour(tokens=len(WORDS))]
    answer_text = fake_groq.token_text
    monkeypatch.setattr(fake_groq, "token_text", lambda i: answer_text(i) if len(fake_groq.requests) < 2 else WORDS[i])
    thread = await ask_first(aclient)
    assert thread.title == "What can I do about a sore throat"  # the heuristic one, at once
    await settled(lambda: Thread.objects.get().title == "Ways to ease a sore throat")
    assert (await Thread.objects.aget()).title == "Ways to ease a sore throat"
    title_request = fake_groq.requests[1].body
    assert title_request["max_tokens"] == 24 and "title" in title_request["messages"][0]["content"]
    assert "sore throat" in title_request["messages"][1]["content"]
    # Later answers do not title it again.
    await aclient.post(f"/chat/{thread.public_id}/send/", {"message": "and for a cough?"})
    await asyncio.sleep(0.3)
    assert len(fake_groq.requests) == 3


async def test_a_title_the_person_gave_is_kept(aclient, fake_groq, settings):
    settings.MODEL_TITLES = True
    fake_groq.tokens_per_second = 60  # the answer takes a while: rename it meanwhile
    thread = await ask_first(aclient)
    await aclient.post(f"/chat/{thread.public_id}/rename/", {"title": "My throat"})
    await settled(lambda: len(fake_groq.requests) >= 2)
    await asyncio.sleep(0.3)
    assert (await Thread.objects.aget()).title == "My throat"


async def test_the_offline_library_and_the_setting_leave_the_first_title(aclient, settings):
    settings.MEDBOTX_LLM = "offline"
    settings.MODEL_TITLES = True
    from assistant.providers import reset_provider

    reset_provider()
    thread = await ask_first(aclient)
    await asyncio.sleep(0.2)
    assert (await Thread.objects.aget(pk=thread.pk)).title == "What can I do about a sore throat"


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ('"Easing a sore throat."', "Easing a sore throat"),
        ("Title: **Sore throat relief**\nHere is why...", "Sore throat relief"),
        ("título: alivio para la garganta", "Alivio para la garganta"),
        ("ok", ""),
        ("see https://example.com", ""),
        ("word " * 30, ("Word " + "word " * 11).strip() + "…"),
    ],
)
async def test_clean_keeps_a_short_plain_title_or_nothing(raw, title):
    assert titles.clean(raw) == title


async def test_a_thread_named_by_an_api_client_is_not_retitled(aclient, fake_groq, settings):
    settings.MODEL_TITLES = True
    token = (await aclient.post("/api/auth/guest")).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = await aclient.post("/api/threads/", {"title": "Throat"}, content_type="application/json", headers=headers)
    body = {"thread_id": created.json()["id"], "message": "what helps a sore throat"}
    response = await aclient.post("/api/chat/stream", body, content_type="application/json", headers=headers)
    b"".join([chunk async for chunk in response.streaming_content])
    await asyncio.sleep(0.3)
    assert len(fake_groq.requests) == 1 and (await Thread.objects.aget()).title == "Throat"
