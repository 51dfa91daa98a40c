import pytest
import pytest_asyncio
from django.test import AsyncClient

from assistant.providers import get_provider, reset_provider
from tests.fakes.groq_server import Behaviour, FakeGroq


@pytest_asyncio.fixture
async def fake_groq(settings):
    """The fake Groq server on loopback, with the real groq SDK pointed at it."""
    server = await FakeGroq(tokens_per_second=2000, default=Behaviour(tokens=12)).start()
    settings.MEDBOTX_LLM = "groq"
    settings.GROQ_API_KEY = "gsk_test"
    settings.GROQ_BASE_URL = server.base_url
    settings.LLM_MAX_RETRIES = 0
    reset_provider()
    yield server
    await get_provider().aclose()
    reset_provider()
    await server.stop()


@pytest.fixture
def aclient() -> AsyncClient:
    return AsyncClient()


@pytest.fixture(autouse=True)
def _fresh_provider():
    reset_provider()
    yield
    reset_provider()


@pytest_asyncio.fixture(autouse=True)
async def _close_sync_thread_connections():
    """Async tests touch the database from asgiref's sync thread; give that connection back after each test."""
    yield
    from asgiref.sync import sync_to_async
    from django.db import connections

    await sync_to_async(connections.close_all)()
