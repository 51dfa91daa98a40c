"""Regenerate the last answer and edit the last question: done in place, the earlier versions kept and
reachable (on the page, in the export), as plain forms and with htmx, only for the last exchange."""

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from accounts.identity import Identity
from assistant.models import Feedback, SafetyEvent
from conversations.models import Message, MessageVersion
from tests.fakes.groq_server import Behaviour
from tests.web.test_reply_stream import HTMX, finished, only_thread, reply_of, start_guest

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def ask(aclient, text: str, thread=None) -> Message:
    url = reverse("send", args=[thread.public_id]) if thread else reverse("send_new")
    await aclient.post(url, {"message": text})
    reply = await reply_of(thread or await only_thread())
    await finished(reply.public_id)
    return reply


async def page_of(aclient, thread) -> str:
    return (await aclient.get(reverse("thread", args=[thread.public_id]))).content.decode()


async def test_regenerate_writes_the_last_answer_again_and_keeps_the_earlier_one(aclient, fake_groq, monkeypatch):
    await start_guest(aclient)
    reply = await ask(aclient, "what helps a sore throat")
    thread = await only_thread()
    regenerate = reverse("reply_regenerate", args=[thread.public_id, reply.public_id])
    assert f'action="{regenerate}"' in await page_of(aclient, thread)
    await aclient.post(reverse("reply_feedback", args=[thread.public_id, reply.public_id]), {"rating": "up"})

    monkeypatch.setattr(fake_groq, "token_text", lambda i: f"again{i} ")
    response = await aclient.post(regenerate)
    assert response.status_code == 302
    await finished(reply.public_id)
    again = await Message.objects.aget(pk=reply.pk)  # the same message, in its place
    assert again.status == "complete" and again.content == fake_groq.answer(12)
    earlier = await MessageVersion.objects.aget(message=again)
    assert earlier.content.startswith("tok0") and earlier.feedback == {"rating": "up", "comment": ""}
    assert not await Feedback.objects.filter(message=again).aexists()  # the new answer starts unrated
    page = await page_of(aclient, thread)
    assert "1 earlier answer" in page and "tok0" in page and "again0" in page
    assert len(fake_groq.requests) == 2
    assert await Message.objects.filter(thread=thread).acount() == 2  # no message added


async def test_regenerate_with_htmx_streams_in_place(aclient, fake_groq):
    await start_guest(aclient)
    reply = await ask(aclient, "what helps a sore throat")
    thread = await only_thread()
    fragment = await aclient.post(reverse("reply_regenerate", args=[thread.public_id, reply.public_id]), headers=HTMX)
    text = fragment.content.decode()
    assert fragment.status_code == 200 and f'id="reply-{reply.public_id}"' in text and "sse-connect" in text
    await finished(reply.public_id)


async def test_only_the_last_finished_answer_can_be_generated_again(aclient, fake_groq):
    await start_guest(aclient)
    first = await ask(aclient, "what helps a sore throat")
    thread = await only_thread()
    await ask(aclient, "and a cough?", thread)
    response = await aclient.post(reverse("reply_regenerate", args=[thread.public_id, first.public_id]), headers=HTMX)
    assert response.status_code == 422 and "Only the last answer" in response.content.decode()
    assert response["HX-Retarget"] == "#composer-error"
    assert not await MessageVersion.objects.aexists() and len(fake_groq.requests) == 2

    fake_groq.default = Behaviour(tokens=400)
    fake_groq.tokens_per_second = 50
    await aclient.post(reverse("send", args=[thread.public_id]), {"message": "and a fever?"})
    writing = await reply_of(thread)
    response = await aclient.post(reverse("reply_regenerate", args=[thread.public_id, writing.public_id]))
    assert response.status_code == 302  # refused, said on the thread page
    page = await page_of(aclient, thread)
    assert "still being written" in page
    await aclient.post(reverse("reply_stop", args=[thread.public_id, writing.public_id]))
    await finished(writing.public_id)


async def test_edit_sends_the_last_question_again_and_keeps_both_earlier_versions(aclient, fake_groq, monkeypatch):
    await start_guest(aclient)
    reply = await ask(aclient, "what helps a cold")
    thread = await only_thread()
    question = await Message.objects.aget(thread=thread, role="user")
    edit = reverse("question_edit", args=[thread.public_id, question.public_id])
    assert f'action="{edit}"' in await page_of(aclient, thread)

    monkeypatch.setattr(fake_groq, "token_text", lambda i: f"flu{i} ")
    response = await aclient.post(edit, {"message": "what helps the flu"})
    assert response.status_code == 302 and response["Location"].endswith(f"#msg-{question.public_id}")
    await finished(reply.public_id)
    question = await Message.objects.aget(pk=question.pk)
    reply = await Message.objects.aget(pk=reply.pk)
    assert question.content == "what helps the flu" and reply.content == fake_groq.answer(12)
    assert [v.content async for v in MessageVersion.objects.filter(message=question)] == ["what helps a cold"]
    assert (await MessageVersion.objects.aget(message=reply)).content.startswith("tok0")
    assert fake_groq.requests[-1].body["messages"][-1]["content"] == "what helps the flu"
    page = await page_of(aclient, thread)
    assert "Edited · 1 earlier version" in page and "1 earlier answer" in page


async def test_an_edit_into_an_emergency_gets_the_safety_answer_at_once(aclient, fake_groq):
    await start_guest(aclient)
    reply = await ask(aclient, "what helps a cold")
    thread = await only_thread()
    question = await Message.objects.aget(thread=thread, role="user")
    edit = reverse("question_edit", args=[thread.public_id, question.public_id])
    await aclient.post(edit, {"message": "my dad collapsed and is not breathing"})
    reply = await Message.objects.aget(pk=reply.pk)
    assert reply.status == "complete" and reply.safety["class"] == "emergency" and reply.provider == "safety"
    assert await SafetyEvent.objects.filter(message=question, kind="escalation").aexists()
    assert len(fake_groq.requests) == 1  # no model was asked
    page = await page_of(aclient, thread)
    assert f'action="{reverse("reply_regenerate", args=[thread.public_id, reply.public_id])}"' not in page


async def test_edit_refuses_an_empty_text_an_earlier_question_and_a_stranger(aclient, client, fake_groq):
    await start_guest(aclient)
    await ask(aclient, "what helps a cold")
    thread = await only_thread()
    first = await Message.objects.aget(thread=thread, role="user")
    edit = reverse("question_edit", args=[thread.public_id, first.public_id])
    response = await aclient.post(edit, {"message": "   "}, headers=HTMX)
    assert response.status_code == 422 and "Message cannot be empty" in response.content.decode()
    await ask(aclient, "and a cough?", thread)
    response = await aclient.post(edit, {"message": "what helps a sore throat"})
    assert response.status_code == 302
    assert "Only the last question can be edited" in await page_of(aclient, thread)
    assert (await Message.objects.aget(pk=first.pk)).content == "what helps a cold"
    stranger = await sync_to_async(client.post)(edit, {"message": "hello"})
    assert stranger.status_code == 404


async def test_the_export_keeps_the_earlier_versions(aclient, fake_groq, settings):
    from tests.conftest import PASSWORD, make_user

    user = await sync_to_async(make_user)("versions@example.com")
    await aclient.alogin(username=user.email, password=PASSWORD)
    await aclient.post(reverse("notice"))
    reply = await ask(aclient, "what helps a cold")
    thread = await only_thread()
    await aclient.post(reverse("reply_regenerate", args=[thread.public_id, reply.public_id]))
    await finished(reply.public_id)
    data = (await aclient.get(reverse("account_export"))).json()
    answer = data["threads"][0]["messages"][1]
    assert [v["content"][:4] for v in answer["earlier_versions"]] == ["tok0"]


async def test_an_edit_is_checked_again_when_it_is_stored(aclient, fake_groq):
    """Between the checks and the write (the triage runs in between), a new question makes the edited one no
    longer the last: the edit is refused then, not applied to an exchange that moved on."""
    from assistant.safety import Triage
    from assistant.turns import RetryError, begin_edit, read_for_edit

    await start_guest(aclient)
    await ask(aclient, "what helps a cold")
    thread = await only_thread()
    first = await Message.objects.aget(thread=thread, role="user")
    identity = Identity(guest_id=thread.guest_id)
    question, reply, history = await sync_to_async(read_for_edit)(identity, thread.public_id, first.public_id)
    await ask(aclient, "and a cough?", thread)  # meanwhile
    with pytest.raises(RetryError):
        await sync_to_async(begin_edit)(identity, question, reply, "what helps the flu", history, Triage("ok"))
    assert (await Message.objects.aget(pk=first.pk)).content == "what helps a cold"
    assert not await MessageVersion.objects.aexists()


async def test_an_emergency_exchange_offers_no_edit_and_refuses_one(aclient, fake_groq):
    await start_guest(aclient)
    await aclient.post(reverse("send_new"), {"message": "my dad collapsed and is not breathing"})
    thread = await only_thread()
    question = await Message.objects.aget(thread=thread, role="user")
    edit = reverse("question_edit", args=[thread.public_id, question.public_id])
    assert f'action="{edit}"' not in await page_of(aclient, thread)
    await aclient.post(edit, {"message": "how do I do CPR"})
    assert (await Message.objects.aget(pk=question.pk)).content == "my dad collapsed and is not breathing"
    assert "An emergency answer stays as it is" in await page_of(aclient, thread)


async def test_an_emergency_sent_with_htmx_comes_without_an_edit_control(aclient, fake_groq):
    """The messages htmx appends offer what the page offers after a reload: Edit on an ordinary question, none
    after a safety answer."""
    await start_guest(aclient)
    await ask(aclient, "what is asthma?")
    thread = await only_thread()
    send = reverse("send", args=[thread.public_id])

    async def sent(text: str) -> tuple[str, str]:
        fragment = (await aclient.post(send, {"message": text}, headers=HTMX)).content.decode()
        question = await Message.objects.filter(thread=thread, role="user").alatest("created_at", "id")
        assert question.content == text
        await finished((await reply_of(thread)).public_id)
        return fragment, f'action="{reverse("question_edit", args=[thread.public_id, question.public_id])}"'

    fragment, edit = await sent("and what is eczema?")
    assert edit in fragment
    fragment, edit = await sent("my dad is not breathing")
    assert "not breathing" in fragment and "safety-" in fragment and edit not in fragment


async def test_an_edit_or_a_regenerate_of_a_question_not_about_health_cites_nothing(aclient, fake_groq, library):
    # Found not about health by the about-health head (the rules do not know it); the library's word search
    # alone would cite a page about e-cigarettes for it ("battery").
    await start_guest(aclient)
    reply = await ask(aclient, "what helps a cold")
    thread = await only_thread()
    assert (await Message.objects.aget(pk=reply.pk)).sources
    question = await Message.objects.aget(thread=thread, role="user")
    await aclient.post(
        reverse("question_edit", args=[thread.public_id, question.public_id]),
        {"message": "how long does a car battery last"},
    )
    await finished(reply.public_id)
    assert (await Message.objects.aget(pk=reply.pk)).sources == []
    await aclient.post(reverse("reply_regenerate", args=[thread.public_id, reply.public_id]))
    await finished(reply.public_id)
    again = await Message.objects.aget(pk=reply.pk)
    assert again.sources == [] and len(fake_groq.requests) == 3
