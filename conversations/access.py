"""The one way to find a thread for a caller."""

import uuid

from django.http import Http404

from accounts.identity import Identity

from .models import Message, Thread
from .statements import thread_by_public_id

THREAD_NOT_FOUND = "Thread not found"


def parse_thread_id(raw: object) -> uuid.UUID:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except (ValueError, TypeError, AttributeError):
        raise Http404(THREAD_NOT_FOUND) from None


def get_thread_for(identity: Identity, thread_id: uuid.UUID | str) -> Thread:
    """The thread if the caller may use it; otherwise 404, never 403, so ids cannot be probed."""
    thread = thread_by_public_id(parse_thread_id(thread_id))
    if thread is None or not thread.is_accessible_by(identity):
        raise Http404(THREAD_NOT_FOUND)
    return thread


def _message_in(identity: Identity, thread_id: uuid.UUID | str, message_id: uuid.UUID | str, role: str) -> Message:
    """A message of `role` in one of the caller's threads, or 404."""
    thread = get_thread_for(identity, thread_id)
    missing = "Reply not found" if role == Message.Role.ASSISTANT else "Message not found"
    try:
        public_id = message_id if isinstance(message_id, uuid.UUID) else uuid.UUID(str(message_id))
    except (ValueError, TypeError, AttributeError):
        raise Http404(missing) from None
    message = Message.objects.filter(thread=thread, public_id=public_id, role=role).first()
    if message is None:
        raise Http404(missing)
    return message


def get_reply_for(identity: Identity, thread_id: uuid.UUID | str, reply_id: uuid.UUID | str) -> Message:
    """An assistant reply in one of the caller's threads, or 404."""
    return _message_in(identity, thread_id, reply_id, Message.Role.ASSISTANT)


def get_reply_by_id_for(identity: Identity, reply_id: uuid.UUID | str) -> Message:
    """An assistant reply, by its own id, if the caller may use its thread; otherwise 404."""
    try:
        public_id = reply_id if isinstance(reply_id, uuid.UUID) else uuid.UUID(str(reply_id))
    except (ValueError, TypeError, AttributeError):
        raise Http404("Reply not found") from None
    reply = Message.objects.select_related("thread").filter(public_id=public_id, role=Message.Role.ASSISTANT).first()
    if reply is None or not reply.thread.is_accessible_by(identity):
        raise Http404("Reply not found")
    return reply


def get_question_for(identity: Identity, thread_id: uuid.UUID | str, message_id: uuid.UUID | str) -> Message:
    """A question (a user message) in one of the caller's threads, or 404."""
    return _message_in(identity, thread_id, message_id, Message.Role.USER)
