"""Abuse limits: questions per minute and tokens per day per identity, login and signup limits with growing
lockouts. 429 with Retry-After and a sentence; emergencies and crises are always answered."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from accounts.identity import Identity
from conversations import actions
from conversations.models import Message, Thread
from tests.conftest import PASSWORD, make_user
from tests.fakes.groq_server import Behaviour

pytestmark = pytest.mark.django_db(transaction=True)


async def ask(aclient, thread, message, headers=None):
    body = json.dumps({"thread_id": str(thread.public_id), "message": message})
    response = await aclient.post("/api/chat/stream", body, content_type="application/json", headers=headers or {})
    if response.status_code == 200:
        b"".join([chunk async for chunk in response.streaming_content])
    return response


@pytest.mark.asyncio
async def test_questions_per_minute_then_429_but_an_emergency_is_still_answered(aclient, fake_groq, settings):
    settings.CHAT_PER_MINUTE = {"user": 5, "guest": 3, "anonymous": 2}
    thread = await sync_to_async(actions.create_thread)(Identity())
    assert (await ask(aclient, thread, "what helps a sore throat")).status_code == 200
    assert (await ask(aclient, thread, "how much water should I drink")).status_code == 200
    refused = await ask(aclient, thread, "is coffee bad for sleep")
    assert refused.status_code == 429
    body = refused.json()
    assert body["detail"].startswith("You're sending messages quickly. Please try again in ")
    assert int(refused["Retry-After"]) == body["retry_after"] and 1 <= body["retry_after"] <= 61
    assert not await Message.objects.filter(content="is coffee bad for sleep").aexists()  # nothing stored for it
    emergency = await ask(aclient, thread, "my dad collapsed and is not breathing")
    assert emergency.status_code == 200  # the safety layer answers whatever the limits
    assert await Message.objects.filter(role="assistant", provider="safety").aexists()


@pytest.mark.asyncio
async def test_the_daily_token_quota(aclient, fake_groq, settings, guest):
    settings.TOKENS_PER_DAY = {"user": 10_000, "guest": 20, "anonymous": 20}
    fake_groq.default = Behaviour(tokens=30)
    thread = await sync_to_async(actions.create_thread)(guest.identity)
    assert (await ask(aclient, thread, "what helps a sore throat", guest.header_dict())).status_code == 200
    refused = await ask(aclient, thread, "how much water should I drink", guest.header_dict())
    assert refused.status_code == 429 and "today's limit" in refused.json()["detail"]
    other = await sync_to_async(make_user)("other@example.com")
    other_thread = await sync_to_async(actions.create_thread)(Identity(user=other))
    from accounts.tokens import issue_user_token

    token = await sync_to_async(issue_user_token)(other)
    allowed = await ask(aclient, other_thread, "mine", {"Authorization": f"Bearer {token}"})
    assert allowed.status_code == 200  # limits are per identity


def test_failed_logins_lock_the_account_for_a_growing_while(api, settings):
    settings.LOGIN_FREE_FAILURES = 2
    make_user("ada@example.com")
    wrong = {"email": "ada@example.com", "password": "wrong-password"}
    assert api.post("/api/auth/login", body=wrong).status_code == 401
    assert api.post("/api/auth/login", body=wrong).status_code == 401
    assert api.post("/api/auth/login", body=wrong).status_code == 401  # this failure locks it
    locked = api.post("/api/auth/login", body={"email": "ADA@example.com", "password": PASSWORD})
    assert locked.status_code == 429  # even the right password, until the lock ends
    assert locked.json()["detail"] == "Too many failed attempts for this account. Try again in 60 seconds."
    assert locked["Retry-After"] == "60"
    assert api.post("/api/auth/login", body={"email": "bo@example.com", "password": "x"}).status_code == 401


def test_login_and_signup_are_limited_per_address(api, settings):
    settings.LOGIN_PER_IP_PER_MINUTE = 2
    settings.SIGNUP_PER_IP_PER_HOUR = 1
    for _ in range(2):
        assert api.post("/api/auth/login", body={"email": "x@example.com", "password": "y"}).status_code == 401
    assert api.post("/api/auth/login", body={"email": "x@example.com", "password": "y"}).status_code == 429
    assert api.post("/api/auth/signup", body={"email": "a@example.com", "password": PASSWORD}).status_code == 200
    refused = api.post("/api/auth/signup", body={"email": "b@example.com", "password": PASSWORD})
    assert refused.status_code == 429 and "Too many new accounts from here" in refused.json()["detail"]


def test_the_pages_say_when_to_retry(settings):
    settings.LOGIN_FREE_FAILURES = 1
    settings.CHAT_PER_MINUTE = {"user": 10, "guest": 1, "anonymous": 1}
    make_user("cy@example.com")
    client = Client()
    client.post("/login/", {"email": "cy@example.com", "password": "bad-password"})
    client.post("/login/", {"email": "cy@example.com", "password": "bad-password"})
    page = client.post("/login/", {"email": "cy@example.com", "password": PASSWORD})
    assert page.status_code == 429 and b"Try again in" in page.content

    guest = Client()
    guest.post("/start/")
    guest.post("/notice/")
    guest.post("/chat/send/", {"message": "what helps a cold"})
    thread = Thread.objects.get()
    refused = guest.post(f"/chat/{thread.public_id}/send/", {"message": "and a cough?"}, headers={"HX-Request": "true"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert b"sending messages quickly" in refused.content and refused["HX-Retarget"] == "#composer-error"
    again = guest.post("/chat/send/", {"message": "new chat please"})
    assert again.status_code == 429 and Thread.objects.count() == 1  # no empty thread left behind


def test_limits_are_kept_in_redis_when_it_is_configured(settings):
    """With REDIS_URL, the cache is Redis: every process counts against the same limits."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    import redis
    from django.core.cache import caches

    from medbotx import limits

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/8"}
    }
    caches.close_all()
    client = redis.Redis.from_url("redis://127.0.0.1:6379/8")
    client.flushdb()
    try:
        assert limits.hit("chat", "ip:203.0.113.9", 2, 60).allowed
        assert limits.hit("chat", "ip:203.0.113.9", 2, 60).allowed
        # Another process sees the same count: here, a separate Redis connection reading the key.
        assert any(b"medbotx:limit:chat:ip:203.0.113.9" in key for key in client.keys("*"))
        assert not limits.hit("chat", "ip:203.0.113.9", 2, 60).allowed
    finally:
        client.flushdb()
        caches.close_all()
