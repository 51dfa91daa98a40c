"""Abuse limits: questions per minute and tokens per day per identity, login and signup limits with growing
lockouts. 429 with Retry-After and a sentence; emergencies and crises are always answered."""

import html
import json
import re

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
    # And htmx puts that sentence on the page: the first of base.html's rules to match 429 swaps it (htmx
    # tests each rule's code as a regular expression against the status, in order).
    page_html = guest.get(f"/chat/{thread.public_id}/").content.decode()
    config = json.loads(html.unescape(re.search(r'name="htmx-config" content=\'([^\']+)\'', page_html).group(1)))
    rule = next(r for r in config["responseHandling"] if re.search(r["code"], "429"))
    assert rule["swap"] is True and not rule.get("error")
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


def test_new_guest_identities_are_limited_per_address_but_renewing_one_is_not(api, settings):
    settings.GUEST_MINT_PER_IP_PER_HOUR = 2
    tokens = [api.post("/api/auth/guest").json()["access_token"] for _ in range(2)]
    refused = api.post("/api/auth/guest")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Too many new guest sessions from here" in refused.json()["detail"]
    renewed = api.post("/api/auth/guest", HTTP_AUTHORIZATION=f"Bearer {tokens[0]}")
    assert renewed.status_code == 200  # the same identity again: not a new one


@pytest.mark.asyncio
async def test_guests_from_one_address_share_its_limit(aclient, fake_groq, settings):
    """A new guest per question does not multiply the per-guest limit: guests count against their address."""
    settings.CHAT_PER_MINUTE = {"user": 20, "guest": 10, "anonymous": 5}
    settings.ADDRESS_CHAT_PER_MINUTE = 3
    settings.GUEST_MINT_PER_IP_PER_HOUR = 100
    statuses = []
    for i in range(5):
        token = (await aclient.post("/api/auth/guest")).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        created = await aclient.post("/api/threads/", "{}", content_type="application/json", headers=headers)
        thread = await Thread.objects.aget(public_id=created.json()["id"])
        statuses.append((await ask(aclient, thread, f"what helps a sore throat, take {i}", headers)).status_code)
    assert statuses == [200, 200, 200, 429, 429]


def test_the_password_check_before_deleting_an_account_is_limited_like_login(api, settings, owner):
    settings.LOGIN_FREE_FAILURES = 2
    wrong = {"password": "not my password"}
    assert [api.post("/api/me/delete", owner, body=wrong).status_code for _ in range(3)] == [403, 403, 403]
    locked = api.post("/api/me/delete", owner, body={"password": PASSWORD})  # even the right one, for now
    assert locked.status_code == 429 and locked["Retry-After"] == "60"
    assert "Too many failed attempts" in locked.json()["detail"]
    user = owner.identity.user
    assert user.__class__.objects.filter(pk=user.pk).exists()  # nothing was deleted
    # The lock is the account's: logging in is refused too, until it ends.
    assert api.post("/api/auth/login", body={"email": user.email, "password": PASSWORD}).status_code == 429


def test_the_account_page_password_check_is_limited_too(settings):
    settings.LOGIN_FREE_FAILURES = 1
    user = make_user("dee@example.com")
    client = Client()
    client.force_login(user)
    assert client.post("/account/", {"password": "wrong one"}).status_code == 403
    assert client.post("/account/", {"password": "wrong one"}).status_code == 403
    page = client.post("/account/", {"password": PASSWORD})
    assert page.status_code == 429 and page["Retry-After"] == "60" and b"Nothing was deleted" in page.content
    assert user.__class__.objects.filter(pk=user.pk).exists()


def test_the_signup_and_login_pages_answer_a_limit_with_429_and_retry_after(settings):
    settings.SIGNUP_PER_IP_PER_HOUR = 1
    client = Client()
    assert client.post("/signup/", {"email": "e1@example.com", "password": PASSWORD}).status_code == 302
    refused = Client().post("/signup/", {"email": "e2@example.com", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert b"Too many new accounts from here" in refused.content
    settings.LOGIN_PER_IP_PER_MINUTE = 1
    Client().post("/login/", {"email": "e1@example.com", "password": "bad-password"})
    login = Client().post("/login/", {"email": "e1@example.com", "password": PASSWORD})
    assert login.status_code == 429 and int(login["Retry-After"]) >= 1


def test_start_as_guest_on_the_pages_is_limited_like_the_api(settings):
    settings.GUEST_MINT_PER_IP_PER_HOUR = 1
    assert Client().post("/start/").status_code == 302
    refused = Client().post("/start/")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert b"Too many new guest sessions from here" in refused.content
