"""The one way to find a thread for a caller."""

import uuid

from django.http import Http404

from .models import Thread

THREAD_NOT_FOUND = "Thread not found"


def parse_thread_id(raw) -> uuid.UUID:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except (ValueError, TypeError, AttributeError):
        raise Http404(THREAD_NOT_FOUND) from None


def get_thread_for(identity, thread_id) -> Thread:
    """The thread if the caller may use it; otherwise 404, never 403, so ids cannot be probed."""
    thread = Thread.objects.filter(public_id=parse_thread_id(thread_id)).first()
    if thread is None or not thread.is_accessible_by(identity):
        raise Http404(THREAD_NOT_FOUND)
    return thread


async def aget_thread_for(identity, thread_id) -> Thread:
    thread = await Thread.objects.filter(public_id=parse_thread_id(thread_id)).afirst()
    if thread is None or not thread.is_accessible_by(identity):
        raise Http404(THREAD_NOT_FOUND)
    return thread
