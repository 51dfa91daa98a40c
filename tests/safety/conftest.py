from tests.assistant.conftest import _close_sync_thread_connections, _fresh_provider, aclient, fake_groq  # noqa: F401
