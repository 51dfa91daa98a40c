"""A reply's lifecycle (conversations/replies.py): each change is guarded, so a generation that lost its reply
cannot overwrite it, and two presses of Try again start one generation."""

import uuid

import pytest

from accounts.identity import Identity
from assistant import turns
from conversations import actions, replies
from conversations.models import Message

pytestmark = pytest.mark.django_db


def _pending(worker: str = "process-a") -> tuple[Identity, Message]:
    identity = Identity(guest_id=uuid.uuid4())
    thread = actions.create_thread(identity)
    _question, reply = actions.start_turn(thread, "what is asthma?", provider="offline", model="m", worker=worker)
    return identity, reply


def test_progress_and_the_outcome_are_stored_by_the_process_the_reply_is_leased_to():
    _identity, reply = _pending("process-a")
    assert replies.save_progress(reply.pk, "Asthma", "process-a")
    assert not replies.save_progress(reply.pk, "Asthma is", "process-b")
    assert Message.objects.get(pk=reply.pk).content == "Asthma"

    done = replies.finish(reply, "Asthma is a condition of the airways.", Message.Status.COMPLETE)
    assert done.status == Message.Status.COMPLETE
    assert not replies.save_progress(reply.pk, "late", "process-a")  # finished: progress changes nothing
    assert Message.objects.get(pk=reply.pk).content == "Asthma is a condition of the airways."


def test_a_generation_whose_reply_was_generated_again_elsewhere_does_not_overwrite_it():
    _identity, reply = _pending("process-a")
    stale = Message.objects.get(pk=reply.pk)  # what process a's generation holds
    # Process a's lease lapsed: the reply is marked interrupted, and Try again starts it in process b.
    Message.objects.filter(pk=reply.pk).update(lease_until=None, status=Message.Status.INTERRUPTED)
    again = replies.restart(Message.objects.get(pk=reply.pk), "process-b", sources=[])
    assert again is not None and again.worker == "process-b"
    replies.save_progress(reply.pk, "New text", "process-b")

    result = replies.finish(stale, "Old text, finished late", Message.Status.COMPLETE)

    stored = Message.objects.get(pk=reply.pk)
    assert (stored.status, stored.content, stored.worker) == (Message.Status.STREAMING, "New text", "process-b")
    assert result.content == "New text"  # the caller is given what is stored


def test_a_whole_answer_replaces_the_interrupted_mark_of_a_lapsed_lease():
    _identity, reply = _pending("process-a")
    Message.objects.filter(pk=reply.pk).update(status=Message.Status.INTERRUPTED)
    replies.finish(reply, "The whole answer.", Message.Status.COMPLETE)
    stored = Message.objects.get(pk=reply.pk)
    assert (stored.status, stored.content) == (Message.Status.COMPLETE, "The whole answer.")


def test_two_presses_of_try_again_start_one_generation(settings):
    identity, reply = _pending("process-a")
    replies.finish(reply, "Asthma", Message.Status.ERROR, error="The model's server failed")

    first = turns.begin_retry(identity, reply.public_id)
    assert first.reply.status == Message.Status.STREAMING
    # The second press read the reply before the first restarted it: the restart itself refuses.
    assert replies.restart(Message.objects.get(pk=reply.pk), "process-c", sources=[]) is None
    with pytest.raises(turns.RetryError):
        turns.begin_retry(identity, reply.public_id)
    assert Message.objects.get(pk=reply.pk).worker == first.reply.worker
