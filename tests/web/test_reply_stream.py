"""Sending from the page and the reply's SSE GET stream: generation belongs to the server, the stream is
idempotent (resume by offset, a finished reply sent whole, never a second generation), Stop cancels."""

import asyncio
import re
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from accounts.identity import Identity
from assistant import generation
from assistant.rendering import finished_blocks, render_markdown
from conversations import actions
from conversations.models import Message, Thread
from tests.conftest import make_user
from tests.fakes.groq_server import Behaviour

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true"}


async def start_guest(aclient) -> None:
    response = await aclient.post("/start/")
    assert response.status_code == 302
    assert (await aclient.post("/notice/")).status_code == 302  # "I understand"


async def body(response) -> str:
    return b"".join([chunk async for chunk in response.streaming_content]).decode()


LINE_END = re.compile(r"\r\n|\r|\n")  # what ends a line of an event stream


def sse_lines(raw: str) -> list[str]:
    """The stream's lines, as EventSource splits them; the text after the last line end is not a line yet."""
    *lines, _rest = LINE_END.split(raw.removeprefix("\ufeff"))
    return lines


def sse_events(raw: str) -> list[dict]:
    """The events EventSource dispatches, as the HTML standard's event stream interpretation reads them
    (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)."""
    out, kind, data, last_id = [], "", [], ""
    for line in sse_lines(raw):
        if not line:  # a blank line dispatches the event, if it has data
            if data:
                out.append({"event": kind or "message", "data": "\n".join(data), "id": last_id})
            kind, data = "", []
            continue
        if line.startswith(":"):  # a comment
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            kind = value
        elif field == "data":
            data.append(value)
        elif field == "id" and "\0" not in value:
            last_id = value  # it stays the last event id until another one comes
    return out


def shown(events: list[dict]) -> str:
    """What the page shows after these stream events: the `block`s appended, then the last `tail`."""
    blocks = "".join(e["data"] for e in events if e["event"] == "block")
    tails = [e["data"] for e in events if e["event"] == "tail"]
    return blocks + (tails[-1] if tails else "")


async def finished(reply_id) -> None:
    running = generation.get(reply_id)
    if running is not None:
        await asyncio.wait_for(running.finished.wait(), 10)


@sync_to_async
def only_thread() -> Thread:
    return Thread.objects.get()


@sync_to_async
def reply_of(thread: Thread) -> Message:
    return Message.objects.filter(thread=thread, role="assistant").order_by("-created_at", "-id").first()


async def test_without_javascript_sending_posts_and_redirects_and_the_page_shows_the_answer(aclient, settings, library):
    settings.MEDBOTX_LLM = "offline"
    await start_guest(aclient)
    response = await aclient.post("/chat/send/", {"message": "What are the symptoms of type 2 diabetes?"})
    thread = await only_thread()
    question = await Message.objects.aget(thread=thread, role="user")
    # The page opens on the new question, with its answer below it, not at the top of the thread.
    assert response.status_code == 302
    assert response["Location"] == f"/chat/{thread.public_id}/#msg-{question.public_id}"
    reply = await reply_of(thread)
    await finished(reply.public_id)
    page = (await aclient.get(response["Location"].partition("#")[0])).content.decode()
    assert f'id="msg-{question.public_id}"' in page
    assert "What are the symptoms of type 2 diabetes?" in page
    assert "<h2>Type 2 diabetes</h2>" in page and "MedlinePlus: Diabetes Type 2" in page
    assert 'http-equiv="refresh"' not in page  # nothing pending any more


async def test_a_pending_reply_refreshes_the_page_without_javascript(aclient, fake_groq):
    fake_groq.tokens_per_second = 5
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "slow one"})
    thread = await only_thread()
    page = (await aclient.get(f"/chat/{thread.public_id}/")).content.decode()
    question = await Message.objects.aget(thread=thread, role="user")
    # Back to this page with a new query each time (a same-address refresh with a fragment only scrolls),
    # opened on the question.
    refresh = re.search(r'<noscript><meta http-equiv="refresh" content="3; url=([^"]+)"></noscript>', page)
    assert refresh and re.fullmatch(rf"/chat/{thread.public_id}/\?t=\d+#msg-{question.public_id}", refresh[1])
    assert "sse-connect=" in page and "Stop" in page
    reply = await reply_of(thread)
    assert generation.stop_local(reply.public_id)
    await finished(reply.public_id)


async def test_htmx_send_returns_the_question_and_a_placeholder_then_the_stream_delivers_it(
    aclient, fake_groq, monkeypatch
):
    # Words, not "tok0 tok1 ...": the first answer is read by the safety triage with the next question, and a
    # run of made-up tokens is nothing it was trained on (it scored that context 0.3, above the threshold).
    monkeypatch.setattr(fake_groq, "token_text", lambda i: ("Antihistamines ", "can ", "help ")[i % 3])
    fake_groq.default = Behaviour(tokens=6)
    fake_groq.tokens_per_second = 30  # slow enough that the stream opens while the reply is written
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "what helps with hay fever"})
    thread = await only_thread()
    await finished((await reply_of(thread)).public_id)

    fragment = await aclient.post(
        f"/chat/{thread.public_id}/send/", {"message": "is <b>pollen</b> worse in the morning?"}, headers=HTMX
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "is &lt;b&gt;pollen&lt;/b&gt; worse in the morning?" in html
    reply = await reply_of(thread)
    stream_url = f"/chat/{thread.public_id}/replies/{reply.public_id}/stream/"
    assert re.search(rf'sse-connect="{stream_url}\?from=\d+"', html) and 'sse-close="end"' in html

    events = sse_events(await body(await aclient.get(stream_url)))
    tails = [e for e in events if e["event"] == "tail"]
    assert shown(events[:-1]) == str(render_markdown(fake_groq.answer(6)))  # one paragraph, written as it grows
    assert len(tails) > 1 and all(e["id"] == "0" for e in tails)  # no block finished: it is all the tail
    assert events[-1]["event"] == "end" and 'id="reply-' in events[-1]["data"]
    assert fake_groq.answer(6).strip() in events[-1]["data"]
    stored = await reply_of(thread)
    assert stored.status == "complete" and stored.content == fake_groq.answer(6)
    assert len(fake_groq.requests) == 2  # one generation per message, none from the stream


async def test_a_reconnect_resumes_after_what_it_had_and_never_starts_a_second_generation(
    aclient, fake_groq, settings, monkeypatch
):
    """The page's stream sends finished Markdown blocks once and the block being written again; an event's id
    is where the finished blocks end, so a reconnect gets the rest from there: nothing lost, none twice."""
    fake_groq.tokens_per_second = 40
    settings.STREAM_COALESCE_MS = 0
    pieces = [f"Part {n} of the answer, in **bold**.\n\n" for n in range(10)]
    monkeypatch.setattr(fake_groq, "token_text", pieces.__getitem__)
    fake_groq.default = Behaviour(tokens=len(pieces))
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "resume me"})
    thread = await only_thread()
    reply = await reply_of(thread)
    url = f"/chat/{thread.public_id}/replies/{reply.public_id}/stream/"

    first = await aclient.get(url)
    got = ""
    async for chunk in first.streaming_content:  # read a little, then drop the connection
        got += chunk.decode()
        if got.count("event: block") >= 2:
            break
    await first.streaming_content.aclose()
    seen = [e for e in sse_events(got) if e["event"] == "block"]
    offset = int(seen[-1]["id"])
    assert 0 < offset < len("".join(pieces))

    rest = sse_events(await body(await aclient.get(url, headers={"Last-Event-ID": str(offset)})))
    assert rest[-1]["event"] == "end"
    # The page: the blocks it had, the ones sent after the reconnect, and the last tail: nothing lost, none twice.
    page = "".join(e["data"] for e in seen) + shown(rest[:-1])
    assert page == "".join(str(render_markdown(p)) for p in pieces)
    assert next(int(e["id"]) for e in rest if e["event"] == "block") > offset
    assert len(fake_groq.requests) == 1

    whole = sse_events(await body(await aclient.get(url)))  # finished: sent whole, as one end event
    assert [e["event"] for e in whole] == ["end"] and "Part 9 of the answer" in whole[0]["data"]
    assert len(fake_groq.requests) == 1


async def test_stop_cancels_the_generation_and_keeps_what_was_written(aclient, fake_groq):
    fake_groq.tokens_per_second = 20
    fake_groq.default = Behaviour(tokens=200)
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "long answer please"})
    thread = await only_thread()
    reply = await reply_of(thread)
    running = generation.get(reply.public_id)
    await asyncio.wait_for(running.wait_beyond(0), 5)
    stop = await aclient.post(f"/chat/{thread.public_id}/replies/{reply.public_id}/stop/", headers=HTMX)
    assert stop.status_code == 204
    await finished(reply.public_id)
    stored = await reply_of(thread)
    assert stored.status == "cancelled" and stored.content.startswith("tok0 ")
    events = sse_events(await body(await aclient.get(f"/chat/{thread.public_id}/replies/{reply.public_id}/stream/")))
    assert "You stopped this answer" in events[-1]["data"] and "Try again" in events[-1]["data"]


async def test_an_upstream_error_ends_with_a_readable_message_and_a_retry(aclient, fake_groq):
    fake_groq.default = Behaviour(kind="rate_limit", retry_after=7)
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "what is a normal heart rate"})
    thread = await only_thread()
    reply = await reply_of(thread)
    await finished(reply.public_id)
    end = sse_events(await body(await aclient.get(f"/chat/{thread.public_id}/replies/{reply.public_id}/stream/")))[-1]
    assert end["event"] == "end"
    assert "busy" in end["data"].lower() or "try again in 7 seconds" in end["data"].lower()
    assert f"/replies/{reply.public_id}/retry/" in end["data"] and "Try again" in end["data"]


async def test_a_reply_left_streaming_by_a_stopped_server_is_marked_interrupted(aclient):
    await start_guest(aclient)
    guest = (await aclient.get("/chat/")).asgi_request.session["guest_id"]
    thread = await sync_to_async(actions.create_thread)(Identity(guest_id=__import__("uuid").UUID(guest)))
    _q, reply = await sync_to_async(actions.start_turn)(thread, "lost", provider="groq", model="m")
    # Its process died: nobody renews the lease, which runs out.
    await Message.objects.filter(pk=reply.pk).aupdate(lease_until=timezone.now() - timedelta(seconds=1))
    events = sse_events(await body(await aclient.get(f"/chat/{thread.public_id}/replies/{reply.public_id}/stream/")))
    assert [e["event"] for e in events] == ["end"] and "interrupted" in events[0]["data"]
    assert (await reply_of(thread)).status == "interrupted"
    assert "Try again" in events[0]["data"]


async def test_someone_elses_reply_stream_and_stop_are_404(aclient, fake_groq):
    owner = await sync_to_async(make_user)("owner@example.com")
    thread = await sync_to_async(actions.create_thread)(Identity(user=owner))
    _q, reply = await sync_to_async(actions.start_turn)(thread, "mine", provider="groq", model="m")
    await start_guest(aclient)
    base = f"/chat/{thread.public_id}/replies/{reply.public_id}"
    assert (await aclient.get(f"{base}/stream/")).status_code == 404
    assert (await aclient.post(f"{base}/stop/")).status_code == 404
    assert (await reply_of(thread)).status == "streaming"


async def test_an_empty_or_too_long_message_is_refused_with_a_sentence(aclient, settings):
    settings.CHAT_MESSAGE_MAX_CHARS = 10
    await start_guest(aclient)
    empty = await aclient.post("/chat/send/", {"message": "   "}, headers=HTMX)
    assert empty.status_code == 422 and empty["HX-Retarget"] == "#composer-error"
    assert b"Message cannot be empty." in empty.content
    long = await aclient.post("/chat/send/", {"message": "x" * 11})
    assert long.status_code == 422 and b"too long" in long.content and b"x" * 11 in long.content
    assert await Message.objects.acount() == 0


async def test_a_models_reply_lists_its_library_sources_under_it(aclient, fake_groq, library):
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "what are the symptoms of type 2 diabetes"})
    thread = await only_thread()
    reply = await reply_of(thread)
    await finished(reply.public_id)
    page = (await aclient.get(f"/chat/{thread.public_id}/")).content.decode()
    assert '<section class="sources" aria-label="Sources">' in page
    assert 'href="https://medlineplus.gov/diabetestype2.html"' in page


async def test_try_again_generates_the_reply_again_in_place(aclient, fake_groq):
    fake_groq.plan = [Behaviour(kind="server_error")]
    fake_groq.default = Behaviour(tokens=4)
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "what helps hay fever"})
    thread = await only_thread()
    reply = await reply_of(thread)
    await finished(reply.public_id)
    assert (await reply_of(thread)).status == "error"
    url = f"/chat/{thread.public_id}/replies/{reply.public_id}/retry/"
    fragment = await aclient.post(url, headers=HTMX)
    assert fragment.status_code == 200 and b"sse-connect" in fragment.content
    await finished(reply.public_id)
    stored = await reply_of(thread)
    assert (stored.pk, stored.status, stored.content) == (reply.pk, "complete", fake_groq.answer(4))
    again = await aclient.post(url, headers=HTMX)
    assert again.status_code == 422 and b"complete" in again.content  # said in the composer's error line
    assert again["HX-Retarget"] == "#composer-error"
    assert await Message.objects.filter(thread=thread).acount() == 2


async def test_carriage_returns_in_the_text_cannot_start_fields_of_their_own(aclient, fake_groq, monkeypatch):
    """A line of an event stream ends at CRLF, LF or a lone CR. Text with a CR in it is sent as several `data:`
    lines, which EventSource joins again with LF: what follows a CR can never be read as a field."""
    pieces = [
        "Rest.\r",
        "event: end\rid: 999999\r",
        "retry: 1\r\n:not a comment\r",
        "\rdata: x\n",
        "Drink <b>water</b>.",
    ]
    monkeypatch.setattr(fake_groq, "token_text", pieces.__getitem__)
    fake_groq.default = Behaviour(tokens=len(pieces))
    fake_groq.tokens_per_second = 4  # slow enough (over a second) that the stream opens while the reply is written
    text = "".join(pieces)
    await start_guest(aclient)
    await aclient.post("/chat/send/", {"message": "how do I rest well"})
    thread = await only_thread()
    reply = await reply_of(thread)

    raw = await body(await aclient.get(f"/chat/{thread.public_id}/replies/{reply.public_id}/stream/"))

    lines = sse_lines(raw)
    assert "id: 999999" not in lines and "retry: 1" not in lines and ":not a comment" not in lines
    assert lines.count("event: end") == 1  # the server's own
    events = sse_events(raw)
    assert [e["event"] for e in events][-1] == "end" and {e["event"] for e in events[:-1]} <= {"block", "tail"}
    cut = finished_blocks(text)  # the blank line after "not a comment" ends the first block
    assert 0 < cut < len(text)
    assert shown(events[:-1]) == render_markdown(text[:cut]) + render_markdown(text[cut:])
    assert "<b>" not in raw and "&lt;b&gt;water" in raw
    assert (await reply_of(thread)).content == text  # stored as the model sent it
