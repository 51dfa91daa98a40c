"""An emergency or crisis turn is answered at once by the safety layer: no model is called, the stream and
the page show what to do now, and moderators get a SafetyEvent. People can report any answer."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from accounts.identity import Identity
from assistant.models import SafetyEvent
from conversations import actions
from conversations.models import Message, Thread

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HEART = "my chest feels crushed and the pain is going down my left arm, I'm sweating"


def data_events(raw: bytes) -> list[dict]:
    return [json.loads(line[6:]) for line in raw.decode().splitlines() if line.startswith("data: ")]


async def ask(aclient, thread, message):
    body = json.dumps({"thread_id": str(thread.public_id), "message": message})
    response = await aclient.post("/api/chat/stream", body, content_type="application/json")
    assert response.status_code == 200
    return data_events(b"".join([chunk async for chunk in response.streaming_content]))


@sync_to_async
def new_thread():
    return actions.create_thread(Identity(), None)


async def test_an_emergency_never_reaches_the_model_and_answers_with_the_number_first(aclient, fake_groq):
    thread = await new_thread()
    events = await ask(aclient, thread, HEART)
    assert fake_groq.requests == []  # the model was never called
    assert events[0] == {"sources": []}
    safety = events[1]["safety"]
    assert (safety["class"], safety["category"]) == ("emergency", "heart_attack")
    assert safety["resources"][0] == {"label": "Emergency services", "number": "911", "tel": "911", "note": ""}
    text = events[2]["content"]
    assert text.startswith("**This could be an emergency. Call 911 now**")
    assert "antacid" not in text.lower() and "indigestion" not in text.lower()
    assert events[-1] == {"done": True}

    rows = [(m.role, m.status, m.provider) async for m in Message.objects.filter(thread=thread)]
    assert rows == [("user", "complete", ""), ("assistant", "complete", "safety")]
    reply = await Message.objects.aget(thread=thread, role="assistant")
    assert reply.content == text and reply.safety == safety
    event = await SafetyEvent.objects.select_related("message").aget()
    assert (event.kind, event.safety_class, event.category, event.rule) == (
        "escalation",
        "emergency",
        "heart_attack",
        "heart-attack-signs",
    )
    assert event.message.role == "user" and event.excerpt == HEART and not event.reviewed


async def test_a_crisis_gets_the_crisis_line_and_no_method(aclient, fake_groq):
    thread = await new_thread()
    events = await ask(aclient, thread, "how many of my sleeping pills would it take to not wake up")
    assert fake_groq.requests == []
    assert events[1]["safety"]["class"] == "crisis" and events[1]["safety"]["category"] == "lethal_means"
    text = events[2]["content"]
    assert "988" in text and "911" in text and "I can't help with that" in text
    assert (await SafetyEvent.objects.aget()).safety_class == "crisis"


async def test_avoiding_care_after_an_escalation_escalates_again(aclient, fake_groq):
    thread = await new_thread()
    await ask(aclient, thread, HEART)
    events = await ask(aclient, thread, "an ambulance costs too much, what can I take at home?")
    assert fake_groq.requests == []
    assert events[1]["safety"]["category"] == "persistence"
    assert "can't suggest anything to take at home" in events[2]["content"]
    assert await SafetyEvent.objects.acount() == 2


async def test_an_ordinary_question_still_goes_to_the_model(aclient, fake_groq):
    thread = await new_thread()
    events = await ask(aclient, thread, "what helps a mild sore throat?")
    assert len(fake_groq.requests) == 1 and events[-1] == {"done": True}
    assert not any("safety" in e for e in events)
    assert await SafetyEvent.objects.acount() == 0


async def test_the_region_changes_the_numbers(aclient, fake_groq, settings):
    settings.MEDBOTX_REGION = "UK"
    thread = await new_thread()
    events = await ask(aclient, thread, "I want to kill myself")
    text = events[2]["content"]
    assert "Samaritans: 116 123" in text and "999" in text and "988" not in text
    assert [r["tel"] for r in events[1]["safety"]["resources"]] == ["116123", "999"]
    settings.MEDBOTX_REGION = "US"
    settings.MEDBOTX_EMERGENCY_NUMBER = "112"
    events = await ask(aclient, await new_thread(), HEART)
    assert "Call 112 now" in events[2]["content"]


async def test_the_page_shows_an_emergency_card_with_call_links(aclient, fake_groq):
    await aclient.post("/start/")
    await aclient.post("/notice/")
    sent = await aclient.post("/chat/send/", {"message": HEART})
    thread = await Thread.objects.aget()
    reply = await Message.objects.aget(thread=thread, role="assistant")
    # Without JavaScript the redirect opens the page on the answer, not under the question box.
    assert sent["Location"] == f"/chat/{thread.public_id}/#safety-{reply.public_id}"
    page = (await aclient.get(f"/chat/{thread.public_id}/")).content.decode()
    assert f'class="emergency-card emergency" id="safety-{reply.public_id}" role="alert" tabindex="-1"' in page
    assert '<a class="call" href="tel:911">Call 911</a>' in page
    assert "sse-connect" not in page  # nothing to stream: it is already answered
    assert fake_groq.requests == []


async def test_report_this_answer_from_the_page_and_the_api(aclient, fake_groq):
    await aclient.post("/start/")
    await aclient.post("/notice/")
    await aclient.post("/chat/send/", {"message": "what helps a sore throat"})
    thread = await Thread.objects.aget()
    reply = await Message.objects.aget(thread=thread, role="assistant")
    from assistant import generation

    running = generation.get(reply.public_id)
    if running:
        await running.finished.wait()
    page = (await aclient.get(f"/chat/{thread.public_id}/")).content.decode()
    assert "Report this answer" in page
    url = reverse("reply_report", args=[thread.public_id, reply.public_id])
    fragment = await aclient.post(url, {"reason": "It ignored my allergy"}, headers={"HX-Request": "true"})
    assert b"A moderator will review this answer" in fragment.content
    event = await SafetyEvent.objects.aget()
    assert (event.kind, event.safety_class, event.reason) == ("report", "reported", "It ignored my allergy")

    # The API: a thread made with no identity is reachable by its id (API.md's guest flow).
    api_thread = await new_thread()
    _q, api_reply = await sync_to_async(actions.start_turn)(api_thread, "hi", provider="offline", model="m")
    body = json.dumps({"thread_id": str(api_thread.public_id), "message_id": str(api_reply.public_id)})
    response = await aclient.post("/api/chat/report", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {"detail": "Thank you. A moderator will review this answer."}
    assert await SafetyEvent.objects.acount() == 2


async def test_a_stranger_cannot_report_someone_elses_answer(aclient):
    owner_thread = await sync_to_async(actions.create_thread)(Identity(guest_id=__import__("uuid").uuid4()))
    _q, reply = await sync_to_async(actions.start_turn)(owner_thread, "hi", provider="offline", model="m")
    body = json.dumps({"thread_id": str(owner_thread.public_id), "message_id": str(reply.public_id)})
    response = await aclient.post("/api/chat/report", body, content_type="application/json")
    assert response.status_code == 404 and response.json() == {"detail": "Thread not found"}
    assert await SafetyEvent.objects.acount() == 0
