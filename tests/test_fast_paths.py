"""Each fast path that leans on another library's internals is checked here against the internal it needs, so
that an upgrade which removes or renames it fails this file instead of quietly losing the gain (or breaking
in production). Their A/B figures are in docs/benchmarks.md. One more, the middleware hooks run in the
event loop (medbotx/middleware.py), is checked by tests/test_served_middleware.py, which counts the trips.
(Reading the model's stream straight from aiohttp, past httpx, was measured within the noise and removed.)"""

import asyncio
import contextvars
import inspect
import threading

from asgiref.sync import sync_to_async

from medbotx import sync


def test_twisted_takes_its_accept_batch_from_port_number_accepts():
    """medbotx/server.py pins `tcp.Port.numberAccepts` to 1 (workers sharing a socket)."""
    from twisted.internet import tcp

    source = inspect.getsource(tcp.Port.doRead)
    assert "self.numberAccepts" in source


def test_asgiref_runs_thread_sensitive_work_in_the_installed_shared_thread():
    """medbotx/sync.py installs one executor for every request's and reply's synchronous work."""

    def in_a_fresh_context() -> str:
        sync.install()
        return asyncio.run(sync_to_async(lambda: threading.current_thread().name)())

    assert contextvars.Context().run(in_a_fresh_context).startswith("django-sync")
    # And a task the server starts (a reply's generation) gets it too.
    task_context = sync.server_context()

    async def name() -> str:
        return await sync_to_async(lambda: threading.current_thread().name)()

    assert task_context.run(asyncio.run, name()).startswith("django-sync")
