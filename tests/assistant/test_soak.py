"""A bounded soak: many streams at once while the upstream fails at random (429s, 500s, stalls, cuts, error
chunks) and clients go away at random. Afterwards every question is stored, every reply is in a final state
that tells the truth, nothing answered 500, and nothing is left streaming. The figures are printed."""

import asyncio
import json
import random

import pytest
from asgiref.sync import sync_to_async

from accounts.identity import Identity
from assistant import generation
from conversations import actions
from conversations.models import Message
from tests.fakes.groq_server import Behaviour

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

STREAMS = 80
FAULTS = ["ok", "ok", "rate_limit", "server_error", "stall", "cut", "error_chunk"]


async def test_streams_under_random_faults_and_disconnects_lose_nothing(aclient, fake_groq, settings):
    rng = random.Random(20261125)
    settings.LLM_IDLE_TIMEOUT = 0.5  # a stall becomes an error quickly
    settings.STREAM_PROGRESS_SECONDS = 0.1
    fake_groq.tokens_per_second = 200
    fake_groq.named = {
        "ok": Behaviour(tokens=20),
        "rate_limit": Behaviour(kind="rate_limit", retry_after=3),
        "server_error": Behaviour(kind="server_error"),
        "stall": Behaviour(kind="stall", tokens=20, cut_after=4, stall_seconds=5),
        "cut": Behaviour(kind="cut", tokens=20, cut_after=6),
        "error_chunk": Behaviour(kind="error_chunk", tokens=20, cut_after=3),
    }
    threads = [await sync_to_async(actions.create_thread)(Identity()) for _ in range(STREAMS)]
    plan = [(thread, rng.choice(FAULTS), rng.random() < 0.4, rng.randint(1, 6)) for thread in threads]
    statuses = []

    async def client(thread, fault, leaves, after):
        body = json.dumps({"thread_id": str(thread.public_id), "message": f"how do I sleep better [fake:{fault}]"})
        response = await aclient.post("/api/chat/stream", body, content_type="application/json")
        statuses.append(response.status_code)
        if response.status_code != 200:
            return
        seen = 0
        async for _chunk in response.streaming_content:
            seen += 1
            if leaves and seen >= after:  # this client goes away mid-reply
                await response.streaming_content.aclose()
                return

    await asyncio.gather(*(client(*p) for p in plan))
    for reply in [m async for m in Message.objects.filter(role="assistant")]:  # let every generation finish
        running = generation.get(reply.public_id)
        if running is not None:
            await asyncio.wait_for(running.finished.wait(), 15)

    assert statuses == [200] * STREAMS  # no 500, no refusal
    questions = {m.thread_id: m async for m in Message.objects.filter(role="user")}
    replies = {m.thread_id: m async for m in Message.objects.filter(role="assistant")}
    assert len(questions) == len(replies) == STREAMS  # every question stored, with its reply
    truthful = 0
    for thread, fault, _leaves, _after in plan:
        reply = replies[thread.pk]
        assert reply.status != Message.Status.STREAMING and reply.lease_until is None
        if fault == "ok":
            assert (reply.status, reply.content) == ("complete", fake_groq.answer(20))  # a client leaving is no loss
        else:
            assert reply.status == "error" and reply.error, (fault, reply.status)
            assert fake_groq.answer(20).startswith(reply.content)  # what was produced, kept as it came
        truthful += 1
    faults = sum(1 for _t, fault, _l, _a in plan if fault != "ok")
    leavers = sum(1 for _t, _f, leaves, _a in plan if leaves)
    print(f"soak: {STREAMS} streams, {faults} upstream faults injected, {leavers} clients left mid-reply, "
          f"{len(questions)} questions and {truthful} replies checked, 0 stuck, 0 server errors")  # fmt: skip
