"""A few threads (one with SQLite) for all of the server's synchronous work (the ORM), shared by every
request and every reply.

Django runs each request's synchronous work in a thread of its own: a new thread, and a new database
connection, per request. medbotx/asgi.py installs these long-lived threads before the server starts, so
every request inherits them (Django's per-request context then stands aside), and generation tasks, which
outlive their request, use them too. They keep their database connections open between requests and save
starting a thread per request. With SQLite there is one, which keeps the writers in one queue instead of
waiting on each other's locks (without it, under load, those lock waits and thread starts were most of the
time to first byte: see docs/benchmarks.md). With a database server (PostgreSQL) there are several
(settings.SYNC_THREADS), so one query's round trip does not hold up the rest.
"""

import contextvars
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync, ThreadSensitiveContext
from django.conf import settings

EXECUTOR = ThreadPoolExecutor(max_workers=settings.SYNC_THREADS, thread_name_prefix="django-sync")
CONTEXT = ThreadSensitiveContext(executor=EXECUTOR)
_installed = False


def install() -> None:
    """Make the shared thread the default for the current context and everything started from it."""
    global _installed
    SyncToAsync.context_to_thread_executor[CONTEXT] = EXECUTOR
    SyncToAsync.thread_sensitive_context.set(CONTEXT)
    _installed = True


def server_context() -> contextvars.Context:
    """A fresh context for a task that belongs to the server rather than to a request."""
    context = contextvars.Context()
    if _installed:
        context.run(SyncToAsync.thread_sensitive_context.set, CONTEXT)
    return context
