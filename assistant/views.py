"""The pages' side of a chat turn: send (POST), the reply's stream (SSE GET), stop, and the answer's
actions (Try again, Regenerate, Edit the question, Helpful?, Report), all through assistant/turns.py; a
refusal is said one way (`_refusal`).

Sending stores the question and a pending reply, starts the reply's generation as a server task, and
answers with the new messages (htmx) or a redirect (no JavaScript). The stream is idempotent: each
event carries the reply's length so far as its `id`, a reconnect (`Last-Event-ID`) or a reload
(`?from=`) resumes after what the page already has, and a reply that is already finished is sent whole.
No GET ever starts a generation.
"""

import html
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import notice
from accounts.identity import Identity, aidentity_for_request, identity_for_request
from conversations.access import get_reply_for, get_thread_for
from conversations.models import Message
from medbotx import limits

from . import generation
from .pages import CHAT_TEMPLATE, HtmxRequest, chat_context, entry, may_edit, may_regenerate
from .rendering import finished_blocks, render_markdown, render_tail
from .reports import FEEDBACK_THANKS, REPORTED, rate_reply, report_reply
from .streaming import KEEPALIVE, resume_offset
from .turns import MessageError, RetryError, Turn, edit_turn, regenerate_turn, retry_turn, take_turn

LINE_END = re.compile(r"\r\n|\r|\n")  # any of them ends a line of an event stream


Refusal = MessageError | RetryError | limits.Throttled


def _refusal(request: HtmxRequest, exc: Refusal, without_js: Callable[[str], HttpResponse]) -> HttpResponse:
    """A turn, a retry, a regeneration or an edit refused, said the one way the pages say it: 429 with
    Retry-After past a limit, 422 otherwise; with htmx, the sentence alone, swapped into the composer's error
    line (base.html swaps these two statuses); without JavaScript, `without_js(sentence)`'s page."""
    throttled = exc if isinstance(exc, limits.Throttled) else None
    text = throttled.message if throttled else f"{exc}."
    if request.htmx:
        response = HttpResponse(html.escape(text))
        response["HX-Retarget"] = "#composer-error"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = without_js(text)
    if not 300 <= response.status_code < 400:  # a page, not a redirect to one: its status says why
        response.status_code = 429 if throttled else 422
    if throttled:
        response["Retry-After"] = str(throttled.retry_after)
    return response


def _chat_page_with_error(
    request: HtmxRequest, identity: Identity, thread_id: uuid.UUID | None, text: str, error: str
) -> HttpResponse:
    """The chat page again, the message kept in the composer and the error under it (nothing typed is lost)."""
    thread = get_thread_for(identity, thread_id) if thread_id else None
    context = chat_context(request, identity, thread, composer_error=error, composer_text=text)
    return HttpResponse(render_to_string(CHAT_TEMPLATE, context, request))


def _to_thread_with_error(request: HtmxRequest, thread_id: uuid.UUID) -> Callable[[str], HttpResponse]:
    def page(error: str) -> HttpResponse:
        messages.error(request, error)
        return redirect("thread", thread_id)

    return page


@require_POST
async def send(request: HtmxRequest, thread_id: uuid.UUID | None = None) -> HttpResponse:
    identity = await aidentity_for_request(request)
    if identity.is_anonymous:
        return redirect("landing")
    if not await notice.ahas_accepted(request):
        url = reverse("notice")
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    raw = request.POST.get("message", "")
    try:
        turn = await take_turn(identity, thread_id, raw, client=limits.client_ip(request))
    except (MessageError, limits.Throttled) as exc:
        text = raw.strip()
        return await sync_to_async(_refusal)(
            request, exc, lambda error: _chat_page_with_error(request, identity, thread_id, text, error)
        )
    if not turn.stored:  # an emergency past the storage bound: answered in this response, not kept
        return HttpResponse(await sync_to_async(_render_unstored)(request, identity, thread_id, turn))
    thread, reply = turn.thread, turn.reply
    url = reverse("thread", args=[thread.public_id])
    if turn.escalated:  # the page opens on the emergency or crisis answer, not at its top
        url += f"#safety-{reply.public_id}"
    if not request.htmx:  # and without JavaScript, otherwise on the new question, its answer below it
        return redirect(url if turn.escalated else f"{url}#msg-{turn.question.public_id}")
    if thread_id is None:  # a new thread: the page for it takes over
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponse(await sync_to_async(_render_turn)(request, turn))


def _render_turn(request: HttpRequest, turn: Turn) -> str:
    """The question and the reply, for htmx to append to the conversation."""
    question, reply = entry(turn.question, turn.thread, new=True), entry(turn.reply, turn.thread, new=True)
    if turn.stored and may_edit(turn.reply):
        question["edit_url"] = reverse("question_edit", args=[turn.thread.public_id, turn.question.public_id])
    context = {"max_chars": settings.CHAT_MESSAGE_MAX_CHARS}
    return "".join(
        render_to_string(f"{CHAT_TEMPLATE}#message", {**context, "e": e}, request) for e in (question, reply)
    )


def _render_unstored(request: HtmxRequest, identity: Identity, thread_id: uuid.UUID | None, turn: Turn) -> str:
    """An answer that is not stored: the two messages for htmx to append, or the whole page with them."""
    if request.htmx:
        return _render_turn(request, turn)
    thread = get_thread_for(identity, thread_id) if thread_id else None
    context = chat_context(request, identity, thread)
    context["entries"] = [*context["entries"], *(entry(m, turn.thread) for m in (turn.question, turn.reply))]
    return render_to_string(CHAT_TEMPLATE, context, request)


def _event(name: str, data: str, event_id: int | None = None) -> bytes:
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    # Each line of the data is a `data:` line of its own (EventSource joins them again with "\n"): a "\r" left
    # inside one would end it there, and the rest of the model's text would be read as a field ("id: ...").
    lines.extend(f"data: {line}" for line in LINE_END.split(data))
    return ("\n".join(lines) + "\n\n").encode()


def _offset(request: HttpRequest) -> int:
    try:
        return resume_offset(request)
    except ValueError:
        return 0


def _final_html(request: HttpRequest, reply: Message) -> str:
    thread = reply.thread
    view = entry(reply, thread)
    newest = Message.objects.filter(thread_id=thread.pk).order_by("-created_at", "-id").values_list("pk", flat=True)
    if may_regenerate(reply) and newest.first() == reply.pk:
        view["regenerate_url"] = reverse("reply_regenerate", args=[thread.public_id, reply.public_id])
    return render_to_string(f"{CHAT_TEMPLATE}#message", {"e": view}, request)


async def _events(request: HttpRequest, reply: Message, offset: int) -> AsyncIterator[bytes]:
    """The page's stream, as Markdown already (rendering.finished_blocks): a `block` event appends each block
    once it is finished, a `tail` event replaces the block being written. `offset` is where the page's
    finished blocks end, and every event's id is where they end after it: a page that reconnects (with
    Last-Event-ID) is sent the tail again from there, and no block twice."""
    yield b": stream open\nretry: 1500\n\n"
    tail = ""
    async for item in generation.follow(reply, offset):
        if isinstance(item, generation.Ended):
            # The answer as stored replaces the live one; a reply that had finished already gets this alone.
            yield _event("end", await sync_to_async(_final_html)(request, item.reply))
            return
        if item is generation.KEEPALIVE:
            yield KEEPALIVE
            continue
        if item.offset != offset + len(tail):
            # Not where the page's text ends (the reply was restarted, or the page asked from past its end):
            # the tail starts again from here; the end event puts the whole answer right.
            offset, tail = item.offset, ""
        tail += item.text
        cut = finished_blocks(tail)
        if cut:
            offset += cut
            yield _event("block", render_markdown(tail[:cut]), offset)
            tail = tail[cut:]
        yield _event("tail", render_tail(tail), offset)


@require_GET
async def reply_stream(request: HttpRequest, thread_id: uuid.UUID, reply_id: uuid.UUID) -> StreamingHttpResponse:
    identity = await aidentity_for_request(request)
    reply = await sync_to_async(get_reply_for)(identity, thread_id, reply_id)
    response = StreamingHttpResponse(_events(request, reply, _offset(request)), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@require_POST
async def reply_stop(request: HtmxRequest, thread_id: uuid.UUID, reply_id: uuid.UUID) -> HttpResponse:
    identity = await aidentity_for_request(request)
    reply = await sync_to_async(get_reply_for)(identity, thread_id, reply_id)
    if reply.status == Message.Status.STREAMING:
        await generation.stop(reply)
    if request.htmx:
        return HttpResponse(status=204)  # the reply's stream sends its end
    return redirect("thread", thread_id)


@require_POST
def reply_report(request: HtmxRequest, thread_id: uuid.UUID, reply_id: uuid.UUID) -> HttpResponse:
    """ "Report this answer": it goes to the moderators' review queue."""
    reply = get_reply_for(identity_for_request(request), thread_id, reply_id)
    report_reply(reply, (request.POST.get("reason") or "").strip())
    if request.htmx:
        return HttpResponse(f'<p class="reported" role="status">{html.escape(str(REPORTED))}</p>')
    messages.success(request, REPORTED)
    return redirect("thread", thread_id)


@require_POST
def reply_feedback(request: HtmxRequest, thread_id: uuid.UUID, reply_id: uuid.UUID) -> HttpResponse:
    """Thumbs up or down on an answer, with an optional comment; a second press changes it."""
    reply = get_reply_for(identity_for_request(request), thread_id, reply_id)
    try:
        rate_reply(reply, request.POST.get("rating", ""), request.POST.get("comment", ""))
    except ValueError as exc:
        if request.htmx:
            return HttpResponse(f'<p class="problem" role="alert">{html.escape(str(exc))}.</p>', status=400)
        messages.error(request, f"{exc}.")
        context = chat_context(request, identity_for_request(request), reply.thread)
        return HttpResponse(render_to_string(CHAT_TEMPLATE, context, request), status=400)
    if request.htmx:
        context = {"e": {**entry(reply, reply.thread), "thanked": True}}
        return HttpResponse(render_to_string(f"{CHAT_TEMPLATE}#feedback", context, request))
    messages.success(request, FEEDBACK_THANKS)
    return redirect(reverse("thread", args=[thread_id]) + f"#reply-{reply_id}")


@require_POST
async def reply_regenerate(request: HtmxRequest, thread_id: uuid.UUID, reply_id: uuid.UUID) -> HttpResponse:
    """ "Regenerate" on the last answer: written again, in place; the earlier answer stays reachable."""
    return await _answer_again(request, thread_id, reply_id, regenerate_turn)


@require_POST
async def question_edit(request: HtmxRequest, thread_id: uuid.UUID, message_id: uuid.UUID) -> HttpResponse:
    """ "Edit" on the last question: sent again with the new text and answered again; the earlier question
    and answer stay reachable. A plain form: the thread page opens on the question."""
    identity = await aidentity_for_request(request)
    try:
        turn = await edit_turn(
            identity, thread_id, message_id, request.POST.get("message", ""), client=limits.client_ip(request)
        )
    except (limits.Throttled, RetryError, MessageError) as exc:
        return _refusal(request, exc, _to_thread_with_error(request, thread_id))
    if not turn.stored:  # an emergency past the storage bound: answered on this page, nothing changed
        return HttpResponse(await sync_to_async(_render_unstored)(request, identity, thread_id, turn))
    anchor = f"#safety-{turn.reply.public_id}" if turn.escalated else f"#msg-{turn.question.public_id}"
    target = reverse("thread", args=[thread_id]) + anchor
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


async def _answer_again(
    request: HtmxRequest,
    thread_id: uuid.UUID,
    reply_id: uuid.UUID,
    again: Callable[..., Awaitable[Turn]],
) -> HttpResponse:
    """Try again or Regenerate (`again`): the reply written again in place, streamed into the page (htmx) or
    the thread page; a refusal said in the composer's error line."""
    identity = await aidentity_for_request(request)
    await sync_to_async(get_reply_for)(identity, thread_id, reply_id)  # 404 for anyone else
    try:
        turn = await again(identity, reply_id, client=limits.client_ip(request))
    except (limits.Throttled, RetryError) as exc:
        return _refusal(request, exc, _to_thread_with_error(request, thread_id))
    return await _reply_again(request, thread_id, turn)


async def _reply_again(request: HtmxRequest, thread_id: uuid.UUID, turn: Turn) -> HttpResponse:
    if request.htmx:
        fragment = await sync_to_async(render_to_string)(
            f"{CHAT_TEMPLATE}#message", {"e": await sync_to_async(entry)(turn.reply, turn.thread)}, request
        )
        return HttpResponse(fragment)
    return redirect("thread", thread_id)


@require_POST
async def reply_retry(request: HtmxRequest, thread_id: uuid.UUID, reply_id: uuid.UUID) -> HttpResponse:
    """ "Try again" on a reply that failed, was stopped or was cut off: generated again, in place."""
    return await _answer_again(request, thread_id, reply_id, retry_turn)
