"""Emergencies and crises are answered past every limit, so what is stored of them is bounded per address and
minute: past the bound they are still answered in full, and nothing is written (docs/safety.md)."""

import json

import pytest
from asgiref.sync import sync_to_async
from prometheus_client import REGISTRY

from accounts.identity import Identity
from assistant.models import SafetyEvent
from conversations import actions
from conversations.models import Message, Thread

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HEART = "my chest feels crushed and the pain is going down my left arm, I'm sweating"


def not_stored() -> float:
    return REGISTRY.get_sample_value("medbotx_safety_answers_not_stored_total") or 0.0


async def test_past_the_bound_the_api_still_answers_and_stores_nothing(aclient, fake_groq, settings):
    settings.SAFETY_STORED_PER_MINUTE = 2
    thread = await sync_to_async(actions.create_thread)(Identity(), None)
    before = not_stored()
    answers, reply_ids = [], []
    for _ in range(4):
        body = json.dumps({"thread_id": str(thread.public_id), "message": HEART})
        response = await aclient.post("/api/chat/stream", body, content_type="application/json")
        assert response.status_code == 200
        raw = b"".join([chunk async for chunk in response.streaming_content]).decode()
        events = [json.loads(line[6:]) for line in raw.splitlines() if line.startswith("data: ")]
        assert events[1]["safety"]["class"] == "emergency" and events[-1] == {"done": True}
        answers.append(events[2]["content"])
        reply_ids.append(response.get("X-Reply-Id"))
    assert all("911" in answer for answer in answers) and len(set(answers)) == 1  # the same full answer
    assert await Message.objects.filter(thread=thread).acount() == 4  # two turns stored, two not
    assert await SafetyEvent.objects.acount() == 2
    assert reply_ids[2] is None and reply_ids[3] is None  # nothing to resume
    assert not_stored() - before == 2
    assert fake_groq.requests == []


async def test_past_the_bound_the_page_shows_the_answer_without_a_thread(aclient, fake_groq, settings):
    settings.SAFETY_STORED_PER_MINUTE = 1
    await aclient.post("/start/")
    await aclient.post("/notice/")
    await aclient.post("/chat/send/", {"message": HEART})  # stored: a thread with the answer
    assert await Thread.objects.acount() == 1

    fragment = await aclient.post("/chat/send/", {"message": HEART}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert '<a class="call" href="tel:911">Call 911</a>' in html and "emergency-card" in html
    assert "Report this answer" not in html  # there is nothing stored to report

    page = await aclient.post("/chat/send/", {"message": HEART})  # without JavaScript: the page, not a redirect
    assert page.status_code == 200 and '<a class="call" href="tel:911">Call 911</a>' in page.content.decode()
    assert await Thread.objects.acount() == 1 and await SafetyEvent.objects.acount() == 1
    assert await Message.objects.acount() == 2


async def test_the_bound_is_each_callers_own(aclient, fake_groq, settings):
    """One guest flooding from a shared address does not stop another guest's emergency from being stored."""
    settings.SAFETY_STORED_PER_MINUTE = 1
    stored, tokens = [], {}
    for guest in ("flooder", "flooder", "flooder", "neighbour"):
        token = tokens.setdefault(guest, (await aclient.post("/api/auth/guest")).json()["access_token"])
        headers = {"Authorization": f"Bearer {token}"}
        created = await aclient.post("/api/threads/", "{}", content_type="application/json", headers=headers)
        body = json.dumps({"thread_id": created.json()["id"], "message": HEART})
        response = await aclient.post("/api/chat/stream", body, content_type="application/json", headers=headers)
        b"".join([chunk async for chunk in response.streaming_content])
        stored.append(response.get("X-Reply-Id") is not None)
    assert stored == [True, False, False, True]
    settings.SAFETY_STORED_PER_ADDRESS_PER_MINUTE = 2  # the guests at one address, together
    token = (await aclient.post("/api/auth/guest")).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = await aclient.post("/api/threads/", "{}", content_type="application/json", headers=headers)
    body = json.dumps({"thread_id": created.json()["id"], "message": HEART})
    response = await aclient.post("/api/chat/stream", body, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.get("X-Reply-Id") is None  # a third guest: past it
