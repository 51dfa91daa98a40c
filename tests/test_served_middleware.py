"""The middleware stack as Daphne serves it (medbotx.middleware.MedBotXHandler): Django's middlewares with
their hooks called in the event loop. The behaviour must be Django's own; only the trips to the sync thread
go. Django's test client builds its own handler, so these tests drive the real one through httpx's ASGI
transport."""

import re

import httpx
import pytest
from asgiref.sync import SyncToAsync
from django.core.handlers.asgi import ASGIHandler

from accounts.models import User
from medbotx.middleware import INLINE, MedBotXHandler

pytestmark = pytest.mark.django_db(transaction=True)


def client(handler) -> httpx.AsyncClient:
    # HTTPS, as in production: the cookies are Secure, and CSRF checks the Referer.
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=handler),
        base_url="https://127.0.0.1",
        headers={"Referer": "https://127.0.0.1/"},
    )


@pytest.fixture
def hops(monkeypatch) -> list:
    """Every trip to the sync thread (each sync_to_async call), by the name of what went."""
    seen = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        seen.append(getattr(self.func, "__qualname__", type(self.func).__name__))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    return seen


def test_every_django_middleware_in_the_settings_has_its_inline_version(settings):
    swapped = [path for path in settings.MIDDLEWARE if path in INLINE]
    assert len(swapped) == 8
    assert all(path.startswith("django.") for path in swapped)


@pytest.mark.asyncio
async def test_a_request_makes_three_trips_to_the_sync_thread_not_eighteen(hops):
    async with client(ASGIHandler()) as plain:
        assert (await plain.get("/api/healthz")).status_code == 200
    djangos = len(hops)
    hops.clear()
    async with client(MedBotXHandler()) as ours:
        response = await ours.get("/api/healthz")
    assert response.status_code == 200
    # The request_started and request_finished signals' receivers, and the view's database check.
    assert len(hops) <= 3, hops
    assert djangos >= len(hops) + 14, djangos


@pytest.mark.asyncio
async def test_security_headers_and_the_slash_redirect_are_as_django_makes_them(settings):
    async with client(MedBotXHandler()) as ours:
        page = await ours.get("/login/")
        redirect = await ours.get("/account")
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == settings.SECURE_REFERRER_POLICY
    nonce = re.search(r"'nonce-([^']+)'", page.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in page.text  # the CSP middleware's nonce reached the template
    assert (redirect.status_code, redirect.headers["Location"]) == (301, "/account/")


@pytest.mark.asyncio
async def test_csrf_is_enforced_and_a_sign_up_saves_the_session(hops):
    async with client(MedBotXHandler()) as ours:
        form = await ours.get("/signup/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        details = {"email": "inline@example.com", "password": "plum-orchard-42"}

        refused = await ours.post("/signup/", data=details)
        assert refused.status_code == 403
        assert not await User.objects.filter(email="inline@example.com").aexists()

        hops.clear()
        signed_up = await ours.post("/signup/", data={**details, "csrfmiddlewaretoken": token})
        assert signed_up.status_code == 302
        assert "sessionid" in ours.cookies
        # The session was modified, so saving it went to the sync thread, as Django does it.
        assert any("process_response" in name for name in hops), hops

        account = await ours.get("/account/")
    assert account.status_code == 200
    assert "inline@example.com" in account.text
