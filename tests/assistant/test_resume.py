"""Replies outlive their request: resume from an offset, a second follower, stop, retry, progress saved with
a lease, lapsed leases marked interrupted, and the Prometheus metrics."""

import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.utils import timezone

from accounts.identity import Identity
from assistant import generation
from assistant.generation import relay
from conversations import actions
from conversations.models import Message
from tests.fakes.groq_server import Behaviour

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def parse(raw: bytes) -> list[tuple[int | None, dict]]:
    out = []
    for block in raw.decode().split("\n\n"):
        event_id, data = None, None
        for line in block.splitlines():
            if line.startswith("id: "):
                event_id = int(line[4:])
            elif line.startswith("data: "):
                data = json.loads(line[6:])
        if data is not None:
            out.append((event_id, data))
    return out


async def read(response) -> bytes:
    return b"".join([chunk async for chunk in response.streaming_content])


@sync_to_async
def new_thread():
    return actions.create_thread(Identity(), None)


async def start(aclient, thread, message="tell me about asthma"):
    body = json.dumps({"thread_id": str(thread.public_id), "message": message})
    response = await aclient.post("/api/chat/stream", body, content_type="application/json")
    reply = await Message.objects.filter(thread=thread, role="assistant").alatest("created_at")
    return response, reply


async def test_a_client_resumes_from_the_characters_it_has_and_gets_exactly_what_was_missed(
    aclient, fake_groq, settings
):
    fake_groq.tokens_per_second = 60
    fake_groq.default = Behaviour(tokens=30)
    settings.STREAM_COALESCE_MS = 0
    thread = await new_thread()
    response, reply = await start(aclient, thread)
    got = b""
    async for chunk in response.streaming_content:  # the first client reads a little and goes away
        got += chunk
        if got.count(b'"content"') >= 3:
            break
    await response.streaming_content.aclose()
    first = parse(got)
    assert all(event_id is None for event_id, _ in first)  # the POST stream: the original framing, no ids
    assert response["X-Reply-Id"] == str(reply.public_id)
    text = "".join(d.get("content", "") for _, d in first)
    offset = len(text)  # what the client has is where it resumes

    url = f"/api/chat/replies/{reply.public_id}/stream"
    resumed = parse(await read(await aclient.get(url, headers={"Last-Event-ID": str(offset)})))
    assert all(event_id is not None for event_id, _ in resumed)  # the resume stream: ids for EventSource
    assert "sources" not in resumed[0][1]  # only what was missed
    text += "".join(d.get("content", "") for _, d in resumed)
    assert text == fake_groq.answer(30) and resumed[-1][1] == {"done": True}
    assert len(fake_groq.requests) == 1  # one generation, however many followers

    whole = parse(await read(await aclient.get(url)))  # a second tab, after the end: all of it at once
    assert whole[0][1] == {"sources": []}
    assert "".join(d.get("content", "") for _, d in whole) == fake_groq.answer(30)
    partial = parse(await read(await aclient.get(url + "?from=10")))
    assert "".join(d.get("content", "") for _, d in partial) == fake_groq.answer(30)[10:]


async def test_two_followers_at_once_get_the_same_reply(aclient, fake_groq):
    fake_groq.tokens_per_second = 100
    fake_groq.default = Behaviour(tokens=20)
    thread = await new_thread()
    response, reply = await start(aclient, thread)
    second = aclient.get(f"/api/chat/replies/{reply.public_id}/stream")
    one, two = await asyncio.gather(read(response), read(await second))
    for raw in (one, two):
        assert "".join(d.get("content", "") for _, d in parse(raw)) == fake_groq.answer(20)


async def test_stop_from_the_api_stores_the_reply_cancelled(aclient, fake_groq):
    fake_groq.tokens_per_second = 20
    fake_groq.default = Behaviour(tokens=300)
    thread = await new_thread()
    response, reply = await start(aclient, thread)
    await asyncio.wait_for(generation.get(reply.public_id).wait_beyond(0), 5)
    stop = await aclient.post(f"/api/chat/replies/{reply.public_id}/stop")
    assert stop.status_code == 202 and stop.json() == {"detail": "Stopping"}
    events = parse(await read(response))
    assert events[-1][1]["status"] == "cancelled" and "stopped" in events[-1][1]["error"]
    stored = await Message.objects.aget(pk=reply.pk)
    assert stored.status == "cancelled" and stored.content.startswith("tok0 ") and stored.lease_until is None
    again = await aclient.post(f"/api/chat/replies/{reply.public_id}/stop")
    assert again.json() == {"detail": "Already cancelled"}


async def test_retry_generates_the_reply_again_in_place(aclient, fake_groq):
    fake_groq.plan = [Behaviour(kind="server_error")]
    fake_groq.default = Behaviour(tokens=5)
    thread = await new_thread()
    response, reply = await start(aclient, thread, "what helps hay fever")
    assert "error" in parse(await read(response))[-1][1]
    retry = await aclient.post(f"/api/chat/replies/{reply.public_id}/retry")
    events = parse(await read(retry))
    assert events[-1][1] == {"done": True}
    stored = await Message.objects.aget(pk=reply.pk)
    assert (stored.status, stored.content, stored.error) == ("complete", fake_groq.answer(5), "")
    assert await Message.objects.filter(thread=thread).acount() == 2  # in place: no new messages
    assert fake_groq.requests[-1].body["messages"][-1] == {"role": "user", "content": "what helps hay fever"}
    conflict = await aclient.post(f"/api/chat/replies/{reply.public_id}/retry")
    assert conflict.status_code == 409 and "complete" in conflict.json()["detail"]


async def test_a_stranger_cannot_follow_stop_or_retry(aclient, fake_groq, owner, stranger):
    thread = await sync_to_async(actions.create_thread)(owner.identity)
    _q, reply = await sync_to_async(actions.start_turn)(thread, "mine", provider="groq", model="m")
    for method, path in [("get", "stream"), ("post", "stop"), ("post", "retry")]:
        response = await getattr(aclient, method)(
            f"/api/chat/replies/{reply.public_id}/{path}", headers=stranger.header_dict()
        )
        assert response.status_code == 404 and response.json() == {"detail": "Reply not found"}
    assert (await aclient.get("/api/chat/replies/not-a-uuid/stream")).status_code == 404
    bad = await aclient.get(f"/api/chat/replies/{reply.public_id}/stream?from=x", headers=owner.header_dict())
    assert bad.status_code == 422


async def test_progress_is_saved_while_generating_not_per_token(aclient, fake_groq, settings):
    settings.STREAM_PROGRESS_SECONDS = 0.2
    fake_groq.tokens_per_second = 40
    fake_groq.default = Behaviour(tokens=40)
    thread = await new_thread()
    response, reply = await start(aclient, thread)
    await asyncio.sleep(0.6)
    mid = await Message.objects.aget(pk=reply.pk)
    assert mid.status == "streaming" and mid.content.startswith("tok0 ") and mid.lease_until > timezone.now()
    assert len(mid.content) < len(fake_groq.answer(40))
    await read(response)


async def test_a_lapsed_lease_is_marked_interrupted_by_the_sweep_and_can_be_retried(aclient, fake_groq):
    thread = await new_thread()
    _q, reply = await sync_to_async(actions.start_turn)(thread, "what is asthma", provider="groq", model="m")
    fresh = await sync_to_async(actions.start_turn)(await new_thread(), "still going", provider="groq", model="m")
    await Message.objects.filter(pk=reply.pk).aupdate(lease_until=timezone.now() - timedelta(seconds=1))
    await sync_to_async(call_command)("recover_replies")
    assert (await Message.objects.aget(pk=reply.pk)).status == "interrupted"
    assert (await Message.objects.aget(pk=fresh[1].pk)).status == "streaming"  # its lease is still good
    events = parse(await read(await aclient.post(f"/api/chat/replies/{reply.public_id}/retry")))
    assert events[-1][1] == {"done": True}


async def test_metrics_count_tokens_streams_and_errors(aclient, fake_groq):
    thread = await new_thread()
    response, _reply = await start(aclient, thread)
    await read(response)
    text = (await aclient.get("/metrics")).content.decode()
    for name in ("medbotx_http_requests_total", "medbotx_open_streams", "medbotx_stream_frames_total",
                 "medbotx_tokens_relayed_total", "medbotx_time_to_first_token_seconds_bucket"):  # fmt: skip
        assert name in text, name
    tokens = next(
        float(line.split()[-1]) for line in text.splitlines() if line.startswith("medbotx_tokens_relayed_total")
    )
    assert tokens >= 12


# What a process that does not run the reply does (relay.follow_remote, generation.stop), here against
# this process's own listener through the in-memory Channels layer: the same messages as through Redis.
# tests/test_multiprocess.py does it with two real servers, Redis and PostgreSQL.


async def running_reply(aclient, fake_groq, *, rate: float, tokens: int, beyond: int):
    """A reply being generated here, once it has more than `beyond` characters."""
    fake_groq.tokens_per_second = rate
    fake_groq.default = Behaviour(tokens=tokens)
    response, reply = await start(aclient, await new_thread())
    running = generation.get(reply.public_id)
    await asyncio.wait_for(running.wait_beyond(beyond), 5)
    return response, reply, running


async def test_a_follower_elsewhere_gets_the_missing_text_then_the_rest_exactly_once(aclient, fake_groq):
    response, reply, running = await running_reply(aclient, fake_groq, rate=80, tokens=40, beyond=20)
    assert reply.worker == generation.WORKER

    offset = 12  # it already has the first 12 characters
    pieces = [piece async for piece in relay.follow_remote(reply, offset) if piece is not generation.KEEPALIVE]
    text = "".join(piece.text for piece in pieces)
    assert text == fake_groq.answer(40)[offset:]
    assert [piece.offset for piece in pieces] == [offset] + [p.end for p in pieces[:-1]]  # no gap, no overlap
    assert running.remote == 1  # frames were published for it
    await read(response)


async def test_stop_from_elsewhere_reaches_the_generating_process(aclient, fake_groq):
    response, reply, running = await running_reply(aclient, fake_groq, rate=20, tokens=300, beyond=0)
    assert await relay.tell_worker(reply, {"type": "stop"})  # what stop() sends when it is not local
    await asyncio.wait_for(running.finished.wait(), 5)
    stored = await Message.objects.aget(pk=reply.pk)
    assert stored.status == "cancelled" and stored.content.startswith("tok0 ")
    await read(response)


async def test_a_reply_whose_process_is_gone_is_read_from_the_database(aclient, fake_groq, settings):
    """Nobody answers the hello: the follower reads the stored reply (here finished) instead of waiting."""
    settings.STREAM_HANDOFF_SECONDS = 0.2
    thread = await new_thread()
    response, reply = await start(aclient, thread)
    await read(response)
    await Message.objects.filter(pk=reply.pk).aupdate(worker="elsewhere:1:abcdef")
    reply = await Message.objects.aget(pk=reply.pk)
    pieces = [piece async for piece in relay.follow_remote(reply, 0) if piece is not generation.KEEPALIVE]
    assert "".join(piece.text for piece in pieces) == reply.content == fake_groq.answer(12)


async def test_retry_does_not_look_up_a_question_the_whole_triage_found_not_about_health(aclient, fake_groq, library):
    # The rules do not know this one is not about health; the about-health head does, and the library's word
    # search alone would cite a page about e-cigarettes for it ("battery").
    from assistant.grounding import ground
    from assistant.safety import OUT_OF_SCOPE
    from assistant.safety.triage import by_rules, triage

    question = "how long does a car battery last"
    assert by_rules(question, []).cls != OUT_OF_SCOPE and (await sync_to_async(ground)(question, [])).sources
    assert triage(question, []).cls == OUT_OF_SCOPE
    fake_groq.plan = [Behaviour(kind="server_error")]
    fake_groq.default = Behaviour(tokens=5)
    thread = await new_thread()
    response, reply = await start(aclient, thread, question)
    assert parse(await read(response))[0][1] == {"sources": []}
    events = parse(await read(await aclient.post(f"/api/chat/replies/{reply.public_id}/retry")))
    assert events[0][1] == {"sources": []} and events[-1][1] == {"done": True}
    assert (await Message.objects.aget(pk=reply.pk)).sources == []


async def test_a_refused_retry_costs_no_triage(aclient, fake_groq, monkeypatch):
    from assistant import turns

    thread = await new_thread()
    response, reply = await start(aclient, thread, "what helps hay fever")
    await read(response)
    triaged = []
    real = turns.assess

    async def counting(text, history):
        triaged.append(text)
        return await real(text, history)

    monkeypatch.setattr(turns, "assess", counting)
    conflict = await aclient.post(f"/api/chat/replies/{reply.public_id}/retry")
    assert conflict.status_code == 409 and triaged == []  # complete: refused before any triage
    await Message.objects.filter(pk=reply.pk).aupdate(status="error")
    events = parse(await read(await aclient.post(f"/api/chat/replies/{reply.public_id}/retry")))
    assert events[-1][1] == {"done": True} and triaged == ["what helps hay fever"]
